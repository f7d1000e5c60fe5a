// A medicine's profile (knowledge/medicines/<id>/medicine.json): what the patient sees that is particular
// to the medicine beyond its knowledge base. Read and checked here, so a mistake in the file stops the
// start with the file and the field, and with its defaults worked out from the kb when fields are absent.
// Plain data: no botbuilder.
import type { KnowledgeBase, MedicineProfile, ResolvedProfile, SafetyWording } from './types';
import { SAFETY_CATEGORIES, SAFETY_LANGUAGES } from '../safety/gate';

/** The EMA's address of a medicine's product information (which holds the package leaflet), by its name. */
export function emaProductInformationUrl(medicine: string): string {
  const slug = medicine
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return `https://www.ema.europa.eu/en/documents/product-information/${slug}-epar-product-information_en.pdf`;
}

/** "default" or a lower-case ISO 3166 country code. */
const LEAFLET_KEY = /^(default|[a-z]{2})$/;
/** The placeholders a medicine's safety wording may use. */
const SAFETY_PLACEHOLDERS = new Set(['medicine', 'Medicine', 'emergency']);

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Checks a parsed medicine.json; `where` names the file in the errors. */
export function checkProfile(value: unknown, where: string): MedicineProfile {
  const fail = (why: string): never => {
    throw new Error(`${where}: ${why}`);
  };
  if (!isObject(value)) return fail('must be a JSON object');
  const fields = new Set(['$comment', 'displayName', 'leaflets', 'safety']);
  for (const key of Object.keys(value))
    if (!fields.has(key)) fail(`unknown field "${key}" (displayName, leaflets, safety)`);
  const { displayName, leaflets, safety } = value;
  if (displayName !== undefined && (typeof displayName !== 'string' || displayName.trim() === ''))
    fail('"displayName" must be a non-empty string');
  if (leaflets !== undefined) {
    if (!isObject(leaflets)) fail('"leaflets" must be an object of country → https address');
    for (const [country, url] of Object.entries(leaflets as Record<string, unknown>)) {
      if (!LEAFLET_KEY.test(country))
        fail(`"leaflets": "${country}" is neither "default" nor a lower-case two-letter country code`);
      if (typeof url !== 'string' || !/^https:\/\/[^\s/]+\/\S*$/.test(url))
        fail(`"leaflets.${country}" must be an https address`);
    }
  }
  if (safety !== undefined) {
    if (!isObject(safety)) fail('"safety" must be an object of safety category → wording');
    for (const [category, wording] of Object.entries(safety as Record<string, unknown>))
      checkWording(category, wording, fail);
  }
  return value as MedicineProfile;
}

function checkWording(category: string, wording: unknown, fail: (why: string) => never): void {
  const at = `"safety.${category}"`;
  if (!SAFETY_CATEGORIES.includes(category))
    fail(`${at}: no such safety category (safety/patterns.json has ${SAFETY_CATEGORIES.join(', ')})`);
  if (!isObject(wording)) return fail(`${at} must be an object with a "text"`);
  const checkText = (text: unknown, path: string): void => {
    if (typeof text !== 'string' || text.trim() === '') return fail(`${path} must be a non-empty string`);
    for (const [, name] of text.matchAll(/\{(\w+)\}/g))
      if (!SAFETY_PLACEHOLDERS.has(name!)) fail(`${path}: unknown placeholder {${name}}`);
  };
  checkText(wording.text, `${at}.text`);
  const translations = wording.translations;
  if (translations === undefined) return;
  if (!isObject(translations)) return fail(`${at}.translations must be an object of language → {text, back}`);
  for (const [language, translated] of Object.entries(translations)) {
    const path = `${at}.translations.${language}`;
    if (!SAFETY_LANGUAGES.includes(language))
      fail(`${path}: the safety gate has no language "${language}" (${SAFETY_LANGUAGES.join(', ')})`);
    if (!isObject(translated)) return fail(`${path} must be an object with "text" and "back"`);
    checkText(translated.text, `${path}.text`);
    checkText(translated.back, `${path}.back`);
  }
}

/** The profile with its defaults: the kb's name, and the EMA's product information as the leaflet. */
export function resolveProfile(kb: KnowledgeBase, profile: MedicineProfile = {}): ResolvedProfile {
  const displayName = profile.displayName?.trim() || kb.medicine;
  return {
    displayName,
    leaflets: { default: emaProductInformationUrl(kb.medicine), ...profile.leaflets },
    safety: { ...(profile.safety as Record<string, SafetyWording> | undefined) },
  };
}

/** The deployment's leaflet settings (LEAFLET_URL, LEAFLET_COUNTRY; empty when not set). */
export interface LeafletSettings {
  leafletUrl: string;
  leafletCountry: string;
}

/**
 * The package leaflet a patient is sent to: the deployment's own address when it sets one, else the
 * medicine's for the deployment's country, else the medicine's default.
 */
export function leafletFor(profile: Pick<ResolvedProfile, 'leaflets'>, settings: LeafletSettings): string {
  if (settings.leafletUrl !== '') return settings.leafletUrl;
  const country = settings.leafletCountry;
  return (country !== '' ? profile.leaflets[country] : undefined) ?? profile.leaflets.default;
}
