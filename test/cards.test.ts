// The one renderer: every knowledge-base answer and the bot's representative replies as Adaptive Cards,
// parsed and validated by Microsoft's adaptivecards library at version 1.5 (what Teams renders), and as
// the plain text that text-only channels get. Flow answers, prompts and urgent advice come from the real
// bot over botbuilder's TestAdapter, so the cards checked are the ones users see.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { AdaptiveCard, SerializationContext, Versions } from 'adaptivecards';
import { MemoryStorage, TestAdapter, type Activity, type ConversationReference } from 'botbuilder';
import { loadConfig } from '../config';
import { loadKnowledge } from '../knowledge/load';
import { silentLogger } from '../shared/log';
import { ImnovidBot } from '../bots/imnovidBot';
import { answerReply, fallbackReply } from '../dialogs/faq';
import { faqOutcome } from './faqOutcome';
import { helpReply, menuReply, welcomeReply } from '../dialogs/replies';
import { flowData, type FlowId } from '../dialogs/intents';
import { createSafetyGate } from '../safety/gate';
import { fillPlaceholders } from '../render/placeholders';
import {
  ADAPTIVE_CARD,
  CARD_VERSION,
  answerText,
  templateValues,
  literal,
  render,
  replyAsCard,
  replyAsText,
  texts,
  type MessageData,
  type RenderContext,
  type Reply,
} from '../render/renderer';
import type { QAPair } from '../knowledge/types';

type Json = Record<string, unknown>;

const config = loadConfig({ LOG_LEVEL: 'error' });
const knowledge = loadKnowledge();
const { kb, matcher } = knowledge;
const cardCtx: RenderContext = {
  kb,
  leafletUrl: config.leafletUrl,
  emergencyNumber: config.emergencyNumber,
  cards: true,
};
const textCtx: RenderContext = { ...cardCtx, cards: false };
const source = readFileSync(
  join(__dirname, '..', 'knowledge', 'source', 'imnovid-overview.txt'),
  'utf8',
).replace(/\s+/g, ' ');

