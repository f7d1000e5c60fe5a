import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import { PNG } from 'pngjs';
import { loadConfig, type Config } from '../config';
import {
  buildManifest,
  buildTeamsPackage,
  deriveTeamsAppId,
  PLACEHOLDER_BOT_ID,
  TeamsPackageError,
  uuidV5,
} from '../teams/app-package';
import { COLOR_SIZE, drawColorIcon, drawOutlineIcon, OUTLINE_SIZE } from '../teams/icons';
import { runPackageCli } from '../teams/package';
import { DEFAULT_ACCENT } from '../channels/web/pages';
import { loadManifestSchema, MANIFEST_VERSION, SCHEMA_URL, validateManifest } from '../teams/schema';

const TEAMS_DIR = join(__dirname, '..', 'teams');
const BOT_ID = '1b2c3d4e-5f60-4a7b-8c9d-0e1f2a3b4c5d';
const TEAMS_APP_ID = 'a9f8e7d6-c5b4-4a39-8281-706f5e4d3c2b';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A Config built the way the app builds it, from an explicit environment (process.env is not read). */
function configWith(env: Record<string, string> = {}): Config {
  return loadConfig({
    MicrosoftAppId: BOT_ID,
    PUBLIC_BASE_URL: 'https://bot.hospital.example/',
    TEAMS_DEVELOPER_NAME: 'Example Hospital Pharmacy',
    TEAMS_WEBSITE_URL: 'https://hospital.example/imnovid',
    TEAMS_PRIVACY_URL: 'https://hospital.example/privacy',
    TEAMS_TERMS_URL: 'https://hospital.example/terms',
    ...env,
  });
}

function readPng(file: string): PNG {
  return PNG.sync.read(readFileSync(join(TEAMS_DIR, file)));
}

function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

