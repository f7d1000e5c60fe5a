// Chunks a cleaned EMA overview into Q&A pairs, using the generic template's topic rules and a
// medicine's curation data (extra phrasings, verbatim sub-sentence spans, vocabulary).
import type { KnowledgeBase, QAPair, Vocabulary } from '../types';
import { BULLET, cleanOverview, withName, type OverviewDocument, type TemplateSection } from './clean';

interface TopicRule {
  id: string;
  pattern: string;
  /** Sentences that carry on this topic when they come straight after one of its sentences ("This means ..."). */
  follows?: string;
  question: string;
  alternates: string[];
  keywords: string[];
}

interface PairTemplate {
  question: string;
  alternates: string[];
  keywords: string[];
}

export interface SectionTemplate extends TemplateSection, PairTemplate {
  topics: TopicRule[];
}

export interface OverviewTemplate {
  sections: SectionTemplate[];
  footnote: PairTemplate & { id: string };
}

export interface CuratedPair extends PairTemplate {
  id: string;
  sectionKey: string;
  /**
   * One answer line per entry, each quoting one source sentence: a verbatim span, or verbatim parts of
   * the sentence in order. An ellipsis marks what is left out.
   */
  spans: (string | string[])[];
}

export interface Curation {
  /** Extra patient phrasings per pair id. */
  alternates: Record<string, string[]>;
  extraKeywords?: Record<string, string[]>;
  extraPairs: CuratedPair[];
  vocabulary: Vocabulary;
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

function monthYear(mmYyyy: string): string {
  const m = /^(\d{2})-(\d{4})$/.exec(mmYyyy);
  if (!m) return mmYyyy;
  return `${MONTHS[Number(m[1]) - 1]} ${m[2]}`;
}

function unique(items: string[]): string[] {
  return [...new Set(items)];
}

/**
 * Renders verbatim parts of one sentence, in their order, marking every omission (before, between and
 * after them) with an ellipsis. Returns undefined when the parts are not found in that order.
 */
function quoteParts(sentence: string, parts: string[]): string | undefined {
  let out = '';
  let from = 0;
  for (const part of parts) {
    const at = sentence.indexOf(part, from);
    if (at < 0) return undefined;
    if (at > from || (from === 0 && at > 0)) out += out === '' ? '… ' : ' … ';
    else if (out !== '') out += ' ';
    out += part;
    from = at + part.length;
  }
  const rest = sentence.slice(from).trim();
  return `${out}${rest.length > 0 && rest !== '.' ? ' …' : rest}`;
}

/** The names a patient may call the medicine by, whatever the curation says: the brand and the active substance. */
function namesOf(doc: OverviewDocument, curated: string[]): string[] {
  const substance = doc.activeSubstance.toLowerCase();
  // A combination ("a / b", "a, b and c") is also named by each of its substances.
  const parts = substance.split(/\s*(?:\/|,|\band\b)\s*/).filter((p) => p.length > 0);
  return unique([...curated, doc.medicine.toLowerCase(), substance, ...(parts.length > 1 ? parts : [])]);
}

/** Where each of a section's sentences goes: a topic of the template, or the section's own pair. */
function placeSentences(sentences: string[], topics: TopicRule[]): { rest: string[]; byTopic: string[][] } {
  const rules = topics.map((t) => ({
    re: new RegExp(t.pattern, 'i'),
    follows: t.follows === undefined ? undefined : new RegExp(t.follows, 'i'),
  }));
  const rest: string[] = [];
  const byTopic: string[][] = topics.map(() => []);
  // -1: the section's own pair; undefined: nothing placed yet.
  let previous: number | undefined;
  for (const sentence of sentences) {
    let to: number;
    if (previous !== undefined && BULLET.test(sentence)) {
      // A list item stays with the sentence that introduces the list.
      to = previous;
    } else if (previous !== undefined && previous >= 0 && rules[previous].follows?.test(sentence)) {
      to = previous;
    } else {
      to = rules.findIndex((r) => r.re.test(sentence));
    }
    (to >= 0 ? byTopic[to] : rest).push(sentence);
    previous = to;
  }
  return { rest, byTopic };
}

/** Something in a curation file that the source does not (or no longer) support. */
export interface CurationProblem {
  kind: 'section' | 'span' | 'unknown-pair' | 'duplicate';
  pairId: string;
  message: string;
}

/** A curated pair's answer lines, or the problem with each span that is no longer in the section. */
function curatedAnswer(
  extra: CuratedPair,
  doc: OverviewDocument,
): { answer: string[]; heading: string; problems: CurationProblem[] } {
  const section = doc.sections.find((s) => s.key === extra.sectionKey);
  if (!section) {
    const message = `Curated pair ${extra.id}: the source has no section "${extra.sectionKey}"`;
    return { answer: [], heading: '', problems: [{ kind: 'section', pairId: extra.id, message }] };
  }
  const answer: string[] = [];
  const problems: CurationProblem[] = [];
  for (const span of extra.spans) {
    const parts = typeof span === 'string' ? [span] : span;
    const quoted = section.sentences
      .map((sentence) => quoteParts(sentence, parts))
      .find((q) => q !== undefined);
    if (quoted !== undefined) answer.push(quoted);
    else {
      const message = `Curated pair ${extra.id}: not found verbatim in one sentence: "${parts.join(' … ')}"`;
      problems.push({ kind: 'span', pairId: extra.id, message });
    }
  }
  return { answer, heading: section.heading, problems };
}

export interface ChunkResult {
  kb: KnowledgeBase;
  /** What in the curation no longer fits the source; the pairs it concerns are left out of `kb`. */
  problems: CurationProblem[];
}

/**
 * Chunks a cleaned overview. Curation that does not fit the source (a span it no longer has, phrasings
 * for a pair it no longer gives) is reported in `problems` and left out, so a newer source can be compared.
 */
export function chunkDocument(
  doc: OverviewDocument,
  template: OverviewTemplate,
  curation: Curation,
): ChunkResult {
  const name = doc.medicine;
  const pairs: QAPair[] = [];
  const problems: CurationProblem[] = [];
  const provenance = (section: string) => ({
    documentId: doc.documentId,
    section,
    lastUpdated: doc.lastUpdated,
  });
  const makePair = (
    id: string,
    sectionKey: string,
    section: string,
    t: PairTemplate,
    answer: string[],
  ): QAPair => ({
    id,
    sectionKey,
    question: withName(t.question, name),
    alternates: unique([...t.alternates.map((a) => withName(a, name)), ...(curation.alternates[id] ?? [])]),
    keywords: unique([...t.keywords, ...(curation.extraKeywords?.[id] ?? [])]),
    answer,
    provenance: provenance(section),
  });

  for (const section of doc.sections) {
    const st = template.sections.find((s) => s.key === section.key)!;
    const { rest, byTopic } = placeSentences(section.sentences, st.topics);
    if (rest.length > 0) {
      pairs.push(makePair(`${section.key}.overview`, section.key, section.heading, st, rest));
    }
    st.topics.forEach((topic, i) => {
      if (byTopic[i].length === 0) return;
      pairs.push(makePair(`${section.key}.${topic.id}`, section.key, section.heading, topic, byTopic[i]));
    });
  }

  doc.footnotes.forEach((note, i) => {
    const id = `title.${template.footnote.id}${i === 0 ? '' : `-${i + 1}`}`;
    pairs.push(makePair(id, 'title', `Footnote to "${doc.title}"`, template.footnote, [note]));
  });

  for (const extra of curation.extraPairs) {
    const { answer, heading, problems: missing } = curatedAnswer(extra, doc);
    if (missing.length > 0) problems.push(...missing);
    else pairs.push(makePair(extra.id, extra.sectionKey, heading, extra, answer));
  }

  const ids = new Set<string>();
  for (const p of pairs) {
    if (ids.has(p.id))
      problems.push({ kind: 'duplicate', pairId: p.id, message: `Duplicate pair id ${p.id}` });
    ids.add(p.id);
  }
  // A curated pair left out for a missing span is reported once, not again for its phrasings.
  const reported = new Set(problems.map((p) => p.pairId));
  const unknown = (field: string, record: Record<string, string[]> | undefined): void => {
    for (const id of Object.keys(record ?? {})) {
      if (ids.has(id) || reported.has(id)) continue;
      const message = `Curation ${field} names a pair the source does not give: ${id}`;
      problems.push({ kind: 'unknown-pair', pairId: id, message });
    }
  };
  unknown('alternates', curation.alternates);
  unknown('extraKeywords', curation.extraKeywords);

  const kb: KnowledgeBase = {
    medicine: name,
    activeSubstance: doc.activeSubstance,
    documentId: doc.documentId,
    productNumber: doc.productNumber,
    lastUpdated: doc.lastUpdated,
    lastUpdatedText: monthYear(doc.lastUpdated),
    attribution: doc.attribution,
    sourceTitle: doc.title,
    pairs,
    vocabulary: { ...curation.vocabulary, names: namesOf(doc, curation.vocabulary.names) },
  };
  return { kb, problems };
}

/** A curation with nothing in it: what a newly added medicine starts with. */
export function emptyCuration(): Curation {
  return { alternates: {}, extraKeywords: {}, extraPairs: [], vocabulary: { names: [], synonyms: {} } };
}

/** Builds a knowledge base; any curation that does not fit the source is an error, every problem named. */
export function buildKnowledgeBase(
  raw: string,
  template: OverviewTemplate,
  curation: Curation,
): KnowledgeBase {
  const { kb, problems } = chunkDocument(cleanOverview(raw, template.sections), template, curation);
  if (problems.length > 0) throw new Error(problems.map((p) => p.message).join('\n'));
  return kb;
}
