// Routes a question to a Q&A pair. fuse.js supplies the fuzziness (typos and near spellings are
// resolved against the knowledge base's own vocabulary, one short token at a time, which keeps
// every pattern far below Bitap's 32-character limit); pairs are then ranked by an IDF-weighted
// overlap (Dice) of content words with each of their phrasings, with part credit for words found
// in the pair's other phrasings or its answer. A word-for-word phrasing scores 1; a query about a
// topic the overview never covers, or about another medicine alone, is not answered. Thresholds
// were fixed on test/eval/questions.json and dev.json with `npm run eval` (heldout.json was never
// used for tuning).
import type { KnowledgeBase, QAPair } from '../types';
import { createNormaliser, MEDICINE_TOKEN, OFF_TOPIC_TOKEN } from './normalise';
import { basicForm } from '../../text/normal';
import { createSpeller } from './speller';
import { createSentenceIndex, type SentenceHit } from './sentences';
import { alternation } from '../../text/regex';
import lexicon from './lexicon.json';

/** Asks whether the medicine causes something (lexicon.json sideEffectQuestions). */
const sideEffectQuestion = new RegExp(alternation(lexicon.sideEffectQuestions.patterns));
/** The template's section on risks, whose sentences name the side effects. */
const RISKS_SECTION = 'risks';

export interface Thresholds {
  /** Minimum score for a confident answer. */
  answer: number;
  /** Minimum lead of the best pair over the runner-up for a confident answer. */
  gap: number;
  /** Minimum share of the query's weight the best pair must account for to be answered outright. */
  coverage: number;
  /** Minimum score for a pair to be offered as a "Did you mean" suggestion. */
  suggest: number;
  /**
   * Minimum share of the query's weight a pair must account for to be suggested: a pair that shares
   * one word of a question mostly about something else ("EMA phone number") is not what was meant.
   */
  suggestCoverage: number;
  /** fuse.js score (0 = exact) under which an unknown word is read as a typo of a known one. */
  typo: number;
  /** Weight of a query word the knowledge base does not know: it counts against every pair. */
  unknown: number;
  /**
   * Factor applied to each further unknown word's weight: the first unknown word is strong evidence
   * of an uncovered topic, the fifth in a long story about the patient adds little.
   */
  unknownDecay: number;
  /** Share of a word's weight credited when another phrasing of the same pair has it. */
  pairWords: number;
  /** Share of a word's weight credited when only the pair's answer has it. */
  answerWords: number;
  /** Factor on the score of the pair a question refers back to ("how common are they?" after that pair). */
  referBoost: number;
  /** Weight of a word from what the asker said beside the question, relative to the question's own. */
  contextWords: number;
  /**
   * A source sentence answers alone, when no pair comes close, if it holds this share of the question's
   * weight and its BM25 score leads the best sentence of any other pair by this factor.
   */
  sentenceAlone: { coverage: number; lead: number };
  /** A source sentence answers a close call when it belongs to the first suggestion and holds this share. */
  sentenceAgrees: number;
}

export const DEFAULT_THRESHOLDS: Thresholds = {
  answer: 0.6,
  gap: 0.08,
  coverage: 0.45,
  suggest: 0.3,
  suggestCoverage: 0.3,
  typo: 0.25,
  unknown: 4,
  unknownDecay: 0.6,
  pairWords: 0.75,
  answerWords: 0.2,
  referBoost: 1.3,
  contextWords: 1,
  sentenceAlone: { coverage: 0.7, lead: 1.3 },
  sentenceAgrees: 0.5,
};

export interface Candidate {
  pair: QAPair;
  score: number;
  /** The phrasing that matched best. */
  phrasing: string;
  /** Share of the query's weight this pair accounts for (1 for a word-for-word phrasing). */
  coverage: number;
  /** Whether a word other than the medicine's name ties the query to this pair (or it is word for word). */
  topical: boolean;
}

/**
 * `sentence`: with no confident pair, the one source sentence that clearly answers the question (found by
 * BM25 over the sentences), if there is one.
 */
