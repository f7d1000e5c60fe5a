// Where each medicine's source, curation and generated knowledge base live.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KnowledgeBase } from '../types';
import { buildKnowledgeBase, type Curation, type OverviewTemplate } from './chunk';

const knowledgeDir = join(__dirname, '..');

export const paths = {
  source: join(knowledgeDir, 'source', 'imnovid-overview.txt'),
  curation: join(knowledgeDir, 'curation', 'imnovid.json'),
  template: join(knowledgeDir, 'build', 'ema-overview-template.json'),
  output: join(knowledgeDir, 'kb.json'),
};

export function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

export function buildFromFiles(source = paths.source, curation = paths.curation): KnowledgeBase {
  return buildKnowledgeBase(
    readFileSync(source, 'utf8'),
    readJson<OverviewTemplate>(paths.template),
    readJson<Curation>(curation),
  );
}

/** The exact bytes of kb.json for a knowledge base: stable, so regeneration can be compared byte for byte. */
export function serialise(kb: KnowledgeBase): string {
  return `${JSON.stringify(kb, null, 2)}\n`;
}
