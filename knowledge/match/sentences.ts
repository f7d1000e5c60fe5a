// The second signal: BM25 (MiniSearch) over the source's own sentences. Some questions have no phrasing
// near them but one sentence of the overview answers them ("how many patients were in the main study",
// "does it stop tumours growing blood vessels"); when no pair is a confident match and one sentence
// clearly is, that sentence alone is the answer. Sentences are tokenised exactly as questions are (the
// matcher's normaliser and speller), so both sides meet in the same words.
import MiniSearch from 'minisearch';
import type { KnowledgeBase, QAPair } from '../types';
import { MEDICINE_TOKEN } from './normalise';

/** Minimum number of the question's words found in the sentence: one shared word is a coincidence. */
const MIN_WORDS = 2;

export interface SentenceHit {
  pair: QAPair;
  /** Index of the sentence in `pair.answer`. */
  index: number;
  /** BM25 score. */
  score: number;
  /** Share of the question's weight the sentence holds. */
  coverage: number;
  /** Ratio of its BM25 score to the best sentence of another pair (Infinity when no other pair has one). */
  lead: number;
}

export interface SentenceIndex {
  /** The sentence that best answers a question (its content tokens, with their weights), if any holds two of its words. */
  find(tokens: string[], weight: (token: string) => number): SentenceHit | undefined;
  /**
   * The sentence of one section's pairs that names one of the words (its best BM25 match), for a question
   * about one thing ("does it cause diarrhoea": the risks section's sentence naming diarrhoea).
   */
  naming(words: string[], sectionKey: string): SentenceHit | undefined;
}

interface Doc {
  id: number;
  pairId: string;
  index: number;
  tokens: string[];
}

export function createSentenceIndex(kb: KnowledgeBase, analyse: (text: string) => string[]): SentenceIndex {
  const pairs = new Map(kb.pairs.map((p) => [p.id, p]));
  // Each sentence once, under the first pair that holds it; a span cut from a sentence (marked "…") is a
  // sentence of its own, so a question about one treatment cycle finds its span before the whole sentence.
  const docs: Doc[] = [];
  const seen = new Set<string>();
  for (const pair of kb.pairs)
    pair.answer.forEach((sentence, index) => {
      if (seen.has(sentence)) return;
      seen.add(sentence);
      docs.push({ id: docs.length, pairId: pair.id, index, tokens: analyse(sentence) });
    });
  const search = new MiniSearch<Doc>({
    fields: ['tokens'],
    // The words are already the matcher's tokens: MiniSearch neither splits nor changes them again.
    extractField: (doc, field) =>
      field === 'tokens' ? doc.tokens.join(' ') : String(doc[field as keyof Doc]),
    tokenize: (text) => text.split(' '),
    processTerm: (term) => term || null,
  });
  search.addAll(docs);
  const tokensOf = new Map(docs.map((d) => [d.id, new Set(d.tokens)]));

  /** A question's words, each once, without the medicine's name (every sentence of the overview is about it). */
  const wordsOf = (tokens: string[]): string[] => [...new Set(tokens)].filter((t) => t !== MEDICINE_TOKEN);
  /** The best sentence for the words (of one section, if named): every result, its document and the words it holds. */
  const best = (words: string[], sectionKey?: string) => {
    const results = search.search(words.join(' '), {
      combineWith: 'OR',
      filter: sectionKey
        ? (r) => pairs.get(docs[r.id as number]!.pairId)?.sectionKey === sectionKey
        : undefined,
    });
    const top = results[0];
    if (!top) return undefined;
    const doc = docs[top.id as number]!;
    const held = tokensOf.get(doc.id)!;
    return { results, doc, score: top.score, found: words.filter((t) => held.has(t)) };
  };
  const hit = (doc: Doc, score: number, coverage: number, lead: number): SentenceHit => ({
    pair: pairs.get(doc.pairId)!,
    index: doc.index,
    score,
    coverage,
    lead,
  });

  const find = (tokens: string[], weight: (token: string) => number): SentenceHit | undefined => {
    const words = wordsOf(tokens);
    if (words.length < MIN_WORDS) return undefined;
    const top = best(words);
    if (!top || top.found.length < MIN_WORDS) return undefined;
    const { results, doc, score, found } = top;
    const runnerUp = results.find((r) => docs[r.id as number]!.pairId !== doc.pairId);
    const total = words.reduce((s, t) => s + weight(t), 0);
    const coverage = total > 0 ? found.reduce((s, t) => s + weight(t), 0) / total : 0;
    return hit(doc, score, coverage, runnerUp ? score / runnerUp.score : Infinity);
  };
  const naming = (tokens: string[], sectionKey: string): SentenceHit | undefined => {
    const words = wordsOf(tokens);
    const top = words.length > 0 ? best(words, sectionKey) : undefined;
    if (!top || top.found.length === 0) return undefined;
    return hit(top.doc, top.score, top.found.length / words.length, Infinity);
  };
  return { find, naming };
}
