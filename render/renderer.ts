// The one place where replies become messages: an Adaptive Card (1.5: Teams renders up to 1.5, Web Chat's
// adaptivecards 3.0 up to 1.6) with a plain-text fallback, or plain text with suggested actions for
// channels without cards. Knowledge-base answers are copied verbatim; user input is never placed in markup.
import type { KnowledgeBase, QAPair } from '../knowledge/types';
import texts from './texts.json';
import { fillPlaceholders } from './placeholders';
import { layoutOf, needsDisclaimer, shortLabel, unitOf, unitText, type Unit } from './layout';

export interface Button {
  title: string;
  /** The text sent back when the button is chosen. */
  value: string;
}

export interface AnswerBlock {
  /** Our own short label above the answer ("With dexamethasone only"). */
  label?: string;
  pair: QAPair;
  /** Only these sentences of the pair's answer (indexes), when one source sentence answers the question. */
  sentences?: number[];
  /** The knowledge base the pair comes from, when it is not the conversation's medicine (answers side by side). */
  kb?: KnowledgeBase;
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
  /** Show the helpdesk's contacts (tap-to-call and links), or the doctor-or-pharmacist line when none are configured. */
  helpdesk?: boolean;
  /** Offer the link to the national side-effect reporting page, when one is configured. */
  reportingLink?: boolean;
  /** Ask for "helpful / not helpful" on the answer of this pair (only while recording is on). */
  feedback?: { pairId: string };
  /** Every section of the overview with its pairs' questions as buttons ("topics"), after the intro. */
  topics?: TopicSection[];
}

/** One section of the "topics" list: its heading and a button per pair. */
export interface TopicSection {
  title: string;
  buttons: Button[];
}

/** One line of the helpdesk, as configured (HELPDESK_CONTACTS). */
export interface ContactData {
  name: string;
  phone?: string;
  hours?: string;
  url?: string;
}

