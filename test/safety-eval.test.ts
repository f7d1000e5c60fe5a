// The safety gate against its evaluation sets (issue 12) and against disguised text: floors from
// `npm run eval:safety` on the tuned set, every red-flag example caught again when written with invisible
// characters, look-alike letters or fullwidth forms, and no English message of any evaluation set taken
// for another language.
import { expect } from 'chai';
import examples from './safety-examples.json';
import patterns from '../safety/patterns.json';
import { createSafetyGate, medicineNamesOf } from '../safety/gate';
import { languages } from '../safety/languages';
import { englishMessages, loadSafetySet, scoreSafety } from './eval/safety';
import { createHarness, knowledge, textOf } from './dialogs.harness';
import { answerAsText } from '../render/renderer';

const gate = createSafetyGate({ medicineNames: medicineNamesOf([knowledge]) });
const redFlagCategories = new Set(
  patterns.categories.filter((c) => c.level !== 'defer').map((c) => c.category),
);

/** Latin letters and a Cyrillic letter that looks the same. */
const LOOK_ALIKE: Record<string, string> = { a: 'а', e: 'е', o: 'о', c: 'с', p: 'р', x: 'х', y: 'у', i: 'і' };

/** Ways to disguise a message that a reader would still read the same. */
const disguises: [string, (text: string) => string][] = [
  [
    'a zero-width space inside its longest word',
    (t) => insideLongestWord(t, (w) => `${w.slice(0, 2)}\u200b${w.slice(2)}`),
  ],
  [
    'a soft hyphen and a direction mark inside it',
    (t) => insideLongestWord(t, (w) => `${w[0]}\u00ad${w.slice(1, 3)}\u200f${w.slice(3)}`),
  ],
  [
    'a Cyrillic look-alike letter in it',
    (t) =>
      insideLongestWord(t, (w) => {
        const i = [...w].findIndex((c) => LOOK_ALIKE[c] !== undefined);
        return i < 0 ? w : `${w.slice(0, i)}${LOOK_ALIKE[w[i]!]}${w.slice(i + 1)}`;
      }),
  ],
  ['fullwidth letters', (t) => t.replace(/[a-z]/gi, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0))],
];

function insideLongestWord(text: string, change: (word: string) => string): string {
  const longest = text.split(/\s+/).reduce((a, b) => (b.length > a.length ? b : a), '');
  return longest.length < 4 ? text : text.replace(longest, change(longest));
}

describe('safety: disguised text is read as a reader sees it', () => {
  const redFlags = examples.caught.filter((e) => redFlagCategories.has(e.category));

  it('has red-flag examples of every red-flag category to disguise', () => {
    expect(new Set(redFlags.map((e) => e.category))).to.deep.equal(redFlagCategories);
  });

  for (const [name, disguise] of disguises) {
    it(`catches every red-flag example written with ${name}`, () => {
      const missed = redFlags
        .map((e) => ({ ...e, disguised: disguise(e.text) }))
        .filter((e) => gate.check(e.disguised)?.category !== e.category)
        .map((e) => `${e.category}: ${JSON.stringify(e.disguised)}`);
      expect(missed).to.deep.equal([]);
    });
  }

  it('leaves a word wholly in another script alone (no look-alike rewriting of Cyrillic text)', () => {
    expect(gate.check('Привет, как дела?')?.level).to.not.equal('emergency');
  });
});

for (const file of ['safety.json', 'safety-extra.json', 'safety-extra2.json']) {
  describe(`safety: the tuning set ${file}`, () => {
    const report = scoreSafety(loadSafetySet(file), gate);

    it('escalates every red flag, at the right level in at least 95 %', () => {
      expect(report.recall).to.equal(1);
      expect(report.rightLevel).to.be.at.least(0.95);
      expect(report.emergencyMissed).to.equal(0);
    });

    it('defers dose decisions, sharing and stopping', () => {
      expect(report.deferRecall).to.be.at.least(0.95);
    });

    it('escalates at most 2 % of ordinary and information messages', () => {
      expect(report.falseEscalation).to.be.at.most(0.02);
    });
  });
}

