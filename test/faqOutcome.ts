// What the bot would answer to one message outside a conversation: the real recogniser (matcher and
// safety gate over the knowledge base) and the FAQ reply built from its parts. For tests that check a
// reply's shape without driving a whole conversation.
import { loadMedicine } from '../knowledge/load';
import { createFormulary } from '../dialogs/formulary';
import type { KnowledgeBase } from '../knowledge/types';
import type { Matcher } from '../knowledge/match/matcher';
import { createRecogniser, type PartResult } from '../dialogs/recogniser';
import { faqReply, type FaqOutcome } from '../dialogs/faq';
import { createSafetyGate, medicineNamesOf } from '../safety/gate';

export function faqOutcome(
  kb: KnowledgeBase,
  matcher: Matcher,
  text: string,
): FaqOutcome & { part: PartResult } {
  const recognition = createRecogniser({
    formulary: createFormulary([{ ...loadMedicine('imnovid'), kb, matcher }]),
    safety: createSafetyGate({ medicineNames: medicineNamesOf([{ kb }]) }),
  }).recognise(text);
  const part = recognition.parts[0];
  if (!part) throw new Error('the message was not read as a question');
  return { ...faqReply(kb, recognition.parts, recognition.dropped), part };
}