export type MatchResult =
  | { kind: 'answer'; best: Candidate; alternatives: Candidate[]; tokens: string[] }
  | { kind: 'suggest'; suggestions: Candidate[]; tokens: string[]; sentence?: SentenceHit }
  | {
      kind: 'none';
      alternatives: Candidate[];
      tokens: string[];
      otherMedicine?: boolean;
      sentence?: SentenceHit;
    };

export interface MatchOptions {
  /** Pair ids of the previous answer's section: a short follow-up is read in that context. */
  contextPairId?: string;
  /** The question refers back to the previous answer ("how common are they?"): that pair itself is favoured. */
  refersBack?: boolean;
  /**
   * What the asker said beside the question ("I'm a woman who could get pregnant", "I'm on velcade"): its
   * words the knowledge base knows count, at `contextWords` weight; its other words (a condition the
   * overview never mentions) are left out, so a passing mention does not decide what the question asks.
   */
  context?: string;
}

interface Phrasing {
  pair: QAPair;
  text: string;
  /** Normalised whole text, stopwords kept: a query equal to it is this phrasing, word for word. */
  key: string;
  tokens: string[];
  weight: number;
}

export interface Matcher {
  match(text: string, options?: MatchOptions): MatchResult;
  /** Content tokens of a text after normalisation and typo correction (for diagnostics). */
  analyse(text: string): string[];
  /** Whether a text has a word the knowledge base knows, besides the medicine's name ("what should I do" has none). */
  knows(text: string): boolean;
  readonly thresholds: Thresholds;
}

const MAX_QUERY_CHARS = 500;
const MAX_SUGGESTIONS = 3;

