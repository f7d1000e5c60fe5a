// Recognises what a message asks the bot to do, from the patterns in intents.json and flows.json.
// Pure functions over text: no botbuilder, so they are tested directly.
import { basicForm } from '../text/normal';
import { alternation } from '../text/regex';
import intents from './intents.json';
import flows from './flows.json';

export type Command = 'help' | 'cancel' | 'menu' | 'none';
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
  const t = stripPoliteness(basic);
  return smallTalkRes.find(([, re]) => re.test(t))?.[0];
}

export function recogniseFlow(text: string, basic = basicForm(text)): FlowId | undefined {
  const t = basic;
  return flowRes.find(([, re]) => re.test(t))?.[0];
}

const questionStart = new RegExp(`^${alternation(intents.question.starts)}\\b`);
const questionMarks = new Set([...intents.question.marks]);

/** Whether a message is clearly a question: it ends with a question mark or starts with a question word. */
export function isQuestion(text: string): boolean {
  const t = basicForm(text);
  if (t.split(' ').length < intents.question.minWords) return false;
  return questionMarks.has(text.trim().slice(-1)) || questionStart.test(t);
}

const bareChoiceRe = whole(intents.bareChoice.patterns);
const notCoveredRe = anywhere(intents.notCovered.patterns);

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

export interface FlowOption {
  id: string;
  title: string;
  patterns: string[];
  /** Patterns that pick this option when the answer also matches others ("only dexamethasone"). */
  decisive?: string[];
  /** A hedge ("not sure"): wins over any other option the same answer matches. */
  hedge?: boolean;
  intro?: string;
  note?: string;
  blocks: { label?: string; pair: string }[];
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
  followUps: { title: string; value: string }[];
}

const asFlow = (flow: Omit<FlowData, 'whenAmbiguous'> & { whenAmbiguous: string }): FlowData => {
  if (flow.whenAmbiguous !== 'first' && flow.whenAmbiguous !== 'ask') {
    throw new Error(`flows.json: whenAmbiguous must be "first" or "ask", not "${flow.whenAmbiguous}"`);
  }
  return flow as FlowData;
};

export const flowData: Record<FlowId, FlowData> = {
  howToTake: asFlow(flows.howToTake),
  risk: asFlow(flows.risk),
};
export const flowIds = Object.keys(flowData) as FlowId[];
export const maxAttempts: number = flows.maxAttempts;

interface CompiledOption {
  option: FlowOption;
  re: RegExp;
  decisive?: RegExp;
}

interface CompiledFlow {
  options: CompiledOption[];
  /** One regular expression per negatable name, global (for matchAll), with the name's key. */
  names: { key: string; re: RegExp }[];
  /** Any of the negatable names, negated or not. */
  anyName?: RegExp;
}

const negationBefore = new RegExp(flows.negation.before);
const negationAfter = new RegExp(flows.negation.after);

const compiled = new Map<FlowId, CompiledFlow>(
  (Object.keys(flowData) as FlowId[]).map((id) => {
    const flow = flowData[id];
    return [
      id,
      {
        options: flow.options.map((option) => ({
          option,
          re: anywhere(option.patterns),
          decisive: option.decisive ? anywhere(option.decisive) : undefined,
        })),
        names: Object.entries(flow.negatable ?? {}).map(([key, p]) => ({
          key,
          re: new RegExp(`\\b(?:${p})\\b`, 'g'),
        })),
        anyName: flow.negatable
          ? anywhere(Object.values(flow.negatable).map((p) => `\\b(?:${p})\\b`))
          : undefined,
      },
    ];
  }),
);

const lastWords = (text: string, n: number): string => text.trim().split(' ').slice(-n).join(' ');
const firstWords = (text: string, n: number): string => text.trim().split(' ').slice(0, n).join(' ');

/**
 * Replaces each negated medicine name with its marked form ("not on bortezomib" → "not on no_bortezomib"),
 * clause by clause, so an option's patterns see only the medicines the patient says they take.
 */
export function markNegations(flow: FlowId, text: string): string {
  const { names } = compiled.get(flow)!;
  const { window, marker } = flows.negation;
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
        const negated = negationBefore.test(before) || negationAfter.test(after);
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
 * Which of a flow's options a free-text answer (or a clicked title) names, if any. Negated medicine names
 * do not count; of several matching options a hedge wins, then a decisive match; otherwise the flow's
 * `whenAmbiguous` decides between the first listed and none (ask again).
 */
export function recogniseOption(flow: FlowId, text: string): FlowOption | undefined {
  const data = flowData[flow];
  const t = basicForm(text);
  const byTitle = data.options.find((o) => basicForm(o.title) === t);
  if (byTitle) return byTitle;
  const marked = markNegations(flow, text);
  const matching = compiled.get(flow)!.options.filter((o) => o.re.test(marked) || o.decisive?.test(marked));
  if (matching.length <= 1) return matching[0]?.option;
  const hedges = matching.filter((o) => o.option.hedge);
  if (hedges.length === 1) return hedges[0]!.option;
  const decisive = matching.filter((o) => o.decisive?.test(marked));
  if (decisive.length === 1) return decisive[0]!.option;
  return data.whenAmbiguous === 'first' ? matching[0]!.option : undefined;
}

/**
 * Whether a message is an attempt to answer the flow's question: it names an option, or several (an
 * ambiguous answer, asked again), or one of the flow's medicine names. Anything else may be meant for
 * something else.
 */
export function attemptsAnswer(flow: FlowId, text: string): boolean {
  if (recogniseOption(flow, text) !== undefined) return true;
  const marked = markNegations(flow, text);
  const { options, anyName } = compiled.get(flow)!;
  return (
    options.some((o) => o.re.test(marked) || o.decisive?.test(marked)) ||
    (anyName?.test(basicForm(text)) ?? false)
  );
}
