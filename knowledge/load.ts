// Loads the committed knowledge base and builds its matcher once per process.
import type { KnowledgeBase } from './types';
import { createMatcher, type Matcher } from './match/matcher';
import { createHash } from 'node:crypto';
import kbJson from './kb.json';

export interface LoadedKnowledge {
  kb: KnowledgeBase;
  matcher: Matcher;
  /** `version`: a digest of the pairs, so a hospital can tell which answers a patient saw. */
  info: { documentId: string; lastUpdated: string; medicine: string; pairs: number; version: string };
}

export function loadKnowledge(kb: KnowledgeBase = kbJson as KnowledgeBase): LoadedKnowledge {
  return {
    kb,
    matcher: createMatcher(kb),
    info: {
      documentId: kb.documentId,
      lastUpdated: kb.lastUpdated,
      medicine: kb.medicine,
      pairs: kb.pairs.length,
      version: createHash('sha256').update(JSON.stringify(kb.pairs)).digest('hex').slice(0, 12),
    },
  };
}
