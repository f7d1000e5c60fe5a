// Turns the text extracted from an EMA "overview" PDF into clean sections of sentences.
// Generic for the EMA overview template: nothing here knows which medicine it reads.
import { escapeRegExp } from '../../text/regex';

export interface TemplateSection {
  key: string;
  /** Heading with {name} where the medicine's name goes. */
  heading: string;
  /** Only some overviews have this section (e.g. what is still awaited after a conditional authorisation). */
  optional?: boolean;
}

export interface OverviewSection {
  key: string;
  heading: string;
  sentences: string[];
}

export interface OverviewDocument {
  documentId: string;
  productNumber: string;
  medicine: string;
  activeSubstance: string;
  title: string;
  attribution: string;
  lastUpdated: string;
  /** Footnotes attached to the medicine's name in the title ("Previously known as ..."). */
  footnotes: string[];
  sections: OverviewSection[];
  /** Text the template has no place for: under a heading it does not know, or before the first heading. */
  unplaced: UnplacedText[];
}

export interface UnplacedText {
  /** The unknown heading, or undefined for text before the first known heading. */
  heading?: string;
  sentences: string[];
}

const DOC_ID = /^EMA\/\d+\/\d{4}$/;
const PRODUCT_NUMBER = /^EMEA\/H\/C\/\d+$/;
const PAGE = /^Page \d+\/\d+$/;
// Title line: name, optional footnote marker glued to it, then the active substance in brackets.
const NAME_LINE = /^(.+?)(\d+[A-Z]?\d*)? \(([^()]+)\)$/;
// The Agency's address block printed at the foot of the first page.
const ADDRESS_BLOCK = [
  /^Official address\b/,
  /^Address for visits and deliveries\b/,
  /^Send us a question\b/,
  /^An agency of the European$/,
  /^Union$/,
];
const ATTRIBUTION = /^©.*Reproduction is authorised/;
const LAST_UPDATED = /last updated in (\d{2}-\d{4})/;
/** A list item's line: a bullet glyph (U+F0B7 is the Symbol font's bullet, as some PDFs give it), a space. */
export const BULLET = /^[•●▪◦■\uF0B7]\s+/;
/** A line that ends a sentence (or introduces a list): what comes before a heading. */
const ENDS_SENTENCE = /[.?!:;]$/;

/** Template texts write the medicine's name as {name}. */
export function withName(text: string, name: string): string {
  return text.replace(/\{name\}/g, name);
}

