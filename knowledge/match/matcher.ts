// Routes a question to a Q&A pair. fuse.js supplies the fuzziness (typos and near spellings are
// resolved against the knowledge base's own vocabulary, one short token at a time, which keeps
// every pattern far below Bitap's 32-character limit); pairs are then ranked by an IDF-weighted
// overlap of content words with each of their phrasings. Thresholds come from `npm run eval`.
import type { KnowledgeBase, QAPair } from '../types';
import { basicForm, createNormaliser, MEDICINE_TOKEN } from './normalise';
import { createSpeller } from './speller';

export interface Thresholds {
  /** Minimum score for a confident answer. */
  answer: number;
  /** Minimum lead of the best pair over the runner-up for a confident answer. */
  gap: number;
  /** Minimum score for a pair to be offered as a "Did you mean" suggestion. */
  suggest: number;
  /** fuse.js score (0 = exact) under which an unknown word is read as a typo of a known one. */
  typo: number;
}

export const DEFAULT_THRESHOLDS: Thresholds = { answer: 0.5, gap: 0.08, suggest: 0.3, typo: 0.3 };

export interface Candidate {
  pair: QAPair;
  score: number;
  /** The phrasing that matched best. */
  phrasing: string;
}

export type MatchResult =
  | { kind: 'answer'; best: Candidate; alternatives: Candidate[]; tokens: string[] }
  | { kind: 'suggest'; suggestions: Candidate[]; tokens: string[] }
  | { kind: 'none'; alternatives: Candidate[]; tokens: string[] };

export interface MatchOptions {
  /** Pair ids of the previous answer's section: a short follow-up is read in that context. */
  contextPairId?: string;
}

interface Phrasing {
  pair: QAPair;
  text: string;
  tokens: string[];
  weight: number;
}

export interface Matcher {
  match(text: string, options?: MatchOptions): MatchResult;
  /** Content tokens of a text after normalisation and typo correction (for diagnostics). */
  analyse(text: string): string[];
  readonly thresholds: Thresholds;
}

const MAX_QUERY_CHARS = 500;
const MAX_SUGGESTIONS = 3;

export function createMatcher(kb: KnowledgeBase, thresholds: Thresholds = DEFAULT_THRESHOLDS): Matcher {
  const normaliser = createNormaliser(kb.vocabulary);
  const phrasings: Phrasing[] = [];
  for (const pair of kb.pairs) {
    for (const text of [pair.question, ...pair.alternates, ...pair.keywords]) {
      const tokens = [...new Set(normaliser.tokens(basicForm(text)))];
      if (tokens.length > 0) phrasings.push({ pair, text, tokens, weight: 0 });
    }
  }

  // Inverse document frequency over pairs: a word shared by many pairs ("medname", "take") says little.
  const df = new Map<string, number>();
  for (const pair of kb.pairs) {
    const words = new Set(phrasings.filter((p) => p.pair === pair).flatMap((p) => p.tokens));
    for (const w of words) df.set(w, (df.get(w) ?? 0) + 1);
  }
  const n = kb.pairs.length;
  const idf = (t: string): number => Math.log(1 + n / (df.get(t) ?? 0.5));
  const unknownWeight = idf('\u0000');
  for (const p of phrasings) p.weight = p.tokens.reduce((s, t) => s + idf(t), 0);

  // Every word the matcher can resolve to, for typo correction.
  const indexed = new Set(df.keys());
  const speller = createSpeller([...indexed, ...normaliser.knownWords], thresholds.typo);

  const analyse = (text: string): string[] =>
    normaliser.tokens(speller.correctText(basicForm(text.slice(0, MAX_QUERY_CHARS))));

  const rank = (query: string[], contextPairId?: string): Candidate[] => {
    const q = [...new Set(query)];
    const qWeight = q.reduce((s, t) => s + (indexed.has(t) ? idf(t) : unknownWeight), 0);
    const contextSection = contextPairId
      ? kb.pairs.find((p) => p.id === contextPairId)?.sectionKey
      : undefined;
    const best = new Map<string, Candidate>();
    for (const p of phrasings) {
      let shared = 0;
      for (const t of q) if (p.tokens.includes(t)) shared += idf(t);
      if (shared === 0) continue;
      let score = (2 * shared) / (qWeight + p.weight);
      // A short follow-up ("which ones are serious?") leans towards the section just discussed.
      if (contextSection && p.pair.sectionKey === contextSection && p.pair.id !== contextPairId)
        score *= 1.15;
      const prev = best.get(p.pair.id);
      if (!prev || score > prev.score)
        best.set(p.pair.id, { pair: p.pair, score: Math.min(1, score), phrasing: p.text });
    }
    return [...best.values()].sort((a, b) => b.score - a.score);
  };

  const match = (text: string, options: MatchOptions = {}): MatchResult => {
    const tokens = analyse(text);
    // Only the medicine's name (or nothing) is not a question about any one topic.
    const meaningful = tokens.filter((t) => t !== MEDICINE_TOKEN);
    const ranked = meaningful.length === 0 && tokens.length === 0 ? [] : rank(tokens, options.contextPairId);
    const [first, second] = ranked;
    const alternatives = ranked.slice(1, 1 + MAX_SUGGESTIONS);
    if (
      first &&
      first.score >= thresholds.answer &&
      (!second || first.score - second.score >= thresholds.gap)
    ) {
      return { kind: 'answer', best: first, alternatives, tokens };
    }
    const suggestions = ranked.filter((c) => c.score >= thresholds.suggest).slice(0, MAX_SUGGESTIONS);
    if (suggestions.length > 0) return { kind: 'suggest', suggestions, tokens };
    return { kind: 'none', alternatives: ranked.slice(0, MAX_SUGGESTIONS), tokens };
  };

  return { match, analyse, thresholds };
}
