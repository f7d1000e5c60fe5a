// What breaks into a running flow: global commands, safety replies, other questions and triggers, and
// follow-up questions that end the flow.
import { expect } from 'chai';
import { flows } from '../fixtures/imnovidFlows';
import texts from '../../render/texts.json';
import { HELP_BUTTONS } from '../../dialogs/replies';
import { createHarness, knowledge, textOf, buttonsOf, type Harness } from '../dialogs.harness';
import { isQuestion, type FlowId } from '../../dialogs/intents';
import { OFF_TOPIC_TOKEN } from '../../knowledge/match/normalise';
import {
  FALLBACK,
  FLOW_IDS,
  flowTrigger,
  optionTitles,
  flowData,
  expectPrompt,
  expectFinalAnswer,
  expectUnclear,
} from './helpers';

describe('dialogs: global commands at any step', () => {
  const midFlow = async (): Promise<Harness> => {
    const h = createHarness();
    expectPrompt(await h.say('am I at risk'), 'risk');
    return h;
  };

  it('help shows the help and asks the same question again; the flow goes on', async () => {
    const h = await midFlow();
    const replies = await h.say('help');
    expect(replies).to.have.length(2);
    expect(replies[0]!.text).to.include(texts.help[0]);
    expectPrompt(replies.slice(1), 'risk');
    expectFinalAnswer(await h.say('Infections'), 'risk', 'infections');
  });

  for (const word of ['cancel', 'stop', 'ok cancel please']) {
    it(`"${word}" ends the flow; the next message is not taken as its answer`, async () => {
      const h = await midFlow();
      expect(textOf(await h.say(word))).to.equal(texts.cancelled);
      const next = textOf(await h.say('Nerve damage'));
      expect(next).not.to.include(flows.risk.verdict);
    });

    it(`"${word}" offers the menu as the next step; a typed "2" then is not matched as a question`, async () => {
      const h = await midFlow();
      const replies = await h.say(word);
      expect(replies).to.have.length(1);
      expect(buttonsOf(replies)).to.deep.equal(texts.menuButtons);
      const calls = h.matcherCalls.length;
      const next = await h.say('2');
      expectUnclear(next);
      expect(h.matcherCalls.length, '"2" never reaches the matcher').to.equal(calls);
    });
  }

  for (const word of ['menu', 'start over']) {
    it(`"${word}" ends the flow and shows the menu`, async () => {
      const h = await midFlow();
      const replies = await h.say(word);
      expect(replies).to.have.length(1);
      expect(buttonsOf(replies)).to.deep.equal(HELP_BUTTONS);
      expect(textOf(await h.say('Side effects'))).not.to.include(flows.risk.verdict);
    });
  }

  it('help outside a flow shows the help and the menu', async () => {
    const replies = await createHarness().say('help');
    expect(textOf(replies)).to.include(texts.help[0]);
    expect(buttonsOf(replies)).to.deep.equal(HELP_BUTTONS);
  });
});

