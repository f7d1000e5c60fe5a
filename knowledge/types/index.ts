// Shapes of the knowledge base. Plain data: no botbuilder here.

export interface Provenance {
  /** EMA document id, e.g. "EMA/240195/2019". */
  documentId: string;
  /** The overview section the answer comes from, as headed in the source. */
  section: string;
  /** As printed in the source, e.g. "04-2019". */
  lastUpdated: string;
}

export interface QAPair {
  id: string;
  /** Key of the template section the pair belongs to ("use", "risks", ...). */
  sectionKey: string;
  question: string;
  /** Patient-style phrasings of the same question. */
  alternates: string[];
  /** Short phrases that identify the topic ("side effects", "capsule strengths"). */
  keywords: string[];
  /** Verbatim sentences (or verbatim spans marked with an ellipsis) from the source. */
  answer: string[];
  provenance: Provenance;
}

export interface Vocabulary {
  /** Names of the medicine as patients write them, including misspellings; all mean "the medicine". */
  names: string[];
  /** Lay phrase → the source's term. Applied before matching. */
  synonyms: Record<string, string[]>;
  /** Source terms naming other medicines (after synonyms): a question about one alone is not about this medicine. */
  otherMedicines?: string[];
}

export interface KnowledgeBase {
  medicine: string;
  activeSubstance: string;
  documentId: string;
  productNumber: string;
  lastUpdated: string;
  /** Human form of lastUpdated, e.g. "April 2019". */
  lastUpdatedText: string;
  attribution: string;
  sourceTitle: string;
  pairs: QAPair[];
  vocabulary: Vocabulary;
}

/** One choice of a guided flow, curated for a medicine: our own labels, answered by the medicine's pairs. */
export interface CuratedFlowOption {
  id: string;
  title: string;
  /** Regular expressions over the answer's normal form that pick this option. */
  patterns: string[];
  /** Patterns that pick this option when the answer also matches others ("only dexamethasone"). */
  decisive?: string[];
  /** A hedge ("not sure"): wins over any other option the same answer matches. */
  hedge?: boolean;
  intro?: string;
  note?: string;
  blocks: { label?: string; pair: string }[];
}

/** The "how do I take it" choices a medicine's curation lists (its treatment schedules). */
export interface CuratedFlow {
  /** Names (regular expressions) whose negation is marked before an answer is read ("not on bortezomib"). */
  negatable?: Record<string, string>;
  whenAmbiguous?: 'first' | 'ask';
  options: CuratedFlowOption[];
}
