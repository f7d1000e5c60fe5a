// Recognises what a message asks the bot to do, from the patterns in intents.json and flows.json.
// Pure functions over text: no botbuilder, so they are tested directly.
import { basicForm } from '../knowledge/match/normalise';
import intents from './intents.json';
import flows from './flows.json';

export type Command = 'help' | 'cancel' | 'menu' | 'none';
export type SmallTalk = 'greeting' | 'thanks' | 'bye' | 'whoami';
export type FlowId = 'howToTake' | 'risk';

const whole = (patterns: string[]): RegExp => new RegExp(`^(?:${patterns.join('|')})$`);
const anywhere = (patterns: string[]): RegExp => new RegExp(patterns.map((p) => `(?:${p})`).join('|'));

const commandRes = Object.entries(intents.commands).map(([k, v]) => [k as Command, whole(v)] as const);
const smallTalkRes = Object.entries(intents.smalltalk).map(([k, v]) => [k as SmallTalk, whole(v)] as const);
const flowRes = Object.entries(intents.flows).map(([k, v]) => [k as FlowId, anywhere(v)] as const);

// Politeness around a command ("ok cancel please") should not hide it.
function stripPoliteness(text: string): string {
  return text
    .replace(/^(ok|okay|please|oh|um|er|so)\s+/, '')
    .replace(/\s+(please|now|then|thanks|thank you)$/, '');
}

export function recogniseCommand(text: string): Command | undefined {
  const t = stripPoliteness(basicForm(text));
  return commandRes.find(([, re]) => re.test(t))?.[0];
}

export function recogniseSmallTalk(text: string): SmallTalk | undefined {
  const t = stripPoliteness(basicForm(text));
  return smallTalkRes.find(([, re]) => re.test(t))?.[0];
}

export function recogniseFlow(text: string): FlowId | undefined {
  const t = basicForm(text);
  return flowRes.find(([, re]) => re.test(t))?.[0];
}

export interface FlowOption {
  id: string;
  title: string;
  patterns: string[];
  intro?: string;
  note?: string;
  blocks: { label?: string; pair: string }[];
}

export interface FlowData {
  prompt: string;
  retry: string;
  giveUp: string;
  verdict?: string;
  options: FlowOption[];
  followUps: { title: string; value: string }[];
}

export const flowData: Record<FlowId, FlowData> = { howToTake: flows.howToTake, risk: flows.risk };
export const maxAttempts: number = flows.maxAttempts;

const optionRes = new Map<FlowOption, RegExp>();
for (const flow of Object.values(flowData)) {
  for (const option of flow.options) optionRes.set(option, anywhere(option.patterns));
}

/** Which of a flow's options a free-text answer (or a clicked title) names, if any. The first listed wins. */
export function recogniseOption(flow: FlowId, text: string): FlowOption | undefined {
  const t = basicForm(text);
  const options = flowData[flow].options;
  return options.find((o) => basicForm(o.title) === t) ?? options.find((o) => optionRes.get(o)!.test(t));
}
