// Loads the committed knowledge base and builds its matcher once per process.
import type { KnowledgeBase } from './types';
import { createMatcher, type Matcher } from './match/matcher';
import kbJson from './kb.json';

export interface LoadedKnowledge {
  kb: KnowledgeBase;
  matcher: Matcher;
  info: { documentId: string; lastUpdated: string; medicine: string; pairs: number };
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
    },
  };
}
