// Red flags and urgent wording in the EU's main languages besides English, one data file each (see
// README.md here): the gate reads their patterns, and answers in the language that fired.

/** A text of the bot's own, with its English back-translation for review. */
export interface TranslatedText {
  text: string;
  back: string;
}

export interface LanguageData {
  language: string;
  name: string;
  version: string;
  review: { status: string; reviewedBy: string | null; reviewedOn: string | null };
  /** Common words of the language that are not English words: how a message in it is told from English. */
  detect: string[];
  /** Patterns per category (the categories of ../patterns.json), over the normal form. */
  patterns: Record<string, string[]>;
  /** Wording per level ("emergency", "urgent") and per category where it says more (overdose, pregnancy...). */
  messages: Record<string, TranslatedText | undefined>;
  /** "This service answers in English", with the emergency number and the doctor or pharmacist. */
  notice: TranslatedText;
}

export const languages: LanguageData[] = [];
