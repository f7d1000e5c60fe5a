// What the dialogs need from the rest of the bot, and the one way they send a reply.
import type { Activity, StatePropertyAccessor, TurnContext } from 'botbuilder';
import type { PendingQuestion, Recognition } from './recogniser';
import type { KnowledgeBase } from '../knowledge/types';
import type { Formulary, ServedMedicine } from './formulary';
import type { Logger } from '../shared/log';
import type { Recorder } from '../learning/recorder';
import {
  channelSupportsCards,
  isSharedConversation,
  render,
  type ContactData,
  type Reply,
} from '../render/renderer';

export interface BotServices {
  /** The medicines served; with one, every conversation is about it. */
  formulary: Formulary;
  /** The medicine this conversation is about (several served: chosen or named by the patient). */
  medicine: StatePropertyAccessor<string | undefined>;
  /** A question waiting for the patient to say which medicine it is about (pair ids only, never words). */
  pendingQuestion: StatePropertyAccessor<PendingQuestion | undefined>;
  /** The package leaflet link for a medicine (none chosen yet: where to find any medicine's). */
  leafletUrl: (medicine: ServedMedicine | undefined) => string;
  emergencyNumber: string;
  /** The pair answered last in this conversation (per user), for follow-up questions. */
  lastPair: StatePropertyAccessor<string | undefined>;
  /** A contact-centre hub can take conversations over (HELPDESK_HANDOFF=on). */
  handoff: boolean;
  /** Whether this turn's user is helpdesk staff, who see why the bot answered as it did. */
  isStaff?: (context: TurnContext) => boolean;
  /** Where routing decisions are logged (route names and pair ids only, never the message). */
  log?: Logger;
  /** The helpdesk's contacts (may be empty) and the national side-effect reporting page (may be empty). */
  helpdesk?: ContactData[];
  sideEffectReportingUrl?: string;
  /** The helpdesk's conversation state (private, expiring with the rest); absent, the helpdesk is not offered on repeated fallbacks. */
  helpdeskState?: HelpdeskState;
  /** Records fallbacks, "Did you mean" and answer feedback when recording is on (issue 13). */
  recorder?: Recorder;
  /** The pair just answered, waiting for a typed "helpful" / "not helpful" (recording on only). */
  feedbackPair?: StatePropertyAccessor<string | undefined>;
  /**
   * Told which answers each reply shows, as "medicine/pair" ids: the evaluation's view of what a patient
   * was answered from. Not a log: pair ids are named after the topics patients ask about.
   */
  onAnswered?: (answers: string[]) => void;
  /** How long state is kept after the last message, for the privacy notice (minutes; absent: until forgotten). */
  stateKeptMinutes?: number;
}

/** Why the helpdesk was offered: the patient asked for a person, or the bot could not answer twice in a row. */
export type HandoffReason = 'person-request' | 'repeated-fallbacks';

/** One message of the recent transcript kept for a handoff (text only; never logged). */
export interface TranscriptEntry {
  type: 'message';
  timestamp: string;
  from: { id: string; role: 'user' | 'bot' };
  text: string;
}

export interface HelpdeskState {
  /** Honest fallbacks in a row, up to this turn. */
  fallbacks: StatePropertyAccessor<number | undefined>;
  /** The reason of the helpdesk offer the patient may accept. */
  offer: StatePropertyAccessor<HandoffReason | undefined>;
  /** The pairs answered most recently, oldest first (the handoff summary's topics). */
  recentPairs: StatePropertyAccessor<string[] | undefined>;
  /** The last few messages of the conversation, both ways, oldest first (the handoff transcript). */
  transcript: StatePropertyAccessor<TranscriptEntry[] | undefined>;
}

/** How many pairs the handoff summary names. */
export const RECENT_PAIRS = 5;

