// Chunks a cleaned EMA overview into Q&A pairs, using the generic template's topic rules and a
// medicine's curation data (extra phrasings, verbatim sub-sentence spans, vocabulary).
import type { KnowledgeBase, QAPair, Vocabulary } from '../types';
import { cleanOverview, withName, type OverviewDocument, type TemplateSection } from './clean';

interface TopicRule {
  id: string;
  pattern: string;
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

function chunkOverview(doc: OverviewDocument, template: OverviewTemplate, curation: Curation): KnowledgeBase {
  const name = doc.medicine;
  const pairs: QAPair[] = [];
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
    const rules = st.topics.map((t) => ({
      rule: t,
      re: new RegExp(t.pattern, 'i'),
      sentences: [] as string[],
    }));
    const rest: string[] = [];
    for (const sentence of section.sentences) {
      const hit = rules.find((r) => r.re.test(sentence));
      if (hit) hit.sentences.push(sentence);
      else rest.push(sentence);
    }
    if (rest.length > 0) {
      pairs.push(makePair(`${section.key}.overview`, section.key, section.heading, st, rest));
    }
    for (const r of rules) {
      if (r.sentences.length === 0) continue;
      pairs.push(makePair(`${section.key}.${r.rule.id}`, section.key, section.heading, r.rule, r.sentences));
    }
  }

  doc.footnotes.forEach((note, i) => {
    const id = `title.${template.footnote.id}${i === 0 ? '' : `-${i + 1}`}`;
    pairs.push(makePair(id, 'title', `Footnote to "${doc.title}"`, template.footnote, [note]));
  });

  for (const extra of curation.extraPairs) {
    const section = doc.sections.find((s) => s.key === extra.sectionKey);
    if (!section) throw new Error(`Curated pair ${extra.id}: no section "${extra.sectionKey}"`);
    const answer = extra.spans.map((span) => {
      const parts = typeof span === 'string' ? [span] : span;
      for (const sentence of section.sentences) {
        const quoted = quoteParts(sentence, parts);
        if (quoted !== undefined) return quoted;
      }
      throw new Error(`Curated pair ${extra.id}: not found verbatim in one sentence: "${parts.join(' … ')}"`);
    });
    pairs.push(makePair(extra.id, extra.sectionKey, section.heading, extra, answer));
  }

  const ids = new Set<string>();
  for (const p of pairs) {
    if (ids.has(p.id)) throw new Error(`Duplicate pair id ${p.id}`);
    ids.add(p.id);
  }
  for (const id of [...Object.keys(curation.alternates), ...Object.keys(curation.extraKeywords ?? {})]) {
    if (!ids.has(id)) throw new Error(`Curation names an unknown pair id: ${id}`);
  }

  return {
    medicine: name,
    activeSubstance: doc.activeSubstance,
    documentId: doc.documentId,
    productNumber: doc.productNumber,
    lastUpdated: doc.lastUpdated,
    lastUpdatedText: monthYear(doc.lastUpdated),
    attribution: doc.attribution,
    sourceTitle: doc.title,
    pairs,
    vocabulary: curation.vocabulary,
  };
}

export function buildKnowledgeBase(
  raw: string,
  template: OverviewTemplate,
  curation: Curation,
): KnowledgeBase {
  return chunkOverview(cleanOverview(raw, template.sections), template, curation);
}
