// The safety gate, data-driven from test/safety-examples.json: each red flag and request for a personal
// decision is caught with the right category, and the real bot replies with the urgent or deferral
// text without matching it; ordinary questions, every button and every knowledge-base phrasing pass.
import { expect } from 'chai';
import examples from './safety-examples.json';
import patterns from '../safety/patterns.json';
import { flows } from './fixtures/imnovidFlows';
import texts from '../render/texts.json';
import { languages } from '../safety/languages';
import { fillPlaceholders } from '../render/placeholders';
import {
  createSafetyGate,
  createSafetyCorrector,
  medicineNamesOf,
  safetyMessage,
  type SafetyLevel,
} from '../safety/gate';
import { createHarness, knowledge, textOf, cardOf, type Harness } from './dialogs.harness';
import { answerAsText, templateValues } from '../render/renderer';

const gate = createSafetyGate({ medicineNames: medicineNamesOf([knowledge]) });

/** Each category's level and what an Imnovid patient reads (its own wording from its folder, else the generic). */
const templates = new Map<string, { level: SafetyLevel; message: string }>(
  patterns.categories.map((c) => {
    const level = c.level as SafetyLevel;
    const hit = { level, category: c.category, language: 'en', message: c.message.text };
    return [c.category, { level, message: safetyMessage(hit, knowledge.profile) }] as const;
  }),
);
const thenAnswers = new Set(
  patterns.categories.filter((c) => (c as { thenAnswer?: boolean }).thenAnswer).map((c) => c.category),
);
const isRedFlag = (category: string): boolean => templates.get(category)?.level !== 'defer';
const deferral = patterns.categories.find((c) => c.category === 'personal-decision')!.message.text;

const expectedReply = (category: string, emergency = '112'): string =>
  templates.get(category)!.message.replace(/\{emergency\}/g, emergency);

/** Every button the bot offers: a click sends its value, and a typed title must not alarm either. */
const buttonTexts = [
  ...[flows.howToTake, flows.risk].flatMap((f) => [
    ...f.options.map((o) => o.title),
    ...f.followUps.flatMap((b) => [b.title, b.value]),
  ]),
  ...texts.menuButtons.flatMap((b) => [b.title, b.value]),
  texts.suggestNone,
];

const kbPhrasings = knowledge.kb.pairs.flatMap((p) => [p.question, ...p.alternates, ...p.keywords]);

/** All the bot's own safety wording, to check that ordinary questions get none of it. */
const safetyMessages = [...templates.keys()].map((c) => expectedReply(c));

describe('safety: examples', () => {
  const redFlags = examples.caught.filter((e) => templates.has(e.category) && isRedFlag(e.category));
  const personal = examples.caught.filter((e) => templates.has(e.category) && !isRedFlag(e.category));

  it('has at least 45 red-flag and personal-advice phrasings and 45 ordinary questions', () => {
    expect(examples.caught.length).to.be.at.least(45);
    expect(examples.notCaught.length).to.be.at.least(45);
    expect(redFlags.length + personal.length, 'every example names a known category').to.equal(
      examples.caught.length,
    );
  });

  it('covers every category with at least three phrasings', () => {
    for (const category of templates.keys()) {
      expect(examples.caught.filter((e) => e.category === category).length, category).to.be.at.least(3);
    }
  });
});

describe('safety: caught by the gate, answered by the bot with the urgent or deferral text', () => {
  let h: Harness;
  before(() => {
    h = createHarness();
  });

  for (const { text, category } of examples.caught) {
    it(`${category}: "${text}"`, async () => {
      const hit = gate.check(text);
      expect(hit?.category).to.equal(category);
      expect(hit?.level).to.equal(templates.get(category)!.level);

      const calls = h.matcherCalls.length;
      const replies = await h.say(text);
      // The deferral comes first. After a dose decision, what the overview says may follow; after anything
      // else nothing does, and the message never reaches the matcher.
      expect(replies[0]!.text).to.equal(expectedReply(category));
      if (thenAnswers.has(category)) {
        expect(replies.length).to.be.within(1, 2);
        await h.say('cancel');
      } else {
        expect(replies).to.have.length(1);
        expect(h.matcherCalls.length, 'never reaches the matcher').to.equal(calls);
      }
    });
  }
});

