// Turns a matcher result into a reply: the answer, "Did you mean", or the honest fallback.
import type { KnowledgeBase, QAPair } from '../knowledge/types';
import type { Matcher, MatchResult } from '../knowledge/match/matcher';
import { MEDICINE_TOKEN, OFF_TOPIC_TOKEN } from '../knowledge/match/normalise';
import { basicForm } from '../text/normal';
import { texts, type Button, type Reply } from '../render/renderer';

export interface FaqOutcome {
  reply: Reply;
  result: MatchResult;
  /** The pair answered, kept as context for a follow-up question. */
  answered?: QAPair;
  /** The matcher read a topic the overview never covers (missed doses, alcohol, food, driving...). */
  offTopic: boolean;
}

const MAX_FOLLOW_UPS = 2;

function followUps(kb: KnowledgeBase, pair: QAPair): Button[] {
  return kb.pairs
    .filter((p) => p.sectionKey === pair.sectionKey && p.id !== pair.id && !p.id.endsWith('.more-info'))
    .slice(0, MAX_FOLLOW_UPS)
    .map((p) => ({ title: p.question, value: p.question }));
}

export function answerReply(kb: KnowledgeBase, pair: QAPair): Reply {
  return { blocks: [{ pair }], defer: true, leaflet: true, buttons: followUps(kb, pair) };
}

export function fallbackReply(): Reply {
  // A missed red flag in words the safety gate does not know (or another language) still ends here.
  return { intro: [texts.fallback, texts.fallbackSafety], leaflet: true };
}

/** "ok", "imnovid", "what about it": nothing to match, so ask for more rather than say it is not covered. */
export function unclearReply(): Reply {
  return { intro: [texts.unclear], buttons: texts.menuButtons };
}

/** Each pair by its question's basic form (the first pair wins a tie, as a search in order would). */
const byQuestion = new WeakMap<KnowledgeBase, Map<string, QAPair>>();

function pairAskedExactly(kb: KnowledgeBase, form: string): QAPair | undefined {
  let index = byQuestion.get(kb);
  if (!index) {
    // Built once per knowledge base: normalising every question on every turn cost more than matching.
    index = new Map();
    for (const p of kb.pairs) {
      const key = basicForm(p.question);
      if (!index.has(key)) index.set(key, p);
    }
    byQuestion.set(kb, index);
  }
  return index.get(form);
}

export function answerQuestion(
  kb: KnowledgeBase,
  matcher: Matcher,
  text: string,
  contextPairId?: string,
  basic = basicForm(text),
): FaqOutcome {
  // A clicked suggestion sends a pair's own question back: answer it exactly.
  const exact = pairAskedExactly(kb, basic);
  const result = matcher.match(text, { contextPairId });
  // The matcher's own off-topic phrase list (knowledge/match/lexicon.json) decides, so there is one list.
  const offTopic = result.tokens.includes(OFF_TOPIC_TOKEN);
  if (exact) return { reply: answerReply(kb, exact), result, answered: exact, offTopic: false };
  switch (result.kind) {
    case 'answer':
      return { reply: answerReply(kb, result.best.pair), result, answered: result.best.pair, offTopic };
    case 'suggest':
      return {
        result,
        offTopic,
        reply: {
          intro: [texts.suggestIntro],
          buttons: [
            ...result.suggestions.map((c) => ({ title: c.pair.question, value: c.pair.question })),
            { title: texts.suggestNone, value: texts.suggestNone },
          ],
        },
      };
    case 'none': {
      const nothingAsked = !offTopic && result.tokens.every((t) => t === MEDICINE_TOKEN);
      return { result, reply: nothingAsked ? unclearReply() : fallbackReply(), offTopic };
    }
  }
}
