// Several medicines in one bot, driven through the real bot (TestAdapter): which medicine a question is
// about (named, remembered, asked for), switching, answers side by side, flows per medicine, and what
// the conversation state keeps while it asks.
import { expect } from 'chai';
import { loadMedicines } from '../knowledge/load';
import { texts } from '../render/renderer';
import safetyPatterns from '../safety/patterns.json';
import { flowsFor } from '../dialogs/intents';
import { createFormulary } from '../dialogs/formulary';
import { testMedicinesDir } from './fixtures/medicines';
import { medicineChat, type ChatTurn } from './fixtures/medicineChat';

type Turn = ChatTurn;
const conversation = medicineChat;

const buttons = (turn: Turn): string[] =>
  (turn.replies.at(-1)?.suggestedActions?.actions ?? []).map((a) => String(a.value));

before(async function () {
  // pdf.js reads four PDFs once for every test here.
  this.timeout(60_000);
  await testMedicinesDir();
});

describe('several medicines: which one a question is about', () => {
  const served = ['imnovid', 'zentravo', 'corvalin'];

  it('asks which medicine when none is named, then answers the waiting question from the one chosen', async () => {
    const c = await conversation(served);
    const ask = await c.say('what are the most common side effects?');
    expect(ask.routes).to.deep.equal(['medicine:ask']);
    expect(ask.text).to.include(texts.medicines.ask);
    expect(buttons(ask)).to.deep.equal(['Imnovid', 'Zentravo', 'Corvalin']);
    expect(ask.answers).to.deep.equal([]);
    const chosen = await c.say('Zentravo');
    expect(chosen.answers).to.deep.equal(['zentravo/risks.common-side-effects']);
    expect(chosen.text).to.include('headache and nausea');
    expect(chosen.text).to.include('June 2024');
  });

  it('keeps the waiting question’s safety line: the answer after the choice carries it, as when the medicine is named', async () => {
    const signs = safetyPatterns.information.message.text.split('{')[0]!;
    const named = await (
      await conversation(served)
    ).say('what are the most common side effects of zentravo?');
    expect(named.text).to.include(signs);
    const c = await conversation(served);
    await c.say('what are the most common side effects?');
    const chosen = await c.say('Zentravo');
    expect(chosen.answers).to.deep.equal(named.answers);
    expect(chosen.text).to.include(signs);
    // Only the question's own: a waiting question without one brings none.
    await c.say('forget me');
    await c.say('what is it used for?');
    expect((await c.say('Zentravo')).text).not.to.include(signs);
  });

  it('keeps the waiting question as pair ids only: the patient’s words are not in the conversation state', async () => {
    const c = await conversation(served);
    await c.say('what are the most common side effects?');
    const state = JSON.stringify(
      await c.storage.read(Object.keys((c.storage as unknown as { memory: object }).memory)),
    );
    expect(state).to.include('risks.common-side-effects');
    expect(state).not.to.include('most common side effects');
  });

  it('remembers the medicine named for the questions after it, until another is named', async () => {
    const c = await conversation(served);
    expect((await c.say('what is zentravo used for')).answers).to.deep.equal(['zentravo/what.overview']);
    expect((await c.say('what are the serious side effects?')).answers[0]).to.equal(
      'zentravo/risks.serious-side-effects',
    );
    expect((await c.say('how does imnovid work')).answers).to.deep.equal(['imnovid/work.overview']);
    expect(
      (await c.say('who makes it and when was it authorised?')).answers.every((a) =>
        a.startsWith('imnovid/'),
      ),
    ).to.equal(true);
  });

  it('reads misspelt names and the active substance ("zentravoe", "lumivastatt", "pomalidamide")', async () => {
    for (const [text, medicine] of [
      ['how does zentravoe work', 'zentravo'],
      ['how does lumivastatt work', 'zentravo'],
      ['side effects of pomalidamide', 'imnovid'],
      ['how does corvalinn work', 'corvalin'],
    ] as const) {
      const turn = await (await conversation(served)).say(text);
      expect(turn.answers.length, text).to.be.above(0);
      expect(
        turn.answers.every((a) => a.startsWith(`${medicine}/`)),
        `${text}: ${turn.answers.join(', ')}`,
      ).to.equal(true);
    }
  });

  it('"what about X?" answers the last topic from X’s overview', async () => {
    const c = await conversation(served);
    await c.say('how does zentravo work?');
    const switched = await c.say('what about imnovid?');
    expect(switched.answers).to.deep.equal(['imnovid/work.overview']);
    expect(switched.text).to.include('April 2019');
  });

  it('"what about X?" with nothing asked before says what X is, from its overview', async () => {
    const c = await conversation(served);
    const turn = await c.say('what about corvalin?');
    expect(turn.answers).to.deep.equal(['corvalin/what.overview']);
    expect((await c.say('how does it work')).answers).to.deep.equal(['corvalin/work.overview']);
  });

  it('answers a question about two medicines side by side, each from its own overview with its own source line', async () => {
    const turn = await (
      await conversation(served)
    ).say('what are the common side effects of imnovid and zentravo?');
    expect(turn.answers).to.have.length(2);
    expect(turn.answers[0]).to.match(/^imnovid\/risks\./);
    expect(turn.answers[1]).to.match(/^zentravo\/risks\./);
    expect(turn.text).to.include(texts.medicines.sideBySide);
    expect(turn.text).to.include('Imnovid (pomalidomide):');
    expect(turn.text).to.include('Zentravo (lumivastat):');
    expect(turn.text).to.include('April 2019');
    expect(turn.text).to.include('June 2024');
    // Our words never compare: no "both", "more", "than", "same" of our own outside the overviews' sentences.
    const ours = [texts.medicines.sideBySide];
    for (const line of ours) expect(line).not.to.match(/\b(better|worse|safer|more|less|than|same|both)\b/i);
  });

  it('says so when one of two medicines’ overviews does not answer', async () => {
    const turn = await (
      await conversation(served)
    ).say('what does imnovid say about pregnancy, and corvalin?');
    expect(turn.answers.some((a) => a.startsWith('imnovid/'))).to.equal(true);
    expect(turn.answers.some((a) => a.startsWith('corvalin/'))).to.equal(false);
    expect(turn.text).to.include('The EMA overview of Corvalin (tessoparin) does not answer this.');
  });

  it('"topics" with no medicine chosen asks which, then lists that medicine’s topics', async () => {
    const c = await conversation(served);
    expect((await c.say('topics')).routes).to.deep.equal(['command:topics', 'medicine:ask']);
    const list = await c.say('Corvalin');
    expect(list.routes).to.deep.equal(['command:topics']);
    expect(list.text).to.include('What is Corvalin and what is it used for?');
  });

  it('serves one medicine as before: nothing asks which, and its name need not be given', async () => {
    const c = await conversation(['zentravo']);
    const turn = await c.say('what are the most common side effects?');
    expect(turn.routes).not.to.include('medicine:ask');
    expect(turn.answers).to.deep.equal(['zentravo/risks.common-side-effects']);
  });
});

