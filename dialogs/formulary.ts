// The medicines this deployment serves, each with what the dialogs need of it (its flows and their
// readers), and the one finder that tells which of them a message names.
import type { LoadedKnowledge } from '../knowledge/load';
import { labelOf, listOfNames } from '../render/deployment';
import type { KnowledgeBase } from '../knowledge/types';
import { createMedicineFinder, type MedicineFinder } from '../knowledge/match/medicineNames';
import { basicForm } from '../text/normal';
import { FlowReader, flowIds, flowsFor, type FlowData, type FlowId } from './intents';

export interface ServedMedicine extends LoadedKnowledge {
  flows: Record<FlowId, FlowData>;
  readers: Map<FlowId, FlowReader>;
}

export interface Formulary {
  /** In the configuration's order. */
  medicines: ServedMedicine[];
  get(id: string | undefined): ServedMedicine | undefined;
  /** The medicine a knowledge base belongs to (answer blocks carry their knowledge base). */
  ofKb(kb: KnowledgeBase): ServedMedicine | undefined;
  /** The medicine served alone, when there is just one (then nothing ever asks which). */
  only?: ServedMedicine;
  finder: MedicineFinder;
}

/** The medicines served, named for the welcome when there are several ("A (a), B (b), and C (c)"). */
export function servedNames(formulary: Formulary): string | undefined {
  if (formulary.only) return undefined;
  return listOfNames(formulary.medicines.map(labelOf));
}

export function createFormulary(loaded: LoadedKnowledge[]): Formulary {
  if (loaded.length === 0) throw new Error('no medicine to serve');
  const ids = new Set<string>();
  const medicines = loaded.map((m): ServedMedicine => {
    if (ids.has(m.id)) throw new Error(`medicine "${m.id}" is served twice`);
    ids.add(m.id);
    const flows = flowsFor(m.kb, m.howToTake);
    return { ...m, flows, readers: new Map(flowIds.map((id) => [id, new FlowReader(flows[id])])) };
  });
  const byId = new Map(medicines.map((m) => [m.id, m]));
  const byKb = new Map(medicines.map((m) => [m.kb, m]));
  // The knowledge bases' own words are never misspelt names ("contains" is no typo of a brand).
  const ordinary = new Set<string>();
  for (const { kb } of medicines)
    for (const p of kb.pairs)
      for (const text of [p.question, ...p.alternates, ...p.answer])
        for (const w of basicForm(text).split(' ')) ordinary.add(w);
  const finder = createMedicineFinder(
    medicines.map(({ id, kb }) => ({
      id,
      names: [kb.medicine, kb.activeSubstance, ...kb.vocabulary.names],
    })),
    ordinary,
  );
  return {
    medicines,
    get: (id) => (id === undefined ? undefined : byId.get(id)),
    ofKb: (kb) => byKb.get(kb),
    only: medicines.length === 1 ? medicines[0] : undefined,
    finder,
  };
}