describe('safety: ordinary questions are not caught', () => {
  let h: Harness;
  before(() => {
    h = createHarness();
  });

  for (const text of examples.notCaught) {
    it(`"${text}"`, async () => {
      // A symptom asked about as information is answered (with a line on the signs that need a call).
      const hit = gate.check(text);
      expect(hit === undefined || hit.level === 'information', hit?.category).to.equal(true);
      const reply = textOf(await h.say(text));
      for (const message of safetyMessages) expect(reply).not.to.include(message);
    });
  }

  it('no button title or value of the flows and the menu is caught', async () => {
    expect(buttonTexts.length).to.be.at.least(20);
    for (const text of buttonTexts) {
      // "Side effects" is answered, with the line on the signs that need a call: information, not a flag.
      const hit = gate.check(text);
      expect(hit === undefined || hit.level === 'information', text).to.equal(true);
      const reply = textOf(await h.say(text));
      for (const message of safetyMessages) expect(reply, text).not.to.include(message);
    }
  });

  it('no question, alternate phrasing or keyword of the knowledge base is caught', () => {
    expect(kbPhrasings.length).to.be.at.least(knowledge.kb.pairs.length);
    const caught = kbPhrasings.filter((p) => {
      const hit = gate.check(p);
      return hit !== undefined && hit.level !== 'information';
    });
    expect(caught).to.deep.equal([]);
  });
});

describe('safety: red flags the review found reaching the answers', () => {
  // Each was answered from a knowledge-base pair (a child's fever got the pregnancy answer).
  const found: [string, string][] = [
    ['my child has a fever', 'fever-infection'],
    ['high fever', 'fever-infection'],
    ['I have a cough and fever', 'fever-infection'],
    ['my husband has a high temperature', 'fever-infection'],
    ['I think I have a DVT', 'swollen-leg'],
    ['I can hardly breathe', 'chest-breathing'],
    ['i want to end it', 'self-harm'],
    ['im so tired of living', 'self-harm'],
    ['took an extra one', 'overdose'],
    ['could I be pregnant', 'pregnancy'],
  ];

  for (const [text, category] of found) {
    it(`"${text}" → ${category}, with no knowledge-base answer`, async () => {
      expect(examples.caught, 'listed in safety-examples.json').to.deep.include({ text, category });
      expect(gate.check(text)?.category).to.equal(category);
      const h = createHarness();
      const reply = textOf(await h.say(text));
      expect(reply).to.equal(expectedReply(category));
      expect(h.matcherCalls).to.deep.equal([]);
      for (const pair of knowledge.kb.pairs) expect(reply).not.to.include(pair.answer[0]);
    });
  }
});

describe('safety: a symptom as a side effect is information, a symptom now is a red flag', () => {
  const pairs: [string, string, string][] = [
    ['is fever a side effect', 'I have a fever, is it a side effect?', 'fever-infection'],
    ['can it cause a fever?', 'my child has a fever', 'fever-infection'],
    ['can it cause a DVT', 'I think I have a DVT', 'swollen-leg'],
    ['can it cause a clot in my lungs', 'i think i have a pulmonary embolism', 'chest-breathing'],
    ['does it cause shortness of breath', 'I can hardly breathe', 'chest-breathing'],
    [
      'is a high fever a common side effect',
      'is fever a side effect? I have one right now',
      'fever-infection',
    ],
  ];
  for (const [question, now, category] of pairs) {
    it(`"${question}" passes; "${now}" → ${category}`, () => {
      expect(gate.check(question)?.level, question).to.equal('information');
      expect(gate.check(now)?.category, now).to.equal(category);
    });
  }

  it('only symptom rules let information questions through', () => {
    const passing = patterns.categories.filter((r) => r.passesInformationQuestions).map((r) => r.category);
    expect(passing).to.have.members([
      'chest-breathing',
      'allergic-reaction',
      'heavy-bleeding',
      'fainting-collapse',
      'confusion',
      'swollen-leg',
      'fever-infection',
      'bruising-bleeds',
      'black-stools',
      'less-urine',
      'numbness',
    ]);
    // Overdose, a child swallowing a capsule, self-harm and pregnancy are caught however they are asked.
    expect(gate.check('can it cause an overdose if i took too many capsules')?.category).to.equal('overdose');
    expect(gate.check('is it a side effect that i want to kill myself')?.category).to.equal('self-harm');
  });
});

