// Issue 14, privacy and browsing: the welcome's privacy notice, "forget me" (state deleted, any flow
// ended, the next turn fresh) and "topics" (every pair as a button, each answered exactly), through the
// real bot.
import { expect } from 'chai';
import { buttonTitle } from '../../render/renderer';
import { ActivityTypes, MemoryStorage, TestAdapter, type Activity } from 'botbuilder';
import texts from '../../render/texts.json';
import { flows } from '../fixtures/imnovidFlows';
import { fillPlaceholders } from '../../render/placeholders';
import { recogniseCommand } from '../../dialogs/intents';
import { MedicineBot } from '../../bots/medicineBot';
import { loadConfig } from '../../config';
import { silentLogger } from '../../shared/log';
import { FORGET_CONVERSATION_EVENT } from '../../shared/forget';
import type { TranscriptEntry } from '../../dialogs/services';
import {
  createHarness,
  knowledge,
  textOf,
  buttonsOf,
  cardOf,
  cardTexts,
  cardActions,
} from '../dialogs.harness';
import { kb, pairAnswer } from './helpers';

const notice = (minutes?: number): string =>
  fillPlaceholders(texts.privacy.notice, {
    keptFor:
      minutes === undefined
        ? texts.privacy.keptFor.untilForgotten
        : fillPlaceholders(texts.privacy.keptFor.minutes, { minutes: String(minutes) }),
  });
const forgotten = fillPlaceholders(texts.privacy.forgotten, { medicine: kb.medicine });
const messages = (replies: Partial<Activity>[]): Partial<Activity>[] =>
  replies.filter((r) => r.type === ActivityTypes.Message);

describe('privacy: the notice in the welcome', () => {
  it('names what is kept and the configured idle minutes of in-memory state', async () => {
    const h = createHarness('test', { STATE_IDLE_MINUTES: '45' });
    const { bot, user } = h.adapter.conversation;
    const replies = await h.send({ type: ActivityTypes.ConversationUpdate, membersAdded: [bot!, user!] });
    const text = textOf(replies);
    expect(text).to.include(notice(45));
    expect(text).to.include('45 minutes after your last message');
    expect(text).to.include('forget me');
    expect(text).not.to.include('{');
  });

  it('says "until you ask me to forget them" when state is in Azure Blob Storage', async () => {
    const h = createHarness('test', {
      AZURE_STORAGE_CONNECTION_STRING:
        'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=a2V5;BlobEndpoint=http://127.0.0.1:1/devstoreaccount1;',
    });
    const text = textOf(await h.say('hello'));
    expect(text).to.include(notice());
    expect(text).not.to.include('minutes after');
  });

  it('is on the Web Chat welcome card too', async () => {
    const h = createHarness('webchat');
    const card = cardOf((await h.say('hello'))[0]);
    expect(cardTexts(card)).to.include(notice(60));
  });
});

describe('privacy: "forget me"', () => {
  it('is a command in its usual phrasings, and "forget it" stays cancel', () => {
    for (const text of [
      'forget me',
      'Forget me please',
      'delete my data',
      'Delete all my data',
      'forget this conversation',
      'erase my chat history',
      'clear my data',
    ])
      expect(recogniseCommand(text), text).to.equal('forget');
    expect(recogniseCommand('forget it')).to.equal('cancel');
    expect(recogniseCommand('will I forget my dose')).to.equal(undefined);
  });

  it('is offered as a button, with "All topics", in the help and menu replies', async () => {
    const h = createHarness();
    for (const text of ['help', 'menu']) {
      const buttons = buttonsOf(await h.say(text));
      expect(buttons, text).to.deep.include(texts.privacy.forgetButton);
      expect(buttons, text).to.deep.include(texts.topics.button);
    }
  });

  /** A bot over a storage the test can read, on a TestAdapter. */
  function botWithStorage(channelId: string): { adapter: TestAdapter; storage: MemoryStorage } {
    const storage = new MemoryStorage();
    const bot = new MedicineBot({
      config: loadConfig({ LOG_LEVEL: 'error' }),
      medicines: [knowledge],
      storage,
      log: silentLogger,
    });
    return { adapter: new TestAdapter((c) => bot.run(c), { channelId }), storage };
  }
  const say = async (adapter: TestAdapter, text: string): Promise<Partial<Activity>[]> => {
    await adapter.processActivity({ type: ActivityTypes.Message, text });
    return adapter.activeQueue.splice(0, adapter.activeQueue.length);
  };
  /** The keys MemoryStorage holds a value for (its delete leaves a key with no value). */
  const keysOf = (storage: MemoryStorage): string[] =>
    Object.entries((storage as unknown as { memory: Record<string, unknown> }).memory)
      .filter(([, v]) => v !== undefined)
      .map(([k]) => k);

  it('in a flow: deletes every state key of the user and conversation, ends the flow, and says so', async () => {
    const { adapter, storage } = botWithStorage('test');
    const prompt = await say(adapter, 'how do I take it');
    expect(textOf(prompt)).to.include(flows.howToTake.prompt);
    const conversationId = adapter.conversation.conversation.id;
    expect(keysOf(storage).some((k) => k.includes(conversationId))).to.equal(true);

    const replies = await say(adapter, 'forget me');
    expect(textOf(replies)).to.equal(forgotten);
    // The Direct Line event goes only to Direct Line.
    expect(replies.filter((r) => r.type === ActivityTypes.Event)).to.have.length(0);
    expect(keysOf(storage)).to.deep.equal([]);

    // The flow is gone: its answer is no longer read as one, and no follow-up context is left.
    const after = textOf(await say(adapter, 'just dexamethasone'));
    const option = flows.howToTake.options.find((o) => o.id === 'dexamethasone')!;
    expect(after).not.to.include(option.intro!.replace('{medicine}', kb.medicine));
  });

  it('leaves no follow-up context and no helpdesk transcript for the next turns', async () => {
    // With a contact-centre hub, the only deployment that keeps a transcript.
    const h = createHarness('test', { HELPDESK_HANDOFF: 'on' });
    await h.say('what are the serious side effects?');
    const followUp = textOf(await h.say('how common are they?'));
    expect(h.matcherCalls.at(-1)!.contextPairId).to.equal('risks.serious-side-effects');
    expect(followUp).not.to.equal('');

    expect(textOf(await h.say('delete my data'))).to.equal(forgotten);
    await h.say('how common are they?');
    expect(h.matcherCalls.at(-1)!.contextPairId).to.equal(undefined);

    // The handoff transcript starts after "forget me": nothing said before it is passed on.
    await h.say('can I talk to a pharmacist');
    const replies = await h.say(texts.helpdesk.connect);
    const event = replies.find((r) => r.type === ActivityTypes.Event && r.name === 'handoff.initiate')!;
    const transcript = (event.attachments![0]!.content as { activities: TranscriptEntry[] }).activities;
    const said = transcript.filter((e) => e.from.role === 'user').map((e) => e.text);
    expect(said).to.deep.equal([
      'how common are they?',
      'can I talk to a pharmacist',
      texts.helpdesk.connect,
    ]);
    expect(JSON.stringify(transcript)).not.to.include('serious side effects');
    expect(JSON.stringify(transcript)).not.to.include('delete my data');
    expect(JSON.stringify(transcript)).not.to.include(forgotten.slice(0, 40));
  });

  it('on Direct Line also asks the channel to forget the transcript, before the reply', async () => {
    const { adapter, storage } = botWithStorage('directline');
    await say(adapter, 'what is it used for?');
    const replies = await say(adapter, 'forget this conversation');
    expect(replies.map((r) => r.type)).to.deep.equal([ActivityTypes.Event, ActivityTypes.Message]);
    expect(replies[0]!.name).to.equal(FORGET_CONVERSATION_EVENT);
    expect(replies[1]!.text).to.equal(forgotten);
    expect(keysOf(storage)).to.deep.equal([]);
  });
});

