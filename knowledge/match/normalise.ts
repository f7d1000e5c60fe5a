// Text normalisation shared by the index and the queries: the same steps on both sides, so
// "swollen ankles", "the medicine's side-effects" and a misspelt brand meet the source's own terms.
import lexicon from './lexicon.json';
import type { Vocabulary } from '../types';
import { basicForm } from '../../text/normal';
import { alternation, escapeRegExp } from '../../text/regex';

/** The token every name of the medicine becomes, so its brand, its substance and "this drug" match alike. */
export const MEDICINE_TOKEN = 'medname';

/**
 * The token a topic the overview never covers becomes (missed doses, alcohol, storage, cost...):
 * a question about one is not answered from a pair that merely shares its other words.
 */
export const OFF_TOPIC_TOKEN = 'offtopic';

const stopwords = new Set(lexicon.stopwords);
const lemmas: Record<string, string> = lexicon.lemmas;

const contractions: Record<string, string> = lexicon.contractions;

/** One word's base form: listed lemmas first, then a plain plural rule. */
function stem(token: string): string {
  const lemma = lemmas[token];
  if (lemma) return lemma;
  if (token.length > 4 && token.endsWith('ies')) return `${token.slice(0, -3)}y`;
  if (token.length > 4 && /(sh|ch|x|ss|z)es$/.test(token)) return token.slice(0, -2);
  if (token.length > 3 && token.endsWith('s') && !/(ss|us|is)$/.test(token)) {
    const singular = token.slice(0, -1);
    return lemmas[singular] ?? singular;
  }
  return token;
}

/**
 * Spells out contractions ("whats" → "what is", so it reads like "what is <brand>"), then stems every
 * word except stopwords, which stay as written so stopword phrases still read.
 */
function stemWords(basic: string): string {
  return basic
    .split(' ')
    .filter((w) => w.length > 0)
    .flatMap((w) => (contractions[w] ?? w).split(' '))
    .map((w) => (stopwords.has(w) ? w : stem(w)))
    .join(' ');
}

/**
 * A phrase written with "it" also reads with the medicine's name, and the other way round
 * ("how does it work" ~ "how does <brand> work"), so a lay phrase needs listing only once.
 */
function withNameOrIt(phrase: string): string[] {
  const words = phrase.split(' ');
  const swap = (from: string, to: string): string[] =>
    words.includes(from) ? [words.map((w) => (w === from ? to : w)).join(' ')] : [];
  return [phrase, ...swap('it', MEDICINE_TOKEN), ...swap(MEDICINE_TOKEN, 'it')];
}

/** Phrase → replacement, applied in one left-to-right pass so a replacement is never rewritten. */
interface PhraseRules {
  re: RegExp | null;
  to: Map<string, string>;
}

export interface Normaliser {
  /** Words the normaliser understands before stemming: a typo is corrected towards one of these. */
  readonly knownWords: ReadonlySet<string>;
  /** Words of off-topic phrases: known (never corrected) but never a correction, so a typo cannot become a topic the overview does not cover. */
  readonly offTopicWords: ReadonlySet<string>;
  /** Words the speller leaves as written: off-topic words and real words that only look like typos ("later"). */
  readonly keepWords: ReadonlySet<string>;
  /** Content tokens of a text, after names, lay phrases, lemmas and stopwords. */
  tokens(basic: string): string[];
  /** Content tokens of a text already through `phrase` (the same as `tokens` of the text, without redoing it). */
  tokensOfPhrase(phrase: string): string[];
  /** The whole text after stemming, names and lay phrases, stopwords kept: for exact phrasing matches. */
  phrase(basic: string): string;
  /**
   * Whether a phrase (from `phrase`) asks about another medicine on its own ("what dose of dexamethasone
   * do I take"): it names one, and neither this medicine ("it", a name) nor a linking word ("with",
   * "plus", "only") ties the two together.
   */
  aboutOtherMedicine(phrase: string): boolean;
}

