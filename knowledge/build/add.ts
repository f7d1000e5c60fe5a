// Adds a medicine from its EMA overview: its folder under the medicines folder with the source as read,
// a generated ATTRIBUTION.md, a curation file (empty for a new medicine, kept on --replace) and kb.json.
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { basename, join } from 'node:path';
import type { KnowledgeBase } from '../types';
import { MEDICINE_ID, medicineIds, medicinePaths, medicinesDir } from '../medicines';
import { chunkDocument, emptyCuration, type Curation } from './chunk';
import type { OverviewDocument } from './clean';
import { SourceError } from './pdf';
import { checkSameMedicine, parseOverview, readOverviewFile, type OverviewFile } from './read';
import { readJson, readTemplate, serialise } from './sources';

export interface AddOptions {
  file: string;
  /** The medicines folder. */
  root?: string;
  /** The folder's name, when the brand name does not make one. */
  id?: string;
  /** Overwrite the medicine if it is there, keeping its hand-written files (curation, profile). */
  replace?: boolean;
}

export interface AddResult {
  id: string;
  dir: string;
  source: OverviewFile;
  doc: OverviewDocument;
  kb: KnowledgeBase;
  replaced: boolean;
  /** Hand-written files carried over from the folder that was replaced. */
  kept: string[];
}

