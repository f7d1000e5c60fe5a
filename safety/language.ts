// Tells a message clearly written in another language from an English one, so that it gets a short notice
// (this service answers in English; the emergency number; your doctor or pharmacist) instead of an English
// fallback. Short messages are never judged: a general language detector once read "EMA phone number" as
// Estonian. A message is another language's only when several of its own common words (or its own letters)
// are there, clearly more than English ones; a message mostly in a script other than Latin is "another language" too.
import patterns from './patterns.json';
import type { LanguageData } from './languages';

/** Words a message needs before its language is judged. */
const MIN_WORDS = 3;
/** Share of the words that must be the language's own common words. */
const MIN_SHARE = 0.25;

const english = new Set(patterns.detect);

/** Whether a text holds a letter the language writes and English does not ("¿", "ß", "ł"). */
export function lettersOf(language: LanguageData): RegExp {
  return new RegExp(`[${language.letters}]`, 'iu');
}

/** The code of another language ("de"), "other" for an unknown one, or undefined for English or unsure. */
export type LanguageGuess = (text: string, basic: string) => string | undefined;

export function createLanguageGuess(languages: LanguageData[]): LanguageGuess {
  const lists = languages.map((l) => ({
    language: l.language,
    words: new Set(l.detect),
    letters: lettersOf(l),
  }));
  return (text, basic) => {
    // Plain ASCII is Latin script: only other text is counted letter by letter.
    if (/[^ -~\s]/.test(text)) {
      const letters = text.match(/\p{L}/gu)?.length ?? 0;
      const latin = text.match(/\p{Script=Latin}/gu)?.length ?? 0;
      if (letters >= 8 && latin < letters / 2) return 'other';
    }
    const words = basic.split(' ').filter((w) => w !== '');
    if (words.length < MIN_WORDS) return undefined;
    const englishHits = words.filter((w) => english.has(w)).length;
    let best: { language: string; hits: number } | undefined;
    for (const { language, words: own, letters } of lists) {
      // Its own common words, and one more for writing its own letters ("¿", "ß", "ł").
      const hits = words.filter((w) => own.has(w)).length + (letters.test(text) ? 1 : 0);
      if (!best || hits > best.hits) best = { language, hits };
    }
    if (!best || best.hits < 2 || best.hits < MIN_SHARE * words.length || best.hits <= 2 * englishHits)
      return undefined;
    return best.language;
  };
}
