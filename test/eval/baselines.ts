// Off-the-shelf baselines on the same knowledge base, so the matcher's numbers have a reference.
// Neither suggests: a hit is an answer, no hit (or too weak a hit) is a fallback.
import Fuse from 'fuse.js';
import MiniSearch from 'minisearch';
import type { KnowledgeBase } from '../../knowledge/types';
import type { Predictor } from './metrics';

/** (a) fuse.js with its default options over each pair's canonical question; best hit answers. */
export function fuseBaseline(kb: KnowledgeBase): Predictor {
  const fuse = new Fuse(kb.pairs.map((p) => p.question));
  return (q) => {
    const [hit] = fuse.search(q);
    return hit ? { kind: 'answer', id: kb.pairs[hit.refIndex].id } : { kind: 'none' };
  };
}

/**
 * Fixed BM25 score under which MiniSearch's best hit is read as "no answer". Fixed once, before
 * tuning the matcher, at the value that gave MiniSearch its best accuracy-minus-wrong balance on
 * questions.json (a generous choice for the baseline).
 */
export const MINISEARCH_CUTOFF = 40;

/** (b) MiniSearch (BM25, default search options) over each pair's questions and its answer. */
export function miniSearchBaseline(kb: KnowledgeBase, cutoff = MINISEARCH_CUTOFF): Predictor {
  const ms = new MiniSearch<{ id: string; questions: string; answer: string }>({
    fields: ['questions', 'answer'],
  });
  ms.addAll(
    kb.pairs.map((p) => ({
      id: p.id,
      questions: [p.question, ...p.alternates].join('\n'),
      answer: p.answer.join(' '),
    })),
  );
  return (q) => {
    const [hit] = ms.search(q);
    return hit && hit.score >= cutoff ? { kind: 'answer', id: String(hit.id) } : { kind: 'none' };
  };
}
