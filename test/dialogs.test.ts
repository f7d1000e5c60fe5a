// The guided flows and the router, through the real bot: every branch of both flows by click and by
// free text, re-prompts and giving up, global commands, interruptions, follow-ups in context, welcome.
// Assertions name pairs and flows from the data files, never matcher scores.
import { expect } from 'chai';
import { ActivityTypes, type Activity } from 'botbuilder';
import flows from '../dialogs/flows.json';
import texts from '../render/texts.json';
import { fillPlaceholders } from '../render/placeholders';
import {
  createHarness,
  knowledge,
  textOf,
  buttonsOf,
  cardOf,
  cardTexts,
  cardActions,
  type Harness,
} from './dialogs.harness';
import {
  FlowReader,
  flowData as flowTable,
  isBareChoice,
  isNotCovered,
  isQuestion,
  recogniseCommand,
  recogniseFlow,
  recogniseOption,
  recogniseSmallTalk,
  type FlowData,
  type FlowId,
} from '../dialogs/intents';
import { OFF_TOPIC_TOKEN } from '../knowledge/match/normalise';
import { basicForm } from '../text/normal';
import { templateValues } from '../render/renderer';

const { kb } = knowledge;
const LEAFLET_URL =
  'https://www.ema.europa.eu/en/medicines/human/EPAR/imnovid-previously-pomalidomide-celgene';

/** The honest fallback as a text channel shows it. */
const FALLBACK = fillPlaceholders(texts.fallback, templateValues({ kb, emergencyNumber: '112' }));

function pairAnswer(id: string): string {
  const pair = kb.pairs.find((p) => p.id === id);
  if (!pair) throw new Error(`no pair ${id}`);
  return pair.answer.join(' ');
}

const FLOW_IDS: FlowId[] = ['howToTake', 'risk'];