export interface RenderContext {
  /** The conversation's medicine; none while several are served and the patient has not said which. */
  kb?: KnowledgeBase;
  /** Several medicines are served: each source line names its medicine. */
  several?: boolean;
  /** The leaflet link of another medicine's answers (answers side by side each link their own leaflet). */
  leafletOf?: (kb: KnowledgeBase) => string;
  leafletUrl: string;
  emergencyNumber: string;
  /** Whether the channel renders Adaptive Cards. */
  cards: boolean;
  /**
   * A conversation several people share (a Teams channel or group chat). Teams shows suggested actions
   * only in personal chats, so there buttons must sit on a card, or be listed in the text.
   */
  shared?: boolean;
  /** The helpdesk's contacts (none configured: the reply names the doctor and pharmacist instead). */
  helpdesk?: ContactData[];
  /** The national side-effect reporting page of the deployment's country, if configured. */
  reportingUrl?: string;
  /** How long conversation state is kept after the last message (minutes); absent or 0: until forgotten. */
  stateKeptMinutes?: number;
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
export const CARD_VERSION = '1.5';

/** What our own texts' {placeholders} stand for. */
export function templateValues(
  ctx: Pick<RenderContext, 'kb' | 'emergencyNumber' | 'stateKeptMinutes'>,
): Record<string, string> {
  return {
    medicine: ctx.kb?.medicine ?? texts.medicineUnknown,
    activeSubstance: ctx.kb?.activeSubstance ?? '',
    updated: ctx.kb?.lastUpdatedText ?? '',
    documentId: ctx.kb?.documentId ?? '',
    emergency: ctx.emergencyNumber,
    keptFor: keptFor(ctx.stateKeptMinutes),
  };
}

/** How long the privacy notice says state is kept: the idle time of in-memory state, or until forgotten. */
function keptFor(minutes: number | undefined): string {
  return minutes !== undefined && minutes > 0
    ? fillPlaceholders(texts.privacy.keptFor.minutes, { minutes: String(minutes) })
    : texts.privacy.keptFor.untilForgotten;
}

/** The "topics" list as text: each section's heading, then its questions numbered on across sections. */
function topicsText(topics: TopicSection[] | undefined): string[] {
  let n = 0;
  return (topics ?? []).map((section) =>
    [section.title, ...section.buttons.map((b) => topicLine(++n, b))].join('\n'),
  );
}

/** One numbered question of the "topics" list as text (the console numbers its choices the same way). */
export function topicLine(n: number, button: Button): string {
  return `  ${n}. ${button.title}`;
}

/** The short source line: the overview and its date (the section is no longer named: say it once). */
function sourceLine(
  block: AnswerBlock,
  ctx: Pick<RenderContext, 'kb' | 'emergencyNumber' | 'several'>,
): string {
  return fillPlaceholders(ctx.several ? texts.medicines.sourceLine : texts.sourceLine, {
    ...templateValues({ ...ctx, kb: kbOf(block, ctx) }),
    section: block.pair.provenance.section,
  });
}

/** The knowledge base a block's pair comes from. */
function kbOf(block: AnswerBlock, ctx: Pick<RenderContext, 'kb'>): KnowledgeBase {
  const kb = block.kb ?? ctx.kb;
  if (!kb) throw new Error(`an answer block without its medicine: ${block.pair.id}`);
  return kb;
}

/**
 * Whether a block closes a run of answers from one overview: the source line follows it. One medicine's
 * answers share one line at the end; answers side by side each end with their own overview's line.
 */
function endsSource(blocks: AnswerBlock[], i: number, ctx: Pick<RenderContext, 'kb'>): boolean {
  const next = blocks[i + 1];
  return next === undefined || kbOf(next, ctx) !== kbOf(blocks[i]!, ctx);
}

/** The sentences of a block, before layout. */
function sentencesOf(block: AnswerBlock): string[] {
  const { answer } = block.pair;
  return block.sentences ? block.sentences.map((i) => answer[i]).filter((a) => a !== undefined) : answer;
}

/**
 * Whether the reply carries the general disclaimer (and the leaflet link with it): asked for, and either
 * no answers at all or an answer from a topic where it matters (dosing, risks, pregnancy; data in
 * presentation.json). Other answers keep only their short source line: the disclaimer is in the welcome
 * and the page header.
 */
export function showsDisclaimer(reply: Reply): boolean {
  if (!reply.defer) return false;
  const blocks = reply.blocks ?? [];
  return blocks.length === 0 || blocks.some((b) => needsDisclaimer(b.pair));
}

/** The leaflet link: on replies without answers (fallback, welcome), or with the disclaimer. */
function showsLeaflet(reply: Reply): boolean {
  if (!reply.leaflet) return false;
  return (reply.blocks ?? []).length === 0 || showsDisclaimer(reply);
}

/**
 * The leaflet links of a reply: the conversation's medicine's, or, for answers from several medicines side
 * by side, one per medicine, each named, so nobody opens another medicine's leaflet.
 */
function leafletLinks(reply: Reply, ctx: RenderContext): { title: string; url: string }[] {
  const kbs = [...new Set((reply.blocks ?? []).map((b) => kbOf(b, ctx)))];
  if (kbs.length < 2 || !ctx.leafletOf) return [{ title: texts.leafletAction, url: ctx.leafletUrl }];
  return kbs.map((kb) => ({
    title: fillPlaceholders(texts.medicines.leafletActionFor, { medicine: kb.medicine }),
    url: ctx.leafletOf!(kb),
  }));
}

/** A button's label: the pair's short label when the button asks a pair's canonical question. */
export function buttonTitle(b: Button, ctx: Pick<RenderContext, 'kb'>): string {
  return (ctx.kb && shortLabel(ctx.kb, b.value)) ?? b.title;
}

/** A unit as plain text: a list as its lead-in and "•" lines, a quote with its context in brackets. */
function unitAsText(unit: Unit): string {
  if (unit.kind === 'text') return unit.text;
  if (unit.kind === 'list') return [unit.lead, ...unit.items.map((i) => `• ${i}`)].filter(Boolean).join('\n');
  return unit.runs
    .map((r) => {
      if (!r.context) return r.text;
      const [, before, words, after] = /^(\s*)([\s\S]*?)(\s*)$/.exec(r.text)!;
      return `${before}[${words}]${after}`;
    })
    .join('');
}

/** Units as paragraphs: running sentences together, a list or a quote on lines of its own. */
function unitsAsText(units: Unit[]): string {
  const out: string[] = [];
  let run: string[] = [];
  for (const unit of units) {
    if (unit.kind === 'text') {
      run.push(unit.text);
      continue;
    }
    if (run.length > 0) out.push(run.join(' '));
    run = [];
    out.push(unitAsText(unit));
  }
  if (run.length > 0) out.push(run.join(' '));
  return out.join('\n');
}

/** The card elements of units: running sentences in one TextBlock, a list as a markdown list. */
function unitsAsCard(units: Unit[]): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  let run: string[] = [];
  const flush = (): void => {
    if (run.length > 0) out.push(textBlock(literal(run.join(' '))));
    run = [];
  };
  for (const unit of units) {
    if (unit.kind === 'text') {
      run.push(unit.text);
      continue;
    }
    flush();
    if (unit.kind === 'list') {
      if (unit.lead) out.push(textBlock(literal(unit.lead)));
      out.push(
        textBlock(unit.items.map((i) => `- ${literal(i)}`).join('\n'), unit.lead ? { spacing: 'Small' } : {}),
      );
    } else {
      // The whole sentence: the quoted words as they are, the words the answer leaves out in italic grey.
      out.push({
        type: 'RichTextBlock',
        inlines: unit.runs.map((r) =>
          r.context
            ? { type: 'TextRun', text: r.text, isSubtle: true, italic: true }
            : { type: 'TextRun', text: r.text },
        ),
      });
    }
  }
  flush();
  return out;
}

