// Building regular expressions out of lists: patterns written as data, or words to match literally.

/** A literal string as a regular-expression source. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * One regular-expression source matching any of the patterns, as a single group, so one pass over the
 * text tries them all. A pattern with a `|` of its own sits in a group of its own, so that it cannot
 * swallow its neighbours; the others stay bare, since V8 matches a plain list of literals faster.
 * An empty list gives an empty group, which matches everywhere.
 */
export function alternation(patterns: readonly string[]): string {
  return `(?:${patterns.map((p) => (p.includes('|') ? `(?:${p})` : p)).join('|')})`;
}
