// Scoring for the matcher evaluation: one predictor (ours or a baseline) over a question set.
// Shared by `npm run eval` (test/eval/run.ts) and the floors in test/eval.test.ts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Matcher } from '../../knowledge/match/matcher';

export const NONE = 'none';

export interface EvalItem {
  q: string;
  /** The pair whose verbatim answer answers q, or "none" when the overview does not. */
  expect: string;
}

/** What a system did with one question. A suggestion is never an answer. */
export type Prediction =
  { kind: 'answer'; id: string } | { kind: 'suggest'; ids: string[] } | { kind: 'none' };

export type Predictor = (q: string) => Prediction;

/**
 * In scope (expect is a pair id):
 *   answered-correct  confident answer with the expected pair
 *   suggested-correct "Did you mean" with the expected pair among the (at most 3) suggestions
 *   fallback          no answer: "none", or suggestions without the expected pair
 *   wrong             confident answer with another pair
 * Out of scope (expect is "none"):
 *   fallback          "none": the honest fallback, which is what the patient should get
 *   suggested         "Did you mean" suggestions: not wrong (nothing is asserted), but not the fallback
 *   wrong             any confident answer
 */
export type Outcome = 'answered-correct' | 'suggested-correct' | 'suggested' | 'fallback' | 'wrong';

export function classify(item: EvalItem, p: Prediction): Outcome {
  if (item.expect === NONE)
    return p.kind === 'answer' ? 'wrong' : p.kind === 'suggest' ? 'suggested' : 'fallback';
  if (p.kind === 'answer') return p.id === item.expect ? 'answered-correct' : 'wrong';
  if (p.kind === 'suggest' && p.ids.slice(0, 3).includes(item.expect)) return 'suggested-correct';
  return 'fallback';
}

export interface Failure {
  q: string;
  expect: string;
  got: string;
}

export interface Report {
  total: number;
  inScope: number;
  outOfScope: number;
  /** In scope: share answered with the right pair (top-1 accuracy). */
  accuracy: number;
  /** In scope: share where the right pair was among the suggestions. */
  suggestedCorrect: number;
  /** In scope: share given no answer and no right suggestion. */
  inScopeFallback: number;
  /** In scope: share answered with the wrong pair. */
  inScopeWrong: number;
  /** Out of scope: share given the honest fallback. */
  correctFallback: number;
  /** Out of scope: share given "Did you mean" suggestions instead of the fallback. */
  outOfScopeSuggested: number;
  /** Confident answers with the wrong pair (in scope) or any answer (out of scope), over all questions. */
  wrongRate: number;
  failures: Failure[];
}

const ratio = (a: number, b: number): number => (b === 0 ? 0 : a / b);

function describe(p: Prediction): string {
  if (p.kind === 'answer') return p.id;
  if (p.kind === 'suggest') return `suggest[${p.ids.join(', ')}]`;
  return NONE;
}

export function score(items: readonly EvalItem[], predict: Predictor): Report {
  const count = { in: new Map<Outcome, number>(), out: new Map<Outcome, number>() };
  const failures: Failure[] = [];
  for (const item of items) {
    const p = predict(item.q);
    const outcome = classify(item, p);
    const bucket = item.expect === NONE ? count.out : count.in;
    bucket.set(outcome, (bucket.get(outcome) ?? 0) + 1);
    if (outcome !== 'answered-correct' && !(item.expect === NONE && outcome === 'fallback'))
      failures.push({ q: item.q, expect: item.expect, got: describe(p) });
  }
  const inScope = items.filter((i) => i.expect !== NONE).length;
  const outOfScope = items.length - inScope;
  const get = (m: Map<Outcome, number>, o: Outcome): number => m.get(o) ?? 0;
  return {
    total: items.length,
    inScope,
    outOfScope,
    accuracy: ratio(get(count.in, 'answered-correct'), inScope),
    suggestedCorrect: ratio(get(count.in, 'suggested-correct'), inScope),
    inScopeFallback: ratio(get(count.in, 'fallback'), inScope),
    inScopeWrong: ratio(get(count.in, 'wrong'), inScope),
    correctFallback: ratio(get(count.out, 'fallback'), outOfScope),
    outOfScopeSuggested: ratio(get(count.out, 'suggested'), outOfScope),
    wrongRate: ratio(get(count.in, 'wrong') + get(count.out, 'wrong'), items.length),
    failures,
  };
}

/** Our matcher as a predictor. */
export function matcherPredictor(matcher: Matcher): Predictor {
  return (q) => {
    const r = matcher.match(q);
    if (r.kind === 'answer') return { kind: 'answer', id: r.best.pair.id };
    if (r.kind === 'suggest') return { kind: 'suggest', ids: r.suggestions.map((c) => c.pair.id) };
    return { kind: 'none' };
  };
}

export const EVAL_DIR = __dirname;

/** Reads a question set and checks its shape and that every expected id exists. */
export function loadQuestions(file: string, pairIds: ReadonlySet<string>): EvalItem[] {
  const raw: unknown = JSON.parse(readFileSync(join(EVAL_DIR, file), 'utf8'));
  if (!Array.isArray(raw)) throw new Error(`${file}: expected an array`);
  return raw.map((entry: unknown, i) => {
    const e = entry as Partial<EvalItem>;
    if (typeof e.q !== 'string' || typeof e.expect !== 'string')
      throw new Error(`${file}[${i}]: expected {"q": string, "expect": string}`);
    if (e.expect !== NONE && !pairIds.has(e.expect))
      throw new Error(`${file}[${i}]: unknown pair id ${e.expect}`);
    return { q: e.q, expect: e.expect };
  });
}

/** Latency summary in milliseconds. */
export function percentile(sortedMs: readonly number[], p: number): number {
  if (sortedMs.length === 0) return 0;
  const i = Math.min(sortedMs.length - 1, Math.ceil((p / 100) * sortedMs.length) - 1);
  return sortedMs[Math.max(0, i)];
}
