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
  /** Letters the language writes and English does not (as typed, with their accents). */
  letters: string;
  /** Patterns per category (the categories of ../patterns.json), over the normal form. */
  patterns: Record<string, string[]>;
  /** Wording per level ("emergency", "urgent") and per category where it says more (overdose, pregnancy...). */
  messages: Record<string, TranslatedText | undefined>;
  /** A request to speak to a person ("mit einem Apotheker sprechen"): the helpdesk follows the notice. */
  person?: string[];
  /** "This service answers in English", with the emergency number and the doctor or pharmacist. */
  notice: TranslatedText;
}

import de from './de.json';
import es from './es.json';
import fr from './fr.json';
import it from './it.json';
import nl from './nl.json';
import pl from './pl.json';
import pt from './pt.json';

export const languages: LanguageData[] = [de, fr, es, it, nl, pl, pt];
