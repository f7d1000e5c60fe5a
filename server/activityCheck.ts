// A cheap shape check before the Bot Framework adapter: the SDK throws (500) on bodies that are JSON
// but not activities, and a caller deserves a 400 that says what is missing.

/**
 * Longest id accepted (conversation, sender, recipient, activity, channel). Teams' longest ids are a few
 * hundred characters; state is keyed by these ids, so an unbounded one is memory an attacker chooses.
 */
const MAX_ID_LENGTH = 512;
const MAX_SERVICE_URL_LENGTH = 2048;

type Check = (a: Record<string, unknown>) => string | undefined;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const hasId = (v: unknown): boolean => isObject(v) && typeof v.id === 'string' && v.id !== '';
const tooLong = (v: unknown, max: number): boolean => typeof v === 'string' && v.length > max;

const required =
  (field: string): Check =>
  (a) =>
    typeof a[field] !== 'string' || a[field] === '' ? `The activity has no "${field}".` : undefined;

const idOf =
  (field: string, optional = false): Check =>
  (a) => {
    if (optional && a[field] === undefined) return undefined;
    if (!hasId(a[field])) {
      return optional ? `The activity's "${field}" has no "id".` : `The activity has no "${field}.id".`;
    }
    return tooLong((a[field] as { id: string }).id, MAX_ID_LENGTH)
      ? `The activity's "${field}.id" is longer than ${MAX_ID_LENGTH} characters.`
      : undefined;
  };

/** An optional list whose every item must be an object (with an id, for lists of accounts). */
const listOf =
  (field: string, items: 'objects' | 'accounts'): Check =>
  (a) => {
    const list = a[field];
    if (list === undefined || list === null) return undefined;
    if (!Array.isArray(list)) return `The activity's "${field}" must be a list.`;
    const fits =
      items === 'accounts'
        ? (v: unknown) => hasId(v) && !tooLong((v as { id: string }).id, MAX_ID_LENGTH)
        : isObject;
    return list.every(fits)
      ? undefined
      : `Every item of the activity's "${field}" must be an object${items === 'accounts' ? ' with a short "id"' : ''}.`;
  };

const shortString =
  (field: string, max: number): Check =>
  (a) =>
    tooLong(a[field], max) ? `The activity's "${field}" is longer than ${max} characters.` : undefined;

const CHECKS: Check[] = [
  required('type'),
  required('channelId'),
  required('serviceUrl'),
  idOf('conversation'),
  // Every channel names the sender; conversation state is kept per sender, so a turn cannot run without one.
  idOf('from'),
  idOf('recipient', true),
  shortString('channelId', MAX_ID_LENGTH),
  shortString('id', MAX_ID_LENGTH),
  shortString('replyToId', MAX_ID_LENGTH),
  shortString('serviceUrl', MAX_SERVICE_URL_LENGTH),
  (a) =>
    a.text !== undefined && a.text !== null && typeof a.text !== 'string'
      ? 'The activity\'s "text" must be a string.'
      : undefined,
  listOf('attachments', 'objects'),
  listOf('entities', 'objects'),
  listOf('membersAdded', 'accounts'),
  listOf('membersRemoved', 'accounts'),
];

/** Why the body cannot be an activity, or undefined when it has what every turn needs. */
export function activityProblem(body: unknown): string | undefined {
  if (!isObject(body)) return 'The request body must be a JSON object (a Bot Framework activity).';
  for (const check of CHECKS) {
    const problem = check(body);
    if (problem) return problem;
  }
  return undefined;
}
