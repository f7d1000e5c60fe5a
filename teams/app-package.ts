// Builds the Microsoft Teams app package (manifest.json + color.png + outline.png in one zip) from
// manifest.template.json and the project configuration. No I/O other than reading the icons.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import JSZip from 'jszip';
import type { Config } from '../config';
import { loadMedicines } from '../knowledge/load';
import { deploymentNames, textsFor, type ServedMedicine } from '../render/deployment';
import template from './manifest.template.json';
import teamsTexts from './texts.json';
import { validateManifest } from './schema';

const ICON_FILES = ['color.png', 'outline.png'] as const;

/** Bot id used with allowPlaceholder when MicrosoftAppId is empty; such a package cannot be installed. */
export const PLACEHOLDER_BOT_ID = '00000000-0000-0000-0000-000000000000';

/**
 * Namespace for deriving the Teams app id from the bot id (UUID version 5). A fixed random value that
 * belongs to this project: changing it would give every existing installation a new app id.
 */
const APP_ID_NAMESPACE = '3f6b0c1e-8a57-4d2b-9c61-5e0f4a7d2b18';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// Fixed timestamp for the zip entries so that the same inputs always give the same bytes.
const ZIP_DATE = new Date(2024, 0, 1, 0, 0, 0);

export type TeamsManifest = typeof template;

export interface BuildOptions {
  /**
   * For local checks only: build with a placeholder bot id when MicrosoftAppId is empty, and with
   * placeholder (example.org, empty or non-https) privacy and terms URLs; each is then a warning.
   */
  allowPlaceholder?: boolean;
  /**
   * Also offer the bot in team channels and group chats (for helpdesk staff). Off by default: a patient's
   * health questions belong in a personal chat, not in a shared channel.
   */
  teamScope?: boolean;
  /** Folder holding color.png and outline.png; defaults to this folder. */
  iconsDir?: string;
  /** The medicines the bot serves, which name the app; by default the configuration's (MEDICINES, MEDICINES_DIR). */
  medicines?: readonly ServedMedicine[];
}

/** Every medicine, loaded once for all the packages a process builds. */
let allMedicines: readonly ServedMedicine[] | undefined;

/** The names and descriptions of the app, for what it serves (teams/texts.json). */
export function appTexts(config: Config, options: BuildOptions = {}): Omit<typeof teamsTexts, 'several'> {
  const names = deploymentNames(
    options.medicines ?? (allMedicines ??= loadMedicines(config.medicines.ids, config.medicines.dir)),
    config.deployment,
  );
  const { several, ...oneMedicine } = teamsTexts;
  return textsFor(oneMedicine, several, names);
}

export interface TeamsPackage {
  manifest: TeamsManifest;
  zip: Buffer;
  /** Things that do not stop the build but should be fixed before publishing. */
  warnings: string[];
}

export class TeamsPackageError extends Error {
  override name = 'TeamsPackageError';
}

/** UUID version 5 (SHA-1, RFC 9562) of `name` in `namespace`. */
export function uuidV5(name: string, namespace: string): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const bytes = createHash('sha1').update(ns).update(name, 'utf8').digest().subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The Teams app id that is used when TEAMS_APP_ID is not set: stable for a given bot id. */
export function deriveTeamsAppId(botId: string): string {
  return uuidV5(botId.toLowerCase(), APP_ID_NAMESPACE);
}

function resolveBotId(config: Config, options: BuildOptions): string {
  const botId = config.auth.MicrosoftAppId.trim();
  if (botId === '') {
    if (options.allowPlaceholder) return PLACEHOLDER_BOT_ID;
    throw new TeamsPackageError(
      'MicrosoftAppId is empty: set it to the Microsoft App ID of the Azure Bot registration ' +
        '(or pass --allow-placeholder to build a package for local checks only).',
    );
  }
  if (!GUID.test(botId)) {
    throw new TeamsPackageError(
      `MicrosoftAppId must be a GUID (the Azure Bot's Microsoft App ID), got "${botId}".`,
    );
  }
  return botId.toLowerCase();
}

function resolveAppId(config: Config, botId: string): string {
  const appId = config.teams.appId.trim();
  if (appId === '') return deriveTeamsAppId(botId);
  if (!GUID.test(appId)) {
    throw new TeamsPackageError(`TEAMS_APP_ID must be a GUID, got "${appId}".`);
  }
  return appId.toLowerCase();
}

/** The example.org defaults of config.ts, or any example domain. */
function isPlaceholderUrl(url: string): boolean {
  return /^https?:\/\/([^/]+\.)?example\.(org|com|net)(\/|$)/i.test(url);
}

