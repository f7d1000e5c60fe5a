// The pharmacy helpdesk (issue 13): the offer of a person (asked for, or after two honest fallbacks in a
// row), the Bot Framework handoff to a contact-centre hub when the patient accepts it, the
// acknowledgements of the hub's handoff.status events, and the fixed reply on reporting a side effect.
// The contacts and the reporting link come from the configuration; the renderer turns them into
// tap-to-call and link actions. Nothing the patient typed goes into the handoff's summary.
import { EventFactory, type Activity, type Transcript, type TurnContext } from 'botbuilder';
import { texts, type Reply } from '../render/renderer';
import { fallbackReply } from './faq';
import {
  sendReply,
  type BotServices,
  type HandoffReason,
  type HelpdeskState,
  type TranscriptEntry,
} from './services';

/** The button that accepts the offer; its text is read back as the `handoff` command (intents.json). */
export const connectButton = { title: texts.helpdesk.connect, value: texts.helpdesk.connect };

/** The helpdesk offered because the patient asked for a person. */
/** @param handoff whether a contact-centre hub can take over (HELPDESK_HANDOFF): then "Connect me" is offered. */
export function personReply(handoff: boolean): Reply {
  return { intro: [texts.helpdesk.person], helpdesk: true, buttons: handoff ? [connectButton] : [] };
}

/** The second honest fallback in a row: the fallback, then the helpdesk. */
export function fallbackWithHelpdeskReply(handoff: boolean): Reply {
  const fallback = fallbackReply();
  return {
    ...fallback,
    intro: [...(fallback.intro ?? []), texts.helpdesk.afterFallbacks],
    helpdesk: true,
    buttons: handoff ? [connectButton] : [],
  };
}

/** "Where do I report a side effect?": the doctor, pharmacist or nurse, the national system, the link. */
export function reportSideEffectReply(): Reply {
  return { intro: [...texts.reportSideEffect.intro], reportingLink: true, leaflet: true };
}

export type HandoffState = keyof typeof texts.helpdesk.status;

export function isHandoffState(state: unknown): state is HandoffState {
  return typeof state === 'string' && Object.prototype.hasOwnProperty.call(texts.helpdesk.status, state);
}

/** The acknowledgement of a handoff.status event; a failed handoff gives the contacts instead. */
export function handoffStatusReply(state: HandoffState): Reply {
  const line = texts.helpdesk.status[state];
  if (state === 'failed') return { intro: [line], helpdesk: true };
  if (state === 'completed') return { intro: [line], buttons: texts.menuButtons };
  return { intro: [line] };
}

/** What a hub sees first: why, the topics answered (pair ids), how much transcript follows. No patient text. */
export interface HandoffSummary {
  reason: HandoffReason;
  /** The knowledge-base pairs answered most recently, oldest first. */
  topics: string[];
  channelId: string;
  /** Messages in the transcript attachment. */
  messages: number;
}

/** Counts this turn as an honest fallback: returns how many came in a row (the bot resets it on any other turn). */
export async function countFallback(context: TurnContext, state: HelpdeskState): Promise<number> {
  context.turnState.set(FELL_BACK, true);
  const count = ((await state.fallbacks.get(context)) ?? 0) + 1;
  await state.fallbacks.set(context, count);
  return count;
}

const FELL_BACK = Symbol('fellBack');

/** Whether this turn ended in an honest fallback (see countFallback). */
export function fellBack(context: TurnContext): boolean {
  return context.turnState.get(FELL_BACK) === true;
}

/** Offers the helpdesk for a reason, remembered until the patient accepts or it is offered again. */
export async function offerHelpdesk(
  context: TurnContext,
  services: BotServices,
  reason: HandoffReason,
  reply: Reply,
): Promise<void> {
  const state = services.helpdeskState;
  if (state) {
    await state.offer.set(context, reason);
    await state.fallbacks.delete(context);
  }
  await sendReply(context, services, reply);
}

