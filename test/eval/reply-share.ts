// "Say it once" (issue 14): for every pair's canonical question, asked of the real bot, how much of the
// reply is the answer's own text. Three views: the text a text channel sends; everything written on the
// card (TextBlocks and rich text, the part behind "Show more" included); and the card with its button
// labels too. Run: npm run measure:replies (prints the table; test/cards.test.ts holds the floor).
import { MemoryStorage, TestAdapter, type Activity, type ConversationReference } from 'botbuilder';
import { loadConfig } from '../../config';
import { loadMedicine } from '../../knowledge/load';
import { silentLogger } from '../../shared/log';
import { MedicineBot } from '../../bots/medicineBot';
import { ADAPTIVE_CARD, answerShown } from '../../render/renderer';
import { needsDisclaimer } from '../../render/layout';

export interface Share {
  id: string;
  /** Dosing, risks or pregnancy: the disclaimer and the leaflet link belong in the reply. */
  disclaimerTopic: boolean;
  answerChars: number;
  textChars: number;
  cardChars: number;
  cardWithButtonsChars: number;
  /** Answer characters over the text channel's message. */
  text: number;
  /** Answer characters over everything written on the card. */
  card: number;
  /** Answer characters over the card's writing and its button labels. */
  cardWithButtons: number;
}

type Json = Record<string, unknown>;

function written(card: unknown): { text: string[]; buttons: string[] } {
  const text: string[] = [];
  const buttons: string[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    const obj = node as Json;
    if (obj.type === 'TextBlock')
      text.push(
        String(obj.text)
          .replace(/\\([!-/:-@[-`{-~])/g, '$1')
          .replace(/^- /gm, '')
          // A markdown link shows its title only.
          .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1'),
      );
    if (obj.type === 'RichTextBlock') text.push((obj.inlines as Json[]).map((r) => String(r.text)).join(''));
    if (typeof obj.type === 'string' && obj.type.startsWith('Action.')) buttons.push(String(obj.title));
    Object.values(obj).forEach(visit);
  };
  visit((card as Json).body);
  return { text, buttons };
}

async function ask(channelId: string, text: string): Promise<Partial<Activity>> {
  const config = loadConfig({ LOG_LEVEL: 'error' });
  const bot = new MedicineBot({
    config,
    medicines: [knowledge],
    storage: new MemoryStorage(),
    log: silentLogger,
  });
  const adapter = new TestAdapter({
    channelId,
    serviceUrl: 'https://example.test/',
    bot: { id: 'bot', name: 'bot' },
    user: { id: 'user', name: 'User' },
    conversation: { id: `${channelId}-share` },
  } as unknown as ConversationReference);
  await adapter.processActivity({ type: 'message', text } as Activity, (c) => bot.run(c));
  const replies = adapter.activeQueue.splice(0);
  if (replies.length !== 1) throw new Error(`"${text}": ${replies.length} replies`);
  return replies[0];
}

const knowledge = loadMedicine('imnovid');

export async function measureShares(): Promise<Share[]> {
  const shares: Share[] = [];
  for (const pair of knowledge.kb.pairs) {
    const answer = answerShown(pair, knowledge.kb);
    const plain = await ask('test', pair.question);
    const card = (await ask('webchat', pair.question)).attachments?.find(
      (a) => a.contentType === ADAPTIVE_CARD,
    )?.content as Json | undefined;
    if (!card) throw new Error(`${pair.id}: no card`);
    const { text, buttons } = written(card);
    const textChars = String(plain.text ?? '').length;
    const cardChars = text.join('\n').length;
    const cardWithButtonsChars = cardChars + buttons.join('\n').length;
    // The plain text writes lists with "•" and a quote's context in brackets: count the answer as written.
    const answerChars = answer.length;
    shares.push({
      id: pair.id,
      disclaimerTopic: needsDisclaimer(pair),
      answerChars,
      textChars,
      cardChars,
      cardWithButtonsChars,
      text: Math.min(1, answerChars / textChars),
      card: Math.min(1, answerChars / cardChars),
      cardWithButtons: answerChars / cardWithButtonsChars,
    });
  }
  return shares;
}

function pct(n: number): string {
  return `${(n * 100).toFixed(1)} %`;
}

if (require.main === module) {
  void measureShares().then((shares) => {
    console.log('pair | topic | answer chars | text: share (chars) | card: share (chars) | card + buttons');
    for (const s of shares)
      console.log(
        `${s.id} | ${s.disclaimerTopic ? 'disclaimer' : 'other'} | ${s.answerChars} | ${pct(s.text)} (${s.textChars}) | ` +
          `${pct(s.card)} (${s.cardChars}) | ${pct(s.cardWithButtons)} (${s.cardWithButtonsChars})`,
      );
    for (const topic of [false, true]) {
      const group = shares.filter((s) => s.disclaimerTopic === topic);
      const min = (k: 'text' | 'card' | 'cardWithButtons'): string =>
        pct(Math.min(...group.map((s) => s[k])));
      const mean = (k: 'text' | 'card' | 'cardWithButtons'): string =>
        pct(group.reduce((n, s) => n + s[k], 0) / group.length);
      console.log(
        `${topic ? 'dosing, risks, pregnancy' : 'other topics'} (${group.length} pairs): text min ${min('text')} mean ${mean('text')}; ` +
          `card min ${min('card')} mean ${mean('card')}; card + buttons min ${min('cardWithButtons')} mean ${mean('cardWithButtons')}`,
      );
    }
  });
}
