// The safety gate runs before any matching or dialog step. It recognises words that call for urgent
// contact (it does not assess, triage or diagnose): an emergency gets the emergency number now, an urgent
// sign gets "contact your doctor or treatment centre immediately", a decision about the patient's own
// treatment is deferred to the prescriber, and a symptom asked about as information is answered as usual
// with one line on the signs that need a call. Patterns and wording are data (patterns.json, and
// languages/ for red flags in other languages); this module prepares the text the same way every time and
// finds the first hit, most urgent first. No medicine is named here: the gate is given the names of the
// medicines served, and a medicine's own wording for a category comes from its folder (safetyMessage).
import patterns from './patterns.json';
import { languages, type LanguageData } from './languages';
import { createLanguageGuess, lettersOf } from './language';
import { basicForm } from '../text/normal';
import { alternation, escapeRegExp } from '../text/regex';
import { createCorrector, type Corrector } from '../text/corrector';

/**
 * emergency / urgent: red flags (call the emergency number now; contact the doctor immediately). defer: a
 * decision about the patient's own treatment. information: a symptom asked about as a possible side effect
 * (the message is answered, with `message` added). notice: a message in another language with no red flag.
 */
export type SafetyLevel = 'emergency' | 'urgent' | 'defer' | 'information' | 'notice';

export interface SafetyHit {
  level: SafetyLevel;
  /** Which rule fired (for logs and tests; never the user's text). */
  category: string;
  /**
   * The generic reply, for no medicine in particular (safetyMessage gives the conversation's medicine's):
   * render() fills in {emergency}, as in every other reply.
   */
  message: string;
  /** The language of the wording (and of the patterns that fired): "en", "de", ... */
  language: string;
  /** A deferral after which the overview's answer may follow ("how many capsules should I take?"). */
  thenAnswer?: boolean;
  /** A notice for a message asking, in its language, to speak to a person: the helpdesk's contacts follow. */
  asksForPerson?: boolean;
}

/** Red flags, notices and most deferrals stop the turn; information only adds a line to the answer. */
export function stopsTheTurn(hit: SafetyHit): boolean {
  return hit.level !== 'information' && hit.thenAnswer !== true;
}

export interface SafetyGateOptions {
  /**
   * The names of every medicine served (brands and active substances, as written in their knowledge
   * bases): what {medicine} in the patterns stands for. Red flags are found whichever medicine is named.
   */
  medicineNames: readonly string[];
}

/** The names the gate looks for, for the medicines served: each one's brand, shown name and active substance. */
export function medicineNamesOf(
  medicines: readonly {
    kb: { medicine: string; activeSubstance: string };
    profile?: { displayName: string };
  }[],
): string[] {
  return medicines.flatMap((m) => [
    m.kb.medicine,
    m.profile?.displayName ?? m.kb.medicine,
    m.kb.activeSubstance,
  ]);
}

export interface SafetyGate {
  check(text: string): SafetyHit | undefined;
  /** Versions of the wording in use, by language (reported by /healthz). */
  readonly versions: Record<string, string>;
}