function publicHost(config: Config): string | undefined {
  if (!config.publicBaseUrl) return undefined;
  try {
    return new URL(config.publicBaseUrl).hostname;
  } catch {
    throw new TeamsPackageError(`PUBLIC_BASE_URL is not a valid URL: "${config.publicBaseUrl}".`);
  }
}

/** Replaces every {{NAME}} in the template's strings; an unknown name is an error. */
function fill(value: unknown, values: Record<string, string>): unknown {
  if (typeof value === 'string') {
    return value.replace(/\{\{([A-Z_]+)\}\}/g, (_match, name: string) => {
      const replacement = values[name];
      if (replacement === undefined)
        throw new TeamsPackageError(`Unknown placeholder {{${name}}} in the template.`);
      return replacement;
    });
  }
  if (Array.isArray(value)) return value.map((item) => fill(item, values));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, fill(item, values)]));
  }
  return value;
}

/** The manifest for this configuration (not validated: see validateManifest in schema.ts). */
export function buildManifest(
  config: Config,
  options: BuildOptions = {},
): { manifest: TeamsManifest; warnings: string[] } {
  const warnings: string[] = [];
  const botId = resolveBotId(config, options);
  if (botId === PLACEHOLDER_BOT_ID) {
    warnings.push(
      'MicrosoftAppId is empty: the package uses a placeholder bot id and cannot be installed in Teams.',
    );
  }
  const host = publicHost(config);
  if (!host) {
    warnings.push('PUBLIC_BASE_URL is not set: validDomains is left empty.');
  } else if (!config.publicBaseUrl?.startsWith('https://')) {
    warnings.push('PUBLIC_BASE_URL is not https: Teams only reaches bots over https.');
  }
  // The privacy statement and the terms are what a patient reads before using the app: required.
  const unusable = (url: string): boolean => !/^https:\/\/[^/]/.test(url) || isPlaceholderUrl(url);
  const legal = [
    ['TEAMS_PRIVACY_URL', config.teams.privacyUrl],
    ['TEAMS_TERMS_URL', config.teams.termsUrl],
  ].filter(([, url]) => unusable(url));
  if (legal.length > 0) {
    const message =
      `${legal.map(([name]) => name).join(' and ')} must be the https address of your own privacy ` +
      'statement and terms of use, not an empty or example.org placeholder';
    if (!options.allowPlaceholder)
      throw new TeamsPackageError(`${message} (or pass --allow-placeholder to build for local checks only).`);
    warnings.push(`${message}: this package is for local checks only.`);
  }
  if (unusable(config.teams.websiteUrl)) {
    warnings.push(
      'TEAMS_WEBSITE_URL should be the https address of your own page, not the example.org default.',
    );
  }

  const texts = appTexts(config, options);
  const manifest = fill(template, {
    NAME_SHORT: texts.nameShort,
    NAME_FULL: texts.nameFull,
    DESCRIPTION_SHORT: texts.descriptionShort,
    DESCRIPTION_FULL: texts.descriptionFull,
    TAKE_COMMAND: texts.takeCommand,
    RISK_COMMAND: texts.riskCommand,
    TEAMS_APP_ID: resolveAppId(config, botId),
    BOT_ID: botId,
    DEVELOPER_NAME: config.teams.developerName,
    WEBSITE_URL: config.teams.websiteUrl,
    PRIVACY_URL: config.teams.privacyUrl,
    TERMS_URL: config.teams.termsUrl,
    PUBLIC_HOST: host ?? '',
  }) as TeamsManifest;
  manifest.validDomains = manifest.validDomains.filter((domain) => domain !== '');
  if (options.teamScope) {
    const shared = ['personal', 'team', 'groupChat'];
    for (const bot of manifest.bots) {
      bot.scopes = [...shared];
      for (const list of bot.commandLists) list.scopes = [...shared];
    }
  }
  return { manifest, warnings };
}

/**
 * Builds the manifest, checks it against the official schema, and zips it with the two icons.
 * Throws TeamsPackageError when the configuration is incomplete or the manifest is not valid.
 */
export async function buildTeamsPackage(config: Config, options: BuildOptions = {}): Promise<TeamsPackage> {
  const { manifest, warnings } = buildManifest(config, options);
  const result = validateManifest(manifest);
  if (!result.valid) {
    throw new TeamsPackageError(
      `The generated manifest does not match the Teams schema:\n  ${result.errors.join('\n  ')}`,
    );
  }

  const iconsDir = options.iconsDir ?? __dirname;
  const zip = new JSZip();
  zip.file('manifest.json', `${JSON.stringify(manifest, null, 2)}\n`, { date: ZIP_DATE });
  for (const icon of ICON_FILES) {
    zip.file(icon, readFileSync(join(iconsDir, icon)), { date: ZIP_DATE });
  }
  const buffer = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', platform: 'DOS' });
  return { manifest, zip: buffer, warnings };
}
