// Shared by the dialog test files: the flows' triggers and free-text answers, and the expectations
// for a flow's question, its final answer and the "tell me more" reply. Names come from the data files.
import { expect } from 'chai';
import type { Activity } from 'botbuilder';
import { flows } from '../fixtures/imnovidFlows';
import texts from '../../render/texts.json';
import { fillPlaceholders } from '../../render/placeholders';
import { answerAsText, answerShown, templateValues } from '../../render/renderer';
import { type FlowId } from '../../dialogs/intents';
import { flowData as flowTable } from '../fixtures/imnovidFlows';
import { knowledge, textOf, buttonsOf } from '../dialogs.harness';

export const { kb } = knowledge;
export const LEAFLET_URL =
  'https://www.ema.europa.eu/en/documents/product-information/imnovid-epar-product-information_en.pdf';

/** The honest fallback as a text channel shows it. */
export const FALLBACK = fillPlaceholders(texts.fallback, templateValues({ kb, emergencyNumber: '112' }));

export function pairAnswer(id: string): string {
  const pair = kb.pairs.find((p) => p.id === id);
  if (!pair) throw new Error(`no pair ${id}`);
  // As a text channel shows it (issue 14: lists as bullets, a quoted span inside its whole sentence).
  return answerAsText(pair, kb);
}

/** The pair's answer as whole sentences, as a card reads (a quoted span inside its whole sentence). */
export function pairShown(id: string): string {
  const pair = kb.pairs.find((p) => p.id === id);
  if (!pair) throw new Error(`no pair ${id}`);
  return answerShown(pair, kb);
}

export const FLOW_IDS: FlowId[] = ['howToTake', 'risk'];

/** How a patient starts each flow: typed, as the Teams command and as the menu button's value. */
export const TRIGGERS: Record<FlowId, string[]> = {
  howToTake: [
    'how do I take it',
    'How should I take Imnovid?',
    'dose?',
    'how many capsules',
    'when do I take my tablets',
    texts.menuButtons[0]!.value,
  ],
  risk: [
    'am I at risk',
    'is it safe for me',
    'is this medicine risky',
    'what are the dangers',
    texts.menuButtons[1]!.value,
  ],
};

/** Free-text answers to each flow's question, by option id. */
export const FREE_TEXT: Record<string, string[]> = {
  bortezomib: ['the one with bortezomib', 'with velcade i think'],
  dexamethasone: ['just dexamethasone', 'without bortezomib'],
  unsure: ["don't know", 'not sure which one'],
  'pregnancy-woman': ['I could get pregnant', 'pregnancy'],
  'pregnancy-man': ['my partner could become pregnant', "I'm a man"],
  'side-effects': ['the side effects'],
  clots: ['the blood clot one'],
  infections: ['worried about infections'],
  nerves: ['tingling and numbness'],
  other: ['something else'],
};

export const flowTrigger = (flow: FlowId): string => TRIGGERS[flow][0]!;
export const optionTitles = (flow: FlowId): string[] => flowData(flow).options.map((o) => o.title);
export const flowData = (flow: FlowId) => flowTable[flow];

/** The flow's question, as a text-channel reply: the prompt and one button per option. */
export function expectPrompt(replies: Partial<Activity>[], flow: FlowId, text = flowData(flow).prompt): void {
  expect(replies).to.have.length(1);
  expect(replies[0]!.text).to.equal(text);
  expect(buttonsOf(replies).map((b) => b.title)).to.deep.equal(optionTitles(flow));
}

/** A final answer on a text channel: every pair verbatim, then the doctor and the leaflet, then follow-ups. */
export function expectFinalAnswer(replies: Partial<Activity>[], flow: FlowId, optionId: string): void {
  const option = flowData(flow).options.find((o) => o.id === optionId)!;
  expect(replies, `one reply for ${optionId}`).to.have.length(1);
  const text = textOf(replies);
  for (const block of option.blocks) expect(text).to.include(pairAnswer(block.pair));
  // Everything after the last verbatim answer's source line is the ending: it must name both.
  const ending = text.slice(text.lastIndexOf('Source: '));
  const tail = ending.slice(ending.indexOf('\n\n'));
  expect(tail, `${optionId}: leaflet`).to.match(/package leaflet/i);
  expect(tail, `${optionId}: leaflet link`).to.include(LEAFLET_URL);
  expect(tail, `${optionId}: doctor`).to.match(/\bdoctor\b/i);
  expect(buttonsOf(replies)).to.deep.equal(flowData(flow).followUps);
  if (flow === 'risk') {
    expect(text).to.include(flows.risk.verdict);
    expect(text).not.to.match(/\byou (are|re|aren ?t|are not) (at risk|safe|not at risk)\b/i);
  }
}

/** The "tell me more" reply, with the menu as the next step. */
export function expectUnclear(replies: Partial<Activity>[]): void {
  expect(replies).to.have.length(1);
  expect(textOf(replies)).to.include(
    fillPlaceholders(texts.unclear, templateValues({ kb, emergencyNumber: '112' })),
  );
  expect(textOf(replies)).not.to.include(texts.suggestIntro);
  expect(buttonsOf(replies)).to.deep.equal(texts.menuButtons);
}
