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

/** Characters that show nothing (zero-width, soft hyphen) or only steer direction: dropped, so "che\u200Bst" reads "chest". */
const INVISIBLE = /[\u00AD\u061C\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;

/**
 * Cyrillic and Greek letters that look like Latin ones. They are read as Latin only inside a word that also
 * has Latin letters ("сhest" with a Cyrillic с), never in a word of their own script: a full confusable
 * skeleton would rewrite plain text too.
 */
const LOOK_ALIKES: Record<string, string> = {
  а: 'a',
  в: 'b',
  е: 'e',
  к: 'k',
  м: 'm',
  н: 'h',
  о: 'o',
  р: 'p',
  с: 'c',
  т: 't',
  у: 'y',
  х: 'x',
  і: 'i',
  ј: 'j',
  ѕ: 's',
  ԁ: 'd',
  һ: 'h',
  ӏ: 'l',
  ԛ: 'q',
  ԝ: 'w',
  ё: 'e',
  ї: 'i',
  А: 'A',
  В: 'B',
  Е: 'E',
  К: 'K',
  М: 'M',
  Н: 'H',
  О: 'O',
  Р: 'P',
  С: 'C',
  Т: 'T',
  У: 'Y',
  Х: 'X',
  І: 'I',
  Ј: 'J',
  Ѕ: 'S',
  α: 'a',
  β: 'b',
  ε: 'e',
  ι: 'i',
  κ: 'k',
  ν: 'v',
  ο: 'o',
  ρ: 'p',
  τ: 't',
  υ: 'u',
  χ: 'x',
  γ: 'y',
  Α: 'A',
  Β: 'B',
  Ε: 'E',
  Ζ: 'Z',
  Η: 'H',
  Ι: 'I',
  Κ: 'K',
  Μ: 'M',
  Ν: 'N',
  Ο: 'O',
  Ρ: 'P',
  Τ: 'T',
  Υ: 'Y',
  Χ: 'X',
};
const lookAlike = new RegExp(`[${Object.keys(LOOK_ALIKES).join('')}]`, 'g');
const otherScript = /[\u0370-\u03ff\u0400-\u052f]/;

/**
 * The text as a reader sees it: compatibility forms folded (NFKC: fullwidth and styled letters, ligatures),
 * invisible characters removed, and look-alike letters inside mixed-script words read as Latin.
 */
export function visibleText(text: string): string {
  if (!beyondAscii.test(text)) return text;
  return text
    .normalize('NFKC')
    .replace(INVISIBLE, '')
    .replace(/[\p{L}\p{M}]+/gu, (word) =>
      otherScript.test(word) && /[A-Za-z]/.test(word)
        ? word.replace(lookAlike, (c) => LOOK_ALIKES[c]!)
        : word,
    );
}

/**
 * Lowercase, strip accents and punctuation, part a number from its unit ("4mg"), collapse whitespace.
 * Letters of other European alphabets (Greek, Cyrillic) are kept as letters; other scripts are dropped.
 */
export function basicForm(text: string): string {
  let t = visibleText(text)
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