export function answerText(pair: QAPair, sentences?: number[]): string {
  return (sentences ? sentences.map((i) => pair.answer[i]).filter((a) => a !== undefined) : pair.answer).join(
    ' ',
  );
}

/** The answer's sentences as the patient reads them, whole (a quoted span inside its whole sentence). */
export function answerShown(pair: QAPair, kb: KnowledgeBase, sentences?: number[]): string {
  return sentencesOf({ pair, sentences })
    .map((s) => unitText(unitOf(s, kb)))
    .join(' ');
}

/** The answer as a plain-text reply writes it: lists as "•" lines, a quote's context in brackets. */
export function answerAsText(pair: QAPair, kb: KnowledgeBase, sentences?: number[]): string {
  return unitsAsText(sentencesOf({ pair, sentences }).map((s) => unitOf(s, kb)));
}

/**
 * Our own lines may name the medicine, date or emergency number as {placeholders}: they are filled here
 * and nowhere before, so dialogs, the bot and the safety gate hand over their texts as written.
 */
function filled(reply: Reply, ctx: RenderContext): Reply {
  const values = templateValues(ctx);
  const fill = (lines?: string[]): string[] | undefined => lines?.map((l) => fillPlaceholders(l, values));
  return { ...reply, intro: fill(reply.intro), notes: fill(reply.notes) };
}

/** A phone number as a tap-to-call link: `tel:` and the number without its spaces. */
export function telUrl(phone: string): string {
  return `tel:${phone.replace(/\s+/g, '')}`;
}

function contactValues(contact: ContactData): Record<string, string> {
  const values: Record<string, string> = { name: contact.name };
  if (contact.phone) Object.assign(values, { phone: contact.phone, tel: telUrl(contact.phone) });
  if (contact.hours) values.hours = contact.hours;
  if (contact.url) values.url = contact.url;
  return values;
}

/** The helpdesk's contacts as text: a heading, then each contact's name, phone (with its tel: link), hours and page. */
function helpdeskText(ctx: RenderContext): string[] {
  const contacts = ctx.helpdesk ?? [];
  if (contacts.length === 0) return [texts.helpdesk.noContacts];
  return [
    texts.helpdesk.contactsIntro,
    ...contacts.map((contact) => {
      const values = contactValues(contact);
      return [
        contact.name,
        contact.phone ? fillPlaceholders(texts.helpdesk.phone, values) : '',
        contact.hours ? fillPlaceholders(texts.helpdesk.hours, values) : '',
        contact.url ? fillPlaceholders(texts.helpdesk.website, values) : '',
      ]
        .filter(Boolean)
        .join('\n');
    }),
  ];
}

