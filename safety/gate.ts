// The safety gate runs before any matching or dialog step: red flags get urgent advice, requests for a
// personal treatment decision get a deferral. Patterns and wording are data (patterns.json); this
// module only prepares the text the same way every time and finds the first hit.
import patterns from './patterns.json';
import { basicForm } from '../text/normal';
import { alternation } from '../text/regex';
import { createCorrector, type Corrector } from '../text/corrector';

export type SafetyKind = 'red-flag' | 'personal-advice';

export interface SafetyHit {
  kind: SafetyKind;
  /** Which rule fired (for logs and tests; never the user's text). */
  category: string;
  /** The reply as written in patterns.json: render() fills in {emergency}, as in every other reply. */
  message: string;
}

export interface SafetyGate {
  check(text: string): SafetyHit | undefined;
}

interface Rule {
  kind: SafetyKind;
  category: string;
  /** All the rule's patterns as one alternation: one pass over the text instead of one per pattern. */
  re: RegExp;
  message: string;
  /** Symptom rules: a general question about the symptom as a side effect is not a red flag. */
  passesInformationQuestions: boolean;
}

/**
 * Typo correction stops after this many words; the regular expressions still read the whole message,
 * so a red flag late in a long message is found (spelt right) and the work per turn stays bounded.
 */
const MAX_CORRECTED_WORDS = 300;
/** Words shorter than this are never corrected: too many real words lie one edit apart. */
const MIN_TYPO_LENGTH = 4;
/** From this length a word may be two edits away from the word meant ("accidently"). */
const TWO_EDIT_LENGTH = 8;

/**
 * Corrects a word to the safety vocabulary when it is a near miss with the same first letter.
 * Stricter than the matcher's speller on purpose: a wrong "correction" here would raise a false alarm,
 * so real words that sit close to the vocabulary are listed in `leaveAlone`.
 */
export function createSafetyCorrector(vocabulary: string[], leaveAlone: string[]): Corrector {
  return createCorrector({
    vocabulary,
    neverCorrect: leaveAlone,
    minLength: MIN_TYPO_LENGTH,
    maxEdits: (length) => (length >= TWO_EDIT_LENGTH ? 2 : 1),
    ties: 'first',
  });
}

export function createSafetyGate(): SafetyGate {
  const compileAll = (list: string[]): RegExp => new RegExp(alternation(list));
  const rules: Rule[] = [
    ...patterns.redFlags.map((r) => ({
      kind: 'red-flag' as const,
      category: r.category,
      re: compileAll(r.patterns),
      message: r.message,
      passesInformationQuestions: r.passesInformationQuestions,
    })),
    {
      kind: 'personal-advice',
      category: patterns.personalAdvice.category,
      re: compileAll(patterns.personalAdvice.patterns),
      message: patterns.personalAdvice.message,
      passesInformationQuestions: false,
    },
  ];
  const infoQuestion = compileAll(patterns.informationQuestions.patterns);
  const happeningNow = compileAll(patterns.informationQuestions.unlessHappeningNow);
  const correct = createSafetyCorrector(patterns.vocabulary, patterns.leaveAlone);

  return {
    check(text: string): SafetyHit | undefined {
      const basic = basicForm(text);
      if (basic === '') return undefined;
      const words = basic.split(' ');
      const corrected = [
        ...words.slice(0, MAX_CORRECTED_WORDS).map(correct),
        ...words.slice(MAX_CORRECTED_WORDS),
      ].join(' ');
      // Both forms are tried: the corrected one catches typos, the plain one guards against a "correction" hiding a hit.
      const forms = corrected === basic ? [basic] : [corrected, basic];
      const matches = (re: RegExp): boolean => forms.some((f) => re.test(f));
      let isInfoQuestion: boolean | undefined;
      for (const rule of rules) {
        if (!matches(rule.re)) continue;
        if (rule.passesInformationQuestions) {
          isInfoQuestion ??= matches(infoQuestion) && !matches(happeningNow);
          if (isInfoQuestion) continue;
        }
        return { kind: rule.kind, category: rule.category, message: rule.message };
      }
      return undefined;
    },
  };
}
