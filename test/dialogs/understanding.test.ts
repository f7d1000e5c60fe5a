// Real messages through the real bot (knowledge base, recogniser, matcher, dialogs): questions wrapped in
// greetings and introductions, conditions mentioned in passing, carers and men asking, several questions
// in one message, follow-ups read against the last answer, answers found in one source sentence, and small
// talk. Each case is data: what is said, turn by turn, and what the last reply must (and must not) hold.
import { expect } from 'chai';
import { createHarness, knowledge, textOf, buttonsOf } from '../dialogs.harness';
import { answerAsText, texts } from '../../render/renderer';

const pair = (id: string) => {
  const found = knowledge.kb.pairs.find((p) => p.id === id);
  if (!found) throw new Error(`no pair ${id}`);
  return found;
};
// As a text channel shows them (issue 14: lists as bullets, a quoted span inside its whole sentence).
const answerOf = (id: string): string => answerAsText(pair(id), knowledge.kb);
const sentenceOf = (id: string, i: number): string => answerAsText(pair(id), knowledge.kb, [i]);
const FALLBACK = texts.fallback.replace('{medicine}', knowledge.kb.medicine);

interface Case {
  kind: string;
  says: string[];
  /** Texts the last reply holds (answers, lines), in this order. */
  shows: string[];
  /** Texts it must not hold. */
  hides?: string[];
  /** Titles among the last reply's buttons. */
  buttons?: string[];
}

const cases: Case[] = [
  { kind: 'wrapped', says: ['hello, what is imnovid?'], shows: [answerOf('what.overview')] },
  {
    kind: 'wrapped',
    says: ["Good morning, I'm a pharmacist. What strengths does it come in?"],
    shows: [answerOf('use.forms')],
  },
  {
    kind: 'wrapped',
    says: ['sorry to bother you, is it a capsule or a tablet?'],
    shows: [answerOf('use.forms')],
  },
  { kind: 'wrapped', says: ['thanks, and how often is it taken?'], shows: [answerOf('use.schedule')] },
  {
    kind: 'passing mention',
    says: ['I have diabetes, what are the side effects?'],
    shows: [answerOf('risks.common-side-effects')],
    hides: [FALLBACK],
  },
  { kind: 'the mention is the question', says: ['can I drink alcohol on it'], shows: [FALLBACK] },
  {
    kind: 'carer',
    says: ['my husband takes it, does it make you tired?'],
    shows: [answerOf('risks.common-side-effects')],
    hides: [texts.suggestIntro],
  },
  { kind: 'carer', says: ['does my mum need a prescription for it'], shows: [answerOf('use.prescription')] },
  {
    kind: 'man',
    says: ['can my wife get pregnant while I take it'],
    shows: [answerOf('risks.pregnancy'), answerOf('risks.men')],
  },
  { kind: 'man', says: ['do I need to use condoms'], shows: [answerOf('risks.men')] },
  {
    kind: 'multi-part, with a flow',
    says: ['what are the side effects and how do I take it?'],
    shows: [answerOf('risks.common-side-effects'), texts.parts.flow[1]!],
    buttons: [texts.menuButtons[0]!.title],
  },
  {
    kind: 'multi-part, one part not covered',
    says: ['what is it for, and can I drink alcohol with it?'],
    shows: [answerOf('what.overview'), texts.parts.notCovered[1]!],
    hides: [FALLBACK],
  },
  {
    kind: 'multi-part, three parts',
    says: ['what is the active substance? how does it work? and when was it authorised?'],
    shows: [
      answerOf('what.active-substance'),
      answerOf('work.overview'),
      answerOf('other.authorisation-date'),
    ],
  },
  {
    kind: 'follow-up that refers back',
    says: ['what are the serious side effects?', 'how common are they?'],
    shows: [answerOf('risks.serious-side-effects')],
    hides: [answerOf('risks.common-side-effects')],
  },
  {
    kind: 'elliptic follow-up',
    says: ['how is it taken with bortezomib and dexamethasone?', 'and with dexamethasone only?'],
    shows: [answerOf('use.schedule-dexamethasone')],
  },
  {
    kind: 'one source sentence',
    says: ['which immune cells does it stimulate'],
    shows: [sentenceOf('work.overview', 2)],
    hides: [sentenceOf('work.overview', 0)],
  },
  {
    kind: 'not the pair that merely shares words',
    says: ['what side effects should I watch out for'],
    shows: [answerOf('risks.common-side-effects')],
    hides: [answerOf('measures.monitoring')],
  },
  {
    kind: 'small talk',
    says: ['many thanks'],
    shows: [texts.smalltalk.thanks.replace('{medicine}', 'Imnovid')],
  },
  {
    kind: 'small talk',
    says: ['great thanks'],
    shows: [texts.smalltalk.thanks.replace('{medicine}', 'Imnovid')],
  },
  {
    kind: 'wrapping alone',
    says: ['hello there, my name is Ann'],
    shows: [texts.welcome[0]!.split('{')[0]!],
  },
];

describe('dialogs: understanding real messages (real knowledge base)', () => {
  for (const c of cases) {
    it(`${c.kind}: ${c.says.map((s) => `"${s}"`).join(' then ')}`, async () => {
      const h = createHarness();
      let replies = await h.say(c.says[0]!);
      for (const text of c.says.slice(1)) replies = await h.say(text);
      const shown = textOf(replies);
      let at = -1;
      for (const expected of c.shows) {
        const i = shown.indexOf(expected, at + 1);
        expect(i, `shows, in order: ${expected.slice(0, 60)}`).to.be.greaterThan(at);
        at = i;
      }
      for (const hidden of c.hides ?? []) expect(shown).not.to.include(hidden);
      const titles = buttonsOf(replies).map((b) => b.title);
      for (const title of c.buttons ?? []) expect(titles).to.include(title);
    });
  }

  it('reads each part of a message with the matcher once, and a whole message once per turn', async () => {
    const h = createHarness();
    await h.say('what is it for, how does it work and who makes it?');
    expect(h.matcherCalls.map((c) => c.text)).to.deep.equal([
      'what is it for',
      'how does it work',
      'who makes it',
    ]);
    const before = h.matcherCalls.length;
    await h.say('hello, what is imnovid?');
    expect(h.matcherCalls.length - before).to.equal(1);
  });

  it('reads a later part of the message in the context of the part answered before it', async () => {
    const h = createHarness();
    const replies = await h.say('what are the serious side effects and how common are they?');
    expect(h.matcherCalls[1]!.contextPairId).to.equal('risks.serious-side-effects');
    // The same pair asked twice in one message is shown once.
    expect(textOf(replies).split(answerOf('risks.serious-side-effects')).length).to.equal(2);
  });

  it('answers the first three questions of a longer message and says so', async () => {
    const h = createHarness();
    const replies = await h.say(
      'what is the active substance? how does it work? when was it authorised? is it an orphan medicine?',
    );
    expect(h.matcherCalls).to.have.length(3);
    expect(textOf(replies)).to.include(texts.parts.dropped);
    expect(textOf(replies)).not.to.include(answerOf('what.orphan'));
  });
});
