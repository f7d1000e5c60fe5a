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
import { loadMedicine } from '../knowledge/load';
import { silentLogger } from '../shared/log';
import { MedicineBot } from '../bots/medicineBot';
import { answerReply, fallbackReply } from '../dialogs/faq';
import { faqOutcome } from './faqOutcome';
import { helpReply, menuReply, welcomeReply } from '../dialogs/replies';
import { type FlowId } from '../dialogs/intents';
import { flowData } from './fixtures/imnovidFlows';
import { createSafetyGate, medicineNamesOf } from '../safety/gate';
import { fillPlaceholders } from '../render/placeholders';
import {
  ADAPTIVE_CARD,
  CARD_VERSION,
  answerAsText,
  answerShown,
  buttonTitle,
  telUrl,
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
import { layoutOf, listParts, needsDisclaimer, unitOf, type Unit } from '../render/layout';
import presentation from '../render/presentation.json';
import { measureShares } from './eval/reply-share';

type Json = Record<string, unknown>;

const config = loadConfig({ LOG_LEVEL: 'error' });
const knowledge = loadMedicine('imnovid');
const { kb, matcher } = knowledge;
const cardCtx: RenderContext = {
  kb,
  // Imnovid's leaflet, from its folder: EMA's product-information PDF, as before medicines had folders.
  leafletUrl:
    'https://www.ema.europa.eu/en/documents/product-information/imnovid-epar-product-information_en.pdf',
  emergencyNumber: config.emergencyNumber,
  cards: true,
};
const textCtx: RenderContext = { ...cardCtx, cards: false };
const source = readFileSync(
  join(__dirname, '..', 'knowledge', 'medicines', 'imnovid', 'overview.txt'),
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

/**
 * The parts of an answer container as the patient reads them, in order: running text, each lead-in, each
 * bullet (its markdown mark dropped) and each quote run, unescaped. Labels and the source line are left out.
 */
function shownParts(container: Json): string[] {
  const parts: string[] = [];
  walk(container.items, (obj) => {
    if (obj.type === 'TextBlock' && !obj.isSubtle && obj.weight !== 'Bolder') {
      const text = unescapeMarkdown(String(obj.text));
      if (/^- /.test(text)) parts.push(...text.split('\n').map((line) => line.replace(/^- /, '')));
      else parts.push(text);
    }
    if (obj.type === 'RichTextBlock') parts.push((obj.inlines as Json[]).map((r) => String(r.text)).join(''));
  });
  return parts;
}

/** The checks every card must pass, whatever it says. */
function expectGoodCard(card: Json, label: string): void {
  expect(cardProblems(card), `${label}: adaptivecards parse/validation`).to.deep.equal([]);
  expect(card.version, label).to.equal(CARD_VERSION);
  expect(String(card.fallbackText ?? '').trim(), `${label}: fallbackText`).not.to.equal('');
  for (const action of actionsOf(card)) {
    expect(String(action.title ?? '').trim(), `${label}: an action without a title`).not.to.equal('');
    if (action.type === 'Action.OpenUrl') {
      // Only tap-to-call the emergency number (issue 14); the leaflet is a link in the text.
      expect(action.url, label).to.equal(telUrl(config.emergencyNumber));
    } else if (action.type === 'Action.ShowCard') {
      // "Show more": the rest of a long answer, in a card shown in place.
      expect(action.title, label).to.equal(texts.showMore);
      expect(textBlocksOf(action.card as Json).length, label).to.be.above(0);
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

/** Issue 14: the short source line keeps the overview's date; the section is no longer named. */
function expectedSourceLine(): string {
  return `Source: EMA overview, ${kb.lastUpdatedText}.`;
}

/** The containers that hold answers. */
function answerContainerEls(card: Json): Json[] {
  return (card.body as Json[]).filter((el) => el.type === 'Container' && el.style === undefined);
}

/** The source line of an answer container: its last item, a subtle TextBlock, if any. */
function sourceLineOf(container: Json): string | undefined {
  const items = container.items as Json[];
  const last = items[items.length - 1];
  return last?.type === 'TextBlock' && last.isSubtle ? unescapeMarkdown(String(last.text)) : undefined;
}

/** The leaflet, as a markdown link in the card's text. */
const leafletLink = `[${texts.leafletAction}](${cardCtx.leafletUrl})`;

/** A small conversation with the real bot on one channel; 'webchat' renders cards, 'test' text. */
class Chat {
  private readonly bot = new MedicineBot({
    config,
    medicines: [knowledge],
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

        // The answer block: the answer's parts (whole sentences), then the short source line.
        const [block, ...others] = answerContainerEls(card);
        expect(others).to.deep.equal([]);
        expect(shownParts(block).join(' ')).to.equal(answerShown(p, kb));
        expect(sourceLineOf(block)).to.equal(expectedSourceLine());
        for (const sentence of p.answer) {
          for (const span of sentence.split(/\s*(?:…|\.\.\.)\s*/).filter(Boolean)) {
            expect(source, `${p.id}: answer text is in the EMA overview`).to.include(span);
          }
        }
        // What the patient reads is whole sentences of the overview: no "…" cut is shown.
        expect(shownParts(block).join(' ')).not.to.match(/…|\.\.\./);
        for (const sentence of answerShown(p, kb).split(/(?<=\.) (?=[A-Z])/))
          expect(source, `${p.id}: whole sentence in the overview`).to.include(sentence);

        // Say it once: the disclaimer and the leaflet link only where the topic needs them.
        const shown = textBlocksOf(card);
        expect(shown.includes(texts.deferral), `${p.id}: disclaimer`).to.equal(needsDisclaimer(p));
        expect(shown.includes(leafletLink), `${p.id}: leaflet link`).to.equal(needsDisclaimer(p));

        // The same answer and source in the card's fallback and in the text channels' message.
        const plain = render(reply, textCtx);
        expect(plain.attachments).to.equal(undefined);
        for (const text of [String(card.fallbackText), plain.text]) {
          expect(text).to.include(answerAsText(p, kb));
          expect(text).to.include(expectedSourceLine());
          expect(text.includes(texts.deferral)).to.equal(needsDisclaimer(p));
          expect(text.includes(`${texts.leafletAction}: ${cardCtx.leafletUrl}`)).to.equal(needsDisclaimer(p));
        }
        expect(String(card.fallbackText).startsWith(plain.text)).to.equal(true);

        // The follow-ups as buttons with their short labels; as suggested actions on text channels.
        const buttons = reply.buttons ?? [];
        const submits = actionsOf(card).filter((a) => a.type === 'Action.Submit');
        expect(submits.map((a) => a.title)).to.deep.equal(buttons.map((b) => buttonTitle(b, { kb })));
        expect(submits.map((a) => (a.data as Json).text)).to.deep.equal(buttons.map((b) => b.value));
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
      // Each suggestion by its pair's short label (issue 14); the button sends the whole question.
      expect(actionsOf(card).map((a) => a.title)).to.deep.equal([
        ...outcome!.part.suggestions.map((p) => presentation.short[p.id as keyof typeof presentation.short]),
        texts.suggestNone,
      ]);
      expect(actionsOf(card).map((a) => (a.data as Json).text)).to.deep.equal([
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
          const blocks = answerContainerEls(card);
          expect(blocks).to.have.length(option.blocks.length);
          option.blocks.forEach((b, i) => {
            // Issue 14: the short source line once, after the last answer (it no longer names a section).
            const last = i === option.blocks.length - 1;
            expect(shownParts(blocks[i]).join(' ')).to.equal(answerShown(pair(b.pair), kb));
            expect(sourceLineOf(blocks[i])).to.equal(last ? expectedSourceLine() : undefined);
            if (b.label) expect(textBlocksOf(blocks[i])[0]).to.equal(b.label);
            expect(textReplies[0].text).to.include(answerAsText(pair(b.pair), kb));
            expect(String(card.fallbackText)).to.include(answerAsText(pair(b.pair), kb));
          });
          expect(String(textReplies[0].text).split(expectedSourceLine())).to.have.length(2);
          // A flow's final answer always carries the disclaimer and the leaflet link.
          expect(textBlocksOf(card)).to.include(texts.deferral);
          expect(textBlocksOf(card)).to.include(leafletLink);
          expect(String(card.fallbackText).startsWith(String(textReplies[0].text))).to.equal(true);
        });
      }
    }

    it('urgent red-flag advice: a prominent card with the safety message, and the same text', async () => {
      const said = 'I have chest pain and it is getting worse';
      const hit = createSafetyGate({ medicineNames: medicineNamesOf([knowledge]) }).check(said);
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

  describe('issue 14: what a patient reads', () => {
    /** The rendered parts of one sentence's unit, as the card shows them. */
    const partsOf = (unit: Unit): string[] =>
      unit.kind === 'text'
        ? [unit.text]
        : unit.kind === 'list'
          ? [unit.lead, ...unit.items].filter(Boolean)
          : unit.runs.map((r) => r.text);

    for (const p of kb.pairs) {
      it(`${p.id}: every rendered part is the source's own, and the parts give back each sentence exactly`, () => {
        for (const sentence of p.answer) {
          const unit = unitOf(sentence, kb);
          if (unit.kind === 'quote') {
            // The quoted spans are the answer's own words; with the context they are a whole sentence.
            const whole = unit.runs.map((r) => r.text).join('');
            expect(source).to.include(whole);
            expect(unit.runs.filter((r) => !r.context).map((r) => r.text.trim())).to.deep.equal(
              sentence.split(/\s*…\s*/).filter(Boolean),
            );
          } else {
            expect(partsOf(unit).join(' ')).to.equal(sentence);
          }
        }
        // And in the card, the shown parts (lead-ins, bullets, runs) joined back are the sentences.
        const card = replyAsCard(answerReply(kb, p), cardCtx);
        const wholes = p.answer.map((s) =>
          partsOf(unitOf(s, kb)).join(unitOf(s, kb).kind === 'quote' ? '' : ' '),
        );
        expect(shownParts(answerContainerEls(card)[0]).join(' ')).to.equal(wholes.join(' '));
      });
    }

    it('shows the enumerating sentences as a lead-in and a bulleted list, in cards and plain text', () => {
      const listed = kb.pairs.flatMap((p) =>
        p.answer.filter((s) => listParts(s) !== undefined).map((s) => `${p.id}: ${s.slice(0, 30)}`),
      );
      expect(listed.map((l) => l.split(':')[0])).to.deep.equal([
        'work.overview',
        'risks.common-side-effects',
        'risks.serious-side-effects',
      ]);
      const serious = pair('risks.serious-side-effects');
      const parts = listParts(serious.answer[0])!;
      expect(parts.lead).to.equal('Serious side effects, which affect up to 1 in 10 patients, include');
      expect(parts.items).to.deep.equal([
        'blood disorders (such as neutropenia, anaemia and thrombocytopenia),',
        'lower respiratory tract infection (such as bronchitis or pneumonia),',
        'pulmonary embolism (clot in a blood vessel in the lungs),',
        'flu,',
        'and acute kidney injury.',
      ]);
      const text = render(answerReply(kb, serious), textCtx).text;
      expect(text).to.include(`${parts.lead}\n${parts.items.map((i) => `• ${i}`).join('\n')}`);
      const card = replyAsCard(answerReply(kb, serious), cardCtx);
      expect(textBlocksOf(card)).to.include(parts.items.map((i) => `- ${i}`).join('\n'));
      // A short sentence is left as it is, even when it lists ("capsules (1, 2, 3 and 4 mg)").
      expect(listParts(pair('use.forms').answer[0])).to.equal(undefined);
    });

    it('shows a long answer\'s first part, the rest behind "Show more" (a card shown in place)', () => {
      const common = pair('risks.common-side-effects');
      const layout = layoutOf(common.answer, kb);
      expect(layout.more).to.have.length(1);
      const card = replyAsCard(answerReply(kb, common), cardCtx);
      const more = actionsOf(card).filter((a) => a.type === 'Action.ShowCard');
      expect(more).to.have.length(1);
      expect(more[0].title).to.equal(texts.showMore);
      const hidden = textBlocksOf(more[0].card as Json).join('\n');
      expect(hidden).to.include('- fever,');
      // What is shown at once does not repeat what "Show more" opens.
      const { card: _more, ...rest } = more[0];
      void _more;
      expect(JSON.stringify(rest)).not.to.include('fever');
      expect(
        textBlocksOf(card).filter((t) => t.includes('- fever,')),
        'the hidden items only in the shown card',
      ).to.have.length(1);
      // Short answers hide nothing.
      const short = replyAsCard(answerReply(kb, pair('use.dose')), cardCtx);
      expect(actionsOf(short).filter((a) => a.type === 'Action.ShowCard')).to.deep.equal([]);
      for (const p of kb.pairs) {
        const { shown, more } = layoutOf(p.answer, kb);
        const shownChars = shown.reduce((n, u) => n + partsOf(u).join(' ').length, 0);
        if (more.length > 0) expect(shownChars, p.id).to.be.below(p.answer.join(' ').length);
        else expect(p.answer.join(' ').length, p.id).to.be.at.most(presentation.showMore.afterChars);
      }
    });

    it('shows a span quoted with "…" inside its whole sentence, the left-out words as subtle context', () => {
      for (const id of ['use.schedule-bortezomib', 'use.schedule-dexamethasone']) {
        const card = replyAsCard(answerReply(kb, pair(id)), cardCtx);
        const rich: Json[] = [];
        walk(card, (obj) => {
          if (obj.type === 'RichTextBlock') rich.push(obj);
        });
        expect(rich, id).to.have.length(1);
        const runs = rich[0].inlines as Json[];
        expect(runs.map((r) => r.text).join(''), id).to.equal(pair('use.schedule').answer[0]);
        expect(runs.some((r) => r.isSubtle === true && r.italic === true)).to.equal(true);
        expect(runs.filter((r) => !r.isSubtle).map((r) => String(r.text).trim())).to.deep.equal(
          pair(id)
            .answer[0].split(/\s*…\s*/)
            .filter(Boolean),
        );
        // Plain text: the whole sentence, the left-out words in brackets.
        expect(render(answerReply(kb, pair(id)), textCtx).text).to.match(
          /^It is taken [^\n]*\[[^\n]+\][^\n]*\n/,
        );
      }
    });

    it('says it once: the answer is at least half of each reply outside dosing, risks and pregnancy', async () => {
      const shares = await measureShares();
      expect(shares).to.have.length(kb.pairs.length);
      for (const share of shares.filter((s) => !s.disclaimerTopic)) {
        expect(share.text, `${share.id} (text)`).to.be.at.least(0.5);
        expect(share.card, `${share.id} (card)`).to.be.at.least(0.5);
      }
    });

    it('gives every pair a short button label that fits a 390 px phone', () => {
      const short = presentation.short as Record<string, string>;
      expect(Object.keys(short).sort()).to.deep.equal(kb.pairs.map((p) => p.id).sort());
      for (const [id, label] of Object.entries(short)) {
        expect(label.length, id).to.be.at.most(28);
        expect(buttonTitle({ title: pair(id).question, value: pair(id).question }, { kb })).to.equal(label);
      }
      for (const b of texts.menuButtons) expect(b.title.length).to.be.at.most(28);
    });

    it('puts a tap-to-call action for the emergency number on urgent replies', () => {
      const card = replyAsCard({ intro: ['Call now.'], urgent: true }, cardCtx);
      const calls = actionsOf(card).filter((a) => a.type === 'Action.OpenUrl');
      expect(calls).to.deep.equal([
        {
          type: 'Action.OpenUrl',
          title: `Call ${config.emergencyNumber}`,
          url: `tel:${config.emergencyNumber}`,
          style: 'destructive',
        },
      ]);
    });

    it('welcomes with the disclaimer, the freshness of the leaflet and the emergency number', () => {
      const card = cardOf(render(welcomeReply(), cardCtx));
      const shown = textBlocksOf(card).join('\n');
      expect(shown).to.include("can't give medical advice");
      expect(shown).to.include('current text and may be newer');
      expect(shown).to.include(`call ${config.emergencyNumber}`);
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
      expect(shownParts(answerContainerEls(card)[0]).join(' ')).to.equal(answerShown(odd, kb));
      expect(replyAsText(answerReply(kb, odd), textCtx)).to.include(answerAsText(odd, kb));
      expect(String(card.fallbackText)).to.include(answerAsText(odd, kb));
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