/** How a patient starts each flow: typed, as the Teams command and as the menu button's value. */
const TRIGGERS: Record<FlowId, string[]> = {
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
const FREE_TEXT: Record<string, string[]> = {
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

const flowTrigger = (flow: FlowId): string => TRIGGERS[flow][0]!;
const optionTitles = (flow: FlowId): string[] => flowData(flow).options.map((o) => o.title);
const flowData = (flow: FlowId) => flowTable[flow];

/** The flow's question, as a text-channel reply: the prompt and one button per option. */
function expectPrompt(replies: Partial<Activity>[], flow: FlowId, text = flowData(flow).prompt): void {
  expect(replies).to.have.length(1);
  expect(replies[0]!.text).to.equal(text);
  expect(buttonsOf(replies).map((b) => b.title)).to.deep.equal(optionTitles(flow));
}

/** A final answer on a text channel: every pair verbatim, then the doctor and the leaflet, then follow-ups. */
function expectFinalAnswer(replies: Partial<Activity>[], flow: FlowId, optionId: string): void {
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

describe('dialogs: data', () => {
  it('each flow runs as a dialog under the id that conversation state already holds', () => {
    expect(FLOW_IDS.map((f) => flowData(f).dialogId)).to.deep.equal(['howToTakeDialog', 'riskDialog']);
  });

  it('every pair a flow names exists in the knowledge base', () => {
    for (const flow of FLOW_IDS) {
      for (const option of flowData(flow).options) {
        for (const block of option.blocks) expect(kb.pairs.map((p) => p.id)).to.include(block.pair);
      }
    }
  });

  it('every option is recognised by its own title and by the free-text examples this suite uses', () => {
    for (const flow of FLOW_IDS) {
      for (const option of flowData(flow).options) {
        expect(recogniseOption(flow, option.title)?.id).to.equal(option.id);
        expect(FREE_TEXT[option.id], `free text for ${option.id}`).to.be.an('array').that.is.not.empty;
        for (const text of FREE_TEXT[option.id]!)
          expect(recogniseOption(flow, text)?.id, text).to.equal(option.id);
      }
    }
  });
});

describe('dialogs: every branch of both flows ends with the doctor and the leaflet', () => {
  for (const flow of FLOW_IDS) {
    for (const option of flowData(flow).options) {
      it(`${flow} → ${option.id}, by clicking the button`, async () => {
        const h = createHarness();
        const prompt = await h.say(flowTrigger(flow));
        expectPrompt(prompt, flow);
        const button = buttonsOf(prompt).find((b) => b.title === option.title)!;
        expectFinalAnswer(await h.say(button.value), flow, option.id);
      });

      for (const text of FREE_TEXT[option.id] ?? []) {
        it(`${flow} → ${option.id}, by typing "${text}"`, async () => {
          const h = createHarness();
          expectPrompt(await h.say(flowTrigger(flow)), flow);
          expectFinalAnswer(await h.say(text), flow, option.id);
        });
      }

      it(`${flow} → ${option.id}, by clicking the card button in Web Chat`, async () => {
        const h = createHarness('webchat');
        const [prompt] = await h.say(flowTrigger(flow));
        const submit = cardActions(cardOf(prompt)).find((a) => a.title === option.title)!;
        expect(submit.type).to.equal('Action.Submit');
        const replies = await h.submit(submit.data);
        expect(replies).to.have.length(1);
        const card = cardOf(replies[0]);
        const lines = cardTexts(card);
        for (const block of option.blocks) expect(lines).to.include(pairAnswer(block.pair));
        const last = lines[lines.length - 1]!;
        expect(last)
          .to.match(/package leaflet/i)
          .and.to.match(/\bdoctor\b/i);
        const open = cardActions(card).find((a) => a.type === 'Action.OpenUrl');
        expect(open?.url).to.equal(LEAFLET_URL);
        expect(
          cardActions(card)
            .filter((a) => a.type === 'Action.Submit')
            .map((a) => a.title),
        ).to.deep.equal(flowData(flow).followUps.map((f) => f.title));
      });
    }
  }
});

describe('dialogs: starting the flows', () => {
  for (const flow of FLOW_IDS) {
    for (const trigger of TRIGGERS[flow]) {
      it(`"${trigger}" asks the ${flow} question`, async () => {
        expectPrompt(await createHarness().say(trigger), flow);
      });
    }
  }

  it('skips the question when the first message names the combination', async () => {
    const h = createHarness();
    expectFinalAnswer(await h.say('how do I take it with dexamethasone only'), 'howToTake', 'dexamethasone');
    expectFinalAnswer(await h.say('How should I take Imnovid with bortezomib?'), 'howToTake', 'bortezomib');
  });

  it('skips the question when the first message names the concern', async () => {
    expectFinalAnswer(await createHarness().say('am I at risk of blood clots'), 'risk', 'clots');
  });

  it('"not sure" gives both schedules, labelled, and asks to check the prescription', async () => {
    const h = createHarness();
    await h.say('how do I take it');
    const text = textOf(await h.say('not sure'));
    const unsure = flowData('howToTake').options.find((o) => o.id === 'unsure')!;
    for (const block of unsure.blocks.filter((b) => b.label)) {
      expect(text).to.include(`${block.label}:\n${pairAnswer(block.pair)}`);
    }
    expect(text).to.include(unsure.note!);
  });

  it('starts in Teams from the manifest command text, as a card', async () => {
    const h = createHarness('msteams');
    const replies = await h.send({
      text: 'how do I take it',
      conversation: { id: 'teams-personal', conversationType: 'personal', isGroup: false, name: '' },
    });
    expect(replies).to.have.length(1);
    const card = cardOf(replies[0]);
    expect(cardTexts(card)).to.include(flows.howToTake.prompt);
    expect(cardActions(card).map((a) => a.title)).to.deep.equal(optionTitles('howToTake'));
  });
});

describe('dialogs: re-prompting and giving up', () => {
  for (const flow of FLOW_IDS) {
    it(`${flow}: re-asks ${flows.maxAttempts - 1} times, then stops politely with the doctor and the leaflet`, async () => {
      const h = createHarness();
      expectPrompt(await h.say(flowTrigger(flow)), flow);
      for (let i = 1; i < flows.maxAttempts; i++) {
        expectPrompt(await h.say(`zxqv ${i}`), flow, flowData(flow).retry);
      }
      const giveUp = await h.say('zxqv again');
      expect(giveUp).to.have.length(1);
      expect(giveUp[0]!.text).to.include(flowData(flow).giveUp);
      expect(giveUp[0]!.text)
        .to.match(/\bdoctor\b/)
        .and.to.include(LEAFLET_URL);
      // The flow is over: the same nonsense now gets the ordinary fallback, not the flow's question again.
      const after = textOf(await h.say('zxqv again'));
      expect(after).not.to.include(flowData(flow).retry);
      expect(after).not.to.include(flowData(flow).prompt);
    });
  }

  it('a re-prompt can still be answered with free text', async () => {
    const h = createHarness();
    await h.say('how do I take it');
    expectPrompt(await h.say('hmm'), 'howToTake', flows.howToTake.retry);
    expectFinalAnswer(await h.say('just dexamethasone'), 'howToTake', 'dexamethasone');
  });
});

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
      expect(buttonsOf(replies)).to.deep.equal(texts.menuButtons);
      expect(textOf(await h.say('Side effects'))).not.to.include(flows.risk.verdict);
    });
  }

  it('help outside a flow shows the help and the menu', async () => {
    const replies = await createHarness().say('help');
    expect(textOf(replies)).to.include(texts.help[0]);
    expect(buttonsOf(replies)).to.deep.equal(texts.menuButtons);
  });
});

