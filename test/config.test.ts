// The one module that reads the environment: defaults that run locally with no account, and clear
// errors for values that would otherwise fail later and obscurely.
import { expect } from 'chai';
import { loadConfig } from '../config';

describe('config', () => {
  it("runs locally with no settings: port 3978, anonymous auth, 112, each medicine's own leaflet", () => {
    const config = loadConfig({});
    expect(config.port).to.equal(3978);
    expect(config.auth).to.deep.equal({
      MicrosoftAppType: 'MultiTenant',
      MicrosoftAppId: '',
      MicrosoftAppPassword: '',
      MicrosoftAppTenantId: '',
    });
    expect(config.emergencyNumber).to.equal('112');
    // No leaflet of the deployment's own: each medicine's (test/profile.test.ts), for no country in particular.
    expect(config.leafletUrl).to.equal('');
    expect(config.leafletCountry).to.equal('');
    expect(config.deployment).to.deep.equal({ name: '', launcherText: '' });
    expect(config.logLevel).to.equal('info');
    expect(config.directLine.secret).to.equal('');
    expect(config.directLine.allowedOrigins).to.deep.equal([]);
  });

  it('serves every medicine by default, or the ones MEDICINES names (folder names only)', () => {
    expect(loadConfig({}).medicines).to.deep.equal({ ids: [], dir: undefined });
    expect(
      loadConfig({ MEDICINES: ' Imnovid, zentravo ', MEDICINES_DIR: '/srv/medicines' }).medicines,
    ).to.deep.equal({
      ids: ['imnovid', 'zentravo'],
      dir: '/srv/medicines',
    });
    for (const bad of ['../etc', 'a/b', 'zen travo'])
      expect(() => loadConfig({ MEDICINES: bad }), bad).to.throw(
        /MEDICINES: .* is not a medicine folder name/,
      );
  });

  it('reads the Bot Framework settings under their SDK names', () => {
    const config = loadConfig({
      MicrosoftAppType: 'SingleTenant',
      MicrosoftAppId: 'app',
      MicrosoftAppPassword: 'secret',
      MicrosoftAppTenantId: 'tenant',
    });
    expect(config.auth).to.deep.equal({
      MicrosoftAppType: 'SingleTenant',
      MicrosoftAppId: 'app',
      MicrosoftAppPassword: 'secret',
      MicrosoftAppTenantId: 'tenant',
    });
  });

  it('trims and splits lists and URLs', () => {
    const config = loadConfig({
      ALLOWED_ORIGINS: ' https://a.example , https://b.example,, ',
      PUBLIC_BASE_URL: 'https://bot.example///',
      DIRECT_LINE_ENDPOINT: 'https://europe.directline.botframework.com/',
      EMERGENCY_NUMBER: ' 999 ',
      PORT: '8080',
    });
    expect(config.directLine.allowedOrigins).to.deep.equal(['https://a.example', 'https://b.example']);
    expect(config.publicBaseUrl).to.equal('https://bot.example');
    expect(config.directLine.endpoint).to.equal('https://europe.directline.botframework.com');
    expect(config.emergencyNumber).to.equal('999');
    expect(config.port).to.equal(8080);
  });

  it('refuses values that cannot work, naming the variable', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).to.throw(/PORT/);
    expect(() => loadConfig({ PORT: '-1' })).to.throw(/PORT/);
    expect(() => loadConfig({ DIRECT_LINE_IDLE_MINUTES: '1.5' })).to.throw(/DIRECT_LINE_IDLE_MINUTES/);
    expect(() => loadConfig({ LOG_LEVEL: 'verbose' })).to.throw(/LOG_LEVEL/);
  });

  it('never needs process.env when given an environment', () => {
    const before = process.env.PORT;
    process.env.PORT = 'not-a-number';
    try {
      expect(loadConfig({}).port).to.equal(3978);
    } finally {
      if (before === undefined) delete process.env.PORT;
      else process.env.PORT = before;
    }
  });

  it('reads the leaflet and the deployment names, and refuses values that would show wrongly', () => {
    const config = loadConfig({
      LEAFLET_URL: ' https://hospital.example/leaflet.pdf ',
      LEAFLET_COUNTRY: 'DE',
      DEPLOYMENT_NAME: ' St Example medicines ',
      LAUNCHER_TEXT: 'Questions about your treatment?',
    });
    expect(config.leafletUrl).to.equal('https://hospital.example/leaflet.pdf');
    expect(config.leafletCountry).to.equal('de');
    expect(config.deployment).to.deep.equal({
      name: 'St Example medicines',
      launcherText: 'Questions about your treatment?',
    });
    expect(() => loadConfig({ LEAFLET_URL: 'leaflet.pdf' })).to.throw(
      /LEAFLET_URL must be an http\(s\) address/,
    );
    expect(() => loadConfig({ LEAFLET_COUNTRY: 'deu' })).to.throw(/LEAFLET_COUNTRY must be a two-letter/);
    expect(() => loadConfig({ DEPLOYMENT_NAME: 'x'.repeat(31) })).to.throw(
      /DEPLOYMENT_NAME must be one line of at most 30/,
    );
    expect(() => loadConfig({ LAUNCHER_TEXT: 'a\nb' })).to.throw(/LAUNCHER_TEXT must be one line/);
  });
});
