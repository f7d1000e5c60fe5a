// Reads an overview given as a file: a PDF as published, or its text already extracted (.txt).
import { readFileSync, statSync } from 'node:fs';
import { extname } from 'node:path';
import { readPdf, SourceError } from './pdf';
import { cleanOverview, type OverviewDocument } from './clean';
import type { OverviewTemplate } from './chunk';

export interface OverviewFile {
  /** The text as the cleaner reads it; kept as the medicine's overview.txt. */
  text: string;
  kind: 'PDF' | 'text';
  pages?: number;
}

export async function readOverviewFile(file: string): Promise<OverviewFile> {
  let size: number;
  try {
    const stat = statSync(file);
    if (!stat.isFile()) throw new SourceError(`not a file: ${file}`);
    size = stat.size;
  } catch (err) {
    if (err instanceof SourceError) throw err;
    throw new SourceError(`no such file: ${file}`);
  }
  if (size === 0) throw new SourceError(`empty file: ${file}`);
  const data = readFileSync(file);
  const ext = extname(file).toLowerCase();
  if (ext === '.pdf' || data.subarray(0, 5).toString('latin1') === '%PDF-') {
    const pdf = await readPdf(data);
    return { text: pdf.text, kind: 'PDF', pages: pdf.pages };
  }
  if (ext !== '.txt') throw new SourceError(`not a .pdf or .txt file: ${file}`);
  if (data.includes(0)) throw new SourceError(`not a text file (it holds binary data): ${file}`);
  return { text: data.toString('utf8'), kind: 'text' };
}

/** Cleans an overview's text, saying in one line why a text is not an EMA overview. */
export function parseOverview(text: string, template: OverviewTemplate): OverviewDocument {
  try {
    return cleanOverview(text, template.sections);
  } catch (err) {
    const why = (err as Error).message.replace(/^Not an EMA overview: /, '');
    throw new SourceError(`not an EMA medicine overview: ${why}`);
  }
}

/**
 * Whether a newer overview is of the medicine a folder holds: the same product number (a renamed
 * medicine keeps it), or the same name where a product number is missing.
 */
export function checkSameMedicine(
  doc: OverviewDocument,
  kb: { medicine: string; productNumber: string },
): void {
  const same =
    doc.productNumber && kb.productNumber
      ? doc.productNumber === kb.productNumber
      : doc.medicine === kb.medicine;
  if (!same) {
    throw new SourceError(
      `the overview is of ${doc.medicine} (${doc.productNumber || 'no product number'}), ` +
        `not of ${kb.medicine} (${kb.productNumber || 'no product number'})`,
    );
  }
}
