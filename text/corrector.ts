// Whole-word typo correction against a known vocabulary. The matcher and the safety gate both use it,
// with different settings: the matcher may search with fuse.js first and never guesses between equally
// near words; the safety gate allows two edits in long words and takes the nearest word.
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

export interface CorrectorOptions {
  /** The words a typo may be corrected to. */
  vocabulary: Iterable<string>;
  /** Real words left as written though never corrected to (they only look like typos). */
  neverCorrect?: Iterable<string>;
  /** Shorter words are left as written: too many real words lie an edit apart. */
  minLength: number;
  /** How many edits (Damerau-Levenshtein) away a correction may be, for a word of this length. */
  maxEdits: (length: number) => number;
  /**
   * Several words equally near: `first` takes the earliest in the vocabulary, `none` corrects nothing
   * (any choice would be a guess).
   */
  ties: 'first' | 'none';
  /**
   * Search with fuse.js first and accept a hit of about the word's length scoring at most this
   * (0 = exact); the edit-distance search then runs only when fuse.js finds nothing.
   */
  fuseThreshold?: number;
}

/** The known word a typo stands for, or the word itself when nothing is close enough. */
export type Corrector = (word: string) => string;

// Typos keep the first letter in most cases, and requiring it keeps each search to one small list.
// No cache of corrections: it would keep words of patients' messages in memory after their turn.
export function createCorrector(options: CorrectorOptions): Corrector {
  const { minLength, maxEdits, ties, fuseThreshold } = options;
  const targets = [...new Set(options.vocabulary)];
  const known = new Set([...targets, ...(options.neverCorrect ?? [])]);
  const byLetter = new Map<string, string[]>();
  for (const w of targets) byLetter.set(w[0], [...(byLetter.get(w[0]) ?? []), w]);

  const fuzzy = fuseThreshold === undefined ? undefined : fuseSearch(byLetter, fuseThreshold);

  return (word: string): string => {
    if (word.length < minLength || /\d/.test(word) || known.has(word)) return word;
    const hit = fuzzy?.(word);
    if (hit !== undefined) return hit;
    const max = maxEdits(word.length);
    let best = word;
    let bestDistance = max + 1;
    let tied = false;
    for (const candidate of byLetter.get(word[0]) ?? []) {
      // Only a candidate within `max` edits can win; the letter count bound rules most out cheaply.
      if (Math.abs(candidate.length - word.length) > max || editDistanceAtLeast(word, candidate) > max)
        continue;
      // Damerau-Levenshtein: a swap of neighbours ("pian" for "pain"), the commonest typo, is one edit.
      const d = levenshtein(word, candidate).steps;
      if (d < bestDistance) {
        best = candidate;
        bestDistance = d;
        tied = false;
      } else if (d === bestDistance) tied = true;
    }
    return tied && ties === 'none' ? word : best;
  };
}

/**
 * fuse.js (Bitap) over each first letter's words. Patterns are single words, far below Bitap's
 * 32-character limit. Bitap scores swapped letters ("tierd", "cylce") poorly, which is why the
 * edit-distance search still follows it.
 */
function fuseSearch(
  byLetter: Map<string, string[]>,
  threshold: number,
): (word: string) => string | undefined {
  const indexes = new Map(
    [...byLetter].map(([letter, list]) => [
      letter,
      new Fuse(list, { includeScore: true, threshold, ignoreLocation: true, minMatchCharLength: 3 }),
    ]),
  );
  return (word) => {
    // Bitap matches inside longer words ("store" in "strengths"), so a hit must also be a whole-word
    // near miss: about the same length.
    const slack = Math.max(1, Math.floor(word.length / 6));
    // fuse.js scores a word by the edits to the best-matching part of an item, over the word's length.
    // When no item of about the same length lacks few enough of the word's letters, no hit it returns
    // could be accepted below, so the search is skipped: most words that are not typos end here.
    const mayHit = (byLetter.get(word[0]) ?? []).some(
      (w) => Math.abs(w.length - word.length) <= slack && lettersMissing(word, w) / word.length <= threshold,
    );
    if (!mayHit) return undefined;
    const hit = indexes
      .get(word[0])
      ?.search(word, { limit: 8 })
      .find((h) => Math.abs(h.item.length - word.length) <= slack);
    return hit && (hit.score ?? 1) <= threshold ? hit.item : undefined;
  };
}
