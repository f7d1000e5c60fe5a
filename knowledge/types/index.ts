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

/** A text of the bot's own in another language, with its English back-translation for review. */
export interface TranslatedWording {
  text: string;
  back: string;
}

/** Who checked a text, as in safety/patterns.json. */
export interface WordingReview {
  status: string;
  reviewedBy: string | null;
  reviewedOn: string | null;
}

/**
 * A medicine's own wording for one safety category, in place of the generic one: English, and optionally
 * other languages of the gate. {medicine}, {Medicine} and {emergency} are filled in.
 */
export interface SafetyWording {
  text: string;
  review?: WordingReview;
  translations?: Record<string, TranslatedWording>;
}

/**
 * knowledge/medicines/<id>/medicine.json: what the patient sees that is particular to this medicine,
 * beyond its knowledge base. Every field is optional; what is left out is worked out from the kb.
 */
export interface MedicineProfile {
  /** The name shown in titles and in the bot's name ("<name> info"); by default the kb's medicine. */
  displayName?: string;
  /**
   * The package leaflet by country: "default" and lower-case ISO 3166 codes ("de"). By default the EMA
   * product-information PDF named after the medicine, which holds the leaflet.
   */
  leaflets?: Record<string, string>;
  /** Safety wording by category id of safety/patterns.json ("sharing", "pregnancy"). */
  safety?: Record<string, SafetyWording>;
}

/** A profile with its defaults filled in. */
export interface ResolvedProfile {
  displayName: string;
  leaflets: { default: string } & Record<string, string>;
  safety: Record<string, SafetyWording>;
}
