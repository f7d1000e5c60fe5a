// What the deployment calls itself and what it is about, for the page, the widget, Teams and the channel
// accounts. With one medicine served, everything is named after it (the bot's name is "{medicine} info"
// filled from the medicine's folder); with several, the configured name (DEPLOYMENT_NAME) or a generic
// one. No medicine is named in code or fixed texts: names come from the medicines' folders.
import texts from './texts.json';
import { fillPlaceholders } from './placeholders';

/** What the names need of a served medicine (a LoadedKnowledge has it). */
export interface ServedMedicine {
  id: string;
  kb: { medicine: string; activeSubstance: string };
  profile: { displayName: string };
}

/** The configuration's names (DEPLOYMENT_NAME, LAUNCHER_TEXT); empty when not set. */
export interface DeploymentSettings {
  name: string;
  launcherText: string;
}

export interface DeploymentNames {
  /** The bot's display name: the configured one, else "<medicine> info", else the generic name. */
  botName: string;
  /** The one medicine served; undefined when several are. */
  medicine?: { id: string; name: string; substance: string };
  /** LAUNCHER_TEXT when set: the widget's button says it, whatever is served. */
  launcherText?: string;
  /** A file-name-safe word for the deployment: the medicine's id, or the bot's name in lower case. */
  slug: string;
}

/** A medicine as it is named beside others (buttons, labels, lists): "Zentravo (lumivastat)". */
export function medicineLabel(name: string, substance: string): string {
  return `${name} (${substance})`;
}

/** The label of a served medicine: its display name (its folder's, else the brand) and its substance. */
export const labelOf = (m: Pick<ServedMedicine, 'kb' | 'profile'>): string =>
  medicineLabel(m.profile.displayName, m.kb.activeSubstance);

const listFormat = new Intl.ListFormat('en', { type: 'conjunction' });

/** Names as one phrase of prose: "A, B, and C". */
export function listOfNames(names: readonly string[]): string {
  return listFormat.format(names);
}

function slugOf(text: string): string {
  return (
    text
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'medicine'
  );
}

export function deploymentNames(
  medicines: readonly ServedMedicine[],
  settings: DeploymentSettings,
): DeploymentNames {
  if (medicines.length === 0) throw new Error('a deployment serves at least one medicine');
  const only = medicines.length === 1 ? medicines[0] : undefined;
  const medicine = only && {
    id: only.id,
    name: only.profile.displayName,
    substance: only.kb.activeSubstance,
  };
  const botName =
    settings.name ||
    (medicine ? fillPlaceholders(texts.botName, { medicine: medicine.name }) : texts.deploymentName);
  return {
    botName,
    ...(medicine ? { medicine } : {}),
    ...(settings.launcherText ? { launcherText: settings.launcherText } : {}),
    slug: medicine && !settings.name ? medicine.id : slugOf(botName),
  };
}

/** The placeholders every deployment text may use: {botName}, and {medicine} and {substance} with one medicine. */
export function nameValues(names: DeploymentNames): Record<string, string> {
  return {
    botName: names.botName,
    slug: names.slug,
    ...(names.medicine ? { medicine: names.medicine.name, substance: names.medicine.substance } : {}),
  };
}

/**
 * Texts written for one medicine ({medicine}, {substance}) with, under `several`, the same keys worded for
 * a deployment serving several: the variant that fits, its placeholders filled (others are left as
 * written for whoever fills them later, such as {emergency} or {date}), its "$comment" notes left out.
 */
export function textsFor<T>(one: T, several: unknown, names: DeploymentNames): T {
  const values = nameValues(names);
  const fill = (value: unknown, over: unknown): unknown => {
    if (typeof value === 'string')
      return fillPlaceholders(typeof over === 'string' && !names.medicine ? over : value, values);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
    const overrides = (over ?? {}) as Record<string, unknown>;
    // A "$comment" is for whoever edits the file, not for the page: it is left out.
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key]) => !key.startsWith('$'))
        .map(([key, item]) => [key, fill(item, overrides[key])]),
    );
  };
  return fill(one, several) as T;
}
