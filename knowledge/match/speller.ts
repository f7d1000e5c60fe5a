// Whole-word typo correction against a known vocabulary, with fuse.js supplying the fuzziness.
// Patterns are single words, far below Bitap's 32-character limit.
import Fuse from 'fuse.js';

export interface Speller {
  /** The known word a typo stands for, or the word itself when nothing is close enough. */
  correct(word: string): string;
  /** Corrects every word of a space-separated text. */
  correctText(text: string): string;
}

/**
 * @param words the vocabulary to correct towards
 * @param threshold fuse.js score (0 = exact) under which an unknown word is read as a typo
 * @param keep further words left as written but never corrected towards
 */
export function createSpeller(
  words: Iterable<string>,
  threshold: number,
  keep: Iterable<string> = [],
): Speller {
  const targets = [...new Set(words)].filter((w) => w.length >= 3);
  const known = new Set([...targets, ...keep]);
  // Bitap matches inside longer words ("store" in "strengths"), so a typo must also be a whole-word
  // near miss: about the same length and, as in most real typos, the same first letter. One index
  // per first letter keeps each search small.
  const byLetter = new Map<string, string[]>();
  for (const w of targets) byLetter.set(w[0], [...(byLetter.get(w[0]) ?? []), w]);
  const indexes = new Map(
    [...byLetter].map(([letter, list]) => [
      letter,
      new Fuse(list, { includeScore: true, threshold, ignoreLocation: true, minMatchCharLength: 3 }),
    ]),
  );
  const correct = (word: string): string => {
    if (word.length < 5 || /\d/.test(word) || known.has(word)) return word;
    const slack = Math.max(1, Math.floor(word.length / 6));
    const hit = indexes
      .get(word[0])
      ?.search(word, { limit: 8 })
      .find((h) => Math.abs(h.item.length - word.length) <= slack);
    return hit && (hit.score ?? 1) <= threshold ? hit.item : word;
  };
  return { correct, correctText: (text) => text.split(' ').map(correct).join(' ') };
}
