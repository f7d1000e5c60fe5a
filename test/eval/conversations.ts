// Scores the whole recogniser as a patient meets it: each item is a conversation (one message, or a
// message and its follow-up), sent turn by turn with the context the bot keeps (the pair answered last),
// and every part of the last message is scored against its label. Used by `npm run eval` and by
// test/eval.test.ts. The matcher-only scoring (one question, one label) stays in metrics.ts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KnowledgeBase } from '../../knowledge/types';
import type { Recogniser, Recognition, PartResult } from '../../dialogs/recogniser';
import { faqReply } from '../../dialogs/faq';
import { type FlowId } from '../../dialogs/intents';
import { flowData } from '../fixtures/imnovidFlows';
import { stopsTheTurn } from '../../safety/gate';
import { EVAL_DIR, NONE, type Outcome, type Report } from './metrics';

export const SMALL_TALK = 'smalltalk';
const FLOW = 'flow:';

export interface Conversation {
  kind: string;
  /** Sent in order; only the last is scored. */
  turns: string[];
  /** One label per part the last message asks: a pair id, "none", "flow:<id>" or "smalltalk". */
  expect: string[];
}

/** What the bot did with one part of the last message. */
export type PartPrediction =
  | { kind: 'answer'; ids: string[] }
  | { kind: 'suggest'; ids: string[] }
  /** A guided flow begun without an option: it asks, then answers with one of `ids`. */
  | { kind: 'flow'; flow: string; ids: string[] }
  | { kind: 'none' };

export type ConversationPredictor = (turns: string[]) => PartPrediction[];

/** Reads an evaluation set: the older single-question sets ([{q, expect}]) or {items: [...]} with kinds and turns. */
export function loadConversations(file: string, pairIds: ReadonlySet<string>): Conversation[] {
  const raw = JSON.parse(readFileSync(join(EVAL_DIR, file), 'utf8')) as unknown;
  const list: unknown[] = Array.isArray(raw) ? raw : ((raw as { items?: unknown[] }).items ?? []);
  const flows = new Set(Object.keys(flowData).map((f) => `${FLOW}${f}`));
  return list.map((entry, i) => {
    const e = entry as { kind?: string; q?: string; turns?: string[]; expect?: string | string[] };
    const turns = e.turns ?? (typeof e.q === 'string' ? [e.q] : undefined);
    const expect = typeof e.expect === 'string' ? [e.expect] : e.expect;
    if (!turns || turns.length === 0 || turns.some((t) => typeof t !== 'string') || !Array.isArray(expect))
      throw new Error(`${file}[${i}]: expected q or turns, and expect`);
    for (const label of expect)
      if (label !== NONE && label !== SMALL_TALK && !flows.has(label) && !pairIds.has(label))
        throw new Error(`${file}[${i}]: unknown label ${label}`);
    return { kind: e.kind ?? 'single', turns, expect };
  });
}

function flowPairs(flow: FlowId): string[] {
  return [...new Set(flowData[flow].options.flatMap((o) => o.blocks.map((b) => b.pair)))];
}

function predictPart(part: PartResult): PartPrediction {
  switch (part.reason) {
    case 'covered':
      return { kind: 'answer', ids: part.pairs.map((p) => p.id) };
    case 'close-call':
      return { kind: 'suggest', ids: part.suggestions.map((p) => p.id) };
    case 'flow': {
      const flow = part.flow!;
      const option = flowData[flow.id].options.find((o) => o.id === flow.optionId);
      // A flow that already knows the option answers at once, with the option's pairs.
      if (option) return { kind: 'answer', ids: option.blocks.map((b) => b.pair) };
      return { kind: 'flow', flow: `${FLOW}${flow.id}`, ids: flowPairs(flow.id) };
    }
    default:
      return { kind: 'none' };
  }
}

function predict(recognition: Recognition): PartPrediction[] {
  if (recognition.smallTalk) return [{ kind: 'answer', ids: [SMALL_TALK] }];
  const stopped = recognition.safety !== undefined && stopsTheTurn(recognition.safety);
  if (stopped || recognition.command || recognition.parts.length === 0) return [{ kind: 'none' }];
  return recognition.parts.map(predictPart);
}

/**
 * The recogniser in a conversation: each turn is read with the pair the bot answered last (as the bot
 * keeps it: the last FAQ answer, or the first pair of a flow's answer), and the last turn is predicted.
 */
export function recogniserPredictor(recogniser: Recogniser, kb: KnowledgeBase): ConversationPredictor {
  return (turns) => {
    let contextPairId: string | undefined;
    let last: Recognition | undefined;
    for (const text of turns) {
      last = recogniser.recognise(text, { contextPairId });
      const flow = last.parts.length === 1 ? last.parts[0]!.flow : undefined;
      if (flow) {
        const option = flowData[flow.id].options.find((o) => o.id === flow.optionId);
        if (option?.blocks[0]) contextPairId = option.blocks[0].pair;
      } else if (!(last.safety && stopsTheTurn(last.safety)) && !last.command && !last.smallTalk) {
        const answered = faqReply(kb, last.parts, last.dropped).answered;
        if (answered) contextPairId = answered.id;
      }
    }
    return predict(last!);
  };
}