describe('safety: the blind set (floors from its one run on 2026-11-28, never tuned on)', () => {
  const report = scoreSafety(loadSafetySet('safety-blind.json'), gate);

  it('does not lose ground: red-flag recall, right level and deferrals at least as measured', () => {
    expect(report.recall).to.be.at.least(0.8);
    expect(report.rightLevel).to.be.at.least(0.8);
    expect(report.deferRecall).to.be.at.least(0.59);
  });

  it('escalates at most 2 % of its ordinary and information messages', () => {
    expect(report.falseEscalation).to.be.at.most(0.02);
  });
});

describe('safety: the language notice', () => {
  it('never takes an English message of any evaluation set for another language', () => {
    const messages = englishMessages();
    expect(messages.length).to.be.at.least(1500);
    const notices = messages.filter((t) => gate.check(t)?.level === 'notice');
    expect(notices).to.deep.equal([]);
  });

  it('does not judge short messages', () => {
    expect(gate.check('EMA phone number')).to.equal(undefined);
    expect(gate.check('merci')).to.equal(undefined);
  });

  it('answers a message in a script it cannot read with the English notice', () => {
    const hit = gate.check('这个药有什么副作用吗？我应该怎么服用');
    expect(hit?.level).to.equal('notice');
    expect(hit?.language).to.equal('en');
    expect(hit?.message).to.equal(patterns.notice.text);
  });
});

const CONTACTS = JSON.stringify([{ name: 'Hospital pharmacy', phone: '+44 20 7946 0000' }]);

describe('safety: what the patient reads, through the real bot', () => {
  const fill = (text: string): string => text.replace(/\{emergency\}/g, '112');
  const german = languages.find((l) => l.language === 'de')!;
  const french = languages.find((l) => l.language === 'fr')!;

  it('answers a German emergency in German, with the configured emergency number', async () => {
    const replies = await createHarness().say('Ich habe starke Schmerzen in der Brust und bekomme kaum Luft');
    expect(textOf(replies)).to.equal(fill(german.messages.emergency!.text));
  });

  it('answers a French question the overview could answer with the French notice, not an English fallback', async () => {
    const h = createHarness();
    const replies = await h.say('Bonjour, est-ce que vous pouvez me dire à quoi sert ce médicament ?');
    expect(textOf(replies)).to.equal(fill(french.notice.text));
    expect(h.matcherCalls).to.deep.equal([]);
  });

  it('answers a request for a person in any of the seven languages with its notice, then the helpdesk', async () => {
    for (const [language, text] of [
      ['de', 'Ich möchte bitte mit einem Apotheker sprechen'],
      ['fr', "Je voudrais parler à un pharmacien, s'il vous plaît"],
      ['es', 'Quiero hablar con una persona, por favor'],
      ['it', 'Vorrei parlare con un farmacista per favore'],
      ['nl', 'Ik wil graag met een apotheker spreken'],
      ['pl', 'Chciałbym porozmawiać z farmaceutą, proszę'],
      ['pt', 'Gostaria de falar com um farmacêutico, por favor'],
    ] as const) {
      const data = languages.find((l) => l.language === language)!;
      const replies = await createHarness('test', { HELPDESK_CONTACTS: CONTACTS }).say(text);
      expect(replies, language).to.have.length(2);
      expect(replies[0]!.text, language).to.equal(fill(data.notice.text));
      expect(replies[1]!.text, language).to.include('+44 20 7946 0000');
    }
  });

  it('answers a side effect asked about as information, then the line on the signs that need a call', async () => {
    const replies = await createHarness().say('is tiredness a side effect?');
    const shown = textOf(replies);
    const answer = answerAsText(
      knowledge.kb.pairs.find((p) => p.id === 'risks.common-side-effects')!,
      knowledge.kb,
    );
    expect(shown).to.include(answer);
    expect(shown.indexOf(fill(patterns.information.message.text))).to.be.greaterThan(shown.indexOf(answer));
  });

  it('puts the deferral first when the patient asks what to take, then what the overview says', async () => {
    const replies = await createHarness().say('my doctor is away, how many capsules should I take today');
    const deferral = patterns.categories.find((c) => c.category === 'dose-decision')!.message.text;
    expect(replies[0]!.text).to.equal(deferral);
    expect(textOf(replies.slice(1))).not.to.include(deferral);
  });
});
