// The basic normal form every part of the bot reads a message in: the matcher, the safety gate and the
// dialogs' recognisers. It lives apart from all of them so that a change made for one is seen by all.

/**
 * Latin letters that are letters of their own rather than a base letter with an accent, so NFKD leaves
 * them whole: spelt the way they are usually written in plain ASCII, as accented letters already are.
 */
const LATIN_LETTERS: Record<string, string> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ħ: 'h',
  ı: 'i',
  ŀ: 'l',
  ŋ: 'n',
  ĸ: 'k',
  ſ: 's',
};
const latinLetter = new RegExp(`[${Object.keys(LATIN_LETTERS).join('')}]`, 'g');
const beyondAscii = /[^ -~\s]/;

/**
 * Lowercase, strip accents and punctuation, part a number from its unit ("4mg"), collapse whitespace.
 * Letters of other European alphabets (Greek, Cyrillic) are kept as letters; other scripts are dropped.
 */
export function basicForm(text: string): string {
  let t = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
  // Most messages are plain ASCII: the table is only consulted when there is something to look up.
  if (beyondAscii.test(t)) t = t.replace(latinLetter, (c) => LATIN_LETTERS[c]);
  return (
    t
      .replace(/['’`]/g, '')
      // a-z, digits, and the lower-case Greek and Cyrillic letters (what NFKD leaves of them).
      .replace(/[^a-z0-9\u03b1-\u03c9\u0430-\u045f\u0491]+/g, ' ')
      .replace(/(\d)([^\d ])/g, '$1 $2')
      .trim()
  );
}