describe('safety: how-to-take information questions are not personal decisions', () => {
  const fallback = fillPlaceholders(
    texts.fallback,
    templateValues({ kb: knowledge.kb, emergencyNumber: '112' }),
  );
  // Each gets the overview's answer where it has one, the honest fallback where it has none.
  const information: [string, string | undefined][] = [
    ['should i take it with food', undefined],
    ['should I take it with or without food', undefined],
    ['should I take the capsule before or after breakfast', undefined],
    ['should I keep the capsules in the fridge', undefined],
    ['what should I do if I miss a dose', undefined],
    ['should I take it at the same time every day', 'use.dose'],
  ];
  for (const [text, pairId] of information) {
    it(`"${text}" gets ${pairId ?? 'the honest fallback'}, not the deferral`, async () => {
      expect(gate.check(text)).to.equal(undefined);
      const reply = textOf(await createHarness().say(text));
      const pair = knowledge.kb.pairs.find((p) => p.id === pairId);
      expect(reply).to.include(pair ? answerAsText(pair, knowledge.kb) : fallback);
      expect(reply).not.to.include(deferral);
    });
  }

  const decisions = [
    'should I stop taking it',
    'should I skip a dose',
    'should I double my dose',
    'should I take it or not?',
  ];
  for (const text of decisions) {
    it(`"${text}" still gets the deferral`, () => {
      expect(gate.check(text)?.category).to.equal('personal-decision');
    });
  }
});

describe('safety: replies', () => {
  it('fills in the configured emergency number in every urgent reply', async () => {
    const h = createHarness('test', { EMERGENCY_NUMBER: '999' });
    for (const flag of patterns.categories.filter((c) => c.level !== 'defer')) {
      const example = examples.caught.find((e) => e.category === flag.category)!;
      const reply = textOf(await h.say(example.text));
      expect(reply, flag.category).to.equal(expectedReply(flag.category, '999'));
      expect(reply).not.to.include('112');
      // Suspected pregnancy sends the patient to their doctor; every other red flag names the number.
      if (flag.category !== 'pregnancy') expect(reply, flag.category).to.include('999');
    }
  });

  it('gives self-harm crisis support, and tells a suspected pregnancy to stop and call the doctor', () => {
    expect(gate.check('i want to end my life')?.message).to.match(/crisis line/);
    const pregnant = safetyMessage(gate.check('i think im pregnant')!, knowledge.profile);
    expect(pregnant).to.match(/stop taking the medicine/);
    expect(pregnant).to.match(/doctor immediately/);
  });

  it('a deferral never answers yes or no', () => {
    for (const e of examples.caught.filter((c) => !isRedFlag(c.category))) {
      const message = gate.check(e.text)!.message;
      expect(message).not.to.match(/^(yes|no)\b/i);
      expect(message).to.match(/doctor/);
    }
  });

  it('shows an urgent reply in Web Chat as an attention card', async () => {
    const [reply] = await createHarness('webchat').say('chest pian');
    const card = cardOf(reply);
    const container = card.body.find((b) => b.type === 'Container' && b.style === 'attention');
    expect(container, 'attention container').to.exist;
  });

  it('reads the whole of a long message: a red flag after many words is still found', () => {
    const filler = 'what are the side effects '.repeat(200); // 5,200 characters, 1,000 words
    expect(gate.check(`${filler} i want to kill myself`)?.category).to.equal('self-harm');
    expect(gate.check(`${filler} and now my child has a fever`)?.category).to.equal('fever-infection');
    // Typos are corrected in the first words only; a typo there is caught however long the message is.
    expect(gate.check(`chest pian ${filler}`)?.category).to.equal('chest-breathing');
    // The largest message the HTTP endpoint accepts (256 KB).
    const huge = `${'and then some more words '.repeat(10_000)}i took too many capsules`;
    expect(huge.length).to.be.above(250_000);
    expect(gate.check(huge)?.category).to.equal('overdose');
    expect(gate.check('and then some more words '.repeat(10_000))).to.equal(undefined);
  });

  it('lets empty and punctuation-only text through for the bot to handle', () => {
    expect(gate.check('')).to.equal(undefined);
    expect(gate.check('?!...')).to.equal(undefined);
  });
});

