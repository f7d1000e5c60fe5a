// The router, the flows and their interruptions against a recogniser with fixed results (as core-bot
// tests MainDialog with a mock recogniser): each conversation is data (what the patient says, what the
// recogniser reads, which reply comes back, and with which options the bot asked), so these tests hold
// whatever the matcher's thresholds, the intents' patterns or the safety gate's rules. The real bot,
// dialogs and renderer run; only the recogniser is the stand-in from fixedRecogniser.ts.
import { expect } from 'chai';
import type { Activity } from 'botbuilder';
import { flows } from '../fixtures/imnovidFlows';
import texts from '../../render/texts.json';
import type { FlowId, SmallTalk } from '../../dialogs/intents';
import { fillPlaceholders } from '../../render/placeholders';
import { answerAsText, buttonTitle, templateValues } from '../../render/renderer';
import { createHarness, textOf, buttonsOf } from '../dialogs.harness';
import { createFixedRecogniser, safetyHit, type PartReading, type Reading } from './fixedRecogniser';
import {
  kb,
  FALLBACK,
  pairAnswer,
  expectPrompt,
  expectFinalAnswer,
  expectUnclear,
  flowTrigger,
} from './helpers';

/** The reply a step expects, by kind. */
type Reply =
  /** One pair's verbatim answer, or only its `sentence`. */
  | { kind: 'answer'; pairId: string; sentence?: number }
  /** Several parts: the answers in this order, then these lines; the parts' `buttons` come first. */
  | { kind: 'parts'; pairIds: string[]; notes: string[]; buttons: string[] }
  | { kind: 'suggest'; pairIds: string[] }
  | { kind: 'fallback' }
  /** The fallback, then the helpdesk's offer (the second fallback in a row). */
  | { kind: 'fallback-helpdesk' }
  /** The helpdesk's offer to a request for a person. */
  | { kind: 'helpdesk' }
  /** The fixed reply on reporting a side effect. */
  | { kind: 'report-side-effect' }
  /** The handoff event, then the line telling the patient. */
  | { kind: 'handoff'; reason: 'person-request' | 'repeated-fallbacks' }
  | { kind: 'unclear' }
  /** The safety gate's reply for this category, and nothing else. */
  | { kind: 'safety'; category: string }
  | { kind: 'prompt'; flow: FlowId }
  | { kind: 'retry'; flow: FlowId }
  | { kind: 'final'; flow: FlowId; optionId: string }
  /** The small-talk line (a greeting gets the welcome, tested in welcome.test.ts). */
  | { kind: 'smalltalk'; which: Exclude<SmallTalk, 'greeting'> }
  | { kind: 'cancelled' };

interface Step {
  says: string;
  /** What the recogniser reads in this message. */
  reads: Reading;
  reply: Reply;
  /** The options the bot must pass the recogniser: the pair answered last, and whether a flow is waiting. */
  asked?: { contextPairId?: string; inFlow?: boolean };
}

interface Conversation {
  name: string;
  steps: Step[];
}

const answer = (pairId: string): PartReading => ({ kind: 'answer', pairId });
const flow = (id: FlowId, optionId?: string): PartReading => ({ kind: 'flow', flow: id, optionId });
/** Starts the flow: the first step of every mid-flow conversation. */
const starts = (id: FlowId): Step => ({
  says: flowTrigger(id),
  reads: flow(id),
  reply: { kind: 'prompt', flow: id },
  asked: { inFlow: false },
});

