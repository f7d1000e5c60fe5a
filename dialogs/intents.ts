// Recognises what a message asks the bot to do, from the patterns in intents.json and flows.json.
// Pure functions over text, so they are tested directly; choices by position or title are read by
// botbuilder-dialogs' recognizeChoices (a pure function too), under the project's own rules.
import { recognizeChoices } from 'botbuilder-dialogs';
import { basicForm } from '../text/normal';
import { alternation } from '../text/regex';
import intents from './intents.json';
import flows from './flows.json';
import type { CuratedFlow, CuratedFlowOption, KnowledgeBase } from '../knowledge/types';

export type Command = 'help' | 'cancel' | 'menu' | 'none' | 'handoff' | 'forget' | 'topics';
export type SmallTalk = 'greeting' | 'thanks' | 'bye' | 'whoami' | 'decline';
export type FlowId = 'howToTake' | 'risk';

const whole = (patterns: string[]): RegExp => new RegExp(`^${alternation(patterns)}$`);
const anywhere = (patterns: string[]): RegExp => new RegExp(alternation(patterns));

const commandRes = Object.entries(intents.commands).map(([k, v]) => [k as Command, whole(v)] as const);
const smallTalkRes = Object.entries(intents.smalltalk).map(([k, v]) => [k as SmallTalk, whole(v)] as const);
const flowRes = Object.entries(intents.flows).map(([k, v]) => [k as FlowId, anywhere(v)] as const);

// Politeness around a command ("ok cancel please") should not hide it.
function stripPoliteness(text: string): string {
  return text
    .replace(/^(ok|okay|please|oh|um|er|so)\s+/, '')
    .replace(/\s+(please|now|then|thanks|thank you)$/, '');
}

// Each recogniser takes the message and, optionally, its basic form when the caller already has it
// (the router asks several in a row about one message).

export function recogniseCommand(text: string, basic = basicForm(text)): Command | undefined {
  const t = stripPoliteness(basic);
  return commandRes.find(([, re]) => re.test(t))?.[0];
}

export function recogniseSmallTalk(text: string, basic = basicForm(text)): SmallTalk | undefined {
  // The whole message first: "many thanks" is small talk before "thanks" is stripped from it.
  const t = stripPoliteness(basic);
  return smallTalkRes.find(([, re]) => re.test(basic) || re.test(t))?.[0];
}

export function recogniseFlow(text: string, basic = basicForm(text)): FlowId | undefined {
  const t = basic;
  return flowRes.find(([, re]) => re.test(t))?.[0];
}

const personRe = whole(intents.person.patterns);
const reportSideEffectRe = anywhere(intents.reportSideEffect.patterns);

/**
 * Asks for a person ("can I speak to someone", "real person please", "call me back"): the whole message,
 * so a question that only mentions a pharmacist is not one.
 */
export function asksForPerson(text: string, basic = basicForm(text)): boolean {
  return personRe.test(basic) || personRe.test(stripPoliteness(basic));
}

/** Asks how or where to report a side effect ("where do I report a reaction?"), not what is reported. */
export function asksToReportSideEffect(text: string, basic = basicForm(text)): boolean {
  return reportSideEffectRe.test(basic);
}

// One reading of "is this a question", shared with the splitting of a message into its questions.
export { isQuestion } from '../knowledge/match/message';

const bareChoiceRe = whole(intents.bareChoice.patterns);
const notCoveredRe = anywhere(intents.notCovered.patterns);

const onlyNameWords = new Set(intents.onlyNames.words.filter((w) => !w.includes(' ')));

/**
 * Whether a message only names a medicine ("Zentravo", "what about it?" once names are read as "it"): it
 * asks nothing of its own, so it chooses or switches the medicine.
 */
export function onlyNamesMedicine(neutral: string, basic = basicForm(neutral)): boolean {
  return basic.split(' ').every((w) => w === '' || onlyNameWords.has(w));
}

/** A lone number or letter ("2", "b"): a pick from a list, meaningless when no list is waiting for one. */
export function isBareChoice(text: string, basic = basicForm(text)): boolean {
  return bareChoiceRe.test(basic);
}

/** A question the overview never covers though its words match a pair (dispensing quantities, pack sizes). */
export function isNotCovered(text: string, basic = basicForm(text)): boolean {
  return notCoveredRe.test(basic);
}

const clarifyRe = whole(intents.clarify);

/** Whether a message asks about the flow's own question ("what are the options?"): the flow asks again. */
export function asksToClarify(text: string): boolean {
  return clarifyRe.test(stripPoliteness(basicForm(text)));
}

export interface FlowOption extends CuratedFlowOption {
  /**
   * Offered for a medicine only when its first block's answer mentions this (a regular expression over the
   * answer's normal form): no "Blood clots" choice for a medicine whose overview names none.
   */
  mentions?: string;
}

