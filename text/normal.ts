// The basic normal form every part of the bot reads a message in: the matcher, the safety gate and the
// dialogs' recognisers. It lives apart from all of them so that a change made for one is seen by all.

/** Lowercase, strip accents and punctuation, part a number from its unit ("4mg"), collapse whitespace. */
export function basicForm(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/['’`]/g, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .replace(/(\d)([a-z])/g, '$1 $2')
    .trim();
}
