// Whole-word typo correction against a known vocabulary, with fuse.js supplying the fuzziness.
// Patterns are single words, far below Bitap's 32-character limit. Bitap scores swapped letters
// ("tierd", "cylce") poorly, so a word fuse.js leaves alone is also tried against words one
// Damerau-Levenshtein step away (a swap, a missing, extra or wrong letter).
import levenshtein from 'damerau-levenshtein';
import Fuse from 'fuse.js';

/** Letter counts of two words compared: a scratch table, reused so that a check allocates nothing. */
const letterCounts = new Int32Array(128);

/**
 * A lower bound of the edit distance (insertions, deletions, substitutions, swaps of neighbours) between
 * two words, from their letters alone: an edit changes the count of at most two letters by one each, so
 * the distance is at least half the total difference. It costs one pass over both words where the real
 * distance fills a matrix, and rules most candidates out. 0 (no bound) for characters beyond ASCII.
 */
export function editDistanceAtLeast(a: string, b: string): number {
  let ascii = true;
  for (let i = 0; i < a.length; i++) {
    const c = a.charCodeAt(i);
    if (c >= 128) ascii = false;
    else letterCounts[c]++;
  }
  for (let i = 0; i < b.length; i++) {
    const c = b.charCodeAt(i);
    if (c >= 128) ascii = false;
    else letterCounts[c]--;
  }
  let difference = 0;
  for (let i = 0; i < a.length; i++) {
    const c = a.charCodeAt(i);
    if (c < 128) {
      difference += Math.abs(letterCounts[c]);
      letterCounts[c] = 0;
    }
  }
  for (let i = 0; i < b.length; i++) {
    const c = b.charCodeAt(i);
    if (c < 128) {
      difference += Math.abs(letterCounts[c]);
      letterCounts[c] = 0;
    }
  }
  return ascii ? Math.max(Math.abs(a.length - b.length), Math.ceil(difference / 2)) : 0;
}

/**
 * How many of the pattern's letters (counted with repeats) the text lacks: a lower bound of the edits
 * between the pattern and any part of the text, since each edit supplies at most one missing letter.
 * 0 (no bound) for characters beyond ASCII.
 */
export function lettersMissing(pattern: string, text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 128) letterCounts[c]--;
  }
  let missing = 0;
  let ascii = true;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern.charCodeAt(i);
    if (c >= 128) ascii = false;
    else if (++letterCounts[c] > 0) missing++;
  }
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 128) letterCounts[c] = 0;
  }
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern.charCodeAt(i);
    if (c < 128) letterCounts[c] = 0;
  }
  return ascii ? missing : 0;
}

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
    // fuse.js scores a word by the edits to the best-matching part of an item, over the word's length.
    // When no item of about the same length lacks few enough of the word's letters, no hit it returns
    // could be accepted below, so the search is skipped: most words that are not typos end here.
    const mayHit = (byLetter.get(word[0]) ?? []).some(
      (w) => Math.abs(w.length - word.length) <= slack && lettersMissing(word, w) / word.length <= threshold,
    );
    const hit = mayHit
      ? indexes
          .get(word[0])
          ?.search(word, { limit: 8 })
          .find((h) => Math.abs(h.item.length - word.length) <= slack)
      : undefined;
    if (hit && (hit.score ?? 1) <= threshold) return hit.item;
    // Only a single candidate one step away is trusted: two would make the correction a guess.
    const near = (byLetter.get(word[0]) ?? []).filter(
      (w) =>
        Math.abs(w.length - word.length) <= 1 &&
        editDistanceAtLeast(word, w) <= 1 &&
        levenshtein(word, w).steps === 1,
    );
    return near.length === 1 ? near[0] : word;
  };
  return { correct, correctText: (text) => text.split(' ').map(correct).join(' ') };
}
