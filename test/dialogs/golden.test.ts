// Golden conversations: a few whole conversations through the real bot with the real knowledge base
// and matcher, kept as end-to-end checks that the parts fit. They may change when the knowledge base or
// the thresholds do; the routing rules themselves are pinned by routing-fixed.test.ts with a stand-in
// matcher, and each unit by the other files here.
import { expect } from 'chai';
import { flows } from '../fixtures/imnovidFlows';
import texts from '../../render/texts.json';
import { HELP_BUTTONS } from '../../dialogs/replies';
import { createHarness, textOf, buttonsOf } from '../dialogs.harness';
import { pairAnswer, expectPrompt, expectFinalAnswer } from './helpers';

describe('dialogs: golden conversations (real knowledge base)', () => {
  it('a re-prompt can still be answered with free text', async () => {
    const h = createHarness();
    await h.say('how do I take it');
    expectPrompt(await h.say('hmm'), 'howToTake', flows.howToTake.retry);
    expectFinalAnswer(await h.say('just dexamethasone'), 'howToTake', 'dexamethasone');
  });

  it('an unrelated question mid-flow is answered and the flow ends cleanly', async () => {
    const h = createHarness();
    expectPrompt(await h.say('how do I take it'), 'howToTake');
    const replies = await h.say('What is Imnovid used for?');
    expect(replies).to.have.length(1);
    expect(textOf(replies)).to.include(pairAnswer('what.overview'));
    expect(textOf(replies)).not.to.include(flows.howToTake.retry);
    const next = textOf(await h.say('With dexamethasone only'));
    expect(next).not.to.include(flows.howToTake.options.find((o) => o.id === 'dexamethasone')!.intro);
  });

  it("the other flow's trigger mid-flow switches flows", async () => {
    const h = createHarness();
    expectPrompt(await h.say('how do I take it'), 'howToTake');
    expectPrompt(await h.say('Am I at risk?'), 'risk');
    expectFinalAnswer(await h.say('Side effects'), 'risk', 'side-effects');
  });

  it('the follow-up buttons after an answer work: another concern restarts the risk flow', async () => {
    const h = createHarness();
    await h.say('am I at risk');
    const answer = await h.say('Nerve damage');
    const another = buttonsOf(answer).find((b) => b.title === 'Another concern')!;
    expectPrompt(await h.say(another.value), 'risk');
    const askElse = await h.say('Ask something else');
    expect(buttonsOf(askElse)).to.deep.equal(HELP_BUTTONS);
  });

  it('a follow-up the overview answers is still answered mid-flow', async () => {
    const h = createHarness();
    expectPrompt(await h.say('what is the dose'), 'howToTake');
    const replies = await h.say('what are the side effects?');
    expect(textOf(replies)).to.include(pairAnswer('risks.common-side-effects'));
  });

  it('"which ones are serious?" after the side effects is read in that context', async () => {
    const h = createHarness();
    const first = await h.say(texts.menuButtons[2]!.value);
    expect(textOf(first)).to.include(pairAnswer('risks.common-side-effects'));
    const replies = await h.say('which ones are serious?');
    // "Which ones" picks among the last answer's neighbours: the part is read leaning towards its section.
    expect(h.matcherCalls[h.matcherCalls.length - 1]).to.deep.equal({
      text: 'which ones are serious',
      contextPairId: 'risks.common-side-effects',
    });
    expect(textOf(replies)).to.include(pairAnswer('risks.serious-side-effects'));
  });

  it('"and with dexamethasone?" after the bortezomib schedule gives the other schedule', async () => {
    const h = createHarness();
    await h.say('how do I take it');
    await h.say('With bortezomib and dexamethasone');
    const replies = await h.say('and with dexamethasone?');
    expect(h.matcherCalls[h.matcherCalls.length - 1]!.contextPairId).to.equal('use.schedule-bortezomib');
    expect(textOf(replies)).to.include(pairAnswer('use.schedule-dexamethasone'));
  });

  it('"what about men?" after the pregnancy answer gives the answer for men', async () => {
    const h = createHarness();
    await h.say('am I at risk');
    await h.say('Pregnancy (I could become pregnant)');
    const replies = await h.say('what about men?');
    expect(h.matcherCalls[h.matcherCalls.length - 1]!.contextPairId).to.equal('risks.pregnancy');
    expect(textOf(replies)).to.include(pairAnswer('risks.men'));
  });
});
