// A medicine's profile (knowledge/medicines/<id>/medicine.json): read and checked with clear errors, its
// defaults worked out from the knowledge base, and the leaflet chosen by the deployment's country.
import { expect } from 'chai';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadKnowledge, loadMedicine, loadMedicines } from '../knowledge/load';
import { emaProductInformationUrl, leafletFor } from '../knowledge/profile';
import { medicinePaths } from '../knowledge/medicines';
import type { KnowledgeBase } from '../knowledge/types';

const imnovid = loadMedicine('imnovid');
const EMA_IMNOVID =
  'https://www.ema.europa.eu/en/documents/product-information/imnovid-epar-product-information_en.pdf';

const roots: string[] = [];

/** A copy of Imnovid's kb renamed, in a folder of its own with the medicine.json given (or none). */
function medicineFolder(profile?: unknown): string {
  const root = mkdtempSync(join(tmpdir(), 'medicines-'));
  roots.push(root);
  const kb = { ...imnovid.kb, medicine: 'Zentravo', activeSubstance: 'lumivastat' } as KnowledgeBase;
  const paths = medicinePaths('zentravo', root);
  mkdirSync(paths.dir);
  writeFileSync(paths.kb, JSON.stringify(kb));
  if (profile !== undefined)
    writeFileSync(paths.profile, typeof profile === 'string' ? profile : JSON.stringify(profile));
  return root;
}

describe('medicine profile', () => {
  after(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })));

  it("reads Imnovid's: the EMA leaflet, and its own sharing and pregnancy wording", () => {
    expect(imnovid.profile.displayName).to.equal('Imnovid');
    expect(imnovid.profile.leaflets.default).to.equal(EMA_IMNOVID);
    expect(Object.keys(imnovid.profile.safety).sort()).to.deep.equal(['pregnancy', 'sharing']);
    expect(imnovid.profile.safety.pregnancy!.text).to.include('pregnancy prevention programme');
  });

  it('gives a medicine without medicine.json its defaults from the kb', () => {
    const [zentravo] = loadMedicines(['zentravo'], medicineFolder());
    expect(zentravo!.profile).to.deep.equal({
      displayName: 'Zentravo',
      leaflets: {
        default:
          'https://www.ema.europa.eu/en/documents/product-information/zentravo-epar-product-information_en.pdf',
      },
      safety: {},
    });
    expect(loadKnowledge(zentravo!.kb).profile.displayName).to.equal('Zentravo');
  });

  it('builds the EMA address from any name', () => {
    expect(emaProductInformationUrl('Imnovid')).to.equal(EMA_IMNOVID);
    expect(emaProductInformationUrl('Zéntra Vo 5')).to.match(
      /\/zentra-vo-5-epar-product-information_en\.pdf$/,
    );
  });

  it('picks the leaflet: LEAFLET_URL first, then the country, then the default', () => {
    const profile = { leaflets: { default: 'https://ema.example/a.pdf', de: 'https://de.example/b.pdf' } };
    expect(leafletFor(profile, { leafletUrl: '', leafletCountry: '' })).to.equal('https://ema.example/a.pdf');
    expect(leafletFor(profile, { leafletUrl: '', leafletCountry: 'de' })).to.equal(
      'https://de.example/b.pdf',
    );
    expect(leafletFor(profile, { leafletUrl: '', leafletCountry: 'fr' })).to.equal(
      'https://ema.example/a.pdf',
    );
    expect(leafletFor(profile, { leafletUrl: 'https://own.example/c.pdf', leafletCountry: 'de' })).to.equal(
      'https://own.example/c.pdf',
    );
  });

  it('reads a valid medicine.json from the folder', () => {
    const root = medicineFolder({
      displayName: 'Zentravo XR',
      leaflets: { at: 'https://at.example/leaflet.pdf' },
      safety: { sharing: { text: '{Medicine} is for you only. Call {emergency}.' } },
    });
    const [zentravo] = loadMedicines(['zentravo'], root);
    expect(zentravo!.profile.displayName).to.equal('Zentravo XR');
    expect(zentravo!.profile.leaflets.at).to.equal('https://at.example/leaflet.pdf');
    expect(zentravo!.profile.leaflets.default).to.match(/zentravo-epar/);
    expect(zentravo!.profile.safety.sharing!.text).to.match(/^\{Medicine\}/);
  });

  it('stops with the file and the field when medicine.json is wrong', () => {
    const cases: [unknown, RegExp][] = [
      ['{ not json', /medicine\.json: not valid JSON/],
      [[], /must be a JSON object/],
      [{ name: 'x' }, /unknown field "name"/],
      [{ displayName: '' }, /"displayName" must be a non-empty string/],
      [{ leaflets: { DE: 'https://x.example/a.pdf' } }, /"DE" is neither "default" nor/],
      [{ leaflets: { de: 'http://x.example/a.pdf' } }, /"leaflets\.de" must be an https address/],
      [{ safety: { sharng: { text: 'x' } } }, /"safety\.sharng": no such safety category/],
      [{ safety: { sharing: { text: '' } } }, /"safety\.sharing"\.text must be a non-empty string/],
      [{ safety: { sharing: { text: 'Call {emergncy}' } } }, /unknown placeholder \{emergncy\}/],
      [
        { safety: { pregnancy: { text: 'x', translations: { xx: { text: 'y', back: 'z' } } } } },
        /no language "xx"/,
      ],
      [{ safety: { pregnancy: { text: 'x', translations: { de: { text: 'y' } } } } }, /de\.back must be/],
    ];
    for (const [profile, error] of cases) {
      const root = medicineFolder(profile);
      expect(() => loadMedicines(['zentravo'], root), JSON.stringify(profile)).to.throw(error);
    }
  });

  it('accepts every committed medicine.json', () => {
    expect(() => loadMedicines()).not.to.throw();
  });
});
