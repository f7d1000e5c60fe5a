// The helpdesk's settings (issue 13): HELPDESK_CONTACTS and SIDE_EFFECT_REPORTING_URL are checked at
// start-up, with an error that names the variable, the entry and what is wrong.
import { expect } from 'chai';
import { loadConfig } from '../config';

const contacts = (value: unknown): Record<string, string> => ({ HELPDESK_CONTACTS: JSON.stringify(value) });

describe('config: pharmacy helpdesk', () => {
  it('has no contacts, no reporting link and no handoff hub by default', () => {
    expect(loadConfig({}).helpdesk).to.deep.equal({
      contacts: [],
      sideEffectReportingUrl: '',
      handoff: false,
    });
    expect(loadConfig({ HELPDESK_HANDOFF: 'on' }).helpdesk.handoff).to.equal(true);
    expect(() => loadConfig({ HELPDESK_HANDOFF: 'yes' })).to.throw(/HELPDESK_HANDOFF must be "on" or "off"/);
    expect(
      loadConfig({ HELPDESK_CONTACTS: '  ', SIDE_EFFECT_REPORTING_URL: '' }).helpdesk.contacts,
    ).to.deep.equal([]);
  });

  it('reads several contacts, trimmed, each with a phone, a page or both', () => {
    const config = loadConfig({
      ...contacts([
        {
          name: ' Hospital pharmacy ',
          phone: ' +44 20 7946 0000 ',
          hours: 'Mon-Fri 9-17',
          url: 'https://a.example/',
        },
        { name: 'Treatment centre', phone: '020-7946-0999' },
        { name: 'Helpline', url: 'https://b.example/help' },
      ]),
      SIDE_EFFECT_REPORTING_URL: ' https://yellowcard.mhra.gov.uk/ ',
    });
    expect(config.helpdesk.contacts).to.deep.equal([
      {
        name: 'Hospital pharmacy',
        phone: '+44 20 7946 0000',
        hours: 'Mon-Fri 9-17',
        url: 'https://a.example/',
      },
      { name: 'Treatment centre', phone: '020-7946-0999' },
      { name: 'Helpline', url: 'https://b.example/help' },
    ]);
    expect(config.helpdesk.sideEffectReportingUrl).to.equal('https://yellowcard.mhra.gov.uk/');
  });

  it('refuses HELPDESK_CONTACTS that is not JSON, with a clear message', () => {
    expect(() => loadConfig({ HELPDESK_CONTACTS: '[{name: "pharmacy"}' })).to.throw(
      /^HELPDESK_CONTACTS is not valid JSON .*expected a JSON array like \[\{"name"/,
    );
  });

  it('refuses contacts of the wrong shape, naming the entry and the field', () => {
    const cases: [unknown, RegExp][] = [
      [{ name: 'x', phone: '1' }, /must be a JSON array/],
      [['pharmacy'], /entry 1 must be an object/],
      [[{ phone: '112' }], /entry 1 needs a "name"/],
      [[{ name: 'Pharmacy' }], /entry 1 needs a "phone" or a "url"/],
      [
        [
          { name: 'A', phone: '112' },
          { name: 'B', phon: '2' },
        ],
        /entry 2 has an unknown field "phon"/,
      ],
      [[{ name: 'A', phone: 12345 }], /entry 1: "phone" must be a non-empty string/],
      [[{ name: '', phone: '1' }], /entry 1: "name" must be a non-empty string/],
      [[{ name: 'A', phone: 'call us' }], /entry 1: "phone" may hold only digits/],
      [[{ name: 'A', phone: '+44 (0)20 7946' }], /"phone" may hold only digits/],
      [[{ name: 'A', url: 'javascript:alert(1)' }], /entry 1: "url" must be an http\(s\) address/],
      [[{ name: 'A', url: 'pharmacy.example' }], /"url" must be an http\(s\) address/],
    ];
    for (const [value, message] of cases)
      expect(() => loadConfig(contacts(value)), JSON.stringify(value)).to.throw(message);
    for (const [value] of cases)
      expect(() => loadConfig(contacts(value)), JSON.stringify(value)).to.throw(/^HELPDESK_CONTACTS /);
  });

  it('refuses a SIDE_EFFECT_REPORTING_URL that is not an http(s) address', () => {
    expect(() => loadConfig({ SIDE_EFFECT_REPORTING_URL: 'yellowcard' })).to.throw(
      /SIDE_EFFECT_REPORTING_URL/,
    );
    expect(() => loadConfig({ SIDE_EFFECT_REPORTING_URL: 'ftp://x.example/' })).to.throw(
      /SIDE_EFFECT_REPORTING_URL/,
    );
  });
});