/** The transcript entry of this turn's incoming message (the text the bot worked with). */
function incomingEntry(activity: Partial<Activity>, text: string): TranscriptEntry {
  return {
    type: 'message',
    timestamp: new Date(activity.timestamp ?? Date.now()).toISOString(),
    from: { id: activity.from?.id ?? '', role: 'user' },
    text,
  };
}

/**
 * Accepting the offer: sends the Bot Framework handoff event (handoff.initiate) with the summary as its
 * value and the recent transcript as its attachment, then tells the patient. A channel that refuses the
 * event gets the failed acknowledgement with the contacts.
 */
export async function initiateHandoff(
  context: TurnContext,
  services: BotServices,
  text: string,
): Promise<void> {
  const state = services.helpdeskState;
  const reason = (await state?.offer.get(context)) ?? 'person-request';
  const earlier = (await state?.transcript.get(context)) ?? [];
  const activities = [...earlier, incomingEntry(context.activity, text)].slice(-TRANSCRIPT_LENGTH);
  const summary: HandoffSummary = {
    reason,
    topics: (await state?.recentPairs.get(context)) ?? [],
    channelId: context.activity.channelId,
    messages: activities.length,
  };
  // The transcript's entries are the Activity fields a hub reads (type, from, text, timestamp).
  const transcript = { activities } as unknown as Transcript;
  await state?.offer.delete(context);
  try {
    await context.sendActivity(EventFactory.createHandoffInitiation(context, summary, transcript));
  } catch (err) {
    services.log?.error('turn.handoff_failed', { reason, error: (err as Error).message });
    await sendReply(context, services, handoffStatusReply('failed'));
    return;
  }
  services.log?.info('turn.handoff', { reason, topics: summary.topics.length, messages: activities.length });
  await sendReply(context, services, { intro: [texts.helpdesk.requested] });
}

/** How many messages the handoff transcript keeps, both ways. */
export const TRANSCRIPT_LENGTH = 10;
/** How much of each of the bot's replies the transcript keeps. */
const MAX_REPLY_CHARS = 160;
/** A longer message is cut to this many characters in the transcript, to bound the state. */
const MAX_ENTRY_CHARS = 500;

/** The text of a message the bot sent, as the transcript shows it: its text, or its card's plain-text form. */
function sentText(activity: Partial<Activity>): string {
  if (activity.text) return activity.text;
  for (const attachment of activity.attachments ?? []) {
    const fallback = (attachment.content as { fallbackText?: unknown } | undefined)?.fallbackText;
    if (typeof fallback === 'string') return fallback;
  }
  return '';
}

/**
 * Keeps this turn in the recent transcript: the message and the bot's messages in reply (traces and
 * events left out). Only turns the bot answered: in a Teams channel, others' messages are not kept.
 */
export async function recordTurn(
  context: TurnContext,
  state: HelpdeskState,
  text: string,
  sent: Partial<Activity>[],
): Promise<void> {
  const replies = sent.filter((a) => a.type === 'message');
  if (replies.length === 0) return;
  const cut = (t: string): string => (t.length > MAX_ENTRY_CHARS ? `${t.slice(0, MAX_ENTRY_CHARS)}…` : t);
  const cutReply = (t: string): string =>
    t.length > MAX_REPLY_CHARS ? `${t.slice(0, MAX_REPLY_CHARS)}…` : t;
  const now = new Date().toISOString();
  const entries: TranscriptEntry[] = [
    { ...incomingEntry(context.activity, cut(text)) },
    ...replies.map((a): TranscriptEntry => ({
      type: 'message',
      timestamp: now,
      from: { id: context.activity.recipient?.id ?? 'bot', role: 'bot' },
      // The bot's own replies are the overview's text, which the hub can look up: their opening is enough
      // to follow the conversation, and keeps the state (read and hashed on every turn) small.
      text: cutReply(sentText(a)),
    })),
  ];
  const before = (await state.transcript.get(context)) ?? [];
  await state.transcript.set(context, [...before, ...entries].slice(-TRANSCRIPT_LENGTH));
}
