// The router and the flows' interruptions against a matcher with fixed results: each conversation is
// data (what the patient says, what the matcher is to find, which reply comes back), so these tests
// hold whatever the thresholds or the real matcher's scoring. The real bot, dialogs, safety gate and
// renderer run; only the matcher is the stand-in from fixedMatcher.ts.
import { expect } from 'chai';
import type { Activity } from 'botbuilder';
import flows from '../../dialogs/flows.json';
import texts from '../../render/texts.json';
import type { FlowId } from '../../dialogs/intents';
import { createHarness, textOf, buttonsOf } from '../dialogs.harness';
import { createFixedMatcher, type Found } from './fixedMatcher';
import { kb, FALLBACK, pairAnswer, expectPrompt, expectUnclear } from './helpers';

/** The reply a step expects, by kind. */
type Reply =
  | { kind: 'answer'; pairId: string }
  | { kind: 'suggest'; pairIds: string[] }
  | { kind: 'fallback' }
  | { kind: 'unclear' }
  | { kind: 'urgent' }
  | { kind: 'prompt'; flow: FlowId }
  | { kind: 'retry'; flow: FlowId };

interface Step {
  says: string;
  /** What the matcher finds for this message, if asked. */
  found?: Found;
  reply: Reply;
  /** False when the message must never reach the matcher; else it must, with this context if given. */
  matched?: false | { contextPairId?: string };
}

interface Conversation {
  name: string;
  steps: Step[];
}

const answer = (pairId: string): Found => ({ kind: 'answer', pairId });