describe('several medicines: the flows are each medicine’s', () => {
  const served = ['imnovid', 'corvalin', 'velostra'];

  it('"how do I take it" for a medicine with no curated schedules answers with its "How is … used?" pairs and defers', async () => {
    const c = await conversation(served);
    await c.say('what is corvalin?');
    const turn = await c.say('how do I take it?');
    expect(turn.answers.length).to.be.above(1);
    expect(turn.answers.every((a) => a.startsWith('corvalin/use.'))).to.equal(true);
    expect(turn.text).to.include(texts.deferral);
  });

  it('"how do I take it" for Imnovid still offers its curated schedules', async () => {
    const c = await conversation(served);
    await c.say('what is imnovid?');
    const turn = await c.say('how do I take it?');
    expect(buttons(turn)).to.include('With dexamethasone only');
  });

  it('"am I at risk" offers only the topics the medicine’s risks section has: no pregnancy for Corvalin', async () => {
    const [corvalin, imnovid] = loadMedicines(['corvalin', 'imnovid'], await testMedicinesDir());
    const corvalinRisk = flowsFor(corvalin!.kb, corvalin!.howToTake).risk.options.map((o) => o.id);
    const imnovidRisk = flowsFor(imnovid!.kb, imnovid!.howToTake).risk.options.map((o) => o.id);
    expect(imnovidRisk).to.include.members(['pregnancy-woman', 'pregnancy-man', 'clots']);
    expect(corvalinRisk).not.to.include('pregnancy-woman');
    expect(corvalinRisk).not.to.include('pregnancy-man');
    expect(corvalinRisk).to.include('side-effects');
  });

  it('asks which medicine before a flow when none is chosen, then runs the flow for the one chosen', async () => {
    const c = await conversation(served);
    expect((await c.say('how do I take it?')).routes).to.deep.equal(['medicine:ask']);
    const turn = await c.say('Corvalin');
    expect(turn.answers.every((a) => a.startsWith('corvalin/use.'))).to.equal(true);
  });

  it('finds each served medicine by brand and by substance, and no medicine in ordinary questions', async () => {
    const formulary = createFormulary(loadMedicines(served, await testMedicinesDir()));
    expect(formulary.finder.named('tessoparin or quorvatinib?')).to.deep.equal(['corvalin', 'velostra']);
    for (const text of [
      'what are the common side effects',
      'can I drive',
      'how do I store the capsules',
      'contains lactose',
    ])
      expect(formulary.finder.named(text), text).to.deep.equal([]);
  });
});

