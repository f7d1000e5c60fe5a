// What a newer overview of a medicine would change in its committed knowledge base: answers that
// change, pairs that appear or go, and curation that no longer fits. Reads only; `kb:add --replace` applies.
import { existsSync, readFileSync } from 'node:fs';
import type { KnowledgeBase } from '../types';
import { medicinePaths } from '../medicines';
import { chunkDocument, emptyCuration, type Curation, type CurationProblem } from './chunk';
import type { OverviewDocument } from './clean';
import { SourceError } from './pdf';
import { checkSameMedicine, parseOverview, readOverviewFile, type OverviewFile } from './read';
import { readJson, readTemplate } from './sources';
import { unplacedLines } from './add';

export interface ChangedAnswer {
  id: string;
  /** Sentences of the committed answer that the new one no longer has. */
  removed: string[];
  /** Sentences of the new answer that the committed one does not have. */
  added: string[];
}

export interface KbDiff {
  id: string;
  source: OverviewFile;
  doc: OverviewDocument;
  before: KnowledgeBase;
  after: KnowledgeBase;
  changed: ChangedAnswer[];
  appeared: { id: string; answer: string[] }[];
  gone: { id: string; answer: string[] }[];
  /** Curated spans (or their sections) the new source no longer has: those curated pairs would go. */
  staleSpans: CurationProblem[];
  /** Curated phrasings (alternates, extraKeywords) for pair ids the new source no longer gives. */
  orphanedPhrasings: CurationProblem[];
}

export async function diffMedicine(id: string, file: string, root?: string): Promise<KbDiff> {
  const paths = medicinePaths(id, root);
  if (!existsSync(paths.kb)) throw new SourceError(`no medicine "${id}" (${paths.kb} not found)`);
  const before = JSON.parse(readFileSync(paths.kb, 'utf8')) as KnowledgeBase;
  const source = await readOverviewFile(file);
  const template = readTemplate();
  const doc = parseOverview(source.text, template);
  checkSameMedicine(doc, before);
  const curation = existsSync(paths.curation) ? readJson<Curation>(paths.curation) : emptyCuration();
  const { kb: after, problems } = chunkDocument(doc, template, curation);

  const oldPairs = new Map(before.pairs.map((p) => [p.id, p]));
  const newPairs = new Map(after.pairs.map((p) => [p.id, p]));
  const changed: ChangedAnswer[] = [];
  for (const [pairId, pair] of newPairs) {
    const old = oldPairs.get(pairId);
    if (!old || JSON.stringify(old.answer) === JSON.stringify(pair.answer)) continue;
    changed.push({
      id: pairId,
      removed: old.answer.filter((s) => !pair.answer.includes(s)),
      added: pair.answer.filter((s) => !old.answer.includes(s)),
    });
  }
  const only = (a: Map<string, { answer: string[] }>, b: Map<string, unknown>) =>
    [...a].filter(([pairId]) => !b.has(pairId)).map(([pairId, p]) => ({ id: pairId, answer: p.answer }));
  return {
    id,
    source,
    doc,
    before,
    after,
    changed,
    appeared: only(newPairs, oldPairs),
    gone: only(oldPairs, newPairs),
    staleSpans: problems.filter((p) => p.kind === 'span' || p.kind === 'section'),
    orphanedPhrasings: problems.filter((p) => p.kind === 'unknown-pair'),
  };
}

/** The report `kb:diff` prints. */
export function diffReport(diff: KbDiff, file: string): string[] {
  const { before, after } = diff;
  const lines: string[] = [
    `${before.medicine} (${diff.id}) against ${file} (${diff.source.kind}` +
      `${diff.source.pages === undefined ? '' : `, ${diff.source.pages} pages`})`,
    `  document      ${before.documentId} → ${after.documentId}`,
    `  last updated  ${before.lastUpdated || '?'} (${before.lastUpdatedText}) → ` +
      `${after.lastUpdated || 'not found'}${after.lastUpdatedText ? ` (${after.lastUpdatedText})` : ''}`,
  ];
  const section = (title: string, count: number, body: string[]): void => {
    lines.push(`${title} (${count})${count === 0 ? ': none' : ''}`, ...body);
  };
  section(
    'answers that change',
    diff.changed.length,
    diff.changed.flatMap((c) => [
      `  ${c.id}`,
      ...c.removed.map((s) => `    - ${s}`),
      ...c.added.map((s) => `    + ${s}`),
      ...(c.removed.length + c.added.length === 0 ? ['    (the same sentences in another order)'] : []),
    ]),
  );
  section(
    'pairs that appear',
    diff.appeared.length,
    diff.appeared.flatMap((p) => [`  ${p.id}`, ...p.answer.map((s) => `    + ${s}`)]),
  );
  const curated = new Set(diff.staleSpans.map((p) => p.pairId));
  section(
    'pairs that go',
    diff.gone.length,
    diff.gone.flatMap((p) => [
      `  ${p.id}${curated.has(p.id) ? ' (a curated pair whose spans are no longer in the source)' : ''}`,
      ...p.answer.map((s) => `    - ${s}`),
    ]),
  );
  section(
    'curated spans no longer in the source',
    diff.staleSpans.length,
    diff.staleSpans.map((p) => `  ${p.message}`),
  );
  section(
    'curated phrasings for pairs that no longer exist',
    diff.orphanedPhrasings.length,
    diff.orphanedPhrasings.map((p) => `  ${p.message}`),
  );
  const unplaced = unplacedLines(diff.doc);
  section(
    'not placed',
    unplaced.length,
    unplaced.map((l) => `  ${l}`),
  );
  const fixFirst = diff.staleSpans.length + diff.orphanedPhrasings.length > 0;
  lines.push(
    `Nothing written. To apply: ${fixFirst ? `fix ${diff.id}/curation.json, then ` : ''}` +
      `npm run kb:add -- ${file} --replace`,
  );
  return lines;
}