const conversations: Conversation[] = [
  {
    name: 'a request for a person gets the helpdesk offer; accepting it hands off',
    steps: [
      {
        says: 'can I speak to someone',
        reads: { kind: 'helpdesk', which: 'person' },
        reply: { kind: 'helpdesk' },
      },
      {
        says: texts.helpdesk.connect,
        reads: { kind: 'command', which: 'handoff' },
        reply: { kind: 'handoff', reason: 'person-request' },
      },
    ],
  },
  {
    name: 'two fallbacks in a row: the second offers the helpdesk; accepting it hands off for that reason',
    steps: [
      { says: 'can I drink wine?', reads: { kind: 'none', offTopic: true }, reply: { kind: 'fallback' } },
      { says: 'what about beer?', reads: { kind: 'none' }, reply: { kind: 'fallback-helpdesk' } },
      { says: 'and whisky?', reads: { kind: 'none' }, reply: { kind: 'fallback' } },
      {
        says: texts.helpdesk.connect,
        reads: { kind: 'command', which: 'handoff' },
        reply: { kind: 'handoff', reason: 'repeated-fallbacks' },
      },
    ],
  },
  {
    name: '"None of these" counts as a fallback; an answer in between starts the count again',
    steps: [
      { says: 'can I drink wine?', reads: { kind: 'none' }, reply: { kind: 'fallback' } },
      {
        says: 'tell me about the capsule colours',
        reads: answer('use.forms'),
        reply: { kind: 'answer', pairId: 'use.forms' },
      },
      { says: 'what about beer?', reads: { kind: 'none' }, reply: { kind: 'fallback' } },
      {
        says: 'none of these',
        reads: { kind: 'command', which: 'none' },
        reply: { kind: 'fallback-helpdesk' },
      },
    ],
  },
  {
    name: 'a safety reply between two fallbacks starts the count again',
    steps: [
      { says: 'can I drink wine?', reads: { kind: 'none' }, reply: { kind: 'fallback' } },
      {
        says: 'I took too many capsules by mistake',
        reads: { kind: 'safety', category: 'overdose' },
        reply: { kind: 'safety', category: 'overdose' },
      },
      { says: 'what about beer?', reads: { kind: 'none' }, reply: { kind: 'fallback' } },
    ],
  },
  {
    name: 'a request for a person on top of a red flag: the safety reply alone',
    steps: [
      {
        says: 'I want to talk to someone, I took ten capsules',
        reads: { kind: 'helpdesk', which: 'person', safety: 'overdose' },
        reply: { kind: 'safety', category: 'overdose' },
      },
    ],
  },
  {
    name: 'mid-flow, a request for a person ends the flow with the helpdesk offer',
    steps: [
      starts('howToTake'),
      {
        says: 'can I speak to someone',
        reads: { kind: 'helpdesk', which: 'person' },
        reply: { kind: 'helpdesk' },
        asked: { inFlow: true },
      },
      {
        says: 'the one with bortezomib',
        reads: { kind: 'none' },
        reply: { kind: 'fallback' },
        asked: { inFlow: false },
      },
    ],
  },
  {
    name: 'asking how to report a side effect gets the fixed reply, mid-flow too',
    steps: [
      {
        says: 'where do I report a side effect',
        reads: { kind: 'helpdesk', which: 'report-side-effect' },
        reply: { kind: 'report-side-effect' },
      },
      starts('risk'),
      {
        says: 'I want to report a reaction',
        reads: { kind: 'helpdesk', which: 'report-side-effect' },
        reply: { kind: 'report-side-effect' },
        asked: { inFlow: true },
      },
    ],
  },
  {
    name: 'an answered pair gets its verbatim answer',
    steps: [
      {
        says: 'tell me about the capsule colours',
        reads: answer('use.forms'),
        reply: { kind: 'answer', pairId: 'use.forms' },
      },
    ],
  },
  {
    name: 'the next question is recognised with the context of the pair answered last',
    steps: [
      {
        says: 'tell me about the capsule colours',
        reads: answer('use.forms'),
        reply: { kind: 'answer', pairId: 'use.forms' },
        asked: { contextPairId: undefined, inFlow: false },
      },
      {
        says: 'and the worse ones?',
        reads: answer('risks.serious-side-effects'),
        reply: { kind: 'answer', pairId: 'risks.serious-side-effects' },
        asked: { contextPairId: 'use.forms', inFlow: false },
      },
      {
        says: 'how common are they?',
        reads: { kind: 'none' },
        reply: { kind: 'fallback' },
        asked: { contextPairId: 'risks.serious-side-effects' },
      },
    ],
  },
  {
    name: 'a part covered by one source sentence shows only that sentence of the answer',
    steps: [
      {
        says: 'what kind of cancer is it for',
        reads: { kind: 'answer', pairId: 'what.overview', sentence: 1 },
        reply: { kind: 'answer', pairId: 'what.overview', sentence: 1 },
      },
    ],
  },
  {
    name: 'a close call with three candidates: "Did you mean" with each and "None of these"',
    steps: [
      {
        says: 'anything on this?',
        reads: {
          kind: 'suggest',
          pairIds: ['risks.common-side-effects', 'risks.serious-side-effects', 'risks.full-list'],
        },
        reply: {
          kind: 'suggest',
          pairIds: ['risks.common-side-effects', 'risks.serious-side-effects', 'risks.full-list'],
        },
      },
    ],
  },
  {
    name: 'a close call with two candidates',
    steps: [
      {
        says: 'what is the deal with imnovid',
        reads: { kind: 'suggest', pairIds: ['what.overview', 'work.overview'] },
        reply: { kind: 'suggest', pairIds: ['what.overview', 'work.overview'] },
      },
    ],
  },
  {
    name: 'nothing found: the honest fallback',
    steps: [{ says: 'anything on this?', reads: { kind: 'none' }, reply: { kind: 'fallback' } }],
  },
  {
    name: 'another medicine: the honest fallback',
    steps: [
      {
        says: 'what about lenalidomide',
        reads: { kind: 'none', otherMedicine: true },
        reply: { kind: 'fallback' },
      },
    ],
  },
  {
    name: "nothing but the medicine's name: asked for more, not the fallback",
    steps: [{ says: 'imnovid please', reads: { kind: 'unclear' }, reply: { kind: 'unclear' } }],
  },
  {
    name: 'a red flag gets the urgent reply, even on a message the recogniser also answers',
    steps: [
      {
        says: 'I took too many capsules by mistake',
        reads: { kind: 'answer', pairId: 'use.dose', safety: 'overdose' },
        reply: { kind: 'safety', category: 'overdose' },
      },
    ],
  },
  {
    name: 'a request for a personal decision gets the deferral',
    steps: [
      {
        says: 'should I skip my capsules this week',
        reads: { kind: 'safety', category: 'personal-decision' },
        reply: { kind: 'safety', category: 'personal-decision' },
      },
    ],
  },
  {
    name: 'a red flag mid-flow ends the flow',
    steps: [
      starts('howToTake'),
      {
        says: 'I took too many capsules by mistake',
        reads: { kind: 'safety', category: 'overdose' },
        reply: { kind: 'safety', category: 'overdose' },
        asked: { inFlow: true },
      },
      // No flow is waiting any more: the next message is not read as an answer to its question.
      {
        says: 'the one with bortezomib',
        reads: { kind: 'none' },
        reply: { kind: 'fallback' },
        asked: { inFlow: false },
      },
    ],
  },
  {
    name: 'a flow trigger starts its flow',
    steps: [starts('howToTake')],
  },
  {
    name: "a flow trigger that names an option gets that option's answer at once",
    steps: [
      {
        says: 'how do I take it with dexamethasone only',
        reads: flow('howToTake', 'dexamethasone'),
        reply: { kind: 'final', flow: 'howToTake', optionId: 'dexamethasone' },
      },
      // The option's main answer is the context of the next question.
      {
        says: 'and how long is a cycle?',
        reads: answer('use.schedule'),
        reply: { kind: 'answer', pairId: 'use.schedule' },
        asked: { contextPairId: 'use.schedule-dexamethasone', inFlow: false },
      },
    ],
  },
  {
    name: 'a flow trigger the recogniser reads as an uncovered topic gets the fallback, not the flow',
    steps: [
      {
        says: 'how do I take it on holiday',
        reads: { kind: 'none', offTopic: true },
        reply: { kind: 'fallback' },
      },
    ],
  },
  {
    name: "mid-flow, a choice the recogniser reads gets the option's answer and ends the flow",
    steps: [
      starts('howToTake'),
      {
        says: 'the one with bortezomib',
        reads: { kind: 'none', choice: { flow: 'howToTake', optionId: 'bortezomib' } },
        reply: { kind: 'final', flow: 'howToTake', optionId: 'bortezomib' },
        asked: { inFlow: true },
      },
      {
        says: 'and the dose?',
        reads: answer('use.dose'),
        reply: { kind: 'answer', pairId: 'use.dose' },
        asked: { contextPairId: 'use.schedule-bortezomib', inFlow: false },
      },
    ],
  },
  {
    name: 'mid-flow, an attempt at an answer that names no option is asked again, even as a question',
    steps: [
      starts('howToTake'),
      {
        says: 'bortezomib or dexamethasone?',
        reads: { kind: 'none', question: true, choice: { flow: 'howToTake', attempts: true } },
        reply: { kind: 'retry', flow: 'howToTake' },
        asked: { inFlow: true },
      },
    ],
  },
  {
    name: 'mid-flow, a question to clarify the options asks again',
    steps: [
      starts('risk'),
      {
        says: 'what are the options?',
        reads: { kind: 'none', question: true, clarify: true },
        reply: { kind: 'retry', flow: 'risk' },
        asked: { inFlow: true },
      },
    ],
  },
  {
    name: 'a close call that ends a flow gets "Did you mean"',
    steps: [
      starts('howToTake'),
      {
        says: 'and what about the weekend?',
        reads: { kind: 'suggest', pairIds: ['use.schedule', 'use.dose'], question: true },
        reply: { kind: 'suggest', pairIds: ['use.schedule', 'use.dose'] },
        asked: { inFlow: true },
      },
    ],
  },
  {
    name: 'mid-flow, a statement the recogniser answers ends the flow with that answer',
    steps: [
      starts('risk'),
      {
        says: 'I read something about a registry',
        reads: answer('measures.registry'),
        reply: { kind: 'answer', pairId: 'measures.registry' },
        asked: { inFlow: true },
      },
      {
        says: 'who runs it',
        reads: { kind: 'none' },
        reply: { kind: 'fallback' },
        asked: { contextPairId: 'measures.registry', inFlow: false },
      },
    ],
  },
  {
    name: 'mid-flow, a statement the recogniser cannot place is taken as a failed answer and asked again',
    steps: [
      starts('risk'),
      {
        says: 'I read something about a registry',
        reads: { kind: 'none' },
        reply: { kind: 'retry', flow: 'risk' },
        asked: { inFlow: true },
      },
    ],
  },
  {
    name: 'mid-flow, small talk ends the flow with its reply',
    steps: [
      starts('risk'),
      {
        says: 'thanks',
        reads: { kind: 'smalltalk', which: 'thanks' },
        reply: { kind: 'smalltalk', which: 'thanks' },
        asked: { inFlow: true },
      },
      {
        says: 'the blood clot one',
        reads: { kind: 'none' },
        reply: { kind: 'fallback' },
        asked: { inFlow: false },
      },
    ],
  },
  {
    name: 'mid-flow, "cancel" stops the flow and offers the menu',
    steps: [
      starts('howToTake'),
      {
        says: 'cancel',
        reads: { kind: 'command', which: 'cancel' },
        reply: { kind: 'cancelled' },
        asked: { inFlow: true },
      },
      {
        says: 'the one with bortezomib',
        reads: { kind: 'none' },
        reply: { kind: 'fallback' },
        asked: { inFlow: false },
      },
    ],
  },
  {
    name: 'three parts, the second not covered: both answers in order and the plain not-covered line',
    steps: [
      {
        says: 'what colour are the capsules, can I drink wine and what are the serious side effects?',
        reads: {
          kind: 'parts',
          parts: [answer('use.forms'), { kind: 'none' }, answer('risks.serious-side-effects')],
        },
        reply: {
          kind: 'parts',
          pairIds: ['use.forms', 'risks.serious-side-effects'],
          notes: [texts.parts.notCovered[1]!],
          buttons: [],
        },
      },
      // The part answered last is the context of the next question.
      {
        says: 'how common are they?',
        reads: answer('risks.common-side-effects'),
        reply: { kind: 'answer', pairId: 'risks.common-side-effects' },
        asked: { contextPairId: 'risks.serious-side-effects', inFlow: false },
      },
    ],
  },
  {
    name: "a covered part and a flow part: the answer, then the flow's line and its button, no flow begun",
    steps: [
      {
        says: 'what strengths are there and how do I take it',
        reads: { kind: 'parts', parts: [answer('use.forms'), flow('howToTake')] },
        reply: {
          kind: 'parts',
          pairIds: ['use.forms'],
          notes: [texts.parts.flow[1]!],
          buttons: [texts.menuButtons[0]!.title],
        },
      },
      {
        says: 'the one with bortezomib',
        reads: { kind: 'none' },
        reply: { kind: 'fallback' },
        asked: { contextPairId: 'use.forms', inFlow: false },
      },
    ],
  },
];

