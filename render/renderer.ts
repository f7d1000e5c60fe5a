// The one place where replies become messages: an Adaptive Card (1.5: the highest version both Teams
// and Web Chat render) with a plain-text fallback, or plain text with suggested actions for channels
// without cards. Knowledge-base answers are copied verbatim; user input is never placed in markup.
import type { KnowledgeBase, QAPair } from '../knowledge/types';
import texts from './texts.json';

export interface Button {
  title: string;
  /** The text sent back when the button is chosen. */
  value: string;
}

export interface AnswerBlock {
  /** Our own short label above the answer ("With dexamethasone only"). */
  label?: string;
  pair: QAPair;
}

export interface Reply {
  /** Our own framing lines (never medical statements). */
  intro?: string[];
  /** Verbatim knowledge-base answers, each with its source line. */
  blocks?: AnswerBlock[];
  /** Our own lines after the answers. */
  notes?: string[];
  /** Ends with the deferral to the doctor, pharmacist and leaflet. */
  defer?: boolean;
  /** Offer the "Open the package leaflet" action. */
  leaflet?: boolean;
  buttons?: Button[];
  /** Marks urgent safety messages so cards can show them prominently. */
  urgent?: boolean;
}

export interface RenderContext {
  kb: KnowledgeBase;
  leafletUrl: string;
  emergencyNumber: string;
  /** Whether the channel renders Adaptive Cards. */
  cards: boolean;
}

/** A Bot Framework message activity as plain data (the renderer does not depend on botbuilder). */
export interface MessageData {
  type: 'message';
  text: string;
  textFormat?: 'plain' | 'markdown';
  attachments?: { contentType: string; content: unknown }[];
  suggestedActions?: { actions: { type: 'imBack'; title: string; value: string }[]; to?: string[] };
  inputHint?: 'acceptingInput' | 'expectingInput' | 'ignoringInput';
}

export const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';

export function fillTemplate(template: string, ctx: Pick<RenderContext, 'kb' | 'emergencyNumber'>): string {
  return template
    .replace(/\{medicine\}/g, ctx.kb.medicine)
    .replace(/\{activeSubstance\}/g, ctx.kb.activeSubstance)
    .replace(/\{updated\}/g, ctx.kb.lastUpdatedText)
    .replace(/\{documentId\}/g, ctx.kb.documentId)
    .replace(/\{emergency\}/g, ctx.emergencyNumber);
}

export function sourceLine(pair: QAPair, ctx: Pick<RenderContext, 'kb' | 'emergencyNumber'>): string {
  return fillTemplate(texts.sourceLine, ctx).replace('{section}', pair.provenance.section);
}

export function answerText(pair: QAPair): string {
  return pair.answer.join(' ');
}

/** Our own lines may name the medicine, date or emergency number as {placeholders}; fill them here, once. */
function filled(reply: Reply, ctx: RenderContext): Reply {
  const fill = (lines?: string[]): string[] | undefined => lines?.map((l) => fillTemplate(l, ctx));
  return { ...reply, intro: fill(reply.intro), notes: fill(reply.notes) };
}

/** Plain text with every part of the reply: the message text on text channels, the fallback on card channels. */
export function replyAsText(original: Reply, ctx: RenderContext): string {
  const reply = filled(original, ctx);
  const parts: string[] = [];
  if (reply.intro) parts.push(...reply.intro);
  for (const block of reply.blocks ?? []) {
    parts.push([block.label ? `${block.label}:` : '', answerText(block.pair)].filter(Boolean).join('\n'));
    parts.push(sourceLine(block.pair, ctx));
  }
  if (reply.notes) parts.push(...reply.notes);
  if (reply.defer) parts.push(texts.deferral);
  if (reply.leaflet) parts.push(`${texts.leafletAction}: ${ctx.leafletUrl}`);
  return parts.join('\n\n');
}

function textBlock(text: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { type: 'TextBlock', text, wrap: true, ...extra };
}

/** Adaptive Card TextBlocks read markdown: escape it so verbatim answers show as written. */
function literal(text: string): string {
  return text.replace(/([\\*_`[\]#>~|])/g, '\\$1').replace(/^(\d+)\./gm, '$1\\.');
}

export function replyAsCard(original: Reply, ctx: RenderContext): Record<string, unknown> {
  const reply = filled(original, ctx);
  const body: Record<string, unknown>[] = [];
  if (reply.urgent) {
    body.push({
      type: 'Container',
      style: 'attention',
      items: (reply.intro ?? []).map((line, i) =>
        textBlock(literal(line), i === 0 ? { weight: 'Bolder' } : {}),
      ),
    });
  } else {
    for (const line of reply.intro ?? []) body.push(textBlock(literal(line)));
  }
  for (const block of reply.blocks ?? []) {
    const items: Record<string, unknown>[] = [];
    if (block.label) items.push(textBlock(literal(block.label), { weight: 'Bolder' }));
    items.push(textBlock(literal(answerText(block.pair))));
    items.push(
      textBlock(literal(sourceLine(block.pair, ctx)), { isSubtle: true, size: 'Small', spacing: 'Small' }),
    );
    body.push({ type: 'Container', separator: body.length > 0, items });
  }
  for (const note of reply.notes ?? []) body.push(textBlock(literal(note)));
  if (reply.defer) body.push(textBlock(literal(texts.deferral), { isSubtle: true, separator: true }));

  const actions: Record<string, unknown>[] = [];
  if (reply.leaflet)
    actions.push({ type: 'Action.OpenUrl', title: texts.leafletAction, url: ctx.leafletUrl });
  for (const b of reply.buttons ?? []) {
    // imBack in Teams posts the text; Web Chat posts the data object, which the bot reads as text.
    actions.push({
      type: 'Action.Submit',
      title: b.title,
      data: { text: b.value, msteams: { type: 'imBack', value: b.value } },
    });
  }
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    // Shown by hosts that cannot render the card: the same content as plain text.
    fallbackText: replyAsText(reply, ctx),
    body,
    ...(actions.length > 0 ? { actions } : {}),
  };
}

export function render(reply: Reply, ctx: RenderContext): MessageData {
  const text = replyAsText(reply, ctx);
  const hasContent =
    (reply.blocks?.length ?? 0) > 0 || reply.urgent || (reply.buttons?.length ?? 0) > 0 || reply.leaflet;
  if (ctx.cards && hasContent) {
    // No message text beside the card: Teams and Web Chat would show the answer twice.
    return {
      type: 'message',
      text: '',
      attachments: [{ contentType: ADAPTIVE_CARD, content: replyAsCard(reply, ctx) }],
      inputHint: 'acceptingInput',
    };
  }
  const message: MessageData = { type: 'message', text, textFormat: 'plain', inputHint: 'acceptingInput' };
  if (reply.buttons && reply.buttons.length > 0) {
    message.suggestedActions = {
      actions: reply.buttons.map((b) => ({ type: 'imBack', title: b.title, value: b.value })),
    };
  }
  return message;
}

/** Channels known to render Adaptive Cards; every other channel gets plain text. */
const CARD_CHANNELS = new Set(['msteams', 'webchat', 'directline', 'emulator']);

export function channelSupportsCards(channelId: string | undefined): boolean {
  return CARD_CHANNELS.has(channelId ?? '');
}

export { texts };