describe('dialogs: interruptions', () => {
  it('a red flag mid-flow gets the urgent reply and ends the flow', async () => {
    const h = createHarness();
    expectPrompt(await h.say('how do I take it'), 'howToTake');
    const calls = h.matcherCalls.length;
    const urgent = await h.say('I took too many capsules by mistake');
    expect(urgent).to.have.length(1);
    expect(urgent[0]!.text).to.match(/^If you have taken more than you were prescribed/);
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

  it('a greeting mid-flow ends the flow with the welcome', async () => {
    const h = createHarness();
    await h.say('am I at risk');
    const replies = await h.say('hello');
    expect(textOf(replies)).to.include('European Medicines Agency');
    expect(buttonsOf(replies)).to.deep.equal(texts.menuButtons);
  });

  it('the follow-up buttons after an answer work: another concern restarts the risk flow', async () => {
    const h = createHarness();
    await h.say('am I at risk');
    const answer = await h.say('Nerve damage');
    const another = buttonsOf(answer).find((b) => b.title === 'Another concern')!;
    expectPrompt(await h.say(another.value), 'risk');
    const askElse = await h.say('Ask something else');
    expect(buttonsOf(askElse)).to.deep.equal(texts.menuButtons);
  });
});

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
      const reader = new FlowReader(copy[flow] as FlowData, copy);
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
    const { maxWords } = flows.picks;
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

describe('dialogs: flow triggers about a topic the overview never covers', () => {
  const uncovered = [
    'when do I take it if I miss a dose',
    'how do I take it with alcohol',
    'is it safe for me to drive',
    'am I at risk if I drink alcohol',
    'how many capsules can I take with painkillers',
  ];
  for (const text of uncovered) {
    it(`"${text}" gets the honest fallback, not a flow`, async () => {
      // The matcher's own off-topic list decides; the flow trigger alone would have started a flow.
      expect(knowledge.matcher.match(text).tokens).to.include(OFF_TOPIC_TOKEN);
      const h = createHarness();
      const replies = await h.say(text);
      expect(replies).to.have.length(1);
      expect(textOf(replies)).to.include(FALLBACK);
      for (const flow of FLOW_IDS) expect(textOf(replies)).not.to.include(flowData(flow).prompt);
      // No flow is waiting: a choice's title is now read on its own.
      const next = textOf(await h.say('With dexamethasone only'));
      expect(next).not.to.include(flows.howToTake.options[1]!.intro);
    });
  }
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
    expect(h.matcherCalls.slice(calls).map((c) => c.text)).to.include(text);
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

describe('dialogs: follow-ups in context', () => {
  it('"which ones are serious?" after the side effects is read in that context', async () => {
    const h = createHarness();
    const first = await h.say(texts.menuButtons[2]!.value);
    expect(textOf(first)).to.include(pairAnswer('risks.common-side-effects'));
    const replies = await h.say('which ones are serious?');
    expect(h.matcherCalls[h.matcherCalls.length - 1]).to.deep.equal({
      text: 'which ones are serious?',
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

describe('dialogs: welcome', () => {
  const welcomeChecks = (text: string, emergency: string): void => {
    expect(text).to.include('European Medicines Agency');
    expect(text).to.include(kb.lastUpdatedText);
    expect(text).to.match(/can't give medical advice/);
    expect(text).to.include(`call ${emergency}`);
  };

  it('welcomes a user who joins, with the menu', async () => {
    const h = createHarness();
    const { bot, user } = h.adapter.conversation;
    const replies = await h.send({ type: ActivityTypes.ConversationUpdate, membersAdded: [bot!, user!] });
    expect(replies).to.have.length(1);
    welcomeChecks(textOf(replies), '112');
    expect(buttonsOf(replies)).to.deep.equal(texts.menuButtons);
    const titles = buttonsOf(replies).map((b) => b.title);
    expect(titles).to.include.members(['How do I take it?', 'Am I at risk?']);
  });

  it('says nothing when only the bot is added', async () => {
    const h = createHarness();
    const replies = await h.send({
      type: ActivityTypes.ConversationUpdate,
      membersAdded: [h.adapter.conversation.bot],
    });
    expect(replies).to.have.length(0);
  });

  it('welcomes on "hello", with the configured emergency number', async () => {
    const replies = await createHarness('test', { EMERGENCY_NUMBER: '999' }).say('Hello!');
    welcomeChecks(textOf(replies), '999');
    expect(textOf(replies)).not.to.include('112');
    expect(buttonsOf(replies)).to.deep.equal(texts.menuButtons);
  });

  it('welcomes in Web Chat with an Adaptive Card carrying the menu buttons', async () => {
    const h = createHarness('webchat');
    const { bot, user } = h.adapter.conversation;
    const replies = await h.send({ type: ActivityTypes.ConversationUpdate, membersAdded: [bot!, user!] });
    expect(replies).to.have.length(1);
    const card = cardOf(replies[0]);
    expect(cardActions(card).map((a) => a.title)).to.deep.equal(texts.menuButtons.map((b) => b.title));
    welcomeChecks(cardTexts(card).join('\n'), '112');
  });
});

/** The "tell me more" reply, with the menu as the next step. */
function expectUnclear(replies: Partial<Activity>[]): void {
  expect(replies).to.have.length(1);
  expect(textOf(replies)).to.include(
    fillPlaceholders(texts.unclear, templateValues({ kb, emergencyNumber: '112' })),
  );
  expect(textOf(replies)).not.to.include(texts.suggestIntro);
  expect(buttonsOf(replies)).to.deep.equal(texts.menuButtons);
}

describe('dialogs: a lone number or letter with no choice waiting', () => {
  const situations: [string, (h: Harness) => Promise<void>][] = [
    ['at the start', async () => {}],
    [
      'after an answer',
      async (h) => {
        expect(textOf(await h.say('what are the side effects?'))).to.include(
          pairAnswer('risks.common-side-effects'),
        );
      },
    ],
    [
      'after urgent advice that ended a flow',
      async (h) => {
        expectPrompt(await h.say('how do I take it'), 'howToTake');
        expect(textOf(await h.say('I took too many capsules by mistake'))).to.include('112');
      },
    ],
    [
      'after a flow gave its answer',
      async (h) => {
        expectPrompt(await h.say('am I at risk'), 'risk');
        expectFinalAnswer(await h.say('Infections'), 'risk', 'infections');
      },
    ],
  ];
  for (const [when, before] of situations) {
    for (const said of ['1', '2', '12', 'b', 'C']) {
      it(`"${said}" ${when} asks what the patient would like to know, with the menu; no matching`, async () => {
        const h = createHarness();
        await before(h);
        const calls = h.matcherCalls.length;
        expectUnclear(await h.say(said));
        expect(h.matcherCalls.length, `"${said}" never reaches the matcher`).to.equal(calls);
      });
    }
  }

  it('while a flow waits for a choice, a number still picks it', async () => {
    const h = createHarness();
    expectPrompt(await h.say('am I at risk'), 'risk');
    expectFinalAnswer(await h.say('4'), 'risk', 'clots');
  });
});

describe('dialogs: dispensing and pack quantities are not covered', () => {
  const questions = [
    'how many capsules can we dispense at once',
    'How many capsules can we dispense at once?',
    'how many tablets can I supply per prescription',
    'how many capsules are in a pack?',
    'how many capsules per box',
    'how many pills can we order at once',
    'maximum number of capsules a doctor can prescribe',
    'what pack sizes are there',
  ];
  for (const text of questions) {
    it(`"${text}" gets the honest fallback, not the how-to-take question`, async () => {
      const replies = await createHarness().say(text);
      expect(replies).to.have.length(1);
      expect(textOf(replies)).to.include(FALLBACK);
      expect(textOf(replies)).not.to.include(flows.howToTake.prompt);
    });
  }

  it('mid-flow, such a question ends the flow with the fallback', async () => {
    const h = createHarness();
    expectPrompt(await h.say('what is the dose'), 'howToTake');
    const replies = await h.say('how many capsules can we dispense at once?');
    expect(replies).to.have.length(1);
    expect(textOf(replies)).to.include(FALLBACK);
    expect(textOf(await h.say(optionTitles('howToTake')[1]!))).not.to.include(flows.howToTake.retry);
  });

  it('the how-to-take trigger itself ignores dispensing and pack quantities', () => {
    for (const text of questions.slice(0, 6)) expect(recogniseFlow(text), text).to.equal(undefined);
    expect(recogniseFlow('how many capsules do I take')).to.equal('howToTake');
  });

  it('a patient asking how many capsules to take still gets the how-to-take question', async () => {
    for (const text of ['how many capsules do I take', 'how many tablets a day?']) {
      expectPrompt(await createHarness().say(text), 'howToTake');
    }
  });
});

describe('dialogs: a follow-up question that ends a flow', () => {
  const followUp = 'and for how long?';

  it(`"${followUp}" after "what is the dose" gets the honest fallback, not suggestions from elsewhere`, async () => {
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

  it('a follow-up the overview answers is still answered mid-flow', async () => {
    const h = createHarness();
    expectPrompt(await h.say('what is the dose'), 'howToTake');
    const replies = await h.say('what are the side effects?');
    expect(textOf(replies)).to.include(pairAnswer('risks.common-side-effects'));
  });
});

describe('dialogs: fallback and unclear messages', () => {
  it('the honest fallback also says what to do if the patient feels unwell, with the configured number', async () => {
    const chat = createHarness('test', { EMERGENCY_NUMBER: '999' });
    const text = textOf(await chat.say('can I drink alcohol with it?'));
    expect(text).to.include(
      fillPlaceholders(texts.fallback, templateValues({ kb: knowledge.kb, emergencyNumber: '999' })),
    );
    expect(text).to.include(
      fillPlaceholders(texts.fallbackSafety, templateValues({ kb: knowledge.kb, emergencyNumber: '999' })),
    );
    expect(text).to.include('999');
  });

  for (const said of ['ok', 'imnovid', 'what about it']) {
    it(`"${said}" asks for more, with the menu, instead of saying the overview does not cover it`, async () => {
      const chat = createHarness();
      const replies = await chat.say(said);
      const text = textOf(replies);
      expect(text).to.include(
        fillPlaceholders(texts.unclear, templateValues({ kb: knowledge.kb, emergencyNumber: '112' })),
      );
      expect(text).not.to.include("can't answer");
      expect(buttonsOf(replies).map((b) => b.title)).to.deep.equal(texts.menuButtons.map((b) => b.title));
    });
  }
});

describe('dialogs: declining', () => {
  for (const said of ['no', 'nope', 'no thank you']) {
    it(`"${said}" after "anything else?" gets a friendly close, not "the overview doesn't cover it"`, async () => {
      const chat = createHarness();
      await chat.say('thanks');
      const text = textOf(await chat.say(said));
      expect(text).to.equal(
        fillPlaceholders(
          texts.smalltalk.decline,
          templateValues({ kb: knowledge.kb, emergencyNumber: '112' }),
        ),
      );
    });
  }
});

describe('dialogs: thanks in everyday words', () => {
  for (const said of ['cheers mate', "thanks, that's helpful", 'thank you that was really useful', 'ta']) {
    it(`"${said}" is thanks, not a question the overview cannot answer`, async () => {
      const text = textOf(await createHarness().say(said));
      expect(text).to.equal(
        fillPlaceholders(
          texts.smalltalk.thanks,
          templateValues({ kb: knowledge.kb, emergencyNumber: '112' }),
        ),
      );
    });
  }
});

describe('dialogs: the incoming activity is read, never rewritten', () => {
  it('a Web Chat card button press (data as the value, no text) picks the option; the activity stays as sent', async () => {
    const h = createHarness('webchat');
    const [prompt] = await h.say(flowTrigger('howToTake'));
    const option = flowData('howToTake').options[1]!;
    const submit = cardActions(cardOf(prompt)).find((a) => a.title === option.title)!;
    const incoming: Partial<Activity> = { type: ActivityTypes.Message, value: submit.data };
    await h.adapter.processActivity(incoming);
    const replies = h.adapter.activeQueue.splice(0);
    expect(cardTexts(cardOf(replies[0]))).to.include(pairAnswer(option.blocks[0]!.pair));
    expect(incoming.text).to.equal(undefined);
    expect(incoming.value).to.deep.equal(submit.data);
  });
});

describe('dialogs: a turn with no flow running is routed without the dialog machinery', () => {
  /** A harness whose adapter keeps trace activities, as the Emulator and expectReplies callers get them. */
  function tracing(): Harness {
    const h = createHarness();
    h.adapter.enableTrace = true;
    return h;
  }
  const traceOf = (replies: Partial<Activity>[]): Partial<Activity> | undefined =>
    replies.find((r) => r.type === ActivityTypes.Trace);

  it('ends with the BotState trace runDialog sends when no dialog is left running', async () => {
    const h = tracing();
    // The first turn is routed directly; the second ends a flow inside runDialog.
    const direct = await h.say('What is Imnovid used for?');
    await h.say('how do I take it');
    const viaDialogs = await h.say('with dexamethasone only');
    for (const [replies, text] of [
      [direct, 'What is Imnovid used for?'],
      [viaDialogs, 'with dexamethasone only'],
    ] as const) {
      expect(replies.map((r) => r.type)).to.deep.equal([ActivityTypes.Message, ActivityTypes.Trace]);
      const trace = traceOf(replies)!;
      expect(trace.name).to.equal('BotState');
      expect(trace.label).to.equal('Bot State');
      expect(trace.valueType).to.equal('https://www.botframework.com/schemas/botState');
      // As it travels: runDialog's memory snapshot also names empty scopes, which JSON leaves out.
      const value = JSON.parse(JSON.stringify(trace.value)) as { turn: { activity: Partial<Activity> } };
      expect(Object.keys(value)).to.deep.equal(['turn']);
      expect(value.turn.activity.text).to.equal(text);
    }
  });

  it('matches a message that starts a flow once, and the flow begins as before', async () => {
    const h = createHarness();
    expectPrompt(await h.say('how do I take it'), 'howToTake');
    expect(h.matcherCalls.map((c) => c.text)).to.deep.equal(['how do I take it']);
    expectFinalAnswer(await h.say('with dexamethasone only'), 'howToTake', 'dexamethasone');
  });

  it("keeps runDialog for a skill's turn, which ends with an EndOfConversation to the parent bot", async () => {
    const h = createHarness();
    h.adapter.use(async (context, next) => {
      // A skill claim: a token version, this bot as the audience, another bot as the caller.
      const claims = [
        { type: 'ver', value: '1.0' },
        { type: 'aud', value: 'this-bot-app-id' },
        { type: 'appid', value: 'parent-bot-app-id' },
      ];
      context.turnState.set(context.adapter.BotIdentityKey, { isAuthenticated: true, claims });
      await next();
    });
    const replies = await h.say('What is Imnovid used for?');
    expect(replies.map((r) => r.type)).to.deep.equal([
      ActivityTypes.Message,
      ActivityTypes.EndOfConversation,
    ]);
    // Without the skill claim the same message gets its answer alone.
    expect((await createHarness().say('What is Imnovid used for?')).map((r) => r.type)).to.deep.equal([
      ActivityTypes.Message,
    ]);
  });
});

describe('intents: the basic form a caller already has', () => {
  it('gives the same answers as letting each recogniser normalise the message', () => {
    const messages = [
      ...Object.values(TRIGGERS).flat(),
      'help please',
      'ok cancel',
      'thanks!',
      '2',
      'How many capsules are in a pack?',
      'What is Imnovid used for?',
      'Hi there',
    ];
    for (const text of messages) {
      const basic = basicForm(text);
      expect(recogniseCommand(text, basic), text).to.equal(recogniseCommand(text));
      expect(recogniseSmallTalk(text, basic), text).to.equal(recogniseSmallTalk(text));
      expect(recogniseFlow(text, basic), text).to.equal(recogniseFlow(text));
      expect(isBareChoice(text, basic), text).to.equal(isBareChoice(text));
      expect(isNotCovered(text, basic), text).to.equal(isNotCovered(text));
    }
  });
});
