// Drives the real MedicineBot (real config, knowledge base, matcher, safety gate and dialogs) through
// botbuilder's TestAdapter, one conversation per harness. The matcher is wrapped only to record
// what reached it, so tests can prove a message was (or was not) matched and with which context.
import { MemoryStorage, TestAdapter, ActivityTypes, type Activity } from 'botbuilder';
import { MedicineBot } from '../bots/medicineBot';
import { loadConfig } from '../config';
import { loadMedicine } from '../knowledge/load';
import type { Matcher } from '../knowledge/match/matcher';
import type { Recogniser } from '../dialogs/recogniser';
import { silentLogger } from '../shared/log';
import { ADAPTIVE_CARD } from '../render/renderer';

export interface MatcherCall {
  text: string;
  contextPairId: string | undefined;
}

export interface Harness {
  adapter: TestAdapter;
  /** The bot itself (its recorder, for tests of learning from unanswered questions). */
  bot: MedicineBot;
  /** Every text the matcher was asked about, in order. */
  matcherCalls: MatcherCall[];
  /** Sends a typed message (or an imBack click, which is the same on text channels); returns the replies. */
  say(text: string): Promise<Partial<Activity>[]>;
  /** Sends a card button click as Web Chat does: no text, the button's data as the activity value. */
  submit(value: unknown): Promise<Partial<Activity>[]>;
  send(activity: Partial<Activity>): Promise<Partial<Activity>[]>;
}

export const knowledge = loadMedicine('imnovid');

/**
 * A conversation with the bot. `base` is the matcher the real recogniser consults (the real one by
 * default). `recogniser` replaces the recogniser itself: a stand-in with fixed results
 * (test/dialogs/fixedRecogniser.ts) for tests that must not depend on reading the message; the matcher
 * is then never asked, and `matcherCalls` stays empty.
 */
export function createHarness(
  channelId = 'test',
  env: Record<string, string> = {},
  base: Matcher = knowledge.matcher,
  recogniser?: Recogniser,
): Harness {
  const matcherCalls: MatcherCall[] = [];
  const matcher: Matcher = {
    analyse: (text) => base.analyse(text),
    knows: (text) => base.knows(text),
    thresholds: base.thresholds,
    match: (text, options) => {
      matcherCalls.push({ text, contextPairId: options?.contextPairId });
      return base.match(text, options);
    },
  };
  const bot = new MedicineBot({
    config: loadConfig({ LOG_LEVEL: 'error', ...env }),
    medicines: [{ ...knowledge, matcher }],
    storage: new MemoryStorage(),
    log: silentLogger,
    recogniser,
  });
  const adapter = new TestAdapter((context) => bot.run(context), { channelId });
  const send = async (activity: Partial<Activity>): Promise<Partial<Activity>[]> => {
    await adapter.processActivity({ type: ActivityTypes.Message, ...activity });
    return adapter.activeQueue.splice(0, adapter.activeQueue.length);
  };
  return {
    adapter,
    bot,
    matcherCalls,
    send,
    say: (text) => send({ text }),
    submit: (value) => send({ value }),
  };
}

/** The whole text of plain-text replies, joined. */
export function textOf(replies: Partial<Activity>[]): string {
  return replies.map((r) => r.text ?? '').join('\n\n');
}

/** Titles and values of the suggested actions of the last reply. */
export function buttonsOf(replies: Partial<Activity>[]): { title: string; value: string }[] {
  const last = replies[replies.length - 1];
  return (last?.suggestedActions?.actions ?? []).map((a) => ({
    title: a.title ?? '',
    value: String(a.value),
  }));
}

export type Card = {
  body: Record<string, unknown>[];
  actions?: Record<string, unknown>[];
  fallbackText: string;
};

/** The Adaptive Card of a reply, failing loudly when there is none. */
export function cardOf(reply: Partial<Activity> | undefined): Card {
  const attachment = reply?.attachments?.find((a) => a.contentType === ADAPTIVE_CARD);
  if (!attachment) throw new Error('expected an Adaptive Card attachment');
  return attachment.content as Card;
}

type Element = Record<string, unknown>;

function walk(items: Element[], visit: (item: Element) => void): void {
  for (const item of items) {
    visit(item);
    if (Array.isArray(item.items)) walk(item.items as Element[], visit);
  }
}

/** Undoes the renderer's markdown escapes, so card text compares with the source text. */
const unescape = (text: string): string => text.replace(/\\([^a-zA-Z0-9\s])/g, '$1');

/** Every TextBlock text in a card body, nested containers included, in order. */
export function cardTexts(card: Card): string[] {
  const out: string[] = [];
  walk(card.body, (item) => {
    if (item.type === 'TextBlock') out.push(unescape(String(item.text)));
  });
  return out;
}

/**
 * What a card says as prose: TextBlocks and RichTextBlock runs in order, unescaped, markdown list marks
 * dropped, joined with spaces (issue 14: lists, "Show more" and quotes spread an answer over elements).
 */
export function cardProse(card: Card): string {
  const out: string[] = [];
  // Every element, the card that "Show more" opens included.
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    const item = node as Element;
    if (item.type === 'TextBlock') out.push(unescape(String(item.text)).replace(/^- /gm, ''));
    if (item.type === 'RichTextBlock')
      out.push((item.inlines as Element[]).map((run) => String(run.text)).join(''));
    Object.values(item).forEach(visit);
  };
  visit(card.body);
  return out.join(' ').replace(/\s+/g, ' ');
}

/** Every action of a card, whether in the card's actions or in ActionSets in its body, in order. */
export function cardActions(card: Card): Element[] {
  const out: Element[] = [];
  walk(card.body, (item) => {
    if (item.type === 'ActionSet' && Array.isArray(item.actions)) out.push(...(item.actions as Element[]));
  });
  return [...out, ...(card.actions ?? [])];
}