describe('safety: typo correction', () => {
  it('corrects near misses of the vocabulary and leaves real words alone', () => {
    const correct = createSafetyCorrector(patterns.vocabulary, patterns.leaveAlone);
    expect(correct('pian')).to.equal('pain'); // a swap of neighbours is one edit
    expect(correct('pregant')).to.equal('pregnant');
    expect(correct('accidently')).to.equal('accidentally'); // long words may be two edits away
    expect(correct('overdoes')).to.equal('overdose');
    expect(correct('sucidal')).to.equal('suicidal');
    expect(correct('fewer')).to.equal('fewer');
    expect(correct('shoulder')).to.equal('shoulder');
    expect(correct('map')).to.equal('map');
    expect(correct('xain')).to.equal('xain');
  });
});

describe('safety: misses found by the QA review', () => {
  it('legs: one-sided swelling, or swelling with pain or heat, is a red flag; both legs a little swollen is not', () => {
    for (const text of [
      'my leg is throbbing and swollen behind the knee',
      'one leg is bigger than the other',
      'my left leg is swollen',
      'my legs are swollen and painful',
      'my calf is red and hot',
      'calf pain',
    ]) {
      expect(gate.check(text)?.category, text).to.equal('swollen-leg');
    }
    for (const text of ['my legs are swollen', 'both my legs are a bit swollen', 'my ankles are swollen']) {
      expect(gate.check(text), text).to.equal(undefined);
    }
  });

  it('an adult taking more of their own medicine gets the overdose reply, not the child/someone-else one', () => {
    const own = [
      'my wife took 3 capsules instead of 1',
      "my mum swallowed 2 of her capsules by mistake and now she's confused",
      'my dad took an extra capsule',
    ];
    for (const text of own) expect(gate.check(text)?.category, text).to.equal('overdose');
    const notTheirs = [
      'My husband took one of my capsules by mistake',
      'my wife swallowed one of my capsules',
      'my toddler swallowed one of my capsules',
      'my husband swallowed a capsule',
    ];
    for (const text of notTheirs) expect(gate.check(text)?.category, text).to.equal('child-swallowed');
  });

  it('dose and treatment decisions for the patient are deferred; questions about the dose are not', () => {
    const decisions = [
      'can i take 4 capsules at once',
      'should i take 3mg instead of 4',
      'is the 4 mg dose right for me',
      'my dose was reduced to 3mg is that ok',
      'is 4mg too much for me',
      'do you think i should start imnovid',
      'am i allowed to take it if i have kidney problems',
      'i have kidney disease can i take it',
      'ok to take it after chemo?',
    ];
    for (const text of decisions) expect(gate.check(text)?.category, text).to.equal('personal-decision');
    const information = [
      'what is the dose',
      'what is the starting dose',
      'can the dose be reduced',
      'my doctor wants to reduce my dose, why',
      'what strengths are the capsules',
      'should i take it with food',
      'can i take it with other medicines',
    ];
    for (const text of information) expect(gate.check(text), text).to.equal(undefined);
  });

  it('an accidental cut that will not stop bleeding gets the bleeding reply; a stated intent stays self-harm', () => {
    for (const text of [
      "I cut myself and the bleeding won't stop",
      "i cut myself shaving and it won't stop bleeding",
      'i accidentally cut myself and it keeps bleeding',
    ]) {
      expect(gate.check(text)?.category, text).to.equal('heavy-bleeding');
    }
    for (const text of [
      'i cut myself',
      'i cut myself on purpose',
      'i want to cut myself',
      "i cut myself on purpose and the bleeding won't stop",
      'i keep thinking about hurting myself',
    ]) {
      expect(gate.check(text)?.category, text).to.equal('self-harm');
    }
  });

  it('bleeding that is not heavy gets the urgent (not the emergency) reply that covers it', () => {
    for (const text of ['bruising everywhere', "i've been bleeding from my gums a lot", 'blood in my pee']) {
      const hit = gate.check(text);
      expect(hit?.category, text).to.equal('bruising-bleeds');
      expect(hit?.level, text).to.equal('urgent');
      expect(hit?.message, text).to.match(/bruising/);
      expect(hit?.message, text).to.match(/doctor/);
    }
  });
});

