// The two guided flows from start to end: the data they run on, every branch by click, typed text
// and Web Chat card, how each flow starts, and re-prompting until the flow gives up.
import { expect } from 'chai';
import { flows } from '../fixtures/imnovidFlows';
import rules from '../../dialogs/flows.json';
import {
  createHarness,
  textOf,
  buttonsOf,
  cardOf,
  cardTexts,
  cardActions,
  cardProse,
} from '../dialogs.harness';
import { recogniseOption } from '../fixtures/imnovidFlows';
import {
  kb,
  LEAFLET_URL,
  pairAnswer,
  pairShown,
  FLOW_IDS,
  TRIGGERS,
  FREE_TEXT,
  flowTrigger,
  optionTitles,
  flowData,
  expectPrompt,
  expectFinalAnswer,
} from './helpers';

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
        const prose = cardProse(card);
        for (const block of option.blocks) expect(prose).to.include(pairShown(block.pair));
        // Issue 14: the disclaimer, then the leaflet as a link in the text (not a button like the questions).
        const lines = cardTexts(card);
        expect(lines[lines.length - 2])
          .to.match(/package leaflet/i)
          .and.to.match(/\bdoctor\b/i);
        expect(lines[lines.length - 1]).to.match(/^\[.*package leaflet.*\]\((.+)\)$/i);
        expect(lines[lines.length - 1]).to.include(`](${LEAFLET_URL})`);
        expect(cardActions(card).filter((a) => a.type === 'Action.OpenUrl')).to.deep.equal([]);
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
    it(`${flow}: re-asks ${rules.maxAttempts - 1} times, then stops politely with the doctor and the leaflet`, async () => {
      const h = createHarness();
      expectPrompt(await h.say(flowTrigger(flow)), flow);
      for (let i = 1; i < rules.maxAttempts; i++) {
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
});
