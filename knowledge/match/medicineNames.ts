// Finds which of the served medicines a message names: brand or active substance, as written or
// misspelt ("zentravoe", "pomalidamide"). With several medicines served, this decides whose knowledge base
// answers. Names are whole words (or runs of words) of the message; everything else is left to the matcher.
import { basicForm } from '../../text/normal';
import { createCorrector, type Corrector } from '../../text/corrector';

export interface NamedMedicine {
  id: string;
  /** The medicine's names: brand, active substance, curated spellings (multi-word generic ones are skipped). */
  names: string[];
}

/** Where a medicine is named in a message (character offsets into the text as given). */
export interface Mention {
  id: string;
  start: number;
  end: number;
}

export interface MedicineFinder {
  /** The mentions of served medicines in the text, in reading order. */
  find(text: string): Mention[];
  /** The ids of the medicines named, each once, in the order first named. */
  named(text: string): string[];
}

/** A raw word of the message: letters and digits, with apostrophes inside ("zentravo's"). */
const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)*/gu;

/** Names shorter than this are never matched loosely: too many ordinary words lie an edit away. */
const MIN_FUZZY_LENGTH = 6;

interface NameForm {
  id: string;
  words: string[];
}

/**
 * A name is specific when it is one word ("imnovid", "pomalidomid") or a run of words none of which is an
 * ordinary word of the message language ("this medicine" and "my capsules" name whichever medicine is
 * being discussed, so they name none here).
 */
function specificForms(medicines: NamedMedicine[], ordinary: Set<string>): NameForm[] {
  const forms: NameForm[] = [];
  for (const m of medicines) {
    for (const name of m.names) {
      const words = basicForm(name).split(' ').filter(Boolean);
      if (words.length === 0) continue;
      if (words.length > 1 && words.some((w) => ordinary.has(w))) continue;
      if (!forms.some((f) => f.id === m.id && f.words.join(' ') === words.join(' ')))
        forms.push({ id: m.id, words });
    }
  }
  return forms;
}

/**
 * @param medicines the served medicines and their names
 * @param ordinary words never read as a misspelt name (the knowledge bases' own vocabulary)
 */
export function createMedicineFinder(
  medicines: NamedMedicine[],
  ordinary: Iterable<string> = [],
): MedicineFinder {
  const ordinaryWords = new Set(ordinary);
  const forms = specificForms(medicines, ordinaryWords);
  const nameWords = new Set(forms.flatMap((f) => f.words));
  for (const w of nameWords) ordinaryWords.delete(w);
  // One edit in a name of six to eight letters, two from nine ("pomalidamide"); ties correct nothing.
  const correct: Corrector = createCorrector({
    vocabulary: [...nameWords].filter((w) => w.length >= MIN_FUZZY_LENGTH),
    neverCorrect: ordinaryWords,
    minLength: MIN_FUZZY_LENGTH - 1,
    maxEdits: (length) => (length >= 9 ? 2 : 1),
    ties: 'none',
  });
  /** A word of the message as a name word: as written, without a possessive "s", or corrected. */
  const asNameWord = (word: string): string => {
    if (nameWords.has(word)) return word;
    if (word.endsWith('s') && nameWords.has(word.slice(0, -1))) return word.slice(0, -1);
    return correct(word);
  };

  const find = (text: string): Mention[] => {
    const words = [...text.matchAll(WORD)].map((m) => ({
      start: m.index,
      end: m.index + m[0].length,
      basic: asNameWord(basicForm(m[0]).replace(/ /g, '')),
    }));
    const mentions: Mention[] = [];
    for (let i = 0; i < words.length;) {
      // The longest name starting at this word wins ("imatinib accord" over "imatinib").
      let best: { form: NameForm; length: number } | undefined;
      for (const form of forms) {
        const n = form.words.length;
        if (i + n > words.length || (best && best.length >= n)) continue;
        if (form.words.every((w, k) => words[i + k]!.basic === w)) best = { form, length: n };
      }
      if (!best) {
        i += 1;
        continue;
      }
      mentions.push({ id: best.form.id, start: words[i]!.start, end: words[i + best.length - 1]!.end });
      i += best.length;
    }
    return mentions;
  };

  return {
    find,
    named: (text) => [...new Set(find(text).map((m) => m.id))],
  };
}

/** The text with every mention replaced (mentions as `find` returned them, in order). */
export function replaceMentions(text: string, mentions: Mention[], by: (m: Mention) => string): string {
  let out = '';
  let at = 0;
  for (const m of mentions) {
    out += text.slice(at, m.start) + by(m);
    at = m.end;
  }
  return out + text.slice(at);
}