/** The folder name for a brand name: lower case, accents dropped, anything else a hyphen. */
export function medicineIdOf(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

const EMPTY_CURATION_COMMENT =
  'Curation for the generic EMA overview chunker: extra patient phrasings per pair id (alternates, ' +
  'extraKeywords), verbatim sub-sentence spans for finer pairs (extraPairs) and the lay vocabulary. ' +
  'Empty at first: the medicine answers with the template’s pairs. Edit it, then run npm run kb:build.';

function emptyCurationFile(): string {
  return `${JSON.stringify({ $comment: EMPTY_CURATION_COMMENT, ...emptyCuration() }, null, 2)}\n`;
}

/** The Agency's page for the medicine, as the overview's last section gives it. */
function pageOf(doc: OverviewDocument): string | undefined {
  const other = doc.sections.find((s) => s.key === 'other');
  const address = other?.sentences
    .map((s) => /\bema\.europa\.eu\/\S+/.exec(s)?.[0])
    .find((a) => a !== undefined);
  return address === undefined ? undefined : `https://www.${address.replace(/[.,;]$/, '')}`;
}

export function attributionOf(
  doc: OverviewDocument,
  kb: KnowledgeBase,
  file: string,
  source: OverviewFile,
): string {
  const page = pageOf(doc);
  const from =
    source.kind === 'PDF'
      ? `as text extracted from the PDF \`${basename(file)}\` by \`npm run kb:add\``
      : `as text given in \`${basename(file)}\` to \`npm run kb:add\``;
  return [
    '# Source and attribution',
    '',
    `\`overview.txt\` is the European Medicines Agency's public overview of ${doc.medicine} (${doc.activeSubstance}),`,
    `"${doc.title}", document ${doc.documentId}${doc.productNumber ? ` (${doc.productNumber})` : ''},` +
      `${kb.lastUpdatedText ? ` last updated ${kb.lastUpdatedText},` : ''} ${from}.`,
    ...(page ? [`The Agency's page for the medicine: ${page}`] : []),
    'It is kept as read, page furniture included; `knowledge/build/` cleans and chunks it.',
    '',
    doc.attribution ||
      '© European Medicines Agency. Reproduction is authorised provided the source is acknowledged.',
    '',
    "Every answer the bot gives quotes this document's own sentences and names it as its source.",
    '',
  ].join('\n');
}

/** The files of a medicine's folder that `kb:add` writes; the others are written by hand and kept. */
const GENERATED = new Set(['overview.txt', 'ATTRIBUTION.md', 'kb.json']);

/** A file of the folder to install: its text, or a copy of a file (or folder) that is there already. */
export type FolderFile = { name: string; text: string } | { name: string; copyOf: string };

/**
 * Makes `<root>/<id>/` hold exactly these files, replacing the folder if it is there. They are written
 * into a temporary folder that is renamed into place: a failure on the way leaves the root as it was.
 */
export function installFolder(root: string, id: string, files: FolderFile[]): void {
  const dir = join(root, id);
  mkdirSync(root, { recursive: true });
  // A dot-name is not a medicine id, so no reader takes the half-written folder for a medicine.
  const staging = mkdtempSync(join(root, `.${id}.new-`));
  // mkdtemp makes a private folder; the medicine's folder is as readable as any other.
  chmodSync(staging, 0o777 & ~process.umask());
  let old: string | undefined;
  try {
    for (const file of files) {
      const to = join(staging, file.name);
      if ('text' in file) writeFileSync(to, file.text);
      else cpSync(file.copyOf, to, { recursive: true, errorOnExist: true, force: false });
    }
    if (existsSync(dir)) {
      old = `${staging}.old`;
      renameSync(dir, old);
    }
    try {
      renameSync(staging, dir);
    } catch (err) {
      if (old) renameSync(old, dir);
      old = undefined;
      throw err;
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
    if (old) rmSync(old, { recursive: true, force: true });
  }
}

/**
 * Reads, chunks and writes. Nothing is written until all is known to be good, and then into a temporary
 * folder that is renamed into place, so a failure leaves the medicines folder as it was.
 */
export async function addMedicine(options: AddOptions): Promise<AddResult> {
  const root = options.root ?? medicinesDir;
  const source = await readOverviewFile(options.file);
  const template = readTemplate();
  const doc = parseOverview(source.text, template);
  const id = options.id ?? medicineIdOf(doc.medicine);
  if (!MEDICINE_ID.test(id)) {
    throw new SourceError(`"${doc.medicine}" gives no usable folder name ("${id}"): name one with --id`);
  }
  const paths = medicinePaths(id, root);
  const exists = existsSync(paths.dir);
  if (exists && !options.replace) {
    throw new SourceError(`${doc.medicine} is already there (${paths.dir}): add --replace to overwrite it`);
  }
  // The same medicine under another folder name (added with --id) is there already too.
  const twin = medicineIds(root).find(
    (other) =>
      other !== id &&
      doc.productNumber !== '' &&
      readJson<KnowledgeBase>(medicinePaths(other, root).kb).productNumber === doc.productNumber,
  );
  if (twin !== undefined) {
    throw new SourceError(
      `${doc.medicine} (${doc.productNumber}) is already there as ${twin}: to overwrite it, add --id ${twin} --replace`,
    );
  }
  // --replace takes a newer overview of the same medicine, not another medicine under its name.
  if (exists && existsSync(paths.kb)) checkSameMedicine(doc, readJson<KnowledgeBase>(paths.kb));
  const kept = exists ? readdirSync(paths.dir).filter((f) => !GENERATED.has(f) && !f.startsWith('.')) : [];
  const curation = existsSync(paths.curation) ? readJson<Curation>(paths.curation) : emptyCuration();
  const { kb, problems } = chunkDocument(doc, template, curation);
  if (problems.length > 0) {
    throw new SourceError(
      `the kept curation.json does not fit this overview (${problems.map((p) => p.message).join('; ')}): ` +
        `see npm run kb:diff -- ${id} ${options.file}`,
    );
  }

  const files: FolderFile[] = [
    { name: basename(paths.source), text: source.text },
    { name: basename(paths.attribution), text: attributionOf(doc, kb, options.file, source) },
    { name: basename(paths.kb), text: serialise(kb) },
    ...kept.map((name) => ({ name, copyOf: join(paths.dir, name) })),
    ...(kept.includes(basename(paths.curation))
      ? []
      : [{ name: basename(paths.curation), text: emptyCurationFile() }]),
  ];
  installFolder(root, id, files);
  return { id, dir: paths.dir, source, doc, kb, replaced: exists, kept };
}

/** Groups pair ids by their section, in the knowledge base's order. */
function pairsBySection(kb: KnowledgeBase): Map<string, string[]> {
  const by = new Map<string, string[]>();
  for (const p of kb.pairs) {
    const key = p.id.split('.')[0];
    by.set(key, [...(by.get(key) ?? []), `${p.id} (${p.answer.length})`]);
  }
  return by;
}

/** What the document holds that the template has no place for, one line each. */
export function unplacedLines(doc: OverviewDocument): string[] {
  return doc.unplaced.map((u) => {
    const count = `${u.sentences.length} sentence${u.sentences.length === 1 ? '' : 's'}`;
    const first = u.sentences[0] === undefined ? '' : `: "${u.sentences[0].slice(0, 70)}…"`;
    return u.heading === undefined
      ? `text before the first heading, ${count}${first}`
      : `section "${u.heading}", ${count} (not in the template)${first}`;
  });
}

/** The summary `kb:add` prints: what it found and what it wrote. */
export function addSummary(result: AddResult, file: string): string[] {
  const { doc, kb, source } = result;
  const label = (name: string): string => `  ${name.padEnd(17)}`;
  const unplaced = unplacedLines(doc);
  return [
    `Read ${file} (${source.kind}${source.pages === undefined ? '' : `, ${source.pages} pages`})`,
    `${label('medicine')}${doc.medicine}`,
    `${label('active substance')}${doc.activeSubstance}`,
    `${label('document')}${doc.documentId}${doc.productNumber ? ` (${doc.productNumber})` : ''}`,
    `${label('last updated')}${doc.lastUpdated ? `${doc.lastUpdated} (${kb.lastUpdatedText})` : 'not found'}`,
    `${label('sections')}${doc.sections.length}: ${doc.sections.map((s) => `${s.key} (${s.sentences.length})`).join(', ')}`,
    `${label('footnotes')}${doc.footnotes.length === 0 ? 'none' : doc.footnotes.join(' | ')}`,
    `${label('pairs')}${kb.pairs.length}`,
    ...[...pairsBySection(kb)].map(([key, ids]) => `    ${key.padEnd(15)}${ids.join(', ')}`),
    `${label('not placed')}${unplaced.length === 0 ? 'nothing' : unplaced[0]}`,
    ...unplaced.slice(1).map((line) => `${' '.repeat(19)}${line}`),
    `${result.replaced ? 'Replaced' : 'Wrote'} ${result.dir}: overview.txt, ATTRIBUTION.md, kb.json` +
      (result.kept.length > 0 ? `; kept ${result.kept.join(', ')}` : '; curation.json (empty)'),
  ];
}