describe('safety: wording per medicine, detection for all', () => {
  // Imnovid's wording as it was before it moved to its folder: its patients read exactly this.
  const IMNOVID_SHARING =
    "Imnovid is prescribed for one person only: please don't give your capsules to anyone else or take anyone else's. Because it can harm an unborn child, it is supplied under a pregnancy prevention programme. Talk to your doctor or pharmacist.";
  const IMNOVID_PREGNANCY =
    "If you think you might be pregnant, stop taking the medicine and contact your doctor immediately, day or night, as the pregnancy prevention programme requires; don't take it again until your doctor tells you to. If you are a man and your partner might be pregnant, tell your doctor immediately. If you cannot reach them, call {emergency}.";
  const IMNOVID_PREGNANCY_DE =
    'Wenn Sie schwanger sein könnten, nehmen Sie das Arzneimittel nicht weiter ein und wenden Sie sich sofort an Ihre Ärztin oder Ihren Arzt; so verlangt es das Schwangerschaftsverhütungsprogramm. Nehmen Sie es erst wieder ein, wenn Ihre Ärztin oder Ihr Arzt es Ihnen sagt. Wenn Ihre Partnerin schwanger sein könnte, informieren Sie sofort Ihre Ärztin oder Ihren Arzt. Bei starken Beschwerden rufen Sie {emergency} an.';
  const sharing = gate.check('can I give my capsules to my husband')!;
  const pregnant = gate.check('i think im pregnant')!;
  const pregnantDe = gate.check('Ich glaube, ich bin schwanger, was soll ich tun?')!;
  const other = { displayName: 'Zentravo' };

  it("gives Imnovid patients Imnovid's own sharing and pregnancy wording, in English and German", () => {
    expect([sharing.category, pregnant.category, pregnantDe.category]).to.deep.equal([
      'sharing',
      'pregnancy',
      'pregnancy',
    ]);
    expect(pregnantDe.language).to.equal('de');
    expect(safetyMessage(sharing, knowledge.profile)).to.equal(IMNOVID_SHARING);
    expect(safetyMessage(pregnant, knowledge.profile)).to.equal(IMNOVID_PREGNANCY);
    expect(safetyMessage(pregnantDe, knowledge.profile)).to.equal(IMNOVID_PREGNANCY_DE);
  });

  it('gives a medicine without a programme the generic wording, with its name or "this medicine"', () => {
    expect(safetyMessage(sharing, other)).to.match(/^Zentravo is prescribed for one person only/);
    expect(sharing.message).to.match(/^This medicine is prescribed for one person only/);
    for (const text of [
      safetyMessage(sharing, other),
      safetyMessage(pregnant, other),
      safetyMessage(pregnantDe, other),
      sharing.message,
      pregnant.message,
    ]) {
      expect(text).not.to.match(/programm|imnovid/i);
      expect(text).not.to.match(/\{medicine\}/i);
    }
    expect(safetyMessage(pregnant, other)).to.match(/keep taking Zentravo/);
    // Another language without the medicine's own wording: the urgent wording of that language.
    const german = languages.find((l) => l.language === 'de')!;
    expect(safetyMessage(pregnantDe, other)).to.equal(german.messages.urgent!.text);
  });

  it('keeps the information line and the language notice the same for every medicine', () => {
    const info = gate.check('is fever a side effect?')!;
    expect(info.level).to.equal('information');
    expect(safetyMessage(info, knowledge.profile)).to.equal(patterns.information.message.text);
    expect(safetyMessage(info, other)).to.equal(patterns.information.message.text);
  });

  it('finds a red flag naming any medicine served, and none named by a medicine not served', () => {
    const both = createSafetyGate({ medicineNames: ['Imnovid', 'pomalidomide', 'Zentravo', 'lumivastat'] });
    const none = createSafetyGate({ medicineNames: [] });
    for (const name of ['imnovid', 'pomalidomide', 'zentravo', 'lumivastat']) {
      expect(both.check(`my son swallowed a ${name}`)?.category, name).to.equal('child-swallowed');
      expect(both.check(`can my wife try some of my ${name}`)?.category, name).to.equal('sharing');
      // Polish and Spanish take endings on the name.
      expect(both.check(`za duzo ${name}u`)?.category, name).to.equal('overdose');
    }
    expect(gate.check('can my wife try some of my zentravo')?.category).to.not.equal('sharing');
    expect(none.check('can my wife try some of my imnovid')?.category).to.not.equal('sharing');
    // Without names the gate still works on everything else.
    expect(none.check('i have chest pain')?.level).to.equal('emergency');
  });
});