const filled = (text: string): string =>
  fillPlaceholders(text, templateValues({ kb, emergencyNumber: '112' }));
const pair = (id: string) => kb.pairs.find((p) => p.id === id)!;
const CONNECT = { title: texts.helpdesk.connect, value: texts.helpdesk.connect };

function expectReply(replies: Partial<Activity>[], reply: Reply, says: string): void {
  const text = textOf(replies);
  switch (reply.kind) {
    case 'answer': {
      expect(replies, says).to.have.length(1);
      expect(text, says).not.to.include(texts.suggestIntro);
      expect(text, says).not.to.include(FALLBACK);
      if (reply.sentence === undefined) {
        expect(text, says).to.include(pairAnswer(reply.pairId));
        return;
      }
      const sentences = pair(reply.pairId).answer.map((_, i) => answerAsText(pair(reply.pairId), kb, [i]));
      expect(text, says).to.include(sentences[reply.sentence]!);
      for (const [i, other] of sentences.entries())
        if (i !== reply.sentence) expect(text, `${says}: sentence ${i} left out`).not.to.include(other);
      return;
    }
    case 'parts': {
      expect(replies, says).to.have.length(1);
      expect(text, says).not.to.include(FALLBACK);
      // The answers in order, then the lines for the parts not answered.
      const positions = [...reply.pairIds.map(pairAnswer), ...reply.notes].map((t) => text.indexOf(t));
      expect(positions, `${says}: every answer and line present`).not.to.include(-1);
      expect(positions, `${says}: in order`).to.deep.equal([...positions].sort((a, b) => a - b));
      for (const line of [...texts.parts.notCovered, ...texts.parts.flow, ...texts.parts.closeCall])
        if (!reply.notes.includes(line)) expect(text, says).not.to.include(line);
      const titles = buttonsOf(replies).map((b) => b.title);
      expect(titles.slice(0, reply.buttons.length), `${says}: the parts' buttons first`).to.deep.equal(
        reply.buttons,
      );
      for (const menu of texts.menuButtons)
        if (!reply.buttons.includes(menu.title)) expect(titles, says).not.to.include(menu.title);
      return;
    }
    case 'suggest': {
      // Each by its short label (issue 14); the button still sends the question.
      const questions = reply.pairIds.map((id) =>
        buttonTitle({ title: pair(id).question, value: pair(id).question }, { kb }),
      );
      expect(replies, says).to.have.length(1);
      expect(text, says).to.include(texts.suggestIntro);
      expect(
        buttonsOf(replies).map((b) => b.title),
        says,
      ).to.deep.equal([...questions, texts.suggestNone]);
      return;
    }
    case 'fallback':
      expect(replies, says).to.have.length(1);
      expect(text, says).to.include(FALLBACK);
      expect(buttonsOf(replies), says).to.deep.equal([]);
      return;
    case 'fallback-helpdesk':
      expect(replies, says).to.have.length(1);
      expect(text, says).to.include(FALLBACK);
      expect(text, says).to.include(texts.helpdesk.afterFallbacks);
      expect(text, says).to.include(texts.helpdesk.noContacts);
      expect(buttonsOf(replies), says).to.deep.equal([CONNECT]);
      return;
    case 'helpdesk':
      expect(replies, says).to.have.length(1);
      expect(text, says).to.equal([texts.helpdesk.person, texts.helpdesk.noContacts].join('\n\n'));
      expect(buttonsOf(replies), says).to.deep.equal([CONNECT]);
      return;
    case 'report-side-effect':
      expect(replies, says).to.have.length(1);
      for (const line of texts.reportSideEffect.intro) expect(text, says).to.include(filled(line));
      expect(text, says).not.to.include(FALLBACK);
      return;
    case 'handoff': {
      expect(replies, says).to.have.length(2);
      expect(replies[0]!.type, says).to.equal('event');
      expect(replies[0]!.name, says).to.equal('handoff.initiate');
      expect((replies[0]!.value as { reason: string }).reason, says).to.equal(reply.reason);
      expect(replies[1]!.text, says).to.equal(filled(texts.helpdesk.requested));
      return;
    }
    case 'unclear':
      expectUnclear(replies);
      return;
    case 'safety':
      // The safety gate's own reply alone: neither the fallback nor an answer, no buttons.
      expect(replies, says).to.have.length(1);
      expect(text, says).to.equal(filled(safetyHit(reply.category).message));
      expect(buttonsOf(replies), says).to.deep.equal([]);
      return;
    case 'prompt':
      expectPrompt(replies, reply.flow);
      return;
    case 'retry':
      expectPrompt(replies, reply.flow, flows[reply.flow].retry);
      return;
    case 'final':
      expectFinalAnswer(replies, reply.flow, reply.optionId);
      return;
    case 'smalltalk':
      expect(replies, says).to.have.length(1);
      expect(text, says).to.equal(filled(texts.smalltalk[reply.which]));
      return;
    case 'cancelled':
      expect(replies, says).to.have.length(1);
      expect(text, says).to.equal(texts.cancelled);
      expect(buttonsOf(replies), says).to.deep.equal(texts.menuButtons);
      return;
  }
}

