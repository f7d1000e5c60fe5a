// The real MedicineBot in Microsoft Teams, driven through botbuilder's TestAdapter with the activities
// Teams sends: @mentions in channels and group chats, card button presses (messageBack), installation and
// team membership events, and several members talking to the bot in one channel conversation.
import { expect } from 'chai';
import {
  MemoryStorage,
  TestAdapter,
  type Activity,
  type ChannelAccount,
  type ConversationReference,
} from 'botbuilder';
import { loadConfig } from '../config';
import { loadMedicine } from '../knowledge/load';
import { silentLogger } from '../shared/log';
import { MedicineBot } from '../bots/medicineBot';
import { faqOutcome } from './faqOutcome';
import { type FlowId } from '../dialogs/intents';
import { flowData } from './fixtures/imnovidFlows';
import { fillPlaceholders } from '../render/placeholders';
import { ADAPTIVE_CARD, answerShown, buttonTitle, templateValues, texts } from '../render/renderer';
import { HELP_BUTTONS } from '../dialogs/replies';
import type { QAPair } from '../knowledge/types';

type Json = Record<string, unknown>;
type Scope = 'personal' | 'groupChat' | 'channel';

const config = loadConfig({ LOG_LEVEL: 'error' });
const knowledge = loadMedicine('imnovid');
const { kb, matcher } = knowledge;

const BOT: ChannelAccount = { id: '28:imnovid-test-bot', name: texts.botName };
const ALICE: ChannelAccount = { id: '29:member-a', name: 'Member A' };
const BOB: ChannelAccount = { id: '29:member-b', name: 'Member B' };
const AT_BOT = `<at>${texts.botName}</at>`;

let conversations = 0;

/** One Teams conversation (personal chat, group chat or channel) with its own bot and storage. */
class TeamsConversation {
  /** Every text the matcher was asked about, in order. */
  readonly matched: string[] = [];
  readonly bot = new MedicineBot({
    config,
    medicines: [
      {
        ...knowledge,
        matcher: {
          ...matcher,
          match: (text, options) => {
            this.matched.push(text);
            return matcher.match(text, options);
          },
        },
      },
    ],
    storage: new MemoryStorage(),
    log: silentLogger,
  });
  readonly conversation: Json;
  private readonly adapter: TestAdapter;

  constructor(readonly scope: Scope) {
    conversations += 1;
    this.conversation = {
      id: `19:test-${scope}-${conversations}@thread.tacv2`,
      conversationType: scope,
      isGroup: scope !== 'personal',
      tenantId: 'tenant-test',
    };
    const reference = {
      channelId: 'msteams',
      serviceUrl: 'https://smba.example.test/emea/',
      bot: BOT,
      user: ALICE,
      conversation: this.conversation,
    };
    this.adapter = new TestAdapter(reference as unknown as ConversationReference);
  }

  /** Runs one incoming activity through the bot and returns what it sent. */
  async receive(activity: Partial<Activity>): Promise<Partial<Activity>[]> {
    // Fill in the same object, so a test can see that the turn left it as Teams sent it.
    const incoming = Object.assign(activity, {
      channelId: 'msteams',
      conversation: this.conversation,
      recipient: BOT,
      channelData: { tenant: { id: 'tenant-test' } },
      ...activity,
    }) as Activity;
    await this.adapter.processActivity(incoming, (context) => this.bot.run(context));
    return this.adapter.activeQueue.splice(0);
  }

  /** A typed message; `mention` puts "@Imnovid info" in front, as Teams does. */
  say(from: ChannelAccount, text: string, mention = this.scope !== 'personal'): Promise<Partial<Activity>[]> {
    return this.receive(message(from, text, mention));
  }

  /** A press of a card's Action.Submit, as Teams sends it for msteams messageBack data: no mention. */
  press(from: ChannelAccount, action: Json): Promise<Partial<Activity>[]> {
    const msteams = (action.data as Json).msteams as Json;
    expect(msteams.type).to.equal('messageBack');
    return this.receive({ type: 'message', from, text: msteams.text as string, value: msteams.value });
  }
}