/** One label against the part it was aligned with. */
export function classifyPart(label: string, p: PartPrediction): Outcome {
  if (label === NONE) {
    // Small talk ("hello" in the older sets, labelled none) states nothing medical: as good as the fallback.
    if (p.kind === 'answer' && p.ids.length === 1 && p.ids[0] === SMALL_TALK) return 'fallback';
    return p.kind === 'answer' ? 'wrong' : p.kind === 'none' ? 'fallback' : 'suggested';
  }
  switch (p.kind) {
    case 'answer':
      return p.ids.includes(label) ? 'answered-correct' : 'wrong';
    case 'suggest':
      return p.ids.includes(label) ? 'suggested-correct' : 'fallback';
    case 'flow':
      return p.flow === label ? 'answered-correct' : p.ids.includes(label) ? 'suggested-correct' : 'fallback';
    case 'none':
      return 'fallback';
  }
}

/**
 * Each label's outcome. With as many parts as labels, label i is scored against part i. Otherwise (the
 * message was split differently) a label is right if some part answers it; an answer with none of the
 * expected pairs is wrong for every label left unanswered.
 */
export function classifyLabels(expect: string[], parts: PartPrediction[]): Outcome[] {
  if (parts.length === expect.length) return expect.map((label, i) => classifyPart(label, parts[i]!));
  const strayAnswer = parts.some((p) => p.kind === 'answer' && !p.ids.some((id) => expect.includes(id)));
  return expect.map((label) => {
    const outcomes = parts.map((p) => classifyPart(label, p));
    if (outcomes.includes('answered-correct')) return 'answered-correct';
    if (outcomes.includes('suggested-correct')) return 'suggested-correct';
    if (strayAnswer) return 'wrong';
    return label === NONE && outcomes.includes('suggested') ? 'suggested' : 'fallback';
  });
}

export interface ConversationReport extends Report {
  /** Labels scored (a multi-part message has several). */
  labels: number;
  /** Messages with more than one label, and the share of them with every label right. */
  multiPart: number;
  multiPartAllRight: number;
  /** Per kind: share of its labels right (answered correctly, or the fallback where nothing is covered). */
  byKind: Record<string, { labels: number; right: number }>;
}

const ratio = (a: number, b: number): number => (b === 0 ? 0 : a / b);

export function scoreConversations(
  items: readonly Conversation[],
  predictor: ConversationPredictor,
): ConversationReport {
  const inCount = new Map<Outcome, number>();
  const outCount = new Map<Outcome, number>();
  const failures: Report['failures'] = [];
  const byKind: ConversationReport['byKind'] = {};
  let multiPart = 0;
  let multiPartAllRight = 0;
  let inScope = 0;
  let outOfScope = 0;
  let wrong = 0;
  for (const item of items) {
    const parts = predictor(item.turns);
    const outcomes = classifyLabels(item.expect, parts);
    const right = (o: Outcome, label: string): boolean =>
      o === 'answered-correct' || (label === NONE && o === 'fallback');
    outcomes.forEach((o, i) => {
      const label = item.expect[i]!;
      const count = label === NONE ? outCount : inCount;
      if (label === NONE) outOfScope++;
      else inScope++;
      if (o === 'wrong') wrong++;
      count.set(o, (count.get(o) ?? 0) + 1);
      const k = (byKind[item.kind] ??= { labels: 0, right: 0 });
      k.labels++;
      if (right(o, label)) k.right++;
    });
    const allRight = outcomes.every((o, i) => right(o, item.expect[i]!));
    if (item.expect.length > 1) {
      multiPart++;
      if (allRight) multiPartAllRight++;
    }
    if (!allRight)
      failures.push({ q: item.turns.join(' ⟶ '), expect: item.expect.join(' + '), got: describe(parts) });
  }
  const get = (m: Map<Outcome, number>, o: Outcome): number => m.get(o) ?? 0;
  const labels = inScope + outOfScope;
  return {
    total: items.length,
    labels,
    inScope,
    outOfScope,
    accuracy: ratio(get(inCount, 'answered-correct'), inScope),
    suggestedCorrect: ratio(get(inCount, 'suggested-correct'), inScope),
    inScopeFallback: ratio(get(inCount, 'fallback'), inScope),
    inScopeWrong: ratio(get(inCount, 'wrong'), inScope),
    correctFallback: ratio(get(outCount, 'fallback'), outOfScope),
    outOfScopeSuggested: ratio(get(outCount, 'suggested'), outOfScope),
    wrongRate: ratio(wrong, labels),
    multiPart,
    multiPartAllRight: ratio(multiPartAllRight, multiPart),
    byKind,
    failures,
  };
}

function describe(parts: PartPrediction[]): string {
  return parts
    .map((p) =>
      p.kind === 'answer'
        ? p.ids.join('&')
        : p.kind === 'suggest'
          ? `suggest[${p.ids.join(', ')}]`
          : p.kind === 'flow'
            ? p.flow
            : NONE,
    )
    .join(' + ');
}
