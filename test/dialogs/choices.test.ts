// How an answer to a flow's question is read: negations and hedges about the combination, and picks
// by number, ordinal, letter or title in the order the options are listed.
import { expect } from 'chai';
import { flows } from '../fixtures/imnovidFlows';
import rules from '../../dialogs/flows.json';
import { createHarness, textOf } from '../dialogs.harness';
import { FlowReader, type FlowData, type FlowId } from '../../dialogs/intents';
import { recogniseOption } from '../fixtures/imnovidFlows';
import {
  pairAnswer,
  FLOW_IDS,
  FREE_TEXT,
  flowTrigger,
  flowData,
  expectPrompt,
  expectFinalAnswer,
} from './helpers';

describe('dialogs: negated and ambiguous combinations', () => {
  // Each negates bortezomib, so the answer is the dexamethasone-only schedule (these all got bortezomib's).
  const notBortezomib = [
    "I'm not on bortezomib",
    "I don't take bortezomib",
    'not the one with bortezomib, just dexamethasone',
    'only dexamethasone, bortezomib was stopped',
    'not on bortezomib just dexamethasone',
    'I stopped bortezomib',
    'bortezomib has been stopped',
    'no velcade',
    'I used to have bortezomib, now only dexamethasone',
    'bortezomib? no, just dexamethasone',
  ];
  for (const text of notBortezomib) {
    it(`"${text}" gives the dexamethasone-only schedule`, async () => {
      expect(recogniseOption('howToTake', text)?.id).to.equal('dexamethasone');
      const h = createHarness();
      expectPrompt(await h.say('how do I take it'), 'howToTake');
      const replies = await h.say(text);
      expectFinalAnswer(replies, 'howToTake', 'dexamethasone');
      expect(textOf(replies)).not.to.include(pairAnswer('use.schedule-bortezomib'));
    });
  }

  it('a medicine named without negation still picks its combination', () => {
    for (const text of [
      'bortezomib and dexamethasone',
      'both bortezomib and dexamethasone',
      'with velcade',
    ]) {
      expect(recogniseOption('howToTake', text)?.id, text).to.equal('bortezomib');
    }
    for (const text of ['dex only', 'dexamethasone alone', 'just dexamethasone']) {
      expect(recogniseOption('howToTake', text)?.id, text).to.equal('dexamethasone');
    }
    // "only" after both names belongs to the pair, not to dexamethasone alone.
    expect(recogniseOption('howToTake', 'I take bortezomib and dexamethasone only')?.id).to.equal(
      'bortezomib',
    );
    expect(recogniseOption('howToTake', 'bortezomib, not dexamethasone only')?.id).to.equal('bortezomib');
  });

  it('a hedge wins over a named medicine: both schedules, labelled', () => {
    for (const text of [
      'not sure, maybe bortezomib',
      "I think bortezomib but I'm not 100% sure",
      "don't know if it's velcade",
    ]) {
      expect(recogniseOption('howToTake', text)?.id, text).to.equal('unsure');
    }
  });

  for (const text of ["I don't take dexamethasone", 'the first one or the second one']) {
    it(`"${text}" fits no single combination: asked again, not guessed`, async () => {
      expect(recogniseOption('howToTake', text)).to.equal(undefined);
      const h = createHarness();
      expectPrompt(await h.say('how do I take it'), 'howToTake');
      expectPrompt(await h.say(text), 'howToTake', flows.howToTake.retry);
      expectFinalAnswer(await h.say('just dexamethasone'), 'howToTake', 'dexamethasone');
    });
  }

  it('a negation in the message that starts the flow is read too', async () => {
    const replies = await createHarness().say("how do I take it if I'm not on bortezomib");
    expectFinalAnswer(replies, 'howToTake', 'dexamethasone');
  });

  it('the risk flow keeps taking the first listed of several concerns', () => {
    expect(recogniseOption('risk', 'side effects like infections')?.id).to.equal('side-effects');
  });
});