/** The actions of one contact: tap-to-call, then its page. */
function contactActions(contact: ContactData): Record<string, unknown>[] {
  const values = contactValues(contact);
  const actions: Record<string, unknown>[] = [];
  if (contact.phone)
    actions.push({
      type: 'Action.OpenUrl',
      title: fillPlaceholders(texts.helpdesk.callAction, values),
      url: telUrl(contact.phone),
    });
  if (contact.url)
    actions.push({
      type: 'Action.OpenUrl',
      title: fillPlaceholders(texts.helpdesk.websiteAction, values),
      url: contact.url,
    });
  return actions;
}

/** Plain text with every part of the reply: the message text on text channels, the fallback on card channels. */
export function replyAsText(reply: Reply, ctx: RenderContext): string {
  return textOfFilled(filled(reply, ctx), ctx);
}

function textOfFilled(reply: Reply, ctx: RenderContext): string {
  const parts: string[] = [];
  if (reply.intro) parts.push(...reply.intro);
  parts.push(...topicsText(reply.topics));
  const blocks = reply.blocks ?? [];
  blocks.forEach((block, i) => {
    const { shown, more } = layoutOf(sentencesOf(block), kbOf(block, ctx));
    parts.push(
      [block.label ? `${block.label}:` : '', unitsAsText([...shown, ...more])].filter(Boolean).join('\n'),
    );
    if (endsSource(blocks, i, ctx)) parts.push(sourceLine(block, ctx));
  });
  if (reply.notes) parts.push(...reply.notes);
  if (reply.helpdesk) parts.push(...helpdeskText(ctx));
  if (showsDisclaimer(reply)) parts.push(texts.deferral);
  if (reply.reportingLink && ctx.reportingUrl)
    parts.push(`${texts.reportSideEffect.action}: ${ctx.reportingUrl}`);
  if (showsLeaflet(reply)) for (const l of leafletLinks(reply, ctx)) parts.push(`${l.title}: ${l.url}`);
  if (reply.feedback) parts.push(texts.feedback.prompt);
  return parts.join('\n\n');
}

/** The buttons as text, for where they cannot be shown: a card's fallback, a shared text-only chat. */
function choicesAsText(buttons: Button[] | undefined): string {
  // The whole title here: it is what the patient types back.
  if (!buttons || buttons.length === 0) return '';
  return [texts.choicesIntro, ...buttons.map((b) => `• ${b.title}`)].join('\n');
}

function textBlock(text: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { type: 'TextBlock', text, wrap: true, ...extra };
}

/**
 * Adaptive Card TextBlocks read markdown (and Web Chat renders inline HTML in it). Escape, with CommonMark's
 * backslash escapes, only what could start emphasis, code, a link, HTML, an entity, a heading, a quote or
 * a list, so text shows exactly as written; other punctuation stays bare, since some clients show escapes.
 */