function message(from: ChannelAccount, text: string, mention: boolean): Partial<Activity> {
  return {
    type: 'message',
    from,
    text: mention ? `${AT_BOT} ${text}` : text,
    entities: mention
      ? [{ type: 'mention', text: AT_BOT, mentioned: { id: BOT.id, name: BOT.name } }]
      : [{ type: 'clientInfo', locale: 'en-GB' }],
  };
}

function cardOf(reply: Partial<Activity>): Json {
  const attachment = (reply.attachments ?? []).find((a) => a.contentType === ADAPTIVE_CARD);
  expect(attachment, 'an Adaptive Card').to.exist;
  return attachment!.content as Json;
}

/** Every action on a card: card-level actions and those in ActionSets anywhere in the body. */
function actionsOf(node: unknown): Json[] {
  if (Array.isArray(node)) return node.flatMap(actionsOf);
  if (!node || typeof node !== 'object') return [];
  const obj = node as Json;
  const own = typeof obj.type === 'string' && obj.type.startsWith('Action.') ? [obj] : [];
  return [...own, ...Object.values(obj).flatMap(actionsOf)];
}

/** The text of every TextBlock, with CommonMark backslash escapes undone. */
function textsOf(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(textsOf);
  if (!node || typeof node !== 'object') return [];
  const obj = node as Json;
  const own = obj.type === 'TextBlock' ? [String(obj.text).replace(/\\([!-/:-@[-`{-~])/g, '$1')] : [];
  return [...own, ...Object.values(obj).flatMap(textsOf)];
}

/**
 * What a card says as prose: every TextBlock and RichTextBlock run, unescaped, markdown list marks
 * dropped, joined with spaces (issue 14: lists, "Show more" and quotes split an answer over elements).
 */
function proseOf(card: unknown): string {
  const parts: string[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    const obj = node as Json;
    if (obj.type === 'TextBlock')
      parts.push(
        String(obj.text)
          .replace(/\\([!-/:-@[-`{-~])/g, '$1')
          .replace(/^- /gm, ''),
      );
    if (obj.type === 'RichTextBlock') parts.push((obj.inlines as Json[]).map((r) => String(r.text)).join(''));
    Object.values(obj).forEach(visit);
  };
  visit(card);
  return parts.join(' ').replace(/\s+/g, ' ');
}

const shownAnswer = (p: Parameters<typeof answerShown>[0]): string => answerShown(p, kb);

function submitTitles(card: Json): string[] {
  return actionsOf(card)
    .filter((a) => a.type === 'Action.Submit')
    .map((a) => String(a.title));
}

function pressable(card: Json, title: string): Json {
  const action = actionsOf(card).find((a) => a.type === 'Action.Submit' && a.title === title);
  expect(action, `a button "${title}"`).to.exist;
  return action!;
}

function pair(id: string): QAPair {
  const found = kb.pairs.find((p) => p.id === id);
  expect(found, `pair ${id}`).to.exist;
  return found!;
}

function option(flow: FlowId, id: string) {
  const found = flowData[flow].options.find((o) => o.id === id);
  expect(found, `option ${id} of ${flow}`).to.exist;
  return found!;
}

const welcomeFirstLine = fillPlaceholders(
  texts.welcome[0],
  templateValues({ kb, emergencyNumber: config.emergencyNumber }),
);

function isWelcome(reply: Partial<Activity>): boolean {
  return textsOf(cardOf(reply)).includes(welcomeFirstLine);
}

describe('Teams: the bot in Microsoft Teams', () => {
  describe('@mentions', () => {
    const expected = faqOutcome(kb, matcher, 'what is it used for');

    before(() => {
      // The premise of these tests: the question alone is answered from one pair.
      expect(expected.part.reason).to.equal('covered');
      expect(expected.answered).to.exist;
    });

    for (const scope of ['channel', 'groupChat'] as const) {
      it(`removes the mention before matching in a ${scope}`, async () => {
        const chat = new TeamsConversation(scope);
        const incoming = message(ALICE, 'what is it used for', true);
        const sent = incoming.text;
        const replies = await chat.receive(incoming);
        // The turn read the question without the mention markup, and left the activity as it came.
        expect(chat.matched).to.deep.equal(['what is it used for']);
        expect(incoming.text).to.equal(sent);
        expect(replies).to.have.length(1);
        expect(proseOf(cardOf(replies[0]))).to.include(shownAnswer(expected.answered!));
      });
    }

    it('also removes <at> markup the mention entity does not cover (a second mention, another name)', async () => {
      const chat = new TeamsConversation('channel');
      const incoming = message(ALICE, 'what is it used for', true);
      const sent = `${AT_BOT} <at>Member B</at> what is it used for ${AT_BOT}`;
      incoming.text = sent;
      const replies = await chat.receive(incoming);
      expect(chat.matched).to.deep.equal(['what is it used for']);
      expect(incoming.text).to.equal(sent);
      expect(proseOf(cardOf(replies[0]))).to.include(shownAnswer(expected.answered!));
      expect(JSON.stringify(replies)).not.to.include('Member B');
    });

    for (const scope of ['channel', 'groupChat'] as const) {
      it(`stays silent in a ${scope} when not mentioned`, async () => {
        const chat = new TeamsConversation(scope);
        expect(await chat.say(ALICE, 'what is it used for', false)).to.deep.equal([]);
        expect(await chat.say(ALICE, 'how do I take it', false)).to.deep.equal([]);
        // ...but answers the same question once mentioned.
        expect(await chat.say(ALICE, 'what is it used for', true)).to.have.length(1);
      });
    }

    it('answers a bare @mention with what the bot can do', async () => {
      const chat = new TeamsConversation('channel');
      const replies = await chat.receive(message(ALICE, '', true));
      expect(replies).to.have.length(1);
      const shown = textsOf(cardOf(replies[0])).join('\n');
      expect(shown).to.include(texts.help[0].slice(0, 40));
      expect(shown).not.to.include("didn't receive any text");
    });

    it('answers without a mention in a personal chat', async () => {
      const chat = new TeamsConversation('personal');
      const replies = await chat.say(ALICE, 'what is it used for', false);
      expect(replies).to.have.length(1);
      expect(proseOf(cardOf(replies[0]))).to.include(shownAnswer(expected.answered!));
    });
  });

  describe('card buttons', () => {
    for (const scope of ['channel', 'groupChat'] as const) {
      it(`uses card buttons, never suggested actions, for prompts in a ${scope}`, async () => {
        const chat = new TeamsConversation(scope);
        const prompts = [
          ...(await chat.say(ALICE, 'how do I take it')),
          ...(await chat.say(BOB, 'am I at risk')),
          ...(await new TeamsConversation(scope).say(ALICE, 'help')),
        ];
        expect(prompts).to.have.length(3);
        for (const reply of prompts) expect(reply.suggestedActions, 'suggested actions').to.equal(undefined);
        expect(textsOf(cardOf(prompts[0]))).to.include(flowData.howToTake.prompt);
        expect(submitTitles(cardOf(prompts[0]))).to.deep.equal(
          flowData.howToTake.options.map((o) => o.title),
        );
        expect(submitTitles(cardOf(prompts[1]))).to.deep.equal(flowData.risk.options.map((o) => o.title));
        expect(submitTitles(cardOf(prompts[2]))).to.deep.equal(HELP_BUTTONS.map((b) => b.title));
      });
    }

    it('shows "Did you mean" suggestions as card buttons in a channel', async () => {
      const chat = new TeamsConversation('channel');
      // Vague questions the matcher is unsure about; the first one it is unsure of is used.
      const vague = ['effects', 'side', 'what about the risks', 'approval', 'how long'].find(
        (q) => faqOutcome(kb, matcher, q).part.reason === 'close-call',
      );
      expect(vague, 'a question that gets suggestions').to.exist;
      const outcome = faqOutcome(kb, matcher, vague!);
      const replies = await chat.say(ALICE, vague!);
      expect(replies).to.have.length(1);
      expect(replies[0].suggestedActions).to.equal(undefined);
      const card = cardOf(replies[0]);
      expect(textsOf(card)).to.include(texts.suggestIntro);
      // Each suggestion by its short label (issue 14: labels that fit a phone); the question is what is sent.
      expect(submitTitles(card)).to.deep.equal([
        ...outcome.part.suggestions.map((p) => buttonTitle({ title: p.question, value: p.question }, { kb })),
        texts.suggestNone,
      ]);

      // Pressing a suggestion answers it: the press carries a value and no mention.
      const chosen = outcome.part.suggestions[0]!;
      const answer = await chat.press(
        ALICE,
        pressable(card, buttonTitle({ title: chosen.question, value: chosen.question }, { kb })),
      );
      expect(answer).to.have.length(1);
      expect(proseOf(cardOf(answer[0]))).to.include(shownAnswer(chosen));
    });

    it('answers a button press in a channel through a guided flow', async () => {
      const chat = new TeamsConversation('channel');
      const [prompt] = await chat.say(ALICE, 'how do I take it');
      const choice = option('howToTake', 'dexamethasone');
      const replies = await chat.press(ALICE, pressable(cardOf(prompt), choice.title));
      expect(replies).to.have.length(1);
      const shown = proseOf(cardOf(replies[0]));
      for (const block of choice.blocks) expect(shown).to.include(shownAnswer(pair(block.pair)));
    });

    it('also accepts a press as Web Chat posts it (the data object as the value, no text)', async () => {
      const chat = new TeamsConversation('groupChat');
      const [prompt] = await chat.say(ALICE, 'am I at risk');
      const choice = option('risk', 'clots');
      const action = pressable(cardOf(prompt), choice.title);
      const replies = await chat.receive({ type: 'message', from: ALICE, value: action.data });
      expect(replies).to.have.length(1);
      expect(proseOf(cardOf(replies[0]))).to.include(shownAnswer(pair(choice.blocks[0].pair)));
    });

    it("gives each button the leaflet link or a messageBack whose text is the button's value", async () => {
      const chat = new TeamsConversation('channel');
      const replies = await chat.say(ALICE, 'what is it used for');
      const actions = actionsOf(cardOf(replies[0]));
      expect(actions.length).to.be.greaterThan(1);
      for (const action of actions) {
        expect(String(action.title ?? '').trim(), 'title').not.to.equal('');
        if (action.type === 'Action.OpenUrl') {
          expect(action.url).to.equal(
            'https://www.ema.europa.eu/en/documents/product-information/imnovid-epar-product-information_en.pdf',
          );
          continue;
        }
        // A long answer's "Show more" opens the rest in place, with no round trip.
        if (action.type === 'Action.ShowCard') {
          expect(action.title).to.equal(texts.showMore);
          continue;
        }
        const data = action.data as Json;
        const msteams = data.msteams as Json;
        expect(msteams.type).to.equal('messageBack');
        expect(msteams.text).to.equal(data.text);
        expect(msteams.value).to.deep.equal({ text: data.text });
      }
    });
  });

  describe('welcome', () => {
    it('welcomes once when installed in a personal chat', async () => {
      const chat = new TeamsConversation('personal');
      const installed = await chat.receive({ type: 'installationUpdate', action: 'add', from: ALICE });
      expect(installed).to.have.length(1);
      expect(isWelcome(installed[0])).to.equal(true);
      // Teams also reports the bot joining the personal chat: no second welcome.
      const joined = await chat.receive({ type: 'conversationUpdate', from: ALICE, membersAdded: [BOT] });
      expect(joined).to.deep.equal([]);
      // A new version of the app is no new conversation.
      expect(
        await chat.receive({ type: 'installationUpdate', action: 'add-upgrade', from: ALICE }),
      ).to.deep.equal([]);
    });

    for (const scope of ['channel', 'groupChat'] as const) {
      it(`welcomes a ${scope === 'channel' ? 'team' : 'group chat'} once when the bot is added`, async () => {
        const chat = new TeamsConversation(scope);
        const channelData = {
          tenant: { id: 'tenant-test' },
          ...(scope === 'channel'
            ? { eventType: 'teamMemberAdded', team: { id: '19:team-test@thread.tacv2' } }
            : {}),
        };
        // Teams sends both; only the conversationUpdate welcomes, so the channel sees one welcome.
        const installed = await chat.receive({
          type: 'installationUpdate',
          action: 'add',
          from: ALICE,
          channelData,
        });
        const added = await chat.receive({
          type: 'conversationUpdate',
          from: ALICE,
          membersAdded: [BOT],
          channelData,
        });
        const welcomes = [...installed, ...added];
        expect(welcomes).to.have.length(1);
        expect(isWelcome(welcomes[0])).to.equal(true);
        expect(welcomes[0].suggestedActions).to.equal(undefined);
        expect(submitTitles(cardOf(welcomes[0]))).to.deep.equal(texts.menuButtons.map((b) => b.title));
        // People joining later are not greeted in the channel.
        const joined = await chat.receive({
          type: 'conversationUpdate',
          from: ALICE,
          membersAdded: [BOB],
          channelData,
        });
        expect(joined).to.deep.equal([]);
      });
    }
  });

  describe('state', () => {
    it('keeps each member in their own flow step in one channel conversation', async () => {
      const chat = new TeamsConversation('channel');
      const [alicePrompt] = await chat.say(ALICE, 'how do I take it');
      const [bobPrompt] = await chat.say(BOB, 'am I at risk');
      expect(textsOf(cardOf(alicePrompt))).to.include(flowData.howToTake.prompt);
      expect(textsOf(cardOf(bobPrompt))).to.include(flowData.risk.prompt);

      // Each answers their own question; a shared dialog state would send Alice's answer to Bob's flow.
      const aliceChoice = option('howToTake', 'dexamethasone');
      const aliceReplies = await chat.press(ALICE, pressable(cardOf(alicePrompt), aliceChoice.title));
      const bobChoice = option('risk', 'clots');
      const bobReplies = await chat.press(BOB, pressable(cardOf(bobPrompt), bobChoice.title));

      expect(aliceReplies).to.have.length(1);
      expect(bobReplies).to.have.length(1);
      const aliceShown = proseOf(cardOf(aliceReplies[0]));
      const bobShown = proseOf(cardOf(bobReplies[0]));
      for (const block of aliceChoice.blocks) expect(aliceShown).to.include(shownAnswer(pair(block.pair)));
      for (const block of bobChoice.blocks) expect(bobShown).to.include(shownAnswer(pair(block.pair)));
      expect(bobShown).to.include(flowData.risk.verdict);
      expect(aliceShown).not.to.include(flowData.risk.verdict);
    });

    it('lets one member cancel their flow without ending another member’s', async () => {
      const chat = new TeamsConversation('groupChat');
      const [alicePrompt] = await chat.say(ALICE, 'how do I take it');
      await chat.say(BOB, 'how do I take it');
      const cancelled = await chat.say(BOB, 'cancel');
      expect(cancelled).to.have.length(1);
      const choice = option('howToTake', 'bortezomib');
      const replies = await chat.press(ALICE, pressable(cardOf(alicePrompt), choice.title));
      const shown = proseOf(cardOf(replies[0]));
      for (const block of choice.blocks) expect(shown).to.include(shownAnswer(pair(block.pair)));
    });
  });
});
