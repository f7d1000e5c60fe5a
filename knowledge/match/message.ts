// Reads the shape of a message before anything is matched: which clauses only wrap the question
// (greetings, introductions, thanks), which say something about the asker ("I have diabetes", "my husband
// takes it"), and which ask. A message asking several things is split into parts, each matched on its own,
// so "what are the side effects and how do I take it?" is two questions, and a condition mentioned in
// passing no longer decides what the whole message asks. The rules are data (message.json).
import data from './message.json';
import { basicForm } from '../../text/normal';
import { alternation } from '../../text/regex';

export interface MessagePart {
  /** The part in basic form, wrapping words removed and people the asker speaks for read as "i". */
  text: string;
  /**
   * A short part read in the context of the last answer: it `refers` back to it ("how common are they?")
   * or is `elliptic`, a cue and what changes ("and with dexamethasone only?", "what about men?").
   */
  followUp?: 'refers' | 'elliptic';
}

export interface MessageShape {
  /** What the message asks, in order (at most `maxParts`); empty when it only wraps (greeting, thanks). */
  parts: MessagePart[];
  /** More questions were asked than are answered. */
  dropped: number;
  /** Statements about the asker beside the questions (basic form): read only when a question needs them. */
  context: string[];
  /** Who the message says is asking, from cues anywhere in it ("man"). */
  askers: string[];
  /** Kinds of wrapping the message had: a message of wrapping alone is small talk. */
  wrapping: ('greeting' | 'thanks' | 'other')[];
}

const whole = (patterns: string[]): RegExp => new RegExp(`^(?:${alternation(patterns)})$`);
const starting = (patterns: string[]): RegExp => new RegExp(`^(?:${alternation(patterns)})\\b`);

const wrapperRe = whole(data.wrappers);
const greetingRe =
  /^(hi|hello|hey|hiya|hallo|greetings|howdy|yo|dear|good (morning|afternoon|evening|day))\b/;
const thanksRe = /\b(thanks?|thank you|thankyou|ty|thx|cheers)\b/;
const leadingRe = new RegExp(`^(?:(?:${alternation(data.leading)}) )+`);
const questionRe = starting([...data.questionStarts, ...data.requestStarts]);
const askerRe = starting(data.aboutAsker);
const questionMarks = new Set([...data.questionMarks]);
const questionStartRe = starting(data.questionStarts);

/** Whether a whole message is clearly a question: it ends with a question mark or starts with a question word. */
export function isQuestion(text: string): boolean {
  const t = basicForm(text);
  if (t.split(' ').length < data.questionMinWords) return false;
  return questionMarks.has(text.trim().slice(-1)) || questionStartRe.test(t);
}
const joinRe = new RegExp(
  ` (?:${alternation(data.joins)}) (?=(?:${alternation([...data.questionStarts, ...data.requestStarts])})\\b)`,
  'g',
);
const peopleRe = new RegExp(`\\b(?:${alternation(data.people)})\\b`, 'g');
const followStartRe = starting(data.followUp.starts);
const refersRe = new RegExp(`\\b(?:${alternation(data.followUp.refers)})\\b`);
const askerCues = Object.entries(data.askers).map(([kind, cues]) => ({
  kind,
  re: new RegExp(alternation(cues)),
}));

/**
 * Sentences of the raw text, each with whether it ended with a question mark. A full stop between digits
 * ("2.5") and a hyphen inside a word do not end a sentence.
 */
function sentences(text: string): { text: string; asked: boolean }[] {
  const out: { text: string; asked: boolean }[] = [];
  const re = /[?？]+|[!;\n]+|(?<!\d)\.+|\.+(?!\d)|\s[-–—]+\s/g;
  let at = 0;
  for (const m of text.matchAll(re)) {
    out.push({ text: text.slice(at, m.index), asked: questionMarks.has(m[0][0]!) });
    at = m.index + m[0].length;
  }
  out.push({ text: text.slice(at), asked: false });
  return out.filter((s) => basicForm(s.text) !== '');
}

type Clause = { text: string; kind: 'wrapper' | 'question' | 'asker' | 'other'; asked: boolean };

function classify(basic: string, asked: boolean): Clause['kind'] {
  if (wrapperRe.test(basic)) return 'wrapper';
  const bare = basic.replace(leadingRe, '');
  if (bare === '' || wrapperRe.test(bare)) return 'wrapper';
  if (asked || questionRe.test(bare)) return 'question';
  if (askerRe.test(bare)) return 'asker';
  return 'other';
}

/** A cue with no question after it ("and with dexamethasone only", "what about men"): it needs the last topic. */
function elliptic(text: string): boolean {
  const cue = followStartRe.exec(text);
  if (!cue) return false;
  const rest = text.slice(cue[0].length).trim();
  return rest === '' || !questionRe.test(rest);
}

function followUpKind(text: string): MessagePart['followUp'] {
  if (text.split(' ').length > data.followUp.maxWords) return undefined;
  if (refersRe.test(text)) return 'refers';
  return elliptic(text) ? 'elliptic' : undefined;
}

export function readMessage(text: string): MessageShape {
  const basicAll = basicForm(text);
  const askers = askerCues.filter((c) => c.re.test(basicAll)).map((c) => c.kind);
  const wrapping: MessageShape['wrapping'] = [];
  const clauses: Clause[] = [];
  for (const sentence of sentences(text)) {
    // Commas part clauses: "I have diabetes, what are the side effects?" asks one thing.
    const pieces = sentence.text.split(/,|\s\(|\)\s/);
    pieces.forEach((piece, i) => {
      const basic = basicForm(piece);
      if (basic === '') return;
      const asked = sentence.asked && i === pieces.length - 1;
      const kind = classify(basic, asked);
      if (kind === 'wrapper') {
        wrapping.push(greetingRe.test(basic) ? 'greeting' : thanksRe.test(basic) ? 'thanks' : 'other');
        return;
      }
      const prev = clauses[clauses.length - 1];
      // A clause that is neither a question nor about the asker belongs to the question it follows or leads
      // into ("how do I take it with bortezomib, and dexamethasone" ; "with bortezomib, how often ...").
      if (prev && i > 0 && (kind === 'other' || prev.kind === 'other') && prev.kind !== 'asker') {
        prev.text = `${prev.text} ${basic}`;
        if (kind === 'question') prev.kind = 'question';
        prev.asked ||= asked;
        return;
      }
      clauses.push({ text: basic, kind, asked });
    });
  }
  const questions = clauses.filter((c) => c.kind === 'question');
  // Without a question, what is not wrapping is what is asked, as one part ("side effects", "my father
  // was given 4 mg capsules, he wanted to check that is the usual amount").
  const asking =
    questions.length > 0 || clauses.length === 0
      ? questions
      : [{ text: clauses.map((c) => c.text).join(' '), kind: 'question', asked: false }];
  const context =
    questions.length > 0
      ? clauses.filter((c) => c.kind !== 'question').map((c) => c.text.replace(peopleRe, 'i'))
      : [];
  const texts = asking.flatMap((c) => c.text.replace(joinRe, '\n').split('\n'));
  const parts = texts
    .map((t) => ({
      text: t.replace(leadingRe, '').replace(peopleRe, 'i').replace(/ +/g, ' ').trim(),
      // Read before the leading words go: "and with dexamethasone only?" is a follow-up by its "and".
      followUp: followUpKind(t),
    }))
    .filter((p) => p.text !== '');
  return {
    parts: parts.slice(0, data.maxParts),
    dropped: Math.max(0, parts.length - data.maxParts),
    context,
    askers,
    wrapping,
  };
}