/** The pieces of a pair's verbatim answer: its sentences, and a quoted span's parts on either side of "…". */
function pairAnswerPieces(id: string): string[] {
  const pair = kb.pairs.find((p) => p.id === id)!;
  return pair.answer
    .flatMap((a) => a.split('…'))
    .map((p) => p.trim())
    .filter((p) => p !== '');
}

describe('browsing: "topics"', () => {
  it('is a command in its usual phrasings, not a question about a topic', () => {
    for (const text of ['topics', 'All topics', 'show all questions', 'browse', 'list the topics please'])
      expect(recogniseCommand(text), text).to.equal('topics');
    expect(recogniseCommand('what topics are in the side effects section?')).to.equal(undefined);
  });

  it('lists every section and every pair as a button on a card, and each one answers its pair exactly', async () => {
    const h = createHarness('webchat');
    const replies = await h.say('topics');
    expect(replies).to.have.length(1);
    const card = cardOf(replies[0]);
    const sections = [...new Set(kb.pairs.map((p) => p.provenance.section))];
    const headings = card.body.filter((b) => b.type === 'TextBlock' && b.style === 'heading');
    expect(headings).to.have.length(sections.length);
    const titles = cardActions(card).map((a) => a.title);
    expect(titles).to.have.length(kb.pairs.length);
    // Each button shows the pair's short label (it fits a phone) and sends the pair's own question.
    expect([...titles].sort()).to.deep.equal(
      kb.pairs.map((p) => buttonTitle({ title: p.question, value: p.question }, { kb })).sort(),
    );
    for (const action of cardActions(card)) expect(action.type).to.equal('Action.Submit');

    for (const action of cardActions(card)) {
      const pair = kb.pairs.find((p) => p.question === (action.data as { text: string }).text)!;
      const answer = await h.submit(action.data);
      const text = messages(answer)
        .map((r) => cardTexts(cardOf(r)).join('\n'))
        .join('\n');
      // A quote with its greyed context is a rich text block of runs: read the card as data, and find each
      // verbatim piece of the pair's answer (its spans, cut at "…") in it.
      const shown = text + JSON.stringify(answer);
      for (const piece of pairAnswerPieces(pair.id)) expect(shown, pair.id).to.include(piece.slice(0, 60));
    }
  });

  it('is a numbered plain-text list on text channels, and works in the middle of a flow', async () => {
    const h = createHarness();
    await h.say('how do I take it');
    const replies = await h.say('show me all topics');
    const text = textOf(replies);
    kb.pairs.forEach((p) => expect(text).to.include(p.question));
    expect(text).to.match(/^ {2}1\. /m);
    expect(text).to.include(`  ${kb.pairs.length}. `);
    expect(buttonsOf(replies)).to.have.length(kb.pairs.length);
    // The flow ended: a listed question is answered as itself.
    const pick = buttonsOf(replies)[3]!;
    const pair = kb.pairs.find((p) => p.question === pick.value)!;
    expect(textOf(await h.say(pick.value))).to.include(pairAnswer(pair.id));
  });
});