interface Rule {
  level: 'emergency' | 'urgent' | 'defer';
  category: string;
  language: string;
  /** All the rule's patterns as one alternation: one pass over the text instead of one per pattern. */
  re: RegExp;
  message: string;
  /** Symptom rules: a general question about the symptom as a side effect is not a red flag. */
  passesInformationQuestions: boolean;
  thenAnswer?: boolean;
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

const LEVEL_ORDER = { emergency: 0, urgent: 1, defer: 2 } as const;

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

/** The categories of patterns.json: the keys a medicine's own safety wording may use. */
export const SAFETY_CATEGORIES: readonly string[] = patterns.categories.map((c) => c.category);
/** The languages of the gate's wording besides English: those a medicine's wording may be translated into. */
export const SAFETY_LANGUAGES: readonly string[] = languages.map((l) => l.language);

const MEDICINE_PLACEHOLDER = /\{medicine\}/g;

/** The names as the patterns see them (the normal form), longest first so that no name cuts another short. */
function normalNames(names: readonly string[]): string[] {
  return [...new Set(names.map((n) => basicForm(n)).filter((n) => n !== ''))].sort(
    (a, b) => b.length - a.length,
  );
}

/**
 * {medicine} as a pattern: any of the names. In other languages a name takes endings (an active substance
 * ending in -e in English ends in -a in Spanish, a brand is declined in Polish), so there it is its stem
 * (without a final vowel) followed by any letters. No names: nothing.
 */
function medicinePattern(names: readonly string[], language: string): string {
  if (names.length === 0) return '(?!)';
  const forms = names.map((name) => {
    if (language === 'en') return escapeRegExp(name);
    const stem = name.replace(/[aeiou]$/, '');
    return `${escapeRegExp(stem.length >= 4 ? stem : name)}\\w*`;
  });
  return `(?:${forms.join('|')})`;
}

/** A language's patterns with {medicine} written out, compiled as one alternation. */
function compiler(names: readonly string[]): (list: string[], language?: string) => RegExp {
  const byLanguage = new Map<string, string>();
  return (list, language = 'en') => {
    const medicine = byLanguage.get(language) ?? medicinePattern(names, language);
    byLanguage.set(language, medicine);
    return new RegExp(alternation(list.map((p) => p.replace(MEDICINE_PLACEHOLDER, () => medicine))));
  };
}

/** The version of the safety wording and patterns in use, by language (reported by /healthz). */
export const safetyVersions: Readonly<Record<string, string>> = Object.fromEntries([
  ['en', patterns.version],
  ...languages.map((l) => [l.language, l.version]),
]);

/** Whole words written in a language's patterns ("febbre", "sangue"): signs that a message may be in it. */
/** English words a sign of another language must not be. */
const englishWords = new Set([...patterns.detect, ...patterns.vocabulary]);

/** Each English category by name: other languages take its level from it. */
const categoryByName = new Map(patterns.categories.map((c) => [c.category, c]));

function patternWords(data: LanguageData): string[] {
  // A medicine's name is no sign of any one language.
  return Object.values(data.patterns)
    .flat()
    .flatMap((source) =>
      source
        .replace(MEDICINE_PLACEHOLDER, ' ')
        .replace(/\\[a-zA-Z]/g, ' ')
        .split(/[^a-z]+/),
    )
    .filter((w) => w.length >= 4 && !englishWords.has(w));
}

const languageByCode = new Map(languages.map((l) => [l.language, l]));

/**
 * The generic wording of a hit: its category's (English) or its category's or level's (another language),
 * the information line, or the language notice. Undefined only for a category no data file knows.
 */
function genericWording(hit: Pick<SafetyHit, 'level' | 'category' | 'language'>): string | undefined {
  if (hit.level === 'information') return patterns.information.message.text;
  const data = hit.language === 'en' ? undefined : languageByCode.get(hit.language);
  if (hit.level === 'notice') return data?.notice.text ?? patterns.notice.text;
  if (!data) return categoryByName.get(hit.category)?.message.text;
  return (data.messages[hit.category] ?? data.messages[hit.level])?.text;
}

/**
 * The medicine a safety message is for: its name, and its own wording by category, in English and maybe
 * in other languages of the gate (a medicine's profile, from its medicine.json, is one).
 */
export interface SafetyMedicine {
  displayName: string;
  safety?: Readonly<Record<string, { text: string; translations?: Record<string, { text: string }> }>>;
}

/**
 * Fills in the medicine's name ({Medicine} starts a sentence), or "this medicine" when none is known;
 * {emergency} is left to render(), as in every other reply.
 */
function withMedicine(text: string, name: string | undefined): string {
  return text.replace(
    /\{([Mm])edicine\}/g,
    (_whole, m: string) => name ?? (m === 'M' ? 'This medicine' : 'this medicine'),
  );
}

/**
 * What the patient reads for a hit, for the conversation's medicine: the medicine's own wording for the
 * category when it has one in the hit's language, else the generic wording with the medicine's name.
 * The information line and the language notice are the same for every medicine.
 */
export function safetyMessage(hit: SafetyHit, medicine?: SafetyMedicine): string {
  const own =
    hit.level === 'information' || hit.level === 'notice' ? undefined : medicine?.safety?.[hit.category];
  const text =
    (hit.language === 'en' ? own?.text : own?.translations?.[hit.language]?.text) ?? genericWording(hit);
  return text === undefined ? hit.message : withMedicine(text, medicine?.displayName);
}

/** The rules of one other language: its patterns per category, its wording per category or level. */
function languageRules(data: LanguageData, compile: ReturnType<typeof compiler>): Rule[] {
  return Object.entries(data.patterns).flatMap(([category, list]) => {
    const english = categoryByName.get(category);
    if (!english || english.level === 'defer' || list.length === 0) return [];
    const level = english.level as 'emergency' | 'urgent';
    const message = genericWording({ level, category, language: data.language });
    if (!message) return [];
    return [
      {
        level,
        category,
        language: data.language,
        re: compile(list, data.language),
        message: withMedicine(message, undefined),
        passesInformationQuestions: false,
      },
    ];
  });
}

export function createSafetyGate(options: SafetyGateOptions): SafetyGate {
  const names = normalNames(options.medicineNames);
  const compileAll = compiler(names);
  const english: Rule[] = patterns.categories.map((c) => ({
    level: c.level as Rule['level'],
    category: c.category,
    language: 'en',
    re: compileAll(c.patterns),
    message: withMedicine(c.message.text, undefined),
    passesInformationQuestions: c.passesInformationQuestions,
    thenAnswer: (c as { thenAnswer?: boolean }).thenAnswer,
  }));
  // Most urgent first, whatever the language: an emergency in German wins over a deferral in English.
  const rules = [...english, ...languages.flatMap((l) => languageRules(l, compileAll))].sort(
    (a, b) => LEVEL_ORDER[a.level] - LEVEL_ORDER[b.level],
  );
  const infoQuestion = compileAll(patterns.informationQuestions.patterns);
  const symptom = compileAll(patterns.information.symptoms);
  const asking = compileAll(patterns.information.asking);
  const happeningNow = compileAll(patterns.informationQuestions.unlessHappeningNow);
  // A medicine's name is never "corrected" towards a safety word.
  const nameWords = names.flatMap((n) => n.split(' '));
  const correct = createSafetyCorrector(patterns.vocabulary, [...patterns.leaveAlone, ...nameWords]);
  const guessLanguage = createLanguageGuess(languages);
  const notices = new Map(languages.map((l) => [l.language, l.notice.text]));
  const personRequests = new Map(
    languages
      .filter((l) => (l.person ?? []).length > 0)
      .map((l) => [l.language, compileAll(l.person!, l.language)]),
  );
  // Another language's patterns are read only when the message shows a sign of that language (one of its
  // common words or letters): an English message, however long, is not scanned seven more times.
  const signs = new Map(
    languages.map((l) => [
      l.language,
      { words: new Set([...l.detect, ...patternWords(l)]), letters: lettersOf(l) },
    ]),
  );
  const showsLanguage = (language: string, text: string, words: ReadonlySet<string>): boolean => {
    const sign = signs.get(language)!;
    if (sign.letters.test(text)) return true;
    for (const w of words) if (sign.words.has(w)) return true;
    return false;
  };

  /** A message clearly in another language: the notice in that language when it is one of ours, else in English. */
  const noticeFor = (text: string, basic: string): SafetyHit | undefined => {
    // A request for a person in one of our languages is itself a sign of that language ("vorrei parlare con
    // un farmacista" has too few common words to tell).
    const language = guessLanguage(text, basic) ?? [...personRequests].find(([, re]) => re.test(basic))?.[0];
    if (!language) return undefined;
    const notice = notices.get(language);
    return {
      level: 'notice',
      category: 'other-language',
      message: notice ?? patterns.notice.text,
      language: notice ? language : 'en',
      ...(personRequests.get(language)?.test(basic) ? { asksForPerson: true } : {}),
    };
  };

  return {
    versions: Object.fromEntries([
      ['en', patterns.version],
      ...languages.map((l) => [l.language, l.version]),
    ]),
    check(text: string): SafetyHit | undefined {
      const basic = basicForm(text);
      if (basic === '') return noticeFor(text, basic);
      const words = basic.split(' ');
      const corrected = [
        ...words.slice(0, MAX_CORRECTED_WORDS).map(correct),
        ...words.slice(MAX_CORRECTED_WORDS),
      ].join(' ');
      // Both forms are tried: the corrected one catches typos, the plain one guards against a "correction" hiding a hit.
      const forms = corrected === basic ? [basic] : [corrected, basic];
      const matches = (re: RegExp): boolean => forms.some((f) => re.test(f));
      let isInfoQuestion: boolean | undefined;
      let information: Rule | undefined;
      const wordSet = new Set(words);
      const shown = new Map<string, boolean>();
      const shows = (language: string): boolean => {
        let yes = shown.get(language);
        if (yes === undefined) shown.set(language, (yes = showsLanguage(language, text, wordSet)));
        return yes;
      };
      for (const rule of rules) {
        // Typo correction is towards English words: other languages read the message as written.
        if (rule.language === 'en' ? !matches(rule.re) : !shows(rule.language) || !rule.re.test(basic))
          continue;
        if (rule.passesInformationQuestions) {
          isInfoQuestion ??= matches(infoQuestion) && !matches(happeningNow);
          if (isInfoQuestion) {
            information ??= rule;
            continue;
          }
        }
        return {
          level: rule.level,
          category: rule.category,
          message: rule.message,
          language: rule.language,
          ...(rule.thenAnswer ? { thenAnswer: true } : {}),
        };
      }
      // A question about side effects or a symptom no rule names now ("is fever a side effect?") gets the same line.
      const asksAboutSymptom = matches(asking) && matches(symptom) && !matches(happeningNow);
      if (information ?? asksAboutSymptom)
        return {
          level: 'information',
          category: information?.category ?? 'symptom',
          message: patterns.information.message.text,
          language: 'en',
        };
      return noticeFor(text, basic);
    },
  };
}