function compile(pairs: Array<[string, string]>): PhraseRules {
  const to = new Map<string, string>();
  // An empty replacement drops the phrase (fillers).
  for (const [from, into] of pairs) if (from.length > 0 && from !== into && !to.has(from)) to.set(from, into);
  // Longest phrases first, so "low red blood cells" wins over "blood" where both start.
  const alternatives = [...to.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp);
  return { re: alternatives.length ? new RegExp(`(?<= )${alternation(alternatives)}(?= )`, 'g') : null, to };
}

function apply(rules: PhraseRules, text: string): string {
  if (!rules.re) return text;
  // Padded so every phrase, first and last included, sits between spaces.
  return ` ${text} `
    .replace(rules.re, (m) => rules.to.get(m) ?? m)
    .replace(/ {2,}/g, ' ')
    .trim();
}

/** lexicon.json's lay words for every medicine: term → variants. */
const laySynonyms = Object.entries(lexicon.laySynonyms).filter(
  (entry): entry is [string, string[]] => !entry[0].startsWith('$') && Array.isArray(entry[1]),
);

/**
 * @param vocabulary the medicine's names and lay words
 * @param sourceText the overview's own text: a topic listed as never covered ("with food") that this
 *   overview does speak of is read as an ordinary topic for this medicine
 */
export function createNormaliser(vocabulary: Vocabulary, sourceText = ''): Normaliser {
  const source = ` ${basicForm(sourceText)} `;
  const liftable = new Set(lexicon.offTopicUnlessInSource.phrases);
  const offTopic = lexicon.offTopic.filter((p) => !(liftable.has(p) && source.includes(` ${basicForm(p)} `)));
  // Names first, so a lay phrase may contain a name ("how does <brand> work").
  const nameRules = compile(vocabulary.names.map((n) => [stemWords(basicForm(n)), MEDICINE_TOKEN]));
  const form = (phrase: string): string => apply(nameRules, stemWords(basicForm(phrase)));
  // Fillers go first, in a pass of their own, so "does it actually work" still reads as "does it work".
  const fillerRules = compile(lexicon.fillers.map((p): [string, string] => [form(p), '']));
  const phraseRules = compile([
    ...offTopic.map((p): [string, string] => [form(p), OFF_TOPIC_TOKEN]),
    // The medicine's own lay vocabulary first: where it maps a variant, the generic one gives way.
    ...[...Object.entries(vocabulary.synonyms), ...laySynonyms].flatMap(([term, variants]) =>
      variants.flatMap((v) => withNameOrIt(form(v)).map((f): [string, string] => [f, form(term)])),
    ),
  ]);

  const knownWords = new Set<string>([
    ...stopwords,
    MEDICINE_TOKEN,
    ...Object.keys(lemmas),
    ...Object.keys(contractions),
  ]);
  const addWords = (phrase: string): void =>
    basicForm(phrase)
      .split(' ')
      .forEach((w) => w && knownWords.add(w));
  vocabulary.names.forEach(addWords);
  for (const [term, variants] of [...Object.entries(vocabulary.synonyms), ...laySynonyms])
    [term, ...variants].forEach(addWords);
  const offTopicWords = new Set(offTopic.flatMap((p) => basicForm(p).split(' ')));
  const keepWords = new Set([...offTopicWords, ...lexicon.keep.map(basicForm)]);

  const others = new Set((vocabulary.otherMedicines ?? []).map(form));
  const links = new Set([MEDICINE_TOKEN, ...lexicon.linkWords]);
  const aboutOtherMedicine = (text: string): boolean => {
    const words = ` ${text} `;
    return [...others].some((o) => words.includes(` ${o} `)) && !text.split(' ').some((w) => links.has(w));
  };

  const phrase = (basic: string): string =>
    apply(phraseRules, apply(fillerRules, apply(nameRules, stemWords(basic))));
  const tokensOfPhrase = (text: string): string[] =>
    text.split(' ').filter((t) => t.length > 0 && !stopwords.has(t));
  return {
    knownWords,
    offTopicWords,
    keepWords,
    phrase,
    aboutOtherMedicine,
    tokens: (basic) => tokensOfPhrase(phrase(basic)),
    tokensOfPhrase,
  };
}