describe('dialogs: interruptions', () => {
  it('a red flag mid-flow gets the urgent reply and ends the flow', async () => {
    const h = createHarness();
    expectPrompt(await h.say('how do I take it'), 'howToTake');
    const calls = h.matcherCalls.length;
    const urgent = await h.say('I took too many capsules by mistake');
    expect(urgent).to.have.length(1);
    expect(urgent[0]!.text).to.match(/^If you or someone else has taken more than was prescribed/);
    expect(urgent[0]!.text).to.include('112');
    expect(h.matcherCalls.length, 'red-flag text never reaches the matcher').to.equal(calls);
    // "Not sure" would have answered the flow's question; now it is read on its own.
    const next = textOf(await h.say('Not sure'));
    expect(next).not.to.include(flows.howToTake.options.find((o) => o.id === 'unsure')!.intro);
    expect(next).not.to.include(flows.howToTake.retry);
  });

  it('a request for a personal decision mid-flow gets the deferral and ends the flow', async () => {
    const h = createHarness();
    expectPrompt(await h.say('am I at risk'), 'risk');
    const calls = h.matcherCalls.length;
    const replies = await h.say('should I stop taking it?');
    expect(textOf(replies)).to.match(/^I can't make that decision/);
    expect(h.matcherCalls.length).to.equal(calls);
    expect(textOf(await h.say('Blood clots'))).not.to.include(flows.risk.verdict);
  });

  it('a greeting mid-flow ends the flow with the welcome', async () => {
    const h = createHarness();
    await h.say('am I at risk');
    const replies = await h.say('hello');
    expect(textOf(replies)).to.include('European Medicines Agency');
    expect(buttonsOf(replies)).to.deep.equal(texts.menuButtons);
  });
});

describe('dialogs: a new question in the middle of a flow', () => {
  it('"is it safe with food", then "can I breastfeed": both get the fallback, no re-prompt, no giving up', async () => {
    const h = createHarness();
    expectPrompt(await h.say('how do I take it'), 'howToTake');
    for (const text of ['is it safe with food', 'can I breastfeed']) {
      const replies = await h.say(text);
      expect(replies, text).to.have.length(1);
      expect(textOf(replies), text).to.include(FALLBACK);
      expect(textOf(replies), text).not.to.include(flows.howToTake.retry);
      expect(textOf(replies), text).not.to.include(flows.howToTake.giveUp);
    }
  });

  for (const flow of FLOW_IDS) {
    it(`${flow}: "how do I take it with alcohol" ends the flow with the fallback, never the same prompt again`, async () => {
      const h = createHarness();
      expectPrompt(await h.say(flowTrigger(flow)), flow);
      const replies = await h.say('how do I take it with alcohol');
      expect(replies).to.have.length(1);
      expect(textOf(replies)).to.include(FALLBACK);
      expect(textOf(replies)).not.to.include(flowData(flow).prompt);
      expect(textOf(replies)).not.to.include(flowData(flow).retry);
      // The flow is over: its option title is no longer taken as an answer.
      expect(textOf(await h.say(optionTitles(flow)[1]!))).not.to.include(flowData(flow).retry);
    });
  }

  it('an off-topic statement ends the flow with the fallback', async () => {
    const h = createHarness();
    expectPrompt(await h.say('how do I take it'), 'howToTake');
    expect(textOf(await h.say('I take it with food'))).to.include(FALLBACK);
  });

  it('a question the overview neither answers nor rules out is read afresh, not re-prompted', async () => {
    const text = 'what does it look like?';
    const result = knowledge.matcher.match(text);
    expect(result.kind, 'not answered').not.to.equal('answer');
    expect(result.tokens, 'not on the off-topic list').not.to.include(OFF_TOPIC_TOKEN);
    const h = createHarness();
    expectPrompt(await h.say('am I at risk'), 'risk');
    const calls = h.matcherCalls.length;
    const replies = await h.say(text);
    expect(textOf(replies)).not.to.include(flows.risk.retry);
    expect(textOf(replies)).to.include(FALLBACK);
    expect(h.matcherCalls.slice(calls).map((c) => c.text)).to.deep.equal(['what does it look like']);
  });

  // Answers to the flow's question, some phrased as questions, are still answers.
  const answers: [FlowId, string, string][] = [
    ['howToTake', 'not sure', 'unsure'],
    ['howToTake', 'the one with bortezomib?', 'bortezomib'],
    ['howToTake', '2', 'dexamethasone'],
    ['howToTake', 'is it the one without bortezomib?', 'dexamethasone'],
    ['risk', 'what about pregnancy?', 'pregnancy-woman'],
    ['risk', 'what about my partner?', 'pregnancy-man'],
  ];
  for (const [flow, text, optionId] of answers) {
    it(`${flow}: "${text}" still answers the flow's question`, async () => {
      const h = createHarness();
      expectPrompt(await h.say(flowTrigger(flow)), flow);
      expectFinalAnswer(await h.say(text), flow, optionId);
    });
  }

  it('a lone "what?" or an ambiguous answer is asked again, not read as a new question', async () => {
    const h = createHarness();
    expectPrompt(await h.say('how do I take it'), 'howToTake');
    expectPrompt(await h.say('what?'), 'howToTake', flows.howToTake.retry);
    expectPrompt(await h.say('is it the first one or the second one?'), 'howToTake', flows.howToTake.retry);
  });

  it('a question about the question itself ("what are the options?") asks it again with its choices', async () => {
    for (const flow of FLOW_IDS) {
      const h = createHarness();
      expectPrompt(await h.say(flowTrigger(flow)), flow);
      expectPrompt(await h.say('what are the options?'), flow, flowData(flow).retry);
      expectPrompt(await h.say('sorry, what do you mean?'), flow, flowData(flow).retry);
    }
  });

  it('tells questions from other messages', () => {
    for (const q of ['can I breastfeed', 'what does it look like?', 'food ok?', 'Is it safe with food'])
      expect(isQuestion(q), q).to.equal(true);
    for (const q of ['what?', 'hmm', 'I take it with food', 'not sure', '2'])
      expect(isQuestion(q), q).to.equal(false);
  });
});

describe('dialogs: a follow-up question that ends a flow', () => {
  const followUp = 'and for how long?';

  it(`"${followUp}" with no answer before it gets the honest fallback, not suggestions from elsewhere`, async () => {
    // Outside a flow the matcher finds only a close call for it (its suggestions are the QA finding).
    expect(knowledge.matcher.match(followUp).kind).to.equal('suggest');
    const h = createHarness();
    expectPrompt(await h.say('what is the dose'), 'howToTake');
    const replies = await h.say(followUp);
    expect(replies).to.have.length(1);
    expect(textOf(replies)).to.include(FALLBACK);
    expect(textOf(replies)).not.to.include(texts.suggestIntro);
    expect(buttonsOf(replies)).to.deep.equal([]);
    // The flow ended cleanly: its choice is no longer awaited.
    expect(textOf(await h.say(optionTitles('howToTake')[0]!))).not.to.include(flows.howToTake.retry);
  });
});
