// The matcher's settings for the shared typo corrector: fuse.js first, then a single word one edit away.
// Looser than the safety gate's, since a wrong correction here costs a "Did you mean", not an alarm.
import { createCorrector } from '../../text/corrector';

export interface Speller {
  /** The known word a typo stands for, or the word itself when nothing is close enough. */
  correct(word: string): string;
  /** Corrects every word of a space-separated text. */
  correctText(text: string): string;
}

/**
 * @param words the vocabulary to correct towards (words under three letters are not targets)
 * @param threshold fuse.js score (0 = exact) under which an unknown word is read as a typo
 * @param keep further words left as written but never corrected towards
 */
export function createSpeller(
  words: Iterable<string>,
  threshold: number,
  keep: Iterable<string> = [],
): Speller {
  const correct = createCorrector({
    vocabulary: [...words].filter((w) => w.length >= 3),
    neverCorrect: keep,
    minLength: 5,
    // Only a single candidate one step away is trusted: two would make the correction a guess.
    maxEdits: () => 1,
    ties: 'none',
    fuseThreshold: threshold,
  });
  return { correct, correctText: (text) => text.split(' ').map(correct).join(' ') };
}