/** Splits running text into sentences, leaving decimals ("11.2") and web addresses intact. */
export function splitSentences(text: string): string[] {
  return (
    text
      .split(/(?<=[.?!])\s+(?=[A-Z0-9‘“"(])/)
      // A sentence may end with a bare web address and no full stop ("... website: ema.europa.eu/x").
      .flatMap((s) => s.split(/(?<=\.[a-z]{2,}\/\S+)\s+(?=[A-Z][a-z])/))
      .map((s) => s.trim())
      .filter((s) => s.length > 0)
  );
}

/**
 * Splits a section's lines into sentence units: running text by sentences, and each list item (a line
 * starting with a bullet, with the lines it wraps onto) as one unit of its own, verbatim.
 */
export function sentenceUnits(lines: string[]): string[] {
  const units: string[] = [];
  let text: string[] = [];
  let item: string[] | undefined;
  const flushText = (): void => {
    units.push(...splitSentences(text.join(' ')));
    text = [];
  };
  const flushItem = (): void => {
    if (item) units.push(item.join(' ').replace(/^\uF0B7/, '•'));
    item = undefined;
  };
  for (const line of lines) {
    if (BULLET.test(line)) {
      flushText();
      flushItem();
      item = [line];
    } else if (item && !(/[.!?]$/.test(item[item.length - 1]) && /^[A-Z0-9]/.test(line))) {
      // A wrapped list item goes on until a line after a full stop starts a new sentence.
      item.push(line);
    } else {
      flushItem();
      text.push(line);
    }
  }
  flushText();
  flushItem();
  return units;
}

export function cleanOverview(raw: string, template: TemplateSection[]): OverviewDocument {
  const lines = raw
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((l) => l.replace(/\s+/g, ' ').trim());

  const documentId = lines.find((l) => DOC_ID.test(l));
  const productNumber = lines.find((l) => PRODUCT_NUMBER.test(l)) ?? '';
  const nameIndex = lines.findIndex((l) => NAME_LINE.test(l));
  if (!documentId || nameIndex < 0) {
    throw new Error('Not an EMA overview: document id or title line not found');
  }
  const nameMatch = NAME_LINE.exec(lines[nameIndex])!;
  const medicine = nameMatch[1];
  const marker = nameMatch[2];
  const activeSubstance = nameMatch[3];
  const title = lines.find((l) => l.startsWith('An overview of ')) ?? `An overview of ${medicine}`;
  const attribution = lines.find((l) => ATTRIBUTION.test(l)) ?? '';

  // Running header repeated on later pages: the name with a (possibly different) marker glued on.
  const runningHeader = new RegExp(
    `^${escapeRegExp(medicine)}(\\d+[A-Z]?\\d*)? \\(${escapeRegExp(activeSubstance)}\\)$`,
  );
  const footnoteLine = marker ? new RegExp(`^${escapeRegExp(marker)} (.+)$`) : undefined;

  const footnotes: string[] = [];
  const body: string[] = [];
  for (const line of lines) {
    if (line === '') continue;
    if (DOC_ID.test(line) || PRODUCT_NUMBER.test(line) || PAGE.test(line)) continue;
    if (runningHeader.test(line) || line === title || ATTRIBUTION.test(line)) continue;
    if (ADDRESS_BLOCK.some((re) => re.test(line))) continue;
    const footnote = footnoteLine?.exec(line);
    if (footnote) {
      footnotes.push(footnote[1]);
      continue;
    }
    body.push(line);
  }

  // Headings may wrap over two lines; match them against the template with the name filled in.
  const headings = template.map((t) => ({
    key: t.key,
    heading: withName(t.heading, medicine),
    optional: t.optional === true,
  }));
  // Lines already read as headings: a heading may follow a heading without ending a sentence.
  const headingAt = new Set<number>();
  // A question about the medicine standing on its own line(s) is a heading, known to the template or not.
  const unknownHeading = (i: number): number => {
    if (i > 0 && !ENDS_SENTENCE.test(body[i - 1]) && !headingAt.has(i - 1)) return 0;
    const asks = (l: string): boolean => l.endsWith('?') && l.includes(medicine) && l.length <= 160;
    if (/^[A-Z]/.test(body[i]) && asks(body[i])) return 1;
    const two = i + 1 < body.length ? `${body[i]} ${body[i + 1]}` : '';
    return /^[A-Z]/.test(body[i]) && !ENDS_SENTENCE.test(body[i]) && asks(two) ? 2 : 0;
  };
  const known = (i: number): { key: string; heading: string; lines: number } | undefined => {
    const one = headings.find((h) => h.heading === body[i]);
    if (one) return { ...one, lines: 1 };
    const two =
      i + 1 < body.length ? headings.find((h) => h.heading === `${body[i]} ${body[i + 1]}`) : undefined;
    return two ? { ...two, lines: 2 } : undefined;
  };

  const sections: OverviewSection[] = [];
  const unplaced: UnplacedText[] = [];
  let current: { key?: string; heading?: string; text: string[] } = { text: [] };
  const flush = (): void => {
    const sentences = sentenceUnits(current.text);
    if (current.key !== undefined) {
      sections.push({ key: current.key, heading: current.heading!, sentences });
    } else if (current.heading !== undefined || sentences.length > 0) {
      unplaced.push({ heading: current.heading, sentences });
    }
  };
  for (let i = 0; i < body.length; i++) {
    const found = known(i);
    const unknownLines = found ? 0 : unknownHeading(i);
    if (found || unknownLines > 0) {
      const lines = found?.lines ?? unknownLines;
      for (let j = i; j < i + lines; j++) headingAt.add(j);
      flush();
      const heading = found?.heading ?? body.slice(i, i + lines).join(' ');
      current = { key: found?.key, heading, text: [] };
      i += lines - 1;
      continue;
    }
    current.text.push(body[i]);
  }
  flush();

  const missing = headings.filter((h) => !h.optional && !sections.some((s) => s.key === h.key));
  if (missing.length > 0) {
    throw new Error(`Sections not found: ${missing.map((m) => m.heading).join(' | ')}`);
  }

  const updated = sections
    .flatMap((s) => s.sentences)
    .map((s) => LAST_UPDATED.exec(s))
    .find(Boolean);
  return {
    documentId,
    productNumber,
    medicine,
    activeSubstance,
    title,
    attribution,
    lastUpdated: updated ? updated[1] : '',
    footnotes,
    sections,
    unplaced,
  };
}

/** All the document's clean text, one sentence per line: what every answer must be found in. */
export function cleanText(doc: OverviewDocument): string {
  return [...doc.footnotes, ...doc.sections.flatMap((s) => s.sentences)].join('\n');
}
