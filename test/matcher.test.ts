// Unit tests of the matcher's parts: normaliser, speller, and the answer/suggest/none outcomes, on a
// small made-up knowledge base (so the logic is tested apart from the curated data) and on the real one.
import { expect } from 'chai';
import kbJson from '../knowledge/medicines/imnovid/kb.json';
import type { KnowledgeBase, QAPair } from '../knowledge/types';
import { createMatcher, DEFAULT_THRESHOLDS, type MatchResult } from '../knowledge/match/matcher';
import { createNormaliser, MEDICINE_TOKEN, OFF_TOPIC_TOKEN } from '../knowledge/match/normalise';
import { basicForm } from '../text/normal';
import levenshtein from 'damerau-levenshtein';
import { createSpeller } from '../knowledge/match/speller';
import { editDistanceAtLeast, lettersMissing } from '../text/corrector';
import safetyPatterns from '../safety/patterns.json';

const realKb = kbJson as KnowledgeBase;

function pair(id: string, question: string, keywords: string[], alternates: string[] = []): QAPair {
  return {
    id,
    sectionKey: id.split('.')[0],
    question,
    alternates,
    keywords,
    answer: [`Answer of ${id}.`],
    provenance: { documentId: 'TEST/1', section: 'Test', lastUpdated: '01-2020' },
  };
}

/** A made-up medicine, so the outcome rules are checked without the curated Imnovid data. */
const toyKb: KnowledgeBase = {
  medicine: 'Zolex',
  activeSubstance: 'zolexine',
  documentId: 'TEST/1',
  productNumber: 'T-1',
  lastUpdated: '01-2020',
  lastUpdatedText: 'January 2020',
  attribution: 'test',
  sourceTitle: 'test',
  pairs: [
    pair('what.overview', 'What is Zolex used for?', ['used for']),
    pair('use.dose', 'What is the dose of Zolex?', ['dose']),
    pair('risks.rash', 'Can Zolex cause a rash?', ['rash']),
    pair('risks.headache', 'Can Zolex cause a headache?', ['headache']),
    pair('parts.alpha', 'Widget alpha?', ['widget alpha']),
    pair('parts.beta', 'Widget beta?', ['widget beta']),
    pair('parts.gamma', 'Widget gamma?', ['widget gamma']),
    pair('parts.delta', 'Widget delta?', ['widget delta']),
    pair('parts.epsilon', 'Widget epsilon?', ['widget epsilon']),
  ],
  vocabulary: {
    names: ['zolex', 'zolexine', 'this medicine'],
    synonyms: {
      rash: ['spots', 'red spots on the skin'],
      headache: ['sore head', 'head'],
      anaemia: ['low red blood cells'],
      blood: ['bloods'],
    },
  },
};

const answered = (r: MatchResult): string | undefined => (r.kind === 'answer' ? r.best.pair.id : undefined);