const conversations: Conversation[] = [
  {
    name: 'an answered pair gets its verbatim answer',
    steps: [
      {
        says: 'tell me about the capsule colours',
        found: answer('use.forms'),
        reply: { kind: 'answer', pairId: 'use.forms' },
      },
    ],
  },
  {
    name: 'the next question is matched in the context of the pair answered last',
    steps: [
      {
        says: 'tell me about the capsule colours',
        found: answer('use.forms'),
        reply: { kind: 'answer', pairId: 'use.forms' },
        matched: { contextPairId: undefined },
      },
      {
        says: 'and the worse ones?',
        found: answer('risks.serious-side-effects'),
        reply: { kind: 'answer', pairId: 'risks.serious-side-effects' },
        matched: { contextPairId: 'use.forms' },
      },
    ],
  },
  {
    name: 'a close call with three candidates: "Did you mean" with each and "None of these"',
    steps: [
      {
        says: 'anything on this?',
        found: {
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
        found: { kind: 'suggest', pairIds: ['what.overview', 'work.overview'] },
        reply: { kind: 'suggest', pairIds: ['what.overview', 'work.overview'] },
      },
    ],
  },
  {
    name: 'nothing found: the honest fallback',
    steps: [{ says: 'anything on this?', found: { kind: 'none' }, reply: { kind: 'fallback' } }],
  },
  {
    name: "nothing but the medicine's name: asked for more, not the fallback",
    steps: [
      { says: 'imnovid please', found: { kind: 'none', onlyMedicine: true }, reply: { kind: 'unclear' } },
    ],
  },
  {
    name: 'a red flag gets the urgent reply and never reaches the matcher, even one that would answer it',
    steps: [
      {
        says: 'I took too many capsules by mistake',
        found: answer('use.dose'),
        reply: { kind: 'urgent' },
        matched: false,
      },
    ],
  },
  {
    name: 'a red flag mid-flow ends the flow without reaching the matcher',
    steps: [
      { says: 'how do I take it', found: { kind: 'none' }, reply: { kind: 'prompt', flow: 'howToTake' } },
      { says: 'I took too many capsules by mistake', reply: { kind: 'urgent' }, matched: false },
    ],
  },
  {
    name: 'a flow trigger starts its flow when the matcher reads no uncovered topic',
    steps: [
      {
        says: 'how do I take it on holiday',
        found: { kind: 'none' },
        reply: { kind: 'prompt', flow: 'howToTake' },
      },
    ],
  },
  {
    name: 'a flow trigger about a topic the matcher reads as uncovered gets the fallback, not the flow',
    steps: [
      {
        says: 'how do I take it on holiday',
        found: { kind: 'none', offTopic: true },
        reply: { kind: 'fallback' },
      },
    ],
  },
  {
    name: 'a question that ends a flow gets the fallback, not suggestions from elsewhere',
    steps: [
      { says: 'how do I take it', found: { kind: 'none' }, reply: { kind: 'prompt', flow: 'howToTake' } },
      {
        says: 'and what about the weekend?',
        found: { kind: 'suggest', pairIds: ['use.schedule', 'use.dose'] },
        reply: { kind: 'fallback' },
      },
    ],
  },
  {
    name: 'mid-flow, a statement the matcher answers ends the flow with that answer',
    steps: [
      { says: 'am I at risk', found: { kind: 'none' }, reply: { kind: 'prompt', flow: 'risk' } },
      {
        says: 'I read something about a registry',
        found: answer('measures.registry'),
        reply: { kind: 'answer', pairId: 'measures.registry' },
      },
    ],
  },
  {
    name: 'mid-flow, a statement the matcher cannot place is taken as a failed answer and asked again',
    steps: [
      { says: 'am I at risk', found: { kind: 'none' }, reply: { kind: 'prompt', flow: 'risk' } },
      {
        says: 'I read something about a registry',
        found: { kind: 'none' },
        reply: { kind: 'retry', flow: 'risk' },
      },
    ],
  },
];

function expectReply(replies: Partial<Activity>[], reply: Reply, says: string): void {
  const text = textOf(replies);
  switch (reply.kind) {
    case 'answer':
      expect(replies, says).to.have.length(1);
      expect(text, says).to.include(pairAnswer(reply.pairId));
      expect(text, says).not.to.include(texts.suggestIntro);
      return;
    case 'suggest': {
      const questions = reply.pairIds.map((id) => kb.pairs.find((p) => p.id === id)!.question);
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
    case 'unclear':
      expectUnclear(replies);
      return;
    case 'urgent':
      expect(replies, says).to.have.length(1);
      // The safety gate's own reply: the emergency number, and neither the fallback nor an answer.
      expect(text, says).to.include('call 112');
      expect(text, says).not.to.include(FALLBACK);
      expect(text, says).not.to.include(texts.suggestIntro);
      return;
    case 'prompt':
      expectPrompt(replies, reply.flow);
      return;
    case 'retry':
      expectPrompt(replies, reply.flow, flows[reply.flow].retry);
      return;
  }
}

describe('dialogs with a fixed-result matcher: routing by what the matcher found', () => {
  for (const { name, steps } of conversations) {
    it(name, async () => {
      const table: Record<string, Found> = {};
      for (const step of steps) if (step.found) table[step.says] = step.found;
      const matcher = createFixedMatcher(kb, table);
      const h = createHarness('test', {}, matcher);
      for (const step of steps) {
        const before = matcher.calls.length;
        expectReply(await h.say(step.says), step.reply, step.says);
        const calls = matcher.calls.slice(before);
        if (step.matched === false) {
          expect(calls, `"${step.says}" never reaches the matcher`).to.deep.equal([]);
        } else {
          expect(
            calls.map((c) => c.text),
            `"${step.says}" reaches the matcher`,
          ).to.include(step.says);
          if (step.matched && 'contextPairId' in step.matched) {
            expect(calls[calls.length - 1]!.contextPairId, step.says).to.equal(step.matched.contextPairId);
          }
        }
      }
    });
  }

  it('a message missing from the table fails loudly instead of being matched for real', () => {
    const matcher = createFixedMatcher(kb, {});
    expect(() => matcher.match('what are the side effects?')).to.throw(/no result given/);
  });
});