describe('several medicines: what the patient reads', () => {
  it('the welcome names every medicine served, and each source line names its overview', async () => {
    const c = await medicineChat(['imnovid', 'zentravo']);
    const hello = await c.say('hello');
    expect(hello.text).to.include('Imnovid (pomalidomide) and Zentravo (lumivastat)');
    expect(hello.text).not.to.include('()');
    const answer = await c.say('what is the dose of zentravo');
    expect(answer.text).to.include('Source: EMA overview of Zentravo, June 2024.');
    expect(answer.text).to.include('zentravo-epar-product-information_en.pdf');
  });

  it('one medicine served: the welcome and the source line read as before', async () => {
    const c = await medicineChat(['zentravo']);
    expect((await c.say('hello')).text).to.include('Zentravo (lumivastat) with information');
    expect((await c.say('what is the dose')).text).to.include('Source: EMA overview, June 2024.');
  });

  it('urgent advice names the conversation’s medicine where its folder words it, generic otherwise', async () => {
    const c = await medicineChat(['imnovid', 'zentravo']);
    await c.say('what is imnovid?');
    const imnovid = await c.say('can I give some of my capsules to my husband?');
    await c.say('what is zentravo?');
    const zentravo = await c.say('can I give some of my capsules to my husband?');
    expect(imnovid.text).to.include('pregnancy prevention programme');
    expect(zentravo.text).not.to.include('pregnancy prevention programme');
    expect(zentravo.text).to.include('prescribed for one person only');
  });
});

describe('several medicines: two at once, neither answering', () => {
  it('says for each medicine that its overview does not answer, with the fallback’s safety line', async () => {
    const turn = await (
      await medicineChat(['zentravo', 'corvalin'])
    ).say('can I drink alcohol with zentravo or corvalin?');
    expect(turn.answers).to.deep.equal([]);
    expect(turn.text).to.include('The EMA overview of Zentravo (lumivastat) does not answer this.');
    expect(turn.text).to.include('The EMA overview of Corvalin (tessoparin) does not answer this.');
    expect(turn.text).to.include(texts.fallbackSafety.replace('{emergency}', '112'));
  });
});

describe('several medicines: switching to a medicine whose overview lacks the topic', () => {
  it('"what about Corvalin?" after a pregnancy answer gives the honest fallback, not another answer', async () => {
    const c = await medicineChat(['velostra', 'corvalin']);
    expect((await c.say('can velostra harm an unborn baby?')).answers).to.deep.equal([
      'velostra/risks.pregnancy',
    ]);
    const turn = await c.say('what about corvalin?');
    expect(turn.answers).to.deep.equal([]);
    expect(turn.routes).to.include('faq:not-covered');
    // The conversation is about Corvalin now.
    expect((await c.say('how does it work?')).answers).to.deep.equal(['corvalin/work.overview']);
  });
});

describe('several medicines: leaflets side by side', () => {
  it('links each medicine’s own leaflet, named, under answers from two medicines', async () => {
    const turn = await (
      await medicineChat(['imnovid', 'zentravo'])
    ).say('what are the serious side effects of imnovid and zentravo?');
    expect(turn.text).to.include(
      'Read the package leaflet of Imnovid (PDF): https://www.ema.europa.eu/en/documents/product-information/imnovid-epar-product-information_en.pdf',
    );
    expect(turn.text).to.include(
      'Read the package leaflet of Zentravo (PDF): https://www.ema.europa.eu/en/documents/product-information/zentravo-epar-product-information_en.pdf',
    );
    expect(turn.text).not.to.include('Read the package leaflet (PDF)');
  });
});
