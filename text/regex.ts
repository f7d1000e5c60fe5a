// Building regular expressions out of lists: patterns written as data, or words to match literally.

/** A literal string as a regular-expression source. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * One regular-expression source matching any of the patterns, as a single group. Each pattern sits in a
 * group of its own, so a `|` inside one cannot swallow its neighbours, and one pass over the text tries
 * them all. An empty list gives an empty group, which matches everywhere.
 */
export function alternation(patterns: readonly string[]): string {
  return `(?:${patterns.map((p) => `(?:${p})`).join('|')})`;
}