describe('Teams app package', () => {
  describe('official manifest schema', () => {
    it(`is the v${MANIFEST_VERSION} schema from @microsoft/app-manifest`, () => {
      const schema = loadManifestSchema() as { properties: { manifestVersion: { const: string } } };
      expect(schema.properties.manifestVersion.const).to.equal(MANIFEST_VERSION);
      expect(Number(MANIFEST_VERSION.split('.')[1])).to.be.at.least(22);
    });

    it('accepts the generated manifest', () => {
      const { manifest } = buildManifest(configWith());
      const result = validateManifest(manifest);
      expect(result.errors).to.deep.equal([]);
      expect(result.valid).to.equal(true);
      expect(manifest.$schema).to.equal(SCHEMA_URL);
      expect(manifest.manifestVersion).to.equal(MANIFEST_VERSION);
    });

    it('rejects unknown properties, at the top level and inside the bot', () => {
      const { manifest } = buildManifest(configWith());
      const withPackageName = { ...clone(manifest), packageName: 'org.example.imnovid' };
      const result = validateManifest(withPackageName);
      expect(result.valid).to.equal(false);
      expect(result.errors.join('\n')).to.contain('packageName');

      const withBotExtra = clone(manifest) as unknown as { bots: Record<string, unknown>[] };
      withBotExtra.bots[0].endpoint = 'https://bot.hospital.example/api/messages';
      expect(validateManifest(withBotExtra).valid).to.equal(false);
    });

    it('rejects missing required fields, a non-GUID bot id and an over-long short name', () => {
      const { manifest } = buildManifest(configWith());
      const noDeveloper: Record<string, unknown> = clone(manifest);
      delete noDeveloper.developer;
      expect(validateManifest(noDeveloper).valid).to.equal(false);

      const badBotId = clone(manifest);
      badBotId.bots[0].botId = 'not-a-guid';
      expect(validateManifest(badBotId).valid).to.equal(false);

      const longName = clone(manifest);
      longName.name.short = 'x'.repeat(31);
      expect(validateManifest(longName).valid).to.equal(false);
    });
  });

  describe('manifest content', () => {
    it('takes the bot id and the Teams app id from the configuration', () => {
      const { manifest } = buildManifest(configWith({ TEAMS_APP_ID }));
      expect(manifest.bots[0].botId).to.equal(BOT_ID);
      expect(manifest.id).to.equal(TEAMS_APP_ID);
    });

    it('derives a stable app id from the bot id when TEAMS_APP_ID is empty', () => {
      const first = buildManifest(configWith()).manifest.id;
      const second = buildManifest(configWith()).manifest.id;
      expect(first).to.match(GUID);
      expect(first[14]).to.equal('5');
      expect(first).to.equal(second);
      expect(first).to.equal(deriveTeamsAppId(BOT_ID));
      expect(first).to.not.equal(BOT_ID);
      const otherBot = buildManifest(
        configWith({ MicrosoftAppId: 'ffffffff-5f60-4a7b-8c9d-0e1f2a3b4c5d' }),
      ).manifest;
      expect(otherBot.id).to.not.equal(first);
    });

    it('computes standard UUID v5 values', () => {
      // RFC 9562 / RFC 4122 DNS namespace example.
      expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).to.equal(
        '2ed6657d-e927-568b-95e1-2665a8aea6a2',
      );
    });

    it('refuses to build without MicrosoftAppId unless a placeholder is allowed', async () => {
      const config = configWith({ MicrosoftAppId: '' });
      expect(() => buildManifest(config)).to.throw(TeamsPackageError, /MicrosoftAppId is empty/);
      let caught: unknown;
      await buildTeamsPackage(config).catch((error: unknown) => (caught = error));
      expect(caught).to.be.instanceOf(TeamsPackageError);

      const placeholder = await buildTeamsPackage(config, { allowPlaceholder: true });
      expect(placeholder.manifest.bots[0].botId).to.equal(PLACEHOLDER_BOT_ID);
      expect(placeholder.warnings.join(' ')).to.match(/placeholder/);
    });

    it('rejects a bot id or Teams app id that is not a GUID', () => {
      expect(() => buildManifest(configWith({ MicrosoftAppId: 'my-bot' }))).to.throw(
        TeamsPackageError,
        /GUID/,
      );
      expect(() => buildManifest(configWith({ TEAMS_APP_ID: '1234' }))).to.throw(
        TeamsPackageError,
        /TEAMS_APP_ID/,
      );
    });

    it('declares one conversational bot for personal chat only, with the three commands', () => {
      // Issue 14: a patient's health questions belong in a personal chat, not in a shared channel.
      const { manifest } = buildManifest(configWith());
      expect(manifest.bots).to.have.length(1);
      const [bot] = manifest.bots;
      expect(bot.scopes).to.deep.equal(['personal']);
      expect(bot.supportsFiles).to.equal(false);
      expect(bot.isNotificationOnly).to.equal(false);
      expect(bot.commandLists.flatMap((list) => list.scopes)).to.deep.equal(['personal']);
      for (const list of bot.commandLists) {
        expect(list.commands.map((command) => command.title)).to.deep.equal([
          'how do I take it',
          'am I at risk',
          'help',
        ]);
        for (const command of list.commands) expect(command.description).to.not.equal('');
      }
    });

    it('offers team channels and group chats only when asked to (--team-scope, for helpdesk staff)', async () => {
      const { manifest } = buildManifest(configWith(), { teamScope: true });
      expect(manifest.bots[0].scopes).to.deep.equal(['personal', 'team', 'groupChat']);
      for (const list of manifest.bots[0].commandLists)
        expect(list.scopes).to.deep.equal(['personal', 'team', 'groupChat']);
      expect(validateManifest(manifest).valid).to.equal(true);
    });

    for (const [name, env] of [
      ['example.org defaults', { TEAMS_PRIVACY_URL: '', TEAMS_TERMS_URL: '' }],
      ['an example.org privacy URL', { TEAMS_PRIVACY_URL: 'https://example.org/privacy' }],
      ['a terms URL that is not https', { TEAMS_TERMS_URL: 'http://hospital.example/terms' }],
    ] as const) {
      it(`refuses to build with ${name} for the privacy or terms URL, unless --allow-placeholder`, async () => {
        const config = configWith(env);
        expect(() => buildManifest(config)).to.throw(TeamsPackageError, /--allow-placeholder/);
        const local = await buildTeamsPackage(config, { allowPlaceholder: true });
        expect(local.warnings.join(' ')).to.match(/local checks only/);
      });
    }

    it('names the app after the one medicine served, from its folder, as it was named before', () => {
      const { manifest } = buildManifest(configWith());
      expect(manifest.name).to.deep.equal({
        short: 'Imnovid info',
        full: 'Imnovid (pomalidomide) patient information',
      });
      expect(manifest.description.short).to.equal(
        'Answers from the EMA overview of Imnovid. Not medical advice.',
      );
      expect(manifest.description.full).to.match(
        /^Imnovid info answers common questions about Imnovid \(pomalidomide\) using only the information in the European Medicines Agency \(EMA\) public overview of the medicine, such as/,
      );
      expect(manifest.bots[0].commandLists[0]!.commands.map((c) => c.description)).to.deep.equal([
        'How Imnovid is taken, as described in the EMA overview.',
        'The main risks of Imnovid and who should not take it, from the EMA overview.',
        'What this bot can answer, and where its information comes from.',
      ]);
    });

    it('names the app after DEPLOYMENT_NAME when it serves several medicines, and stays valid', () => {
      const medicines = [
        {
          id: 'imnovid',
          kb: { medicine: 'Imnovid', activeSubstance: 'pomalidomide' },
          profile: { displayName: 'Imnovid' },
        },
        {
          id: 'zentravo',
          kb: { medicine: 'Zentravo', activeSubstance: 'lumivastat' },
          profile: { displayName: 'Zentravo' },
        },
      ];
      const { manifest } = buildManifest(configWith({ DEPLOYMENT_NAME: 'St Example medicines' }), {
        medicines,
      });
      expect(validateManifest(manifest).errors).to.deep.equal([]);
      expect(manifest.name.short).to.equal('St Example medicines');
      const texts = JSON.stringify([manifest.name, manifest.description, manifest.bots]);
      expect(texts).not.to.match(/imnovid|zentravo|pomalidomide|lumivastat|\{\w+\}/i);
      expect(manifest.description.short).to.match(/your medicines/);
      // No name configured: a generic one.
      const generic = buildManifest(configWith(), { medicines }).manifest;
      expect(generic.name.short).to.equal('Medicine information');
    });

    it('says it uses the EMA overview of Imnovid and is not medical advice', () => {
      const { manifest } = buildManifest(configWith());
      for (const text of [manifest.description.short, manifest.description.full]) {
        expect(text).to.contain('EMA');
        expect(text).to.contain('Imnovid');
        expect(text).to.match(/not medical advice/i);
      }
      expect(manifest.name.short).to.match(/^Imnovid/);
      // One accent colour everywhere: the manifest, the icon, the chat page, the widget, the README.
      expect(manifest.accentColor.toLowerCase()).to.equal(DEFAULT_ACCENT);
      const icon = drawColorIcon();
      expect(
        `#${[...icon.data.subarray(0, 3)].map((c) => c.toString(16).padStart(2, '0')).join('')}`,
      ).to.equal(DEFAULT_ACCENT);
      const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
      expect(readme.match(/data-accent="(#[0-9a-fA-F]{6})"/)?.[1]).to.equal(DEFAULT_ACCENT);
      const embed = readFileSync(join(__dirname, '..', 'channels', 'web', 'public', 'embed.js'), 'utf8');
      expect(embed).to.contain(`var DEFAULT_ACCENT = '${DEFAULT_ACCENT}';`);
    });

    it('takes the developer details and valid domain from the configuration', () => {
      const { manifest } = buildManifest(configWith());
      expect(manifest.developer).to.deep.equal({
        name: 'Example Hospital Pharmacy',
        websiteUrl: 'https://hospital.example/imnovid',
        privacyUrl: 'https://hospital.example/privacy',
        termsOfUseUrl: 'https://hospital.example/terms',
      });
      expect(manifest.validDomains).to.deep.equal(['bot.hospital.example']);

      const noBase = buildManifest(configWith({ PUBLIC_BASE_URL: '' }));
      expect(noBase.manifest.validDomains).to.deep.equal([]);
      expect(noBase.warnings.join(' ')).to.contain('PUBLIC_BASE_URL');
      expect(validateManifest(noBase.manifest).valid).to.equal(true);
    });
  });

  describe('icons', () => {
    it(`color.png is ${COLOR_SIZE}x${COLOR_SIZE}, opaque and in colour`, () => {
      const png = readPng('color.png');
      expect([png.width, png.height]).to.deep.equal([192, 192]);
      const colours = new Set<string>();
      for (let i = 0; i < png.data.length; i += 4) {
        expect(png.data[i + 3]).to.equal(255);
        colours.add(`${png.data[i]},${png.data[i + 1]},${png.data[i + 2]}`);
      }
      expect(colours.size).to.be.greaterThan(2);
    });

    it(`outline.png is ${OUTLINE_SIZE}x${OUTLINE_SIZE} and only white on transparent`, () => {
      const png = readPng('outline.png');
      expect([png.width, png.height]).to.deep.equal([32, 32]);
      let opaque = 0;
      let transparent = 0;
      for (let i = 0; i < png.data.length; i += 4) {
        const alpha = png.data[i + 3];
        if (alpha === 0) {
          transparent++;
          continue;
        }
        expect([png.data[i], png.data[i + 1], png.data[i + 2]], `pixel ${i / 4}`).to.deep.equal([
          255, 255, 255,
        ]);
        if (alpha === 255) opaque++;
      }
      expect(opaque).to.be.greaterThan(50);
      expect(transparent).to.be.greaterThan(300);
    });

    it('the committed PNGs are what teams/icons.ts draws', () => {
      expect(readPng('color.png').data.equals(drawColorIcon().data)).to.equal(true);
      expect(readPng('outline.png').data.equals(drawOutlineIcon().data)).to.equal(true);
    });
  });

  describe('zip', () => {
    it('holds exactly manifest.json, color.png and outline.png at the root', async () => {
      const pkg = await buildTeamsPackage(configWith({ TEAMS_APP_ID }));
      const zip = await JSZip.loadAsync(pkg.zip);
      const names = Object.keys(zip.files);
      expect(names).to.have.members(['manifest.json', 'color.png', 'outline.png']);
      expect(names).to.have.length(3);

      const manifest = JSON.parse(await zip.file('manifest.json')!.async('string'));
      expect(manifest).to.deep.equal(pkg.manifest);
      expect(manifest.id).to.equal(TEAMS_APP_ID);
      expect(manifest.bots[0].botId).to.equal(BOT_ID);
      expect(validateManifest(manifest).valid).to.equal(true);

      for (const icon of ['color.png', 'outline.png']) {
        const inZip = await zip.file(icon)!.async('nodebuffer');
        expect(inZip.equals(readFileSync(join(TEAMS_DIR, icon))), icon).to.equal(true);
      }
    });

    it('is byte-for-byte the same when built twice from the same configuration', async () => {
      const first = await buildTeamsPackage(configWith());
      const second = await buildTeamsPackage(configWith());
      expect(first.zip.equals(second.zip)).to.equal(true);
    });
  });

  describe('CLI', () => {
    const messages: string[] = [];
    const log = { log: (m: string) => messages.push(m), error: (m: string) => messages.push(m) };
    let dir: string;

    beforeEach(() => {
      messages.length = 0;
      dir = mkdtempSync(join(tmpdir(), 'teams-package-'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('writes the zip where --out says', async () => {
      const out = join(dir, 'nested', 'app.zip');
      expect(await runPackageCli(['--out', out], configWith(), log)).to.equal(0);
      const zip = await JSZip.loadAsync(readFileSync(out));
      expect(Object.keys(zip.files)).to.have.members(['manifest.json', 'color.png', 'outline.png']);
    });

    it('exits 1 with a clear message when MicrosoftAppId is empty', async () => {
      const out = join(dir, 'app.zip');
      expect(await runPackageCli(['--out', out], configWith({ MicrosoftAppId: '' }), log)).to.equal(1);
      expect(messages.join('\n')).to.match(/MicrosoftAppId is empty.*--allow-placeholder/);
      expect(
        await runPackageCli(['--out', out, '--allow-placeholder'], configWith({ MicrosoftAppId: '' }), log),
      ).to.equal(0);
    });

    it('refuses placeholder privacy and terms URLs (exit 1, an error), and builds team scope on request', async () => {
      const out = join(dir, 'app.zip');
      const defaults = configWith({ TEAMS_PRIVACY_URL: '', TEAMS_TERMS_URL: '' });
      expect(await runPackageCli(['--out', out], defaults, log)).to.equal(1);
      expect(messages.join('\n')).to.match(/^error: TEAMS_PRIVACY_URL and TEAMS_TERMS_URL/m);
      expect(await runPackageCli(['--out', out, '--team-scope'], configWith(), log)).to.equal(0);
      const zip = await JSZip.loadAsync(readFileSync(out));
      const manifest = JSON.parse(await zip.file('manifest.json')!.async('string'));
      expect(manifest.bots[0].scopes).to.deep.equal(['personal', 'team', 'groupChat']);
    });

    it('rejects unknown arguments', async () => {
      expect(await runPackageCli(['--bogus'], configWith(), log)).to.equal(1);
      expect(messages.join('\n')).to.contain('--bogus');
    });
  });
});