describe('normaliser', () => {
  const toy = createNormaliser(toyKb.vocabulary);
  const real = createNormaliser(realKb.vocabulary);

  it('strips accents, case and punctuation', () => {
    expect(basicForm('  Pomalidomidé’s SIDE-effects?! ')).to.equal('pomalidomides side effects');
    expect(basicForm('Œdème')).to.not.match(/[^a-z0-9 ]/);
  });

  it('turns every name of the medicine into one token, in any case or possessive form', () => {
    expect(toy.tokens(basicForm('ZOLEX'))).to.deep.equal([MEDICINE_TOKEN]);
    expect(toy.tokens(basicForm("Zolex's rash"))).to.deep.equal([MEDICINE_TOKEN, 'rash']);
    expect(toy.tokens(basicForm('is this medicine safe'))).to.include(MEDICINE_TOKEN);
    expect(real.tokens(basicForm('pomalidomid'))).to.deep.equal([MEDICINE_TOKEN]);
    expect(real.tokens(basicForm('Imnovide'))).to.deep.equal([MEDICINE_TOKEN]);
  });

  it('applies the longest lay phrase first', () => {
    // "low red blood cells" must not leave "blood" behind for the shorter rule.
    expect(toy.tokens(basicForm('low red blood cells'))).to.deep.equal(['anaemia']);
    expect(toy.tokens(basicForm('red spots on the skin'))).to.deep.equal(['rash']);
    expect(toy.tokens(basicForm('sore head'))).to.deep.equal(['headache']);
    expect(toy.tokens(basicForm('bloods'))).to.deep.equal(['blood']);
  });

  it('maps the real lay vocabulary to the source terms', () => {
    expect(real.tokens(basicForm('swollen ankles'))).to.deep.equal(['oedema']);
    expect(real.tokens(basicForm('blood clot in the lungs'))).to.deep.equal(['embolism']);
    expect(real.tokens(basicForm('tingling feet'))).to.include('neuropathy');
    expect(real.tokens(basicForm('low red blood cells'))).to.deep.equal(['anaemia']);
  });

  it('spells out contractions and parts numbers from units, so phrasings read alike', () => {
    expect(toy.phrase(basicForm("What's Zolex?"))).to.equal(toy.phrase(basicForm('What is Zolex?')));
    expect(basicForm('4mg capsules')).to.equal('4 mg capsules');
    expect(real.tokens(basicForm('are there 3mg capsules'))).to.include.members(['3', 'mg']);
  });

  it('drops hedge words before reading lay phrases', () => {
    expect(real.tokens(basicForm('does it actually work'))).to.deep.equal(
      real.tokens(basicForm('does it work')),
    );
  });

  it('reads a lay phrase written with "it" also with the medicine\'s name, and the other way round', () => {
    const n = createNormaliser({
      names: ['zolex'],
      synonyms: { mechanism: ['how does it work'], benefit: ['does zolex help'] },
    });
    expect(n.tokens(basicForm('how does zolex work'))).to.deep.equal(['mechanism']);
    expect(n.tokens(basicForm('does it help'))).to.deep.equal(['benefit']);
  });

  it('tells a question about another medicine alone from one about taking the two together', () => {
    const n = createNormaliser({ ...toyKb.vocabulary, otherMedicines: ['dexamethasone'] });
    const alone = (text: string): boolean => n.aboutOtherMedicine(n.phrase(basicForm(text)));
    expect(alone('what dose of dexamethasone do I take')).to.equal(true);
    expect(alone('what dose do I take with dexamethasone')).to.equal(false);
    expect(alone('is zolex better than dexamethasone')).to.equal(false);
    expect(alone('what is the dose of zolex')).to.equal(false);
  });

  it('drops stopwords and folds plurals', () => {
    expect(toy.tokens(basicForm('what are the rashes'))).to.deep.equal(['rash']);
  });

  it('marks topics the overview never covers', () => {
    expect(real.tokens(basicForm('I missed a dose'))).to.include(OFF_TOPIC_TOKEN);
    expect(real.tokens(basicForm('can I drink alcohol'))).to.include(OFF_TOPIC_TOKEN);
    expect(real.tokens(basicForm('what is the dose'))).to.not.include(OFF_TOPIC_TOKEN);
  });

  it('keeps stopwords in the whole-phrase form used for word-for-word matches', () => {
    expect(toy.phrase(basicForm('What is Zolex?'))).to.equal(`what is ${MEDICINE_TOKEN}`);
    expect(toy.phrase(basicForm('What is in Zolex?'))).to.not.equal(toy.phrase(basicForm('What is Zolex?')));
  });
});

