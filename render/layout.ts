// How a verbatim answer is laid out for reading (issue 14): a sentence that enumerates becomes its
// lead-in and a bulleted list of its own parts; a span quoted with "…" is shown inside its whole source
// sentence, the left-out words marked as context; a long answer is cut into what is shown first and what
// "Show more" reveals. Only the layout is ours: every part is the source's own text, and the parts of a
// sentence joined with single spaces give back exactly that sentence.
import type { KnowledgeBase, QAPair } from '../knowledge/types';
import presentation from './presentation.json';

/** A source sentence as the patient reads it. */
export type Unit =
  | { kind: 'text'; text: string }
  /** `lead` then the bullets; `lead + ' ' + items.join(' ')` is the sentence. */
  | { kind: 'list'; lead: string; items: string[] }
  /** The whole source sentence in runs; `context` runs are the words the answer leaves out. */
  | { kind: 'quote'; runs: { text: string; context: boolean }[] };

/** What is shown at once, and what "Show more" reveals (empty: nothing hidden). */
export interface Layout {
  shown: Unit[];
  more: Unit[];
}

const { lists, showMore } = presentation;
const LEAD_IN = new RegExp(lists.leadIn, 'g');

/** Indexes of `sep` in `text` outside parentheses. */
function topLevel(text: string, sep: string): number[] {
  const found: number[] = [];
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')') depth = Math.max(0, depth - 1);
    else if (depth === 0 && text.startsWith(sep, i)) found.push(i);
  }
  return found;
}

/**
 * The parts of a sentence that enumerates: after its first lead-in ("include", "including", a colon),
 * split at the clause's own commas and its last "and" (outside parentheses). Undefined when the sentence
 * does not list at least `lists.minItems` things or is shorter than `lists.minLength`.
 */
export function listParts(sentence: string): { lead: string; items: string[] } | undefined {
  if (sentence.length < lists.minLength) return undefined;
  LEAD_IN.lastIndex = 0;
  for (let match = LEAD_IN.exec(sentence); match; match = LEAD_IN.exec(sentence)) {
    // Only a lead-in outside parentheses: "(such as neutropenia, anaemia …)" is one item's aside.
    const before = sentence.slice(0, match.index);
    if ((before.match(/\(/g) ?? []).length !== (before.match(/\)/g) ?? []).length) continue;
    const cut = match.index + match[0].length;
    const lead = sentence.slice(0, cut).trimEnd();
    const clause = sentence.slice(cut);
    const items: string[] = [];
    let start = 0;
    for (const i of topLevel(clause, ', ')) {
      items.push(clause.slice(start, i + 1));
      start = i + 2;
    }
    const last = clause.slice(start);
    // "…, fever and infections." ends on "and": the last comma's part holds two items.
    const ands = last.startsWith('and ') ? [] : topLevel(last, ' and ');
    if (ands.length > 0) {
      const at = ands[ands.length - 1];
      items.push(last.slice(0, at), last.slice(at + 1));
    } else items.push(last);
    if (items.length >= lists.minItems && items.every((item) => item.trim() !== '')) return { lead, items };
  }
  return undefined;
}

/** Every sentence of the knowledge base without a cut: where a quoted span's whole sentence is found. */
function wholeSentences(kb: KnowledgeBase): string[] {
  return kb.pairs.flatMap((p) => p.answer).filter((s) => !/…|\.\.\./.test(s));
}

/** A sentence quoted with "…" shown whole: its spans as they are, the words between as context. */
export function quoteRuns(sentence: string, kb: KnowledgeBase): Unit | undefined {
  if (!/…|\.\.\./.test(sentence)) return undefined;
  const spans = sentence
    .split(/\s*(?:…|\.\.\.)\s*/)
    .map((s) => s.trim())
    .filter(Boolean);
  for (const whole of wholeSentences(kb)) {
    const runs: { text: string; context: boolean }[] = [];
    let at = 0;
    let ok = true;
    for (const span of spans) {
      const i = whole.indexOf(span, at);
      if (i < 0) {
        ok = false;
        break;
      }
      if (i > at) runs.push({ text: whole.slice(at, i), context: true });
      runs.push({ text: span, context: false });
      at = i + span.length;
    }
    if (!ok) continue;
    if (at < whole.length) runs.push({ text: whole.slice(at), context: true });
    return { kind: 'quote', runs };
  }
  return undefined;
}

export function unitOf(sentence: string, kb: KnowledgeBase): Unit {
  const quote = quoteRuns(sentence, kb);
  if (quote) return quote;
  const list = listParts(sentence);
  return list ? { kind: 'list', ...list } : { kind: 'text', text: sentence };
}

/** The sentence a unit shows, whole: for a quote, the source sentence with its context. */
export function unitText(unit: Unit): string {
  if (unit.kind === 'text') return unit.text;
  if (unit.kind === 'list') return [unit.lead, ...unit.items].join(' ');
  return unit.runs.map((r) => r.text).join('');
}

/**
 * The answer's sentences as units; a long answer shows its first sentences (or a long list's first
 * items) and leaves the rest to "Show more".
 */
export function layoutOf(sentences: string[], kb: KnowledgeBase): Layout {
  const units = sentences.map((s) => unitOf(s, kb));
  const total = units.reduce((n, u) => n + unitText(u).length, 0);
  if (total <= showMore.afterChars) return { shown: units, more: [] };
  const [first, ...rest] = units;
  if (first.kind === 'list' && first.items.length > showMore.listItems) {
    // The list goes on under "Show more": the hidden items continue it (their lead is empty).
    return {
      shown: [{ ...first, items: first.items.slice(0, showMore.listItems) }],
      more: [{ kind: 'list', lead: '', items: first.items.slice(showMore.listItems) }, ...rest],
    };
  }
  const shown = [first];
  let length = unitText(first).length;
  while (rest.length > 0 && length + unitText(rest[0]).length <= showMore.firstChars) {
    length += unitText(rest[0]).length;
    shown.push(rest.shift()!);
  }
  return { shown, more: rest };
}

/** Whether a reply quoting these pairs carries the general disclaimer (dosing, risks, pregnancy). */
export function needsDisclaimer(pair: QAPair): boolean {
  const { sections, except, pairs } = presentation.disclaimer;
  return (sections.includes(pair.sectionKey) && !except.includes(pair.id)) || pairs.includes(pair.id);
}

/** The short button label of the pair whose canonical question a button asks, if it has one. */
export function shortLabel(kb: KnowledgeBase, question: string): string | undefined {
  const pair = kb.pairs.find((p) => p.question === question);
  return pair ? (presentation.short as Record<string, string>)[pair.id] : undefined;
}