describe('dialogs: picks by number, ordinal, letter or title follow the options as listed', () => {
  const ORDINALS = ['first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh'];
  const SUFFIXES = ['st', 'nd', 'rd', 'th', 'th', 'th', 'th'];

  /** A copy of flows.json with every flow's options in reverse order. */
  function reversedFlows(): typeof flows {
    const copy = JSON.parse(JSON.stringify(flows)) as typeof flows;
    for (const flow of FLOW_IDS) copy[flow].options.reverse();
    return copy;
  }

  for (const flow of FLOW_IDS) {
    it(`${flow}: after reordering the options, each position still picks the option shown there`, () => {
      const copy = reversedFlows();
      const reader = new FlowReader(copy[flow] as FlowData, rules);
      const original = new FlowReader(flowData(flow));
      const shown = copy[flow].options;
      expect(shown.map((o) => o.id)).not.to.deep.equal(flowData(flow).options.map((o) => o.id));
      shown.forEach((option, i) => {
        const n = i + 1;
        const ways = [
          `${n}`,
          `the ${ORDINALS[i]!} one`,
          `${ORDINALS[i]!} option`,
          `${n}${SUFFIXES[i]!}`,
          `option ${String.fromCharCode(97 + i)}`,
          option.title,
        ];
        for (const said of ways) expect(reader.option(said)?.id, `"${said}"`).to.equal(option.id);
        // The same number in the order as shipped names whatever is listed there.
        expect(original.option(`${n}`)?.id).to.equal(flowData(flow).options[i]!.id);
      });
      // What the patient says about their medicines or concern does not depend on the order.
      for (const option of shown) {
        for (const text of FREE_TEXT[option.id]!) expect(reader.option(text)?.id, text).to.equal(option.id);
      }
    });
  }

  it('a number or ordinal amid other words picks nothing: it may mean something else', () => {
    for (const text of ['no one told me', 'my 2 children', 'I took 2 yesterday', 'the last one']) {
      for (const flow of FLOW_IDS) {
        expect(recogniseOption(flow, text), `${flow}: "${text}"`).to.equal(undefined);
      }
    }
  });

  it('a pick is a short message: past maxWords words, even filler around a number picks nothing', () => {
    const { maxWords } = rules.picks;
    const padded = (n: number): string => `${'please '.repeat(n - 1)}2`;
    expect(recogniseOption('howToTake', padded(maxWords))?.id).to.equal('dexamethasone');
    expect(recogniseOption('howToTake', padded(maxWords + 1))).to.equal(undefined);
  });

  it('a number beyond the list picks nothing', () => {
    expect(recogniseOption('howToTake', '4')).to.equal(undefined);
    expect(recogniseOption('risk', '8')).to.equal(undefined);
  });

  it('the flow\'s own patterns come first: "3 week" is the bortezomib schedule, not option 3', () => {
    expect(recogniseOption('howToTake', '3 week')?.id).to.equal('bortezomib');
  });

  const typed: [FlowId, string, string][] = [
    ['howToTake', 'the second one', 'dexamethasone'],
    ['howToTake', '2nd', 'dexamethasone'],
    ['howToTake', 'b', 'dexamethasone'],
    ['howToTake', 'first option please', 'bortezomib'],
    ['risk', 'the third one', 'side-effects'],
    ['risk', 'option 5', 'infections'],
    // "number" is no "numb": it names a position, not a nerve symptom.
    ['risk', 'number 5', 'infections'],
    ['risk', 'my feet feel numb', 'nerves'],
    ['risk', '7', 'other'],
  ];
  for (const [flow, text, optionId] of typed) {
    it(`${flow}: "${text}" answers the flow's question`, async () => {
      const h = createHarness();
      expectPrompt(await h.say(flowTrigger(flow)), flow);
      expectFinalAnswer(await h.say(text), flow, optionId);
    });
  }
});