describe('speller', () => {
  const speller = createSpeller(['pregnancy', 'capsules', 'effects', 'dose'], DEFAULT_THRESHOLDS.typo, [
    'plane',
  ]);

  it('corrects typos towards the known vocabulary', () => {
    expect(speller.correct('pregnacy')).to.equal('pregnancy');
    expect(speller.correct('efects')).to.equal('effects');
    expect(speller.correct('capsuls')).to.equal('capsules');
    expect(speller.correctText('side efects')).to.equal('side effects');
  });

  it('only corrects to a word with the same first letter', () => {
    expect(speller.correct('ffects')).to.equal('ffects');
  });

  it('leaves short words, numbers and far-off words alone', () => {
    expect(speller.correct('dos')).to.equal('dos');
    expect(speller.correct('dsoe')).to.equal('dsoe');
    expect(speller.correct('mg4x')).to.equal('mg4x');
    expect(speller.correct('xylophone')).to.equal('xylophone');
  });

  it('corrects a swapped pair of letters, which Bitap scores poorly', () => {
    const s = createSpeller(['tired', 'cycles', 'capsules'], DEFAULT_THRESHOLDS.typo);
    expect(s.correct('tierd')).to.equal('tired');
    expect(s.correct('cylces')).to.equal('cycles');
  });

  it('does not guess between two words one step away', () => {
    // "tierd" is one swap from both: either correction would be a guess.
    expect(createSpeller(['tired', 'teird'], DEFAULT_THRESHOLDS.typo).correct('tierd')).to.equal('tierd');
    expect(createSpeller(['tired'], DEFAULT_THRESHOLDS.typo).correct('tierd')).to.equal('tired');
  });

  it('keeps "keep" words as written but never corrects towards them', () => {
    expect(speller.correct('plane')).to.equal('plane');
    expect(createSpeller(['dose'], 0.3, ['planes']).correct('planer')).to.equal('planer');
  });

  it('bounds edit distances from below, never above them, so no candidate is wrongly ruled out', () => {
    // Every pair of the safety vocabulary and the knowledge base's names and synonyms, plus typos.
    const words = [
      ...new Set([
        ...safetyPatterns.vocabulary,
        ...realKb.vocabulary.names.flatMap((n) => basicForm(n).split(' ')),
        ...Object.keys(realKb.vocabulary.synonyms).flatMap((n) => basicForm(n).split(' ')),
        'tierd',
        'cylces',
        'pian',
        'accidently',
        'pregnacy',
        '',
        'a',
      ]),
    ];
    let tight = 0;
    for (const a of words) {
      for (const b of words) {
        const bound = editDistanceAtLeast(a, b);
        const distance = levenshtein(a, b).steps;
        expect(bound, `${a} / ${b}`).to.be.at.most(distance);
        if (bound === distance) tight++;
        // Edits to turn a into b, or into any part of b, supply at least the letters b lacks.
        expect(lettersMissing(a, b), `${a} in ${b}`).to.be.at.most(distance);
      }
    }
    expect(tight).to.be.greaterThan(words.length); // not trivially 0
    expect(editDistanceAtLeast('tierd', 'tired')).to.equal(0); // a swap keeps the letters
    expect(editDistanceAtLeast('pain', 'rash')).to.equal(3);
    expect(editDistanceAtLeast('œdème', 'oedeme')).to.equal(0); // beyond ASCII: no bound
    expect(lettersMissing('dose', 'overdosed')).to.equal(0); // found inside a longer word
    expect(lettersMissing('effects', 'efects')).to.equal(1);
    expect(lettersMissing('xyz', 'dose')).to.equal(3);
  });
});

describe('matcher outcomes (made-up knowledge base)', () => {
  const matcher = createMatcher(toyKb);

  it('answers a clear question', () => {
    expect(answered(matcher.match('What is the dose of Zolex?'))).to.equal('use.dose');
    expect(answered(matcher.match('can zolex give me spots'))).to.equal('risks.rash');
  });

  it('answers a word-for-word phrasing even when its content is only the name', () => {
    expect(answered(matcher.match('what is zolex used for'))).to.equal('what.overview');
  });

  it('suggests at most 3 pairs when several fit equally', () => {
    const r = matcher.match('widget');
    expect(r.kind).to.equal('suggest');
    if (r.kind !== 'suggest') return;
    expect(r.suggestions).to.have.length(3);
    for (const s of r.suggestions) expect(s.pair.id).to.match(/^parts\./);
  });

  it('falls back when nothing fits', () => {
    const r = matcher.match('weather in paris tomorrow');
    expect(r.kind).to.equal('none');
  });

  it('falls back on an empty or punctuation-only message', () => {
    expect(matcher.match('').kind).to.equal('none');
    expect(matcher.match('   ?!  ').kind).to.equal('none');
  });

  it('falls back on a topic the overview never covers, even when other words fit', () => {
    expect(matcher.match('what is the dose').kind).to.equal('answer');
    expect(matcher.match('I missed a dose').kind).to.equal('none');
  });

  it('reads at most 500 characters of a message', () => {
    const filler = 'lorem '.repeat(100);
    expect(matcher.analyse(`rash ${filler}`)).to.include('rash');
    expect(matcher.analyse(`${filler} rash`)).to.not.include('rash');
  });

  it('does not throw on a 5000-character message', () => {
    const long = 'headache and rash, '.repeat(270).slice(0, 5000);
    expect(long).to.have.length(5000);
    expect(() => matcher.match(long)).to.not.throw();
    expect(['answer', 'suggest', 'none']).to.include(matcher.match('x'.repeat(5000)).kind);
  });

  it('weighs each further unknown word less, so a long story around a known topic can still match', () => {
    const story = 'zolex dose blorp flimp zarg quoz';
    const flat = createMatcher(toyKb, { ...DEFAULT_THRESHOLDS, unknownDecay: 1 }).match(story);
    const decayed = matcher.match(story);
    const top = (r: MatchResult): number =>
      r.kind === 'answer'
        ? r.best.score
        : r.kind === 'suggest'
          ? r.suggestions[0].score
          : (r.alternatives[0]?.score ?? 0);
    expect(top(decayed)).to.be.greaterThan(top(flat));
    // One unknown word still counts in full: a query about an uncovered topic is not answered.
    expect(matcher.match('zolex blorp').kind).to.not.equal('answer');
  });

  it('suggests only a pair that accounts for enough of the question', () => {
    // "rash" is known, "blorp" is not: risks.rash accounts for a little over a third of the query.
    const r = matcher.match('rash blorp');
    expect(r.kind).to.equal('suggest');
    if (r.kind === 'suggest') expect(r.suggestions[0].coverage).to.be.within(0.3, 0.5);
    const strict = createMatcher(toyKb, { ...DEFAULT_THRESHOLDS, suggestCoverage: 0.5 });
    expect(strict.match('rash blorp').kind).to.equal('none');
  });

  it("never suggests a pair that shares only the medicine's name", () => {
    // Every pair names Zolex, so each shares all of this query's weight, and none is what was meant.
    const r = matcher.match('zolex please');
    expect(r.kind).to.equal('none');
    if (r.kind !== 'none') return;
    expect(r.alternatives).to.not.be.empty;
    for (const c of r.alternatives) expect([c.coverage, c.topical]).to.deep.equal([1, false]);
  });

  it('answers a curated phrasing asked word for word even when another pair comes close', () => {
    // No lead is ever enough under this gap, so only the word-for-word rule can answer.
    const noGap = createMatcher(toyKb, { ...DEFAULT_THRESHOLDS, gap: 2 });
    expect(answered(noGap.match('What is the dose of Zolex?'))).to.equal('use.dose');
    expect(noGap.match('zolex dose please').kind).to.not.equal('answer');
  });

  it('uses the thresholds it is given', () => {
    const strict = createMatcher(toyKb, { ...DEFAULT_THRESHOLDS, answer: 1.01 });
    expect(matcher.match('the dose please').kind).to.equal('answer');
    expect(strict.match('the dose please').kind).to.equal('suggest');
    expect(matcher.thresholds).to.deep.equal(DEFAULT_THRESHOLDS);
  });
});

