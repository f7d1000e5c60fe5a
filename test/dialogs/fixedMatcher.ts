// A stand-in for the matcher (same Matcher interface as knowledge/match/matcher.ts) that returns fixed
// results from a table keyed by the message text, so routing tests say what the matcher "found" instead of
// depending on thresholds or on how the real matcher scores the knowledge base. It records every call.
// A message missing from the table is a mistake in the test, so it throws rather than guess.
import type { KnowledgeBase, QAPair } from '../../knowledge/types';
import {
  DEFAULT_THRESHOLDS,
  type Candidate,
  type Matcher,
  type MatchResult,
} from '../../knowledge/match/matcher';
import { MEDICINE_TOKEN, OFF_TOPIC_TOKEN } from '../../knowledge/match/normalise';

/** What the matcher is to find for one message, by pair id. */
export type Found =
  | { kind: 'answer'; pairId: string }
  | { kind: 'suggest'; pairIds: string[] }
  /** Nothing found; `offTopic` as when the message names a topic the overview never covers. */
  | { kind: 'none'; offTopic?: boolean; onlyMedicine?: boolean };

export interface FixedCall {
  text: string;
  contextPairId: string | undefined;
}

export interface FixedMatcher extends Matcher {
  /** Every message the matcher was asked about, in order. */
  readonly calls: FixedCall[];
}

/** Content tokens for a fixed result: what the dialogs read from `tokens` (off-topic, medicine only). */
function tokensFor(found: Found): string[] {
  if (found.kind !== 'none') return ['fixed'];
  if (found.offTopic) return ['fixed', OFF_TOPIC_TOKEN];
  if (found.onlyMedicine) return [MEDICINE_TOKEN];
  return ['fixed'];
}

export function createFixedMatcher(kb: KnowledgeBase, table: Record<string, Found>): FixedMatcher {
  const pair = (id: string): QAPair => {
    const found = kb.pairs.find((p) => p.id === id);
    if (!found) throw new Error(`fixed matcher: no pair ${id} in the knowledge base`);
    return found;
  };
  // Scores are placeholders: the dialogs read the result's kind and pairs, never the numbers.
  const candidate = (id: string): Candidate => ({
    pair: pair(id),
    score: 1,
    phrasing: pair(id).question,
    coverage: 1,
    topical: true,
  });
  const lookUp = (text: string): Found => {
    const found = table[text];
    if (!found) throw new Error(`fixed matcher: no result given for "${text}"`);
    return found;
  };
  const calls: FixedCall[] = [];
  return {
    calls,
    thresholds: DEFAULT_THRESHOLDS,
    analyse: (text) => tokensFor(lookUp(text)),
    match: (text, options): MatchResult => {
      calls.push({ text, contextPairId: options?.contextPairId });
      const found = lookUp(text);
      const tokens = tokensFor(found);
      switch (found.kind) {
        case 'answer':
          return { kind: 'answer', best: candidate(found.pairId), alternatives: [], tokens };
        case 'suggest':
          return { kind: 'suggest', suggestions: found.pairIds.map(candidate), tokens };
        case 'none':
          return { kind: 'none', alternatives: [], tokens };
      }
    },
  };
}