export interface FlowData {
  /** The flow's dialog id; dialog state names it, so it outlives a deployment. */
  dialogId: string;
  prompt: string;
  retry: string;
  giveUp: string;
  /** Opens every answer of the flow (before the option's own intro). */
  verdict?: string;
  /** An answer that matches several options: take the first listed, or ask again. */
  whenAmbiguous: 'first' | 'ask';
  /** Names (regular expressions) whose negation (`negation` in flows.json) is marked before reading an answer. */
  negatable?: Record<string, string>;
  options: FlowOption[];
  /** With no options to offer, the flow answers at once with every pair of this section, after this intro. */
  direct?: { intro: string; section: string };
  followUps: { title: string; value: string }[];
}

const asFlow = (flow: Omit<FlowData, 'whenAmbiguous'> & { whenAmbiguous: string }): FlowData => {
  if (flow.whenAmbiguous !== 'first' && flow.whenAmbiguous !== 'ask') {
    throw new Error(`flows.json: whenAmbiguous must be "first" or "ask", not "${flow.whenAmbiguous}"`);
  }
  return flow as FlowData;
};

/**
 * The flows as flows.json defines them for every medicine: the wording, the dialog ids and the risk
 * choices. A medicine's own flows (flowsFor) add its schedules and keep only the choices it can answer.
 */
export const baseFlows: Record<FlowId, FlowData> = {
  howToTake: asFlow({ ...flows.howToTake, options: [] }),
  risk: asFlow(flows.risk),
};
export const flowIds = Object.keys(baseFlows) as FlowId[];

/** Whether a medicine can answer an option: its first block's pair exists and says what the option is about. */
function answers(kb: KnowledgeBase, option: FlowOption): boolean {
  const first = kb.pairs.find((p) => p.id === option.blocks[0]?.pair);
  if (!first) return false;
  return option.mentions === undefined || new RegExp(option.mentions).test(basicForm(first.answer.join(' ')));
}

/** An option with only the blocks the medicine has. */
const withBlocksOf = (kb: KnowledgeBase, option: FlowOption): FlowOption => ({
  ...option,
  blocks: option.blocks.filter((b) => kb.pairs.some((p) => p.id === b.pair)),
});

/** A medicine's flows: its curated schedules for "how do I take it", and the risk choices it can answer. */
export function flowsFor(kb: KnowledgeBase, howToTake?: CuratedFlow): Record<FlowId, FlowData> {
  const choices = (options: FlowOption[]): FlowOption[] =>
    options.filter((o) => answers(kb, o)).map((o) => withBlocksOf(kb, o));
  return {
    howToTake: asFlow({
      ...baseFlows.howToTake,
      whenAmbiguous: howToTake?.whenAmbiguous ?? baseFlows.howToTake.whenAmbiguous,
      negatable: howToTake?.negatable,
      options: choices(howToTake?.options ?? []),
    }),
    risk: { ...baseFlows.risk, options: choices(baseFlows.risk.options) },
  };
}
export const maxAttempts: number = flows.maxAttempts;

/** How every flow's answers are read: negation cues, and the words that may come with a pick by position. */
export interface ReadingRules {
  negation: { before: string; after: string; window: number; marker: string };
  picks: { filler: string[]; maxWords: number };
}

interface CompiledOption {
  option: FlowOption;
  re: RegExp;
  decisive?: RegExp;
}

const lastWords = (text: string, n: number): string => text.trim().split(' ').slice(-n).join(' ');
const firstWords = (text: string, n: number): string => text.trim().split(' ').slice(0, n).join(' ');

/** Reads answers to one flow's question. Built from data, so a test can read a reordered copy of a flow. */
export class FlowReader {
  private readonly options: CompiledOption[];
  /** One regular expression per negatable name, global (for matchAll), with the name's key. */
  private readonly names: { key: string; re: RegExp }[];
  /** Any of the negatable names, negated or not. */
  private readonly anyName?: RegExp;
  private readonly negationBefore: RegExp;
  private readonly negationAfter: RegExp;
  private readonly filler: Set<string>;

  constructor(
    readonly flow: FlowData,
    private readonly rules: ReadingRules = flows,
  ) {
    this.options = flow.options.map((option) => ({
      option,
      re: anywhere(option.patterns),
      decisive: option.decisive ? anywhere(option.decisive) : undefined,
    }));
    this.names = Object.entries(flow.negatable ?? {}).map(([key, p]) => ({
      key,
      re: new RegExp(`\\b(?:${p})\\b`, 'g'),
    }));
    this.anyName = flow.negatable
      ? anywhere(Object.values(flow.negatable).map((p) => `\\b(?:${p})\\b`))
      : undefined;
    this.negationBefore = new RegExp(rules.negation.before);
    this.negationAfter = new RegExp(rules.negation.after);
    this.filler = new Set(rules.picks.filler);
  }