describe('matcher on the Imnovid knowledge base', () => {
  const matcher = createMatcher(realKb);

  it('answers "side effects?" with the common side effects, and "all" of them with the full list', () => {
    expect(answered(matcher.match('side effects?'))).to.equal('risks.common-side-effects');
    expect(answered(matcher.match('what are all the side effects'))).to.equal('risks.full-list');
  });

  it('understands typos, misspelt names and lay words', () => {
    expect(answered(matcher.match('side efects of pomalidomid'))).to.equal('risks.common-side-effects');
    expect(answered(matcher.match('can it cause low red blood cells'))).to.equal('risks.common-side-effects');
    expect(answered(matcher.match('blood clot in the lungs'))).to.equal('risks.serious-side-effects');
  });

  it('answers "what is it for?", a question made only of small words', () => {
    expect(answered(matcher.match('what is it for?'))).to.equal('what.overview');
    expect(answered(matcher.match("what's this for"))).to.equal('what.overview');
  });

  it('falls back on questions the overview does not answer', () => {
    expect(matcher.match('I missed a dose').kind).to.equal('none');
    expect(matcher.match('can i take it with other medicines').kind).to.equal('none');
    expect(matcher.match('weather in Amsterdam').kind).to.not.equal('answer');
  });

  it('reads a short follow-up in the context of the previous answer', () => {
    const alone = matcher.match('which ones are serious?');
    const after = matcher.match('which ones are serious?', { contextPairId: 'risks.common-side-effects' });
    expect(alone.kind).to.not.equal('answer');
    expect(answered(after)).to.equal('risks.serious-side-effects');
    expect(answered(matcher.match('what about men?', { contextPairId: 'risks.pregnancy' }))).to.equal(
      'risks.men',
    );
  });

  it("does not answer a question about another medicine with this medicine's pair", () => {
    expect(matcher.match('what dose of dexamethasone do I take').kind).to.not.equal('answer');
    expect(matcher.match('what are the side effects of velcade').kind).to.not.equal('answer');
    expect(answered(matcher.match('how do I take it with dexamethasone only'))).to.equal(
      'use.schedule-dexamethasone',
    );
  });

  it('does not read a price question as a dose question', () => {
    for (const q of ['how much is imnovid', 'how much is a box of imnovid', 'how much are the capsules'])
      expect(matcher.match(q).kind, q).to.not.equal('answer');
    expect(answered(matcher.match('how much should I take'))).to.equal('use.dose');
  });

  it('reads a carer\'s "my husband" or "my wife" as a partner, not as a question about men or women', () => {
    expect(
      answered(matcher.match('my husband is on imnovid and very tired, is that a side effect')),
    ).to.equal('risks.common-side-effects');
    expect(answered(matcher.match('why has my wife been given imnovid'))).to.not.equal('risks.pregnancy');
  });

  it('falls back on what the overview does not say about how long treatment lasts or if it fails', () => {
    for (const q of [
      'how long will I be on imnovid',
      'what if it does not work',
      'how long until it starts working',
    ])
      expect(matcher.match(q).kind, q).to.equal('none');
  });

  it('leaves real words that look like typos ("later", "latter") as written, never as "latest"', () => {
    for (const q of ['later', 'can i take it later', 'late', 'latter', 'lately', 'most recent study']) {
      const r = matcher.match(q);
      expect(answered(r), q).to.not.equal('other.last-updated');
      if (r.kind === 'suggest')
        expect(
          r.suggestions.map((c) => c.pair.id),
          q,
        ).to.not.include('other.last-updated');
    }
    expect(matcher.analyse('later')).to.deep.equal(['later']);
    expect(matcher.analyse('latter')).to.deep.equal(['latter']);
    expect(
      answered(matcher.match('can i take my capsules with dexamethasone later in the day')),
    ).to.not.equal('other.last-updated');
    expect(answered(matcher.match('how recent is this info'))).to.equal('other.last-updated');
  });

  it('falls back on whether it causes cancer, which the overview does not say', () => {
    for (const q of ['does it cause cancer', 'can it cause another cancer', 'secondary cancer'])
      expect(matcher.match(q).kind, q).to.equal('none');
    expect(answered(matcher.match('what kind of cancer is imnovid for'))).to.equal('what.overview');
  });

  it('falls back on how soon it works, not the cycle schedule', () => {
    for (const q of ['how long does it take to work', 'how soon will it work'])
      expect(matcher.match(q).kind, q).to.equal('none');
  });

  it('falls back on handling or touching the capsules and on donating, which the overview does not cover', () => {
    for (const q of [
      'what happens if a pregnant woman touches the capsules',
      'can my pregnant daughter handle my capsules',
      'can i donate sperm',
    ])
      expect(matcher.match(q).kind, q).to.equal('none');
    expect(answered(matcher.match('does it affect sperm'))).to.equal('risks.men');
  });

  it('reads "how many mg" as the dose, not the capsule strengths', () => {
    expect(answered(matcher.match('how many mg'))).to.equal('use.dose');
    expect(answered(matcher.match('what mg capsules exist'))).to.equal('use.forms');
  });

  it('answers how it compares with thalidomide from how it works, but not taking the two together', () => {
    expect(answered(matcher.match('is it the same as thalidomide'))).to.equal('work.overview');
    expect(answered(matcher.match('is it like thalidomide'))).to.equal('work.overview');
    for (const q of ['can i take it with thalidomide', 'can i take it with revlimid'])
      expect(matcher.match(q).kind, q).to.equal('none');
  });

  it('reads "wat" and "wats" as "what" and "whats"', () => {
    expect(answered(matcher.match('wat is imnovid for'))).to.equal('what.overview');
    expect(answered(matcher.match('wats pomalidomid'))).to.equal('what.overview');
  });

  it('reads text-speak ("u") and tells "a prescription for it" from "prescribed for"', () => {
    expect(answered(matcher.match('do u need a prescription for it'))).to.equal('use.prescription');
    expect(answered(matcher.match('what is it prescribed for'))).to.equal('what.overview');
  });

  it('falls back on questions about health-system cover, which the overview never mentions', () => {
    expect(matcher.match('is imnovid available on the NHS').kind).to.equal('none');
    expect(matcher.match('is it covered by insurance').kind).to.equal('none');
  });

  it('answers whether children can take it from the overview (it is for adults), but not other questions about children', () => {
    expect(answered(matcher.match('can children take it'))).to.equal('what.overview');
    expect(answered(matcher.match('is it ok for my child to take'))).to.equal('what.overview');
    expect(matcher.match('can my children visit me').kind).to.equal('none');
  });

  it('never suggests more than 3 pairs', () => {
    for (const q of ['imnovid', 'cycle', 'how many mg should i take', 'side effects monitoring registry']) {
      const r = matcher.match(q);
      if (r.kind === 'suggest') expect(r.suggestions.length).to.be.within(1, 3);
      if (r.kind !== 'suggest') expect(r.alternatives.length).to.be.at.most(3);
    }
  });
});
