// The router with no flow waiting: uncovered topics that name a flow, lone choices,
// dispensing questions, the fallback, small talk, and the recognisers' shared basic form.
import { expect } from 'chai';
import { flows } from '../fixtures/imnovidFlows';
import texts from '../../render/texts.json';
import { fillPlaceholders } from '../../render/placeholders';
import { createHarness, knowledge, textOf, buttonsOf, type Harness } from '../dialogs.harness';
import {
  isBareChoice,
  isNotCovered,
  recogniseCommand,
  recogniseFlow,
  recogniseSmallTalk,
} from '../../dialogs/intents';
import { OFF_TOPIC_TOKEN } from '../../knowledge/match/normalise';
import { basicForm } from '../../text/normal';
import { templateValues } from '../../render/renderer';
import {
  FALLBACK,
  pairAnswer,
  FLOW_IDS,
  TRIGGERS,
  optionTitles,
  flowData,
  expectPrompt,
  expectFinalAnswer,
  expectUnclear,
} from './helpers';

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