describe('dialogs with a fixed-result recogniser: routing by what the recogniser read', () => {
  for (const { name, steps } of conversations) {
    it(name, async () => {
      const table: Record<string, Reading> = {};
      for (const step of steps) table[step.says] = step.reads;
      const recogniser = createFixedRecogniser(kb, table);
      const h = createHarness('test', { HELPDESK_HANDOFF: 'on' }, undefined, recogniser);
      for (const step of steps) {
        const before = recogniser.calls.length;
        expectReply(await h.say(step.says), step.reply, step.says);
        // One reading per turn, of this message, whatever dialogs handled it.
        const calls = recogniser.calls.slice(before);
        expect(
          calls.map((c) => c.text),
          `"${step.says}" is read once`,
        ).to.deep.equal([step.says]);
        const [call] = calls;
        if (step.asked && 'contextPairId' in step.asked) {
          expect(call!.contextPairId, `${step.says}: context`).to.equal(step.asked.contextPairId);
        }
        if (step.asked?.inFlow !== undefined) {
          expect(call!.inFlow, `${step.says}: in a flow`).to.equal(step.asked.inFlow);
        }
      }
      // Only the stand-in reads messages: the real matcher is never asked.
      expect(h.matcherCalls).to.deep.equal([]);
    });
  }

  it('the recogniser is called exactly once per turn: on flow turns and on turns that end a flow and are re-routed', async () => {
    const steps: [string, Reading][] = [
      ['how do I take it', flow('howToTake')],
      ['the one with bortezomib', { kind: 'none', choice: { flow: 'howToTake', optionId: 'bortezomib' } }],
      ['am I at risk', flow('risk')],
      ['not sure', { kind: 'none', choice: { flow: 'risk', attempts: true } }],
      ['I read something about a registry', answer('measures.registry')],
      ['is there a pack warning?', answer('measures.pack-warning')],
    ];
    const recogniser = createFixedRecogniser(kb, Object.fromEntries(steps));
    const h = createHarness('test', { HELPDESK_HANDOFF: 'on' }, undefined, recogniser);
    for (const [says] of steps) await h.say(says);
    expect(recogniser.calls).to.deep.equal([
      { text: 'how do I take it', contextPairId: undefined, inFlow: false },
      { text: 'the one with bortezomib', contextPairId: undefined, inFlow: true },
      { text: 'am I at risk', contextPairId: 'use.schedule-bortezomib', inFlow: false },
      { text: 'not sure', contextPairId: 'use.schedule-bortezomib', inFlow: true },
      // Ends the risk flow and is re-routed to its answer: still one reading.
      { text: 'I read something about a registry', contextPairId: 'use.schedule-bortezomib', inFlow: true },
      { text: 'is there a pack warning?', contextPairId: 'measures.registry', inFlow: false },
    ]);
  });

  it('a message missing from the table fails loudly instead of being read for real', () => {
    const recogniser = createFixedRecogniser(kb, {});
    expect(() => recogniser.recognise('what are the side effects?')).to.throw(/no reading given/);
  });

  it('a choice given for a turn with no flow waiting fails loudly', () => {
    const recogniser = createFixedRecogniser(kb, {
      'the one with bortezomib': { kind: 'none', choice: { flow: 'howToTake', optionId: 'bortezomib' } },
    });
    expect(() => recogniser.recognise('the one with bortezomib', { inFlow: false })).to.throw(
      /no flow is waiting/,
    );
  });
});
