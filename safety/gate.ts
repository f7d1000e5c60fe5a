// The safety gate runs before any matching or dialog step: red flags get urgent advice, requests for a
// personal treatment decision get a deferral. Patterns and wording are data (patterns.json); this
// module only prepares the text the same way every time and finds the first hit.
import patterns from './patterns.json';
import { basicForm } from '../knowledge/match/normalise';
import { createSpeller } from '../knowledge/match/speller';

export type SafetyKind = 'red-flag' | 'personal-advice';

export interface SafetyHit {
  kind: SafetyKind;
  /** Which rule fired (for logs and tests; never the user's text). */
  category: string;
  /** The reply, with the emergency number filled in. */
  message: string;
}

export interface SafetyGate {
  check(text: string): SafetyHit | undefined;
}

export interface SafetyOptions {
  emergencyNumber: string;
}

interface Rule {
  kind: SafetyKind;
  category: string;
  res: RegExp[];
  message: string;
}

/** Messages longer than this are checked on their first part only, which bounds the work per turn. */
const MAX_CHARS = 2000;
/** Stricter than the matcher's: a wrong "correction" here would raise a false alarm. */
const TYPO_THRESHOLD = 0.25;

export function createSafetyGate(options: SafetyOptions): SafetyGate {
  const fillIn = (message: string): string => message.replace(/\{emergency\}/g, options.emergencyNumber);
  const compile = (kind: SafetyKind, category: string, list: string[], message: string): Rule => ({
    kind,
    category,
    res: list.map((p) => new RegExp(p)),
    message: fillIn(message),
  });
  const rules: Rule[] = [
    ...patterns.redFlags.map((r) => compile('red-flag', r.category, r.patterns, r.message)),
    compile(
      'personal-advice',
      patterns.personalAdvice.category,
      patterns.personalAdvice.patterns,
      patterns.personalAdvice.message,
    ),
  ];
  const speller = createSpeller([...patterns.vocabulary, ...patterns.leaveAlone], TYPO_THRESHOLD);

  return {
    check(text: string): SafetyHit | undefined {
      const basic = basicForm(text.slice(0, MAX_CHARS));
      if (basic === '') return undefined;
      // Both forms are tried: the corrected one catches typos, the plain one guards against a "correction" hiding a hit.
      const forms = [...new Set([speller.correctText(basic), basic])];
      for (const rule of rules) {
        if (rule.res.some((re) => forms.some((f) => re.test(f)))) {
          return { kind: rule.kind, category: rule.category, message: rule.message };
        }
      }
      return undefined;
    },
  };
}