/** CommonMark: a backslash before ASCII punctuation makes it literal. */
function unescapeMarkdown(text: string): string {
  return text.replace(/\\([!-/:-@[-`{-~])/g, '$1');
}

/** Everything the adaptivecards library objects to when it parses and validates the card for 1.5. */
function cardProblems(json: Json): string[] {
  const card = new AdaptiveCard();
  const context = new SerializationContext(Versions.v1_5);
  card.parse(json, context);
  const problems: string[] = [];
  for (let i = 0; i < context.eventCount; i++) problems.push(context.getEventAt(i).message);
  for (const event of card.validateProperties().validationEvents) problems.push(event.message);
  if (card.version?.toString() !== '1.5') problems.push(`card version ${card.version?.toString()}`);
  return problems;
}

function walk(node: unknown, visit: (obj: Json) => void): void {
  if (Array.isArray(node)) return node.forEach((n) => walk(n, visit));
  if (!node || typeof node !== 'object') return;
  visit(node as Json);
  Object.values(node as Json).forEach((n) => walk(n, visit));
}

function actionsOf(card: Json): Json[] {
  const found: Json[] = [];
  walk(card, (obj) => {
    if (typeof obj.type === 'string' && obj.type.startsWith('Action.')) found.push(obj);
  });
  return found;
}

function textBlocksOf(card: Json): string[] {
  const found: string[] = [];
  walk(card, (obj) => {
    if (obj.type === 'TextBlock') found.push(unescapeMarkdown(String(obj.text)));
  });
  return found;
}

/** The checks every card must pass, whatever it says. */
function expectGoodCard(card: Json, label: string): void {
  expect(cardProblems(card), `${label}: adaptivecards parse/validation`).to.deep.equal([]);
  expect(card.version, label).to.equal(CARD_VERSION);
  expect(String(card.fallbackText ?? '').trim(), `${label}: fallbackText`).not.to.equal('');
  for (const action of actionsOf(card)) {
    expect(String(action.title ?? '').trim(), `${label}: an action without a title`).not.to.equal('');
    if (action.type === 'Action.OpenUrl') {
      expect(action.url, label).to.equal(config.leafletUrl);
    } else {
      expect(action.type, label).to.equal('Action.Submit');
      const data = action.data as Json;
      const msteams = data.msteams as Json;
      expect(data.text, label).to.be.a('string').and.not.equal('');
      expect(msteams, label).to.deep.equal({
        type: 'messageBack',
        text: data.text,
        displayText: data.text,
        value: { text: data.text },
      });
    }
  }
  // Placeholders are all filled; no markup of ours leaks into what users read.
  const shown = [...textBlocksOf(card), String(card.fallbackText)].join('\n');
  expect(shown, `${label}: unfilled placeholder`).not.to.match(/\{[a-zA-Z]+\}/);
  expect(shown, label).not.to.match(/<\/?at>/);
}

function cardOf(message: Partial<Activity> | MessageData): Json {
  const attachment = (message.attachments ?? []).find((a) => a.contentType === ADAPTIVE_CARD);
  expect(attachment, 'an Adaptive Card').to.exist;
  return attachment!.content as Json;
}

function expectedSourceLine(pair: QAPair): string {
  return `Source: EMA overview of ${kb.medicine} (${kb.documentId}), section “${pair.provenance.section}”, last updated ${kb.lastUpdatedText}.`;
}

/** The containers that hold answers: [label], answer, source line. */
function answerContainers(card: Json): string[][] {
  return (card.body as Json[])
    .filter((el) => el.type === 'Container' && el.style === undefined)
    .map((el) => (el.items as Json[]).map((item) => unescapeMarkdown(String(item.text))));
}

/** A small conversation with the real bot on one channel; 'webchat' renders cards, 'test' text. */
class Chat {
  private readonly bot = new ImnovidBot({
    config,
    knowledge,
    storage: new MemoryStorage(),
    log: silentLogger,
  });
  private readonly adapter: TestAdapter;

  constructor(channelId: string, user = 'user-1') {
    this.adapter = new TestAdapter({
      channelId,
      serviceUrl: 'https://example.test/',
      bot: { id: 'bot', name: texts.botName },
      user: { id: user, name: 'User' },
      conversation: { id: `${channelId}-${user}-conversation` },
    } as unknown as ConversationReference);
  }

  async send(activity: Partial<Activity>): Promise<Partial<Activity>[]> {
    await this.adapter.processActivity({ type: 'message', ...activity } as Activity, (c) => this.bot.run(c));
    return this.adapter.activeQueue.splice(0);
  }

  say(text: string): Promise<Partial<Activity>[]> {
    return this.send({ text });
  }
}

function pair(id: string): QAPair {
  const found = kb.pairs.find((p) => p.id === id);
  expect(found, id).to.exist;
  return found!;
}

describe('cards: one renderer for every reply', () => {
  describe('every knowledge-base pair as an answer card', () => {
    it('has pairs to render', () => {
      expect(kb.pairs.length).to.be.greaterThan(10);
    });

    for (const p of kb.pairs) {
      it(`${p.id}`, () => {
        const reply = answerReply(kb, p);
        const message = render(reply, cardCtx);
        expect(message.text, 'no text beside the card').to.equal('');
        const card = cardOf(message);
        expectGoodCard(card, p.id);

        // The answer block: the verbatim answer, then its source line.
        const [block, ...others] = answerContainers(card);
        expect(others).to.deep.equal([]);
        expect(block).to.deep.equal([answerText(p), expectedSourceLine(p)]);
        for (const sentence of p.answer) {
          for (const span of sentence.split(/\s*(?:…|\.\.\.)\s*/).filter(Boolean)) {
            expect(source, `${p.id}: answer text is in the EMA overview`).to.include(span);
          }
        }

        // The same answer and source in the card's fallback and in the text channels' message.
        const plain = render(reply, textCtx);
        expect(plain.attachments).to.equal(undefined);
        for (const text of [String(card.fallbackText), plain.text]) {
          expect(text).to.include(answerText(p));
          expect(text).to.include(expectedSourceLine(p));
          expect(text).to.include(texts.deferral);
        }
        expect(String(card.fallbackText).startsWith(plain.text)).to.equal(true);

        // The leaflet link and the follow-ups as buttons; as suggested actions on text channels.
        const actions = actionsOf(card);
        expect(actions[0]).to.include({ type: 'Action.OpenUrl', title: texts.leafletAction });
        const buttons = reply.buttons ?? [];
        expect(actions.slice(1).map((a) => a.title)).to.deep.equal(buttons.map((b) => b.title));
        expect(plain.suggestedActions?.actions.map((a) => a.value) ?? []).to.deep.equal(
          buttons.map((b) => b.value),
        );
      });
    }
  });

  describe('representative replies', () => {
    const fixed: [string, Reply][] = [
      ['welcome', welcomeReply()],
      ['help', helpReply()],
      ['menu', menuReply()],
      ['fallback', fallbackReply()],
    ];
    for (const [label, reply] of fixed) {
      it(`${label}: a valid card with all its lines and buttons, and the same as text`, () => {
        const card = cardOf(render(reply, cardCtx));
        expectGoodCard(card, label);
        const shown = textBlocksOf(card);
        const lines = (reply.intro ?? []).map((line) => fillPlaceholders(line, templateValues(cardCtx)));
        for (const line of lines) expect(shown).to.include(line);
        expect(
          actionsOf(card)
            .filter((a) => a.type === 'Action.Submit')
            .map((a) => a.title),
        ).to.deep.equal((reply.buttons ?? []).map((b) => b.title));
        const plain = render(reply, textCtx);
        for (const line of lines) expect(plain.text).to.include(line);
        expect(String(card.fallbackText).startsWith(plain.text)).to.equal(true);
      });
    }

    it('"Did you mean": the suggestions as buttons, plus "None of these"', () => {
      const outcome = ['effects', 'side', 'what about the risks', 'approval', 'how long']
        .map((q) => faqOutcome(kb, matcher, q))
        .find((o) => o.part.reason === 'close-call');
      expect(outcome, 'a question that gets suggestions').to.exist;
      const card = cardOf(render(outcome!.reply, cardCtx));
      expectGoodCard(card, 'suggestions');
      expect(textBlocksOf(card)).to.include(texts.suggestIntro);
      expect(actionsOf(card).map((a) => a.title)).to.deep.equal([
        ...outcome!.part.suggestions.map((p) => p.question),
        texts.suggestNone,
      ]);
    });

    for (const flow of Object.keys(flowData) as FlowId[]) {
      const trigger = flow === 'howToTake' ? 'How do I take it?' : 'Am I at risk?';
      for (const option of flowData[flow].options) {
        it(`flow ${flow}, "${option.title}": the prompt and the answer, as cards and as text`, async () => {
          const web = new Chat('webchat');
          const text = new Chat('test');
          const [promptCard] = await web.say(trigger);
          const [promptText] = await text.say(trigger);
          const prompt = cardOf(promptCard);
          expectGoodCard(prompt, `${flow} prompt`);
          expect(textBlocksOf(prompt)).to.include(flowData[flow].prompt);
          expect(actionsOf(prompt).map((a) => a.title)).to.deep.equal(
            flowData[flow].options.map((o) => o.title),
          );
          expect(promptText.suggestedActions?.actions.map((a) => a.title)).to.deep.equal(
            flowData[flow].options.map((o) => o.title),
          );

          const webReplies = await web.say(option.title);
          const textReplies = await text.say(option.title);
          expect(webReplies).to.have.length(1);
          expect(textReplies).to.have.length(1);
          const card = cardOf(webReplies[0]);
          expectGoodCard(card, `${flow}/${option.id}`);
          const blocks = answerContainers(card);
          expect(blocks).to.have.length(option.blocks.length);
          option.blocks.forEach((b, i) => {
            // The source line closes each run of answers from one section, once.
            const next = option.blocks[i + 1];
            const section = pair(b.pair).provenance.section;
            const closesRun = !next || pair(next.pair).provenance.section !== section;
            const expected = [
              answerText(pair(b.pair)),
              ...(closesRun ? [expectedSourceLine(pair(b.pair))] : []),
            ];
            expect(blocks[i]).to.deep.equal(b.label ? [b.label, ...expected] : expected);
            if (closesRun) expect(textReplies[0].text).to.include(expectedSourceLine(pair(b.pair)));
            expect(textReplies[0].text).to.include(answerText(pair(b.pair)));
            expect(String(card.fallbackText)).to.include(answerText(pair(b.pair)));
          });
          expect(String(card.fallbackText).startsWith(String(textReplies[0].text))).to.equal(true);
        });
      }
    }

    it('urgent red-flag advice: a prominent card with the safety message, and the same text', async () => {
      const said = 'I have chest pain and it is getting worse';
      const hit = createSafetyGate().check(said);
      expect(hit?.level).to.equal('emergency');
      const message = fillPlaceholders(
        hit!.message,
        templateValues({ kb, emergencyNumber: config.emergencyNumber }),
      );
      const [cardReply] = await new Chat('webchat').say(said);
      const [textReply] = await new Chat('test').say(said);
      const card = cardOf(cardReply);
      expectGoodCard(card, 'urgent');
      const urgent = (card.body as Json[])[0];
      expect(urgent).to.include({ type: 'Container', style: 'attention' });
      expect(textBlocksOf(urgent)).to.deep.equal([message]);
      expect(textReply.text).to.equal(message);
      expect(card.fallbackText).to.equal(message);
    });

    it('replies with only our own lines are plain text, on card channels too', async () => {
      const [reply] = await new Chat('webchat').say('thank you');
      expect(reply.attachments ?? []).to.deep.equal([]);
      expect(reply.text).to.be.a('string').and.not.equal('');
      expect(reply.textFormat).to.equal('plain');
    });
  });

  describe('user text never reaches a reply', () => {
    const marker = 'Zqx7wv';
    const inputs = [
      `what is it used for ${marker}`,
      `how do I take it ${marker}`,
      `${marker}`,
      `tell me about ${marker} please`,
      `I have chest pain ${marker}`,
      `should I stop taking it ${marker}`,
      `*${marker}* [${marker}](https://example.org) <b>${marker}</b>`,
      `side ${marker}`,
    ];
    for (const channel of ['webchat', 'test', 'msteams']) {
      it(`on ${channel}`, async () => {
        const chat = new Chat(channel);
        let replies = 0;
        for (const input of inputs) {
          const sent = await chat.say(input);
          replies += sent.length;
          expect(JSON.stringify(sent).toLowerCase(), input).not.to.include(marker.toLowerCase());
        }
        expect(replies).to.be.at.least(inputs.length);
      });
    }
  });

  describe('markdown in verbatim text', () => {
    const tricky = [
      '*bold* and _italic_ and **strong** and `code` and ~strike~',
      '[a link](https://example.org) and ![an image](https://example.org/i.png)',
      '<b>html</b> &amp; &#169; a | table | row',
      '# heading',
      '> quote',
      '- item',
      '+ item',
      '1. first',
      '2) second',
      'back\\slash',
      'Plain text (with brackets), full stops. And commas!',
    ];

    it('escapes everything that would format, and un-escapes to the original', () => {
      for (const text of tricky) {
        const escaped = literal(text);
        expect(unescapeMarkdown(escaped), text).to.equal(text);
        // No formatting character is left bare.
        expect(escaped.replace(/\\[!-/:-@[-`{-~]/g, ''), text).not.to.match(/[*_`[\]~<|]|&#?\w+;/);
        expect(escaped.replace(/\\[!-/:-@[-`{-~]/g, ''), text).not.to.match(/^\s*([-+#>]|\d+[.)])/);
      }
      // Ordinary punctuation is left alone: some Teams clients show needless escapes.
      expect(literal(tricky[tricky.length - 1])).to.equal(tricky[tricky.length - 1]);
    });

    it('shows an answer with markdown characters exactly as written, in the card and the text', () => {
      const base = kb.pairs[0];
      const odd: QAPair = { ...base, id: 'test.markdown', answer: tricky };
      const card = replyAsCard(answerReply(kb, odd), cardCtx);
      expectGoodCard(card, 'markdown');
      expect(answerContainers(card)[0][0]).to.equal(answerText(odd));
      expect(replyAsText(answerReply(kb, odd), textCtx)).to.include(answerText(odd));
      expect(String(card.fallbackText)).to.include(answerText(odd));
    });
  });

  describe('buttons by channel and conversation', () => {
    const asButtons = (flow: FlowId) =>
      flowData[flow].options.map((o) => ({ title: o.title, value: o.title }));
    const prompt: Reply = { intro: [flowData.howToTake.prompt], buttons: asButtons('howToTake') };
    const titles = flowData.howToTake.options.map((o) => o.title);

    it('a buttons-only prompt is a card in a Teams channel or group chat, never suggested actions', () => {
      const message = render(prompt, { ...cardCtx, shared: true });
      expect(message.suggestedActions).to.equal(undefined);
      expect(actionsOf(cardOf(message)).map((a) => a.title)).to.deep.equal(titles);
    });

    it('is a card in personal chats and Web Chat too', () => {
      const message = render(prompt, { ...cardCtx, shared: false });
      expect(actionsOf(cardOf(message)).map((a) => a.title)).to.deep.equal(titles);
    });

    it('is text with suggested actions on a one-to-one text channel', () => {
      const message = render(prompt, textCtx);
      expect(message.attachments).to.equal(undefined);
      expect(message.suggestedActions?.actions).to.deep.equal(
        flowData.howToTake.options.map((o) => ({ type: 'imBack', title: o.title, value: o.title })),
      );
    });

    it('lists the choices in the text of a shared conversation without cards', () => {
      const message = render(prompt, { ...textCtx, shared: true });
      expect(message.suggestedActions).to.equal(undefined);
      expect(message.text).to.include(texts.choicesIntro);
      for (const title of titles) expect(message.text).to.include(`• ${title}`);
    });

    it('puts each button in its own row, so no host limit on actions per row drops a choice', () => {
      const risk: Reply = { intro: [flowData.risk.prompt], buttons: asButtons('risk') };
      const card = cardOf(render(risk, cardCtx));
      const sets = (card.body as Json[]).filter((el) => el.type === 'ActionSet');
      expect(sets).to.have.length(flowData.risk.options.length);
      for (const set of sets) expect(set.actions).to.have.length(1);
      expect(card.actions).to.equal(undefined);
    });
  });

  describe('the card checker itself', () => {
    it('reports what Teams (1.5) could not render: a newer property, a missing url, another version', () => {
      const good = replyAsCard(answerReply(kb, kb.pairs[0]), cardCtx);
      expect(cardProblems(good)).to.deep.equal([]);
      const newer = {
        ...good,
        body: [...(good.body as Json[]), { type: 'ImageSet', images: [], style: 'stacked' }],
      };
      expect(cardProblems(newer).join(' ')).to.match(/style/);
      const noUrl = {
        ...good,
        body: [{ type: 'ActionSet', actions: [{ type: 'Action.OpenUrl', title: 'x' }] }],
      };
      expect(cardProblems(noUrl).join(' ')).to.match(/url/i);
      expect(cardProblems({ ...good, version: '1.6' })).not.to.deep.equal([]);
    });
  });
});
