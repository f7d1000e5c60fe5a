// Removes personal data from a message before it is recorded (issue 13, learn from unanswered questions),
// as far as patterns can: e-mail addresses, URLs, dates, phone numbers, postcodes, numbers, and names
// introduced by a phrase ("my name is …"). The patterns are data (redaction.json), applied in order.
import redaction from './redaction.json';

interface Rule {
  name: string;
  re: RegExp;
  replacement: string;
}

const rules: Rule[] = redaction.patterns.map((p) => ({
  name: p.name,
  re: new RegExp(p.pattern, p.flags),
  replacement: p.replacement,
}));

/** The redaction patterns' version, recorded with each record so a report can tell which rules applied. */
export const REDACTION_VERSION = redaction.version;

/** Longest text kept in a record: a question, not a story. */
const MAX_CHARS = 500;

/** The message with every pattern's matches replaced by its placeholder ("[email]", "[number]" …). */
export function redact(text: string): string {
  let out = text.normalize('NFKC').replace(/\s+/g, ' ').trim();
  for (const rule of rules) out = out.replace(rule.re, rule.replacement);
  return out.length > MAX_CHARS ? `${out.slice(0, MAX_CHARS)}…` : out;
}
