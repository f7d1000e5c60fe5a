// Replies about which medicine a conversation is about, when a deployment serves several: the question
// "which medicine?" with a button per medicine, and the line confirming a switch. Our own words only.
import { fillPlaceholders } from '../render/placeholders';
import { texts, type Reply } from '../render/renderer';
import { labelOf } from '../render/deployment';
import type { Formulary, ServedMedicine } from './formulary';

/** "Which medicine is your question about?": a button per medicine, its brand name sent back. */
export function askMedicineReply(formulary: Formulary): Reply {
  return {
    intro: [texts.medicines.ask],
    buttons: formulary.medicines.map((m) => ({ title: labelOf(m), value: m.kb.medicine })),
  };
}

/** "What about Zentravo?" with nothing answered before: now about that medicine, and what to ask. */
export function switchedReply(medicine: ServedMedicine): Reply {
  return {
    intro: [fillPlaceholders(texts.medicines.switched, { name: labelOf(medicine) })],
    buttons: texts.menuButtons,
  };
}
