// A cheap shape check before the Bot Framework adapter: the SDK throws (500) on bodies that are JSON
// but not activities, and a caller deserves a 400 that says what is missing.

/** Why the body cannot be an activity, or undefined when it has what every turn needs. */
export function activityProblem(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return 'The request body must be a JSON object (a Bot Framework activity).';
  }
  const a = body as Record<string, unknown>;
  const isObjectWithId = (v: unknown): boolean =>
    typeof v === 'object' && v !== null && typeof (v as { id?: unknown }).id === 'string';
  if (typeof a.type !== 'string' || a.type === '') return 'The activity has no "type".';
  if (typeof a.channelId !== 'string' || a.channelId === '') return 'The activity has no "channelId".';
  if (typeof a.serviceUrl !== 'string' || a.serviceUrl === '') return 'The activity has no "serviceUrl".';
  if (!isObjectWithId(a.conversation)) return 'The activity has no "conversation.id".';
  // Every channel names the sender; conversation state is kept per sender, so a turn cannot run without one.
  if (!isObjectWithId(a.from)) return 'The activity has no "from.id".';
  if (a.recipient !== undefined && !isObjectWithId(a.recipient))
    return 'The activity\'s "recipient" has no "id".';
  if (a.text !== undefined && a.text !== null && typeof a.text !== 'string')
    return 'The activity\'s "text" must be a string.';
  if (a.attachments !== undefined && !Array.isArray(a.attachments))
    return 'The activity\'s "attachments" must be a list.';
  if (a.entities !== undefined && !Array.isArray(a.entities))
    return 'The activity\'s "entities" must be a list.';
  return undefined;
}