/** The pair just answered: the context of a follow-up, and a topic of the handoff summary. */
export async function rememberAnswer(
  context: TurnContext,
  services: BotServices,
  pairId: string,
): Promise<void> {
  await services.lastPair.set(context, pairId);
  const recent = services.helpdeskState?.recentPairs;
  if (!recent) return;
  const before = (await recent.get(context)) ?? [];
  await recent.set(context, [...before.filter((id) => id !== pairId), pairId].slice(-RECENT_PAIRS));
}

/** Renders a reply for the channel of this turn: a card where cards work, plain text elsewhere. */
export function renderFor(context: TurnContext, services: BotServices, reply: Reply): Partial<Activity> {
  const message = render(reply, {
    kb: medicineOf(context, services)?.kb,
    leafletUrl: services.leafletUrl(medicineOf(context, services)),
    several: services.formulary.only === undefined,
    leafletOf: (kb) => services.leafletUrl(services.formulary.ofKb(kb)),
    emergencyNumber: services.emergencyNumber,
    cards: channelSupportsCards(context.activity.channelId),
    shared: isSharedConversation(context.activity),
    helpdesk: services.helpdesk,
    reportingUrl: services.sideEffectReportingUrl,
    stateKeptMinutes: services.stateKeptMinutes,
  });
  // MessageData is a structural subset of Activity; only SuggestedActions' optional `to` differs in typing.
  return message as Partial<Activity>;
}

export async function sendReply(context: TurnContext, services: BotServices, reply: Reply): Promise<void> {
  if (reply.blocks?.length && services.onAnswered) {
    const own = medicineOf(context, services);
    const idOf = (kb: KnowledgeBase | undefined): string =>
      ((kb && services.formulary.ofKb(kb)) ?? own)?.id ?? '?';
    services.onAnswered(reply.blocks.map((b) => `${idOf(b.kb)}/${b.pair.id}`));
  }
  await context.sendActivity(renderFor(context, services, reply));
}

const MESSAGE_TEXT = Symbol('messageText');

/**
 * Records the text the bot works with this turn (the bot strips Teams mentions, and a card button's data
 * stands in for missing text), so the dialogs read it rather than a rewritten incoming activity.
 */
export function setMessageText(context: TurnContext, text: string): void {
  context.turnState.set(MESSAGE_TEXT, text);
}

/** The text of this turn's message: the one the bot recorded, else read from the activity. */
export function messageText(context: TurnContext): string {
  const recorded: unknown = context.turnState.get(MESSAGE_TEXT);
  if (typeof recorded === 'string') return recorded;
  return textOf(context.activity.text, context.activity.value);
}

/** The text of a message, whether typed or sent by a card button ({ text } in the activity's value). */
export function textOf(text: unknown, value: unknown): string {
  if (typeof text === 'string' && text.trim() !== '') return text.trim();
  if (value && typeof value === 'object' && typeof (value as { text?: unknown }).text === 'string') {
    return ((value as { text: string }).text ?? '').trim();
  }
  return '';
}

const RECOGNITION = Symbol('recognition');

/** Keeps what the recogniser read from this turn's message, for every dialog that handles the turn. */
export function setRecognition(context: TurnContext, recognition: Recognition): void {
  context.turnState.set(RECOGNITION, recognition);
}

/** What the recogniser read from this turn's message: read once by the bot, never again by a dialog. */
export function recognitionOf(context: TurnContext): Recognition {
  const recognition = context.turnState.get(RECOGNITION) as Recognition | undefined;
  if (!recognition) throw new Error('no recognition for this turn: the bot recognises each message first');
  return recognition;
}

const MEDICINE = Symbol('medicine');

/** Records the medicine this turn is about (the recogniser's choice), for the dialogs and the renderer. */
export function setMedicine(context: TurnContext, medicine: ServedMedicine | undefined): void {
  context.turnState.set(MEDICINE, medicine);
}

/** The medicine this turn is about: the recogniser's choice, else the only one served. */
export function medicineOf(context: TurnContext, services: BotServices): ServedMedicine | undefined {
  return (context.turnState.get(MEDICINE) as ServedMedicine | undefined) ?? services.formulary.only;
}
