// Builds a medicine's knowledge base from the files in its folder (knowledge/medicines/<id>/).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KnowledgeBase } from '../types';
import { medicinePaths } from '../medicines';
import { buildKnowledgeBase, type Curation, type OverviewTemplate } from './chunk';

export const templatePath = join(__dirname, 'ema-overview-template.json');

export function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

export function readTemplate(): OverviewTemplate {
  return readJson<OverviewTemplate>(templatePath);
}

/** Builds from a source file and a curation file. */
export function buildFromFiles(source: string, curation: string): KnowledgeBase {
  return buildKnowledgeBase(readFileSync(source, 'utf8'), readTemplate(), readJson<Curation>(curation));
}

/** Builds one medicine from its folder. */
export function buildMedicine(id: string, root?: string): KnowledgeBase {
  const paths = medicinePaths(id, root);
  return buildFromFiles(paths.source, paths.curation);
}

/** The exact bytes of kb.json for a knowledge base: stable, so regeneration can be compared byte for byte. */
export function serialise(kb: KnowledgeBase): string {
  return `${JSON.stringify(kb, null, 2)}\n`;
}