  /**
   * Replaces each negated medicine name with its marked form ("not on bortezomib" → "not on no_bortezomib"),
   * clause by clause, so an option's patterns see only the medicines the patient says they take.
   */
  markNegations(text: string): string {
    const { names } = this;
    const { window, marker } = this.rules.negation;
    // Punctuation ends a clause ("only dexamethasone, bortezomib was stopped"): read it before basicForm removes it.
    const clauses = text
      .split(/[,.;:!?()\n]+|\s[-–—]\s/)
      .map(basicForm)
      .filter((c) => c !== '');
    return clauses
      .map((clause) => {
        const found = names
          .flatMap(({ key, re }) =>
            [...clause.matchAll(re)].map((m) => ({ key, start: m.index, end: m.index + m[0].length })),
          )
          .sort((a, b) => a.start - b.start);
        let out = '';
        let at = 0;
        found.forEach((name, i) => {
          // A cue reaches only as far as the neighbouring medicine name.
          const before = lastWords(clause.slice(found[i - 1]?.end ?? 0, name.start), window);
          const after = firstWords(clause.slice(name.end, found[i + 1]?.start ?? clause.length), window);
          const negated = this.negationBefore.test(before) || this.negationAfter.test(after);
          out +=
            clause.slice(at, name.start) +
            (negated ? `${marker}${name.key}` : clause.slice(name.start, name.end));
          at = name.end;
        });
        return out + clause.slice(at);
      })
      .join(' ');
  }

  /**
   * The options a message picks by position or by title, read by botbuilder-dialogs' recognizeChoices:
   * numbers ("2", "two"), ordinals ("the second one", "2nd"), titles, and letters ("b"), given to it as
   * synonyms from each option's position since it has no letters of its own. Whatever the options' order,
   * a position means the option shown there. A pick counts only when the rest of the message is filler
   * ("the", "one", "option"...), and the message is short: "no one told me" or "my 2 children" pick nothing.
   */
  picks(text: string): FlowOption[] {
    // A pick is a short message, and the recogniser's cost grows with the text: a long one is not read.
    if (basicForm(text).split(' ').length > this.rules.picks.maxWords) return [];
    const choices = this.flow.options.map((o, i) => ({ value: o.title, synonyms: [letterFor(i)] }));
    // The raw text: the normal form would split "2nd" into "2 nd".
    const found = recognizeChoices(text, choices);
    if (found.length === 0) return [];
    let rest = '';
    let at = 0;
    for (const f of found) {
      rest += `${text.slice(at, f.start)} `;
      at = f.end + 1;
    }
    rest += text.slice(at);
    const others = basicForm(rest)
      .split(' ')
      .filter((w) => w !== '');
    if (others.some((w) => !this.filler.has(w))) return [];
    const indexes = [...new Set(found.map((f) => f.resolution.index))];
    return indexes.map((i) => this.flow.options[i]!);
  }

  /**
   * Which option a free-text answer (or a clicked title) names, if any. The flow's own patterns come
   * first: negated medicine names do not count; of several matching options a hedge wins, then a
   * decisive match; otherwise `whenAmbiguous` decides between the first listed and none (ask again).
   * Only when no pattern matches is a pick by position or title read, and it must name one option.
   */
  option(text: string): FlowOption | undefined {
    const t = basicForm(text);
    const byTitle = this.flow.options.find((o) => basicForm(o.title) === t);
    if (byTitle) return byTitle;
    const marked = this.markNegations(text);
    const matching = this.options.filter((o) => o.re.test(marked) || o.decisive?.test(marked));
    if (matching.length === 0) {
      const picked = this.picks(text);
      return picked.length === 1 ? picked[0] : undefined;
    }
    if (matching.length === 1) return matching[0]!.option;
    const hedges = matching.filter((o) => o.option.hedge);
    if (hedges.length === 1) return hedges[0]!.option;
    const decisive = matching.filter((o) => o.decisive?.test(marked));
    if (decisive.length === 1) return decisive[0]!.option;
    return this.flow.whenAmbiguous === 'first' ? matching[0]!.option : undefined;
  }

  /**
   * Whether a message is an attempt to answer the flow's question: it names an option, or several (an
   * ambiguous answer, asked again), by pattern or by position, or one of the flow's medicine names.
   * Anything else may be meant for something else.
   */
  attempts(text: string): boolean {
    if (this.option(text) !== undefined) return true;
    const marked = this.markNegations(text);
    return (
      this.options.some((o) => o.re.test(marked) || o.decisive?.test(marked)) ||
      this.picks(text).length > 0 ||
      (this.anyName?.test(basicForm(text)) ?? false)
    );
  }
}

const letterFor = (i: number): string => String.fromCharCode('a'.charCodeAt(0) + i);