export function createMatcher(kb: KnowledgeBase, thresholds: Thresholds = DEFAULT_THRESHOLDS): Matcher {
  const normaliser = createNormaliser(kb.vocabulary, kb.pairs.flatMap((p) => p.answer).join(' '));
  const phrasings: Phrasing[] = [];
  for (const pair of kb.pairs) {
    for (const text of [pair.question, ...pair.alternates, ...pair.keywords]) {
      const basic = basicForm(text);
      const tokens = [...new Set(normaliser.tokens(basic))];
      if (tokens.length > 0) phrasings.push({ pair, text, key: normaliser.phrase(basic), tokens, weight: 0 });
    }
  }
  // A phrasing that is only the medicine's name ("what is <brand>") says nothing by its words:
  // it can match word for word, never by overlap.
  const byOverlap = phrasings.filter((p) => p.tokens.some((t) => t !== MEDICINE_TOKEN));

  // Inverse document frequency over pairs: a word shared by many pairs ("medname", "take") says little.
  const df = new Map<string, number>();
  for (const pair of kb.pairs) {
    const words = new Set(byOverlap.filter((p) => p.pair === pair).flatMap((p) => p.tokens));
    for (const w of words) df.set(w, (df.get(w) ?? 0) + 1);
  }
  const n = kb.pairs.length;
  const idf = (t: string): number => {
    const d = df.get(t);
    return d === undefined ? thresholds.unknown : Math.log(1 + n / d);
  };
  for (const p of phrasings) p.weight = p.tokens.reduce((s, t) => s + idf(t), 0);

  // Words of each pair's phrasings together, and of its verbatim answer: weaker evidence than a
  // single phrasing holding all the query's words, but it tells "how many mg" for the dose from
  // "how many mg" for the capsule strengths.
  const pairWords = new Map<string, Set<string>>();
  const answerWords = new Map<string, Set<string>>();
  for (const pair of kb.pairs) {
    pairWords.set(pair.id, new Set(byOverlap.filter((p) => p.pair === pair).flatMap((p) => p.tokens)));
    answerWords.set(pair.id, new Set(normaliser.tokens(basicForm(pair.answer.join(' ')))));
  }

  // Every word the matcher can resolve to, for typo correction: index tokens, and the phrasings'
  // words as written, so a misspelt plural ("cycels") meets "cycles" rather than only "cycle".
  const indexed = new Set(df.keys());
  const written = new Set(phrasings.flatMap((p) => basicForm(p.text).split(' ')));
  const speller = createSpeller(
    [...indexed, ...written, ...normaliser.knownWords],
    thresholds.typo,
    normaliser.keepWords,
  );

  // Lookups built once, so a query costs in proportion to its own words rather than to the whole index:
  // the phrasings with each normalised whole text, each pair's section, and for each token the positions
  // (in order) of the overlap phrasings that hold it. A phrasing sharing no word with the query scores 0.
  const byKey = new Map<string, Phrasing[]>();
  for (const p of phrasings) {
    if (byKey.has(p.key)) byKey.get(p.key)!.push(p);
    else byKey.set(p.key, [p]);
  }
  const sectionOf = new Map<string, string>();
  for (const pair of kb.pairs) if (!sectionOf.has(pair.id)) sectionOf.set(pair.id, pair.sectionKey);
  const holding = new Map<string, number[]>();
  byOverlap.forEach((p, i) => {
    for (const t of p.tokens) {
      if (holding.has(t)) holding.get(t)!.push(i);
      else holding.set(t, [i]);
    }
  });

  const prepare = (text: string): string => speller.correctText(basicForm(text.slice(0, MAX_QUERY_CHARS)));
  const analyse = (text: string): string[] => normaliser.tokens(prepare(text));

  const sentences = createSentenceIndex(kb, analyse);
  const askingTokens = new Set(lexicon.sideEffectQuestions.askingWords.flatMap((w) => analyse(w)));
  /** "Does it cause diarrhoea?": the thing asked about, when a message asks whether the medicine causes it. */
  const askedAsSideEffect = (text: string, tokens: string[]): string[] => {
    if (!sideEffectQuestion.test(basicForm(text))) return [];
    return tokens.filter((t) => !askingTokens.has(t) && t !== MEDICINE_TOKEN && t !== OFF_TOPIC_TOKEN);
  };
  const tokenWeight = (t: string): number => (df.has(t) ? idf(t) : thresholds.unknown);

  /** Tokens of the asker's context that the knowledge base knows, besides the medicine's name. */
  const knownTokens = (text: string): string[] =>
    analyse(text).filter((t) => df.has(t) && t !== MEDICINE_TOKEN);

  const rank = (query: string[], key: string, options: MatchOptions, context: string[] = []): Candidate[] => {
    const { contextPairId, refersBack } = options;
    const q = [...new Set([...query, ...context])];
    const weight = new Map<string, number>();
    let unknowns = 0;
    for (const t of q)
      weight.set(t, df.has(t) ? idf(t) : thresholds.unknown * thresholds.unknownDecay ** unknowns++);
    for (const t of context) if (!query.includes(t)) weight.set(t, idf(t) * thresholds.contextWords);
    const w = (t: string): number => weight.get(t) ?? 0;
    const qWeight = q.reduce((s, t) => s + w(t), 0);
    const contextSection = contextPairId ? sectionOf.get(contextPairId) : undefined;
    const best = new Map<string, Candidate>();
    const offer = (c: Candidate): void => {
      const prev = best.get(c.pair.id);
      if (!prev || c.score > prev.score) best.set(c.pair.id, c);
    };
    for (const p of byKey.get(key) ?? [])
      offer({ pair: p.pair, score: 1, phrasing: p.text, coverage: 1, topical: true });
    // Only phrasings holding a query word, visited in index order: ties then resolve as a full scan would.
    const holds = new Uint8Array(byOverlap.length);
    for (const t of q) for (const i of holding.get(t) ?? []) holds[i] = 1;
    const qw = q.map(w);
    for (let i = 0; i < byOverlap.length; i++) {
      if (holds[i] === 0) continue;
      const p = byOverlap[i];
      let shared = 0;
      let extra = 0;
      let topical = false;
      const ofPair = pairWords.get(p.pair.id);
      const ofAnswer = answerWords.get(p.pair.id);
      for (let j = 0; j < q.length; j++) {
        const t = q[j];
        if (p.tokens.includes(t)) {
          shared += qw[j];
          topical ||= t !== MEDICINE_TOKEN;
        } else if (ofPair?.has(t)) extra += thresholds.pairWords * qw[j];
        else if (ofAnswer?.has(t)) extra += thresholds.answerWords * qw[j];
      }
      if (shared === 0) continue;
      let score = (2 * (shared + extra)) / (qWeight + p.weight + extra);
      // A short follow-up ("which ones are serious?") leans towards the section just discussed.
      // One that refers back ("how common are they?") asks about the last answer's own topic instead.
      if (refersBack) {
        if (p.pair.id === contextPairId) score *= thresholds.referBoost;
      } else if (contextSection && p.pair.sectionKey === contextSection && p.pair.id !== contextPairId)
        score *= 1.15;
      score = Math.min(1, score);
      // The candidate object is made only when it improves on the pair's best so far (most do not).
      const prev = best.get(p.pair.id);
      if (prev && score <= prev.score) continue;
      const coverage = qWeight > 0 ? (shared + extra) / qWeight : 0;
      best.set(p.pair.id, { pair: p.pair, score, phrasing: p.text, coverage, topical });
    }
    return [...best.values()].sort((a, b) => b.score - a.score);
  };

  const match = (text: string, options: MatchOptions = {}): MatchResult => {
    const phrase = normaliser.phrase(prepare(text));
    const tokens = normaliser.tokensOfPhrase(phrase);
    const context = options.context ? knownTokens(options.context) : [];
    const ranked = tokens.length === 0 ? [] : rank(tokens, phrase, options, context);
    // A topic the overview never covers, or another medicine asked about on its own, is not
    // answered from a pair that shares its other words.
    if (tokens.includes(OFF_TOPIC_TOKEN))
      return { kind: 'none', alternatives: ranked.slice(0, MAX_SUGGESTIONS), tokens };
    if (normaliser.aboutOtherMedicine(phrase))
      return { kind: 'none', alternatives: ranked.slice(0, MAX_SUGGESTIONS), tokens, otherMedicine: true };
    const [first, second] = ranked;
    const alternatives = ranked.slice(1, 1 + MAX_SUGGESTIONS);
    // A curated phrasing asked word for word is answered with its pair, however close another pair
    // comes by overlap; only when two pairs hold the same phrasing does the gap rule decide.
    const exactPairs = new Set((byKey.get(phrase) ?? []).map((p) => p.pair.id));
    const exact = exactPairs.size === 1 && first !== undefined && exactPairs.has(first.pair.id);
    if (
      first &&
      (exact ||
        (first.score >= thresholds.answer &&
          first.coverage >= thresholds.coverage &&
          (!second || first.score - second.score >= thresholds.gap)))
    ) {
      return { kind: 'answer', best: first, alternatives, tokens };
    }
    // A suggestion must be about the question's topic: enough of its words, and more than the
    // medicine's name ("who makes it" is not a near miss of "what is it").
    const suggestions = ranked
      .filter((c) => c.score >= thresholds.suggest && c.coverage >= thresholds.suggestCoverage && c.topical)
      .slice(0, MAX_SUGGESTIONS);
    // The second signal: the best source sentence. Where it agrees with the first suggestion, or where no
    // pair comes close and it clearly leads, that sentence answers.
    // "Does it cause diarrhoea?": the risks section's sentence naming it answers; none names it: not covered.
    const asked = askedAsSideEffect(text, tokens);
    const named = asked.length > 0 ? sentences.naming(asked, RISKS_SECTION) : undefined;
    if (named && named.coverage === 1)
      return { kind: 'none', alternatives: ranked.slice(0, MAX_SUGGESTIONS), tokens, sentence: named };
    const hit = sentences.find([...tokens, ...context], tokenWeight);
    if (suggestions.length > 0) {
      const agrees = hit && hit.pair === suggestions[0]!.pair && hit.coverage >= thresholds.sentenceAgrees;
      return { kind: 'suggest', suggestions, tokens, sentence: agrees ? hit : undefined };
    }
    const alone =
      hit && hit.coverage >= thresholds.sentenceAlone.coverage && hit.lead >= thresholds.sentenceAlone.lead;
    return {
      kind: 'none',
      alternatives: ranked.slice(0, MAX_SUGGESTIONS),
      tokens,
      sentence: alone ? hit : undefined,
    };
  };

  return { match, analyse, knows: (text) => knownTokens(text).length > 0, thresholds };
}
