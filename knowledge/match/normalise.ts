// Text normalisation shared by the index and the queries: the same steps on both sides, so
// "swollen ankles", "Imnovid's side-effects" and "pomalidomid" meet the source's own terms.
import lexicon from './lexicon.json';
import type { Vocabulary } from '../types';

/** The token every name of the medicine becomes, so "imnovid", "pomalidomid" and "this drug" match alike. */
export const MEDICINE_TOKEN = 'medname';

const stopwords = new Set(lexicon.stopwords);
const lemmas: Record<string, string> = lexicon.lemmas;

/** Lowercase, strip accents and punctuation, collapse whitespace. */
export function basicForm(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/['’`]/g, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

function stem(token: string): string {
  const lemma = lemmas[token];
  if (lemma) return lemma;
  if (token.length > 4 && token.endsWith('ies')) return `${token.slice(0, -3)}y`;
  if (token.length > 3 && token.endsWith('s') && !/(ss|us|is)$/.test(token)) {
    const singular = token.slice(0, -1);
    return lemmas[singular] ?? singular;
  }
  return token;
}

interface PhraseRule {
  re: RegExp;
  to: string;
}

export interface Normaliser {
  /** Words the normaliser understands before stemming: used to decide what counts as a typo. */
  readonly knownWords: ReadonlySet<string>;
  /** Content tokens of a text, after names, lay phrases, lemmas and stopwords. */
  tokens(basic: string): string[];
}

export function createNormaliser(vocabulary: Vocabulary): Normaliser {
  const rules: PhraseRule[] = [];
  const add = (phrase: string, to: string): void => {
    const form = basicForm(phrase);
    if (form && form !== to) rules.push({ re: new RegExp(`\\b${form}\\b`, 'g'), to });
  };
  for (const name of vocabulary.names) add(name, MEDICINE_TOKEN);
  for (const [term, variants] of Object.entries(vocabulary.synonyms)) {
    for (const v of variants) add(v, basicForm(term));
  }
  // Longest phrases first, so "low red blood cells" wins over "blood".
  rules.sort((a, b) => b.re.source.length - a.re.source.length);

  const knownWords = new Set<string>([...stopwords, MEDICINE_TOKEN, ...Object.keys(lemmas)]);
  for (const name of vocabulary.names)
    basicForm(name)
      .split(' ')
      .forEach((w) => knownWords.add(w));
  for (const [term, variants] of Object.entries(vocabulary.synonyms)) {
    for (const phrase of [term, ...variants])
      basicForm(phrase)
        .split(' ')
        .forEach((w) => knownWords.add(w));
  }

  return {
    knownWords,
    tokens(basic: string): string[] {
      let text = ` ${basic} `;
      for (const rule of rules) text = text.replace(rule.re, ` ${rule.to} `);
      return text
        .split(' ')
        .filter((t) => t.length > 0 && !stopwords.has(t))
        .map(stem)
        .filter((t) => !stopwords.has(t));
    },
  };
}