export function literal(text: string): string {
  return text
    .replace(/([\\*_`[\]~<|])/g, '\\$1')
    .replace(/&(?=#?\w+;)/g, '\\&')
    .replace(/^(\s*)([-+=#>])/gm, '$1\\$2')
    .replace(/^(\s*\d+)([.)])/gm, '$1\\$2');
}

/**
 * A card button. Teams (data.msteams) sends messageBack: the text to the bot, the value as the activity's
 * value (so the turn counts as addressed to the bot even in a channel, without an @mention), and the
 * displayText into the chat. Web Chat ignores msteams and posts the whole data object as the value.
 */
function submitAction(b: Button, ctx: Pick<RenderContext, 'kb'>): Record<string, unknown> {
  return {
    type: 'Action.Submit',
    title: buttonTitle(b, ctx),
    data: {
      text: b.value,
      msteams: { type: 'messageBack', text: b.value, displayText: b.value, value: { text: b.value } },
    },
  };
}

/**
 * "Was this answer helpful?" with its two buttons, last on the card. Action.Submit posts the data as the
 * activity's value in Web Chat and Teams alike (no text: nothing is echoed into the chat).
 */
function feedbackItems(pairId: string): Record<string, unknown>[] {
  const button = (title: string, feedback: 'helpful' | 'not-helpful'): Record<string, unknown> => ({
    type: 'Action.Submit',
    title,
    data: { feedback, pairId },
  });
  return [
    textBlock(literal(texts.feedback.question), { isSubtle: true, size: 'Small', separator: true }),
    {
      type: 'ActionSet',
      spacing: 'Small',
      actions: [button(texts.feedback.helpful, 'helpful'), button(texts.feedback.notHelpful, 'not-helpful')],
    },
  ];
}

/** A markdown link with our own title; the URL (configured, never user input) with its brackets encoded. */
function markdownLink(title: string, url: string): string {
  return `[${literal(title)}](${url.replace(/[()\s<>]/g, (c) => encodeURIComponent(c))})`;
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
  // "Topics": each section as a heading with a full-width button per question.
  for (const section of reply.topics ?? []) {
    body.push(textBlock(literal(section.title), { style: 'heading', weight: 'Bolder', separator: true }));
    section.buttons.forEach((b, i) =>
      body.push({
        type: 'ActionSet',
        actions: [submitAction(b, ctx)],
        spacing: i === 0 ? 'Default' : 'Small',
      }),
    );
  }
  if (reply.urgent) {
    // Tap to call, right under the safety message.
    body.push({
      type: 'ActionSet',
      actions: [
        {
          type: 'Action.OpenUrl',
          title: fillPlaceholders(texts.callEmergency, templateValues(ctx)),
          url: telUrl(ctx.emergencyNumber),
          style: 'destructive',
        },
      ],
    });
  }
  const blocks = reply.blocks ?? [];
  blocks.forEach((block, i) => {
    const items: Record<string, unknown>[] = [];
    if (block.label) items.push(textBlock(literal(block.label), { weight: 'Bolder' }));
    const { shown, more } = layoutOf(sentencesOf(block), kbOf(block, ctx));
    items.push(...unitsAsCard(shown));
    if (more.length > 0) {
      // A long answer: the rest behind "Show more", opened in place with no round trip to the bot. An
      // Action.ShowCard rather than Action.ToggleVisibility: Web Chat 4.18 reports a toggle as an unknown
      // action (a console error on every press), while a shown card opens inline in Web Chat and Teams and
      // tells screen readers whether it is expanded.
      items.push({
        type: 'ActionSet',
        spacing: 'Small',
        actions: [
          {
            type: 'Action.ShowCard',
            title: texts.showMore,
            card: { type: 'AdaptiveCard', body: unitsAsCard(more) },
          },
        ],
      });
    }
    if (endsSource(blocks, i, ctx)) {
      items.push(
        textBlock(literal(sourceLine(block, ctx)), { isSubtle: true, size: 'Small', spacing: 'Small' }),
      );
    }
    // Answers from one section read as one passage: a separator only where a new section (or medicine) starts.
    const startsRun =
      i === 0 ||
      blocks[i - 1].pair.provenance.section !== block.pair.provenance.section ||
      endsSource(blocks, i - 1, ctx);
    body.push({ type: 'Container', separator: body.length > 0 && startsRun, items });
  });
  for (const note of reply.notes ?? []) body.push(textBlock(literal(note)));
  if (reply.helpdesk) {
    const contacts = ctx.helpdesk ?? [];
    if (contacts.length === 0) body.push(textBlock(literal(texts.helpdesk.noContacts)));
    else body.push(textBlock(literal(texts.helpdesk.contactsIntro)));
    // One container per contact: its name, its hours, and a full-width button per action.
    for (const contact of contacts) {
      const items: Record<string, unknown>[] = [textBlock(literal(contact.name), { weight: 'Bolder' })];
      if (contact.hours)
        items.push(
          textBlock(literal(fillPlaceholders(texts.helpdesk.hours, contactValues(contact))), {
            isSubtle: true,
            spacing: 'Small',
          }),
        );
      for (const action of contactActions(contact))
        items.push({ type: 'ActionSet', actions: [action], spacing: 'Small' });
      body.push({ type: 'Container', separator: true, items });
    }
  }
  if (showsDisclaimer(reply))
    body.push(textBlock(literal(texts.deferral), { isSubtle: true, separator: true }));
  // The leaflet is a link to the document, in the text: it looks like a link, not like a question button.
  if (showsLeaflet(reply))
    for (const l of leafletLinks(reply, ctx)) body.push(textBlock(markdownLink(l.title, l.url)));

  // Each action in an ActionSet of its own: a full-width button per row, so long titles are not cut off
  // and no host's limit on actions per set (Teams shows 6) drops a choice.
  const actions: Record<string, unknown>[] = [];
  if (reply.reportingLink && ctx.reportingUrl)
    actions.push({ type: 'Action.OpenUrl', title: texts.reportSideEffect.action, url: ctx.reportingUrl });
  for (const b of reply.buttons ?? []) actions.push(submitAction(b, ctx));
  actions.forEach((action, i) =>
    body.push({ type: 'ActionSet', actions: [action], ...(i === 0 ? {} : { spacing: 'Small' }) }),
  );
  if (reply.feedback) body.push(...feedbackItems(reply.feedback.pairId));

  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: CARD_VERSION,
    // Shown by hosts that cannot render the card: the same content as plain text.
    fallbackText: [textOfFilled(reply, ctx), choicesAsText(reply.buttons)].filter(Boolean).join('\n\n'),
    body,
  };
}

/** Card channels get a card for anything with answers or buttons; other replies are plain text there too. */
export function render(reply: Reply, ctx: RenderContext): MessageData {
  const hasButtons = (reply.buttons?.length ?? 0) > 0;
  const hasLinks =
    (reply.helpdesk && (ctx.helpdesk?.length ?? 0) > 0) || (reply.reportingLink && !!ctx.reportingUrl);
  const hasTopics = (reply.topics?.length ?? 0) > 0;
  const hasContent =
    (reply.blocks?.length ?? 0) > 0 ||
    reply.urgent ||
    hasButtons ||
    showsLeaflet(reply) ||
    hasLinks ||
    hasTopics;
  if (ctx.cards && hasContent) {
    // No message text beside the card: Teams and Web Chat would show the answer twice.
    return {
      type: 'message',
      text: '',
      attachments: [{ contentType: ADAPTIVE_CARD, content: replyAsCard(reply, ctx) }],
      inputHint: 'acceptingInput',
    };
  }
  const text = replyAsText(reply, ctx);
  if (hasButtons && ctx.shared) {
    // A shared chat without cards shows no suggested actions: list the choices, to be typed.
    return {
      type: 'message',
      text: [text, choicesAsText(reply.buttons)].filter(Boolean).join('\n\n'),
      textFormat: 'plain',
      inputHint: 'acceptingInput',
    };
  }
  const message: MessageData = { type: 'message', text, textFormat: 'plain', inputHint: 'acceptingInput' };
  // The topics' questions are suggested actions too, numbered as in the text, so a number picks one.
  const actions = [...(reply.topics ?? []).flatMap((t) => t.buttons), ...(reply.buttons ?? [])];
  if (actions.length > 0) {
    message.suggestedActions = {
      actions: actions.map((b) => ({ type: 'imBack', title: buttonTitle(b, ctx), value: b.value })),
    };
  }
  return message;
}

/** Channels known to render Adaptive Cards; every other channel gets plain text. */
const CARD_CHANNELS = new Set(['msteams', 'webchat', 'directline', 'emulator']);

export function channelSupportsCards(channelId: string | undefined): boolean {
  return CARD_CHANNELS.has(channelId ?? '');
}

/** The parts of an activity that tell who shares the conversation (no botbuilder types needed here). */
export interface ConversationOf {
  conversation?: { conversationType?: string; isGroup?: boolean };
}

/** A Teams channel or group chat (Teams sets conversationType; other channels may only set isGroup). */
export function isSharedConversation(activity: ConversationOf): boolean {
  const conversation = activity.conversation;
  if (!conversation) return false;
  if (conversation.conversationType) return conversation.conversationType !== 'personal';
  return conversation.isGroup === true;
}

export { texts };
