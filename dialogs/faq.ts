// Turns the recogniser's parts into one reply: the answers, "Did you mean", or the honest fallback. A
// message that asks several things gets each covered part answered in order, and a plain line for each
// part that is not (by its position: the patient's own words are never repeated back).
import type { KnowledgeBase, QAPair } from '../knowledge/types';
import { texts, type AnswerBlock, type Button, type Reply } from '../render/renderer';
import type { PartResult } from './recogniser';
import { recogniseFlow, type FlowId } from './intents';
import type { ServedMedicine } from './formulary';
import { labelOf } from '../render/deployment';
import { fillPlaceholders } from '../render/placeholders';

export interface FaqOutcome {
  reply: Reply;
  /** The pair answered last, kept as context for a follow-up question. */
  answered?: QAPair;
  /** The reply is the honest fallback (nothing answered, suggested or offered). */
  fallback?: boolean;
}

const MAX_FOLLOW_UPS = 2;

function followUps(kb: KnowledgeBase, pair: QAPair, shown: Set<string> = new Set([pair.id])): Button[] {
  return kb.pairs
    .filter((p) => p.sectionKey === pair.sectionKey && !shown.has(p.id) && !p.id.endsWith('.more-info'))
    .slice(0, MAX_FOLLOW_UPS)
    .map((p) => ({ title: p.question, value: p.question }));
}

function blocksOf(part: PartResult): AnswerBlock[] {
  return part.pairs.map((pair, i) =>
    i === 0 && part.sentence !== undefined ? { pair, sentences: [part.sentence] } : { pair },
  );
}

/** The answers of a message's covered parts, in order; the same pair asked twice in one message is shown once. */
function coveredBlocks(parts: PartResult[]): AnswerBlock[] {
  const blocks: AnswerBlock[] = [];
  for (const part of parts)
    if (part.reason === 'covered')
      for (const block of blocksOf(part))
        if (!blocks.some((b) => b.pair.id === block.pair.id)) blocks.push(block);
  return blocks;
}

export function answerReply(kb: KnowledgeBase, pair: QAPair, blocks: AnswerBlock[] = [{ pair }]): Reply {
  return {
    blocks,
    defer: true,
    leaflet: true,
    buttons: followUps(kb, pair, new Set(blocks.map((b) => b.pair.id))),
  };
}

export function fallbackReply(): Reply {
  // A missed red flag in words the safety gate does not know (or another language) still ends here.
  return { intro: [texts.fallback, texts.fallbackSafety], leaflet: true };
}

/** "ok", the brand alone, "what about it": nothing to match, so ask for more rather than say it is not covered. */
export function unclearReply(): Reply {
  return { intro: [texts.unclear], buttons: texts.menuButtons };
}

const suggestionButtons = (pairs: QAPair[]): Button[] =>
  pairs.map((p) => ({ title: p.question, value: p.question }));

function suggestReply(pairs: QAPair[]): Reply {
  return {
    intro: [texts.suggestIntro],
    buttons: [...suggestionButtons(pairs), { title: texts.suggestNone, value: texts.suggestNone }],
  };
}

/** The menu button that starts a flow (its text is read as the flow's trigger). */
function flowButton(flow: FlowId): Button | undefined {
  return texts.menuButtons.find((b) => recogniseFlow(b.value) === flow);
}

/** The reply to the FAQ parts of a message (no part may be a flow to begin: the router begins those). */
export function faqReply(kb: KnowledgeBase, parts: PartResult[], dropped = 0): FaqOutcome {
  if (parts.length === 1) {
    const [part] = parts as [PartResult];
    switch (part.reason) {
      case 'covered':
        return { reply: answerReply(kb, part.pairs[0]!, blocksOf(part)), answered: part.pairs[0] };
      case 'close-call':
        return { reply: suggestReply(part.suggestions) };
      case 'unclear':
        return { reply: unclearReply() };
      default:
        return { reply: fallbackReply(), fallback: true };
    }
  }
  const blocks = coveredBlocks(parts);
  const notes: string[] = [];
  const buttons: Button[] = [];
  let answered: QAPair | undefined;
  parts.forEach((part, i) => {
    if (part.reason === 'covered') {
      answered = part.pairs[0];
    } else if (part.reason === 'close-call') {
      notes.push(texts.parts.closeCall[i]!);
      buttons.push(...suggestionButtons(part.suggestions.slice(0, 2)));
    } else if (part.reason === 'flow' && part.flow) {
      const button = flowButton(part.flow.id);
      if (button) {
        notes.push(texts.parts.flow[i]!);
        buttons.push(button);
      } else notes.push(texts.parts.notCovered[i]!);
    } else notes.push(texts.parts.notCovered[i]!);
  });
  if (dropped > 0) notes.push(texts.parts.dropped);
  if (blocks.length === 0 && buttons.length === 0) return { reply: fallbackReply(), fallback: true };
  const reply: Reply = {
    blocks,
    notes,
    defer: blocks.length > 0,
    leaflet: true,
    buttons: [
      ...buttons,
      ...(answered ? followUps(kb, answered, new Set(blocks.map((b) => b.pair.id))) : []),
    ],
  };
  return { reply, answered };
}

/** One medicine's reading of a question that names several. */
export interface MedicineReading {
  medicine: ServedMedicine;
  parts: PartResult[];
  dropped: number;
}

/**
 * A question about several medicines: each one answered from its own overview, one after the other under
 * its name, each with its own source line. Nothing is compared in our words; a medicine whose overview does
 * not answer gets a line saying so.
 */
export function sideBySideReply(readings: MedicineReading[]): FaqOutcome {
  const blocks: AnswerBlock[] = [];
  const notes: string[] = [];
  let answered: QAPair | undefined;
  for (const { medicine, parts } of readings) {
    const { kb } = medicine;
    const name = labelOf(medicine);
    const own = coveredBlocks(parts);
    own.forEach((block, i) => blocks.push({ ...block, kb, label: i === 0 ? name : block.label }));
    answered ??= own[0]?.pair;
    if (own.length > 0) continue;
    const unsure = parts.some((p) => p.reason === 'close-call');
    notes.push(
      fillPlaceholders(unsure ? texts.medicines.closeCallFor : texts.medicines.notCoveredFor, { name }),
    );
  }
  // None of the overviews answers: each one says so, then the fallback's safety line.
  if (blocks.length === 0)
    return { reply: { intro: [...notes, texts.fallbackSafety], leaflet: true }, fallback: true };
  return {
    reply: { intro: [texts.medicines.sideBySide], blocks, notes, defer: true, leaflet: true },
    answered,
  };
}
