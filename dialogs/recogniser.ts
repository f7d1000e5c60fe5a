// The one recogniser: called once per turn by the bot, it reads everything the dialogs need from the
// message (the safety gate's verdict, a command, small talk, a guided flow or a choice in one, and the FAQ
// result for each part of the message), so no dialog matches or reads the text again. The matcher runs
// at most once per part. Injected into the bot the way core-bot injects its recogniser.
import type { QAPair } from '../knowledge/types';
import type { MatchResult } from '../knowledge/match/matcher';
import { replaceMentions, type Mention } from '../knowledge/match/medicineNames';
import { MEDICINE_TOKEN, OFF_TOPIC_TOKEN } from '../knowledge/match/normalise';
import { readMessage, type MessagePart } from '../knowledge/match/message';
import { stopsTheTurn, type SafetyGate, type SafetyHit } from '../safety/gate';
import { basicForm } from '../text/normal';
import { escapeRegExp } from '../text/regex';
import {
  asksForPerson,
  asksToClarify,
  asksToReportSideEffect,
  isBareChoice,
  onlyNamesMedicine,
  isNotCovered,
  isQuestion,
  recogniseCommand,
  recogniseFlow,
  recogniseSmallTalk,
  type Command,
  type FlowId,
  type FlowOption,
  type SmallTalk,
} from './intents';
import intents from './intents.json';
import type { Formulary, ServedMedicine } from './formulary';

/**
 * Why a part of a message gets the reply it gets: answered (`covered`), "Did you mean" (`close-call`),
 * the honest fallback (`not-covered`, `other-medicine`), "tell me more" (`unclear`), or a guided flow.
 */
export type PartReason = 'covered' | 'close-call' | 'not-covered' | 'other-medicine' | 'unclear' | 'flow';

export interface PartResult {
  reason: PartReason;
  /** Covered: the pair that answers, then any pair that concerns the asker ("men" for a man's question). */
  pairs: QAPair[];
  /** Covered by one source sentence rather than a whole pair: its index in `pairs[0].answer`. */
  sentence?: number;
  /** The part names a topic the overview never covers (alcohol, missed doses, pack sizes...). */
  offTopic?: boolean;
  /** Close call: the pairs offered. */
  suggestions: QAPair[];
  /** The guided flow this part asks for, with the option it already names. */
  flow?: { id: FlowId; optionId?: string };
  /** The matcher's result, for diagnostics (`npm run ask -- --json`). */
  match?: MatchResult;
}

/** How a message reads as an answer to a guided flow's question. */
export interface FlowChoice {
  /** The option it names, if exactly one. */
  option?: FlowOption;
  /** Whether it tries to answer (an option, several, a position or a medicine name of the flow). */
  attempts: boolean;
}

/**
 * What the pharmacy helpdesk answers: a request for a person (the helpdesk is offered) or a question on
 * how to report a side effect (the fixed reply on reporting).
 */
export type HelpdeskRequest = 'person' | 'report-side-effect';

export interface Recognition {
  /**
   * The safety gate's verdict. A red flag, a deferral or a language notice stops the turn (nothing else is
   * read); `information` (a symptom asked about as a side effect) is read as usual and adds its line.
   */
  safety?: SafetyHit;
  command?: Command;
  smallTalk?: SmallTalk;
  /** Asks for a person, or how to report a side effect (the message is read no further). */
  helpdesk?: HelpdeskRequest;
  /** Read only when a flow is waiting for an answer. */
  choices: Partial<Record<FlowId, FlowChoice>>;
  /** Asks the waiting flow to explain its question ("what are the options?"). */
  clarify: boolean;
  /** Reads as a question (a question mark, or a question word first). */
  question: boolean;
  /** A lone number or letter. */
  bareChoice: boolean;
  /** What the message asks, part by part (empty for commands, small talk and bare choices). */
  parts: PartResult[];
  /** Questions beyond the parts answered. */
  dropped: number;
  /** The medicines the message names (ids, in the order first named; always empty with one medicine served). */
  named: string[];
  /**
   * The medicine whose knowledge base read the parts: the one named first, else the conversation's, else the
   * only one served. None when several are served and the message names none of them.
   */
  medicine?: string;
  /** A question naming further medicines: each one's parts, read from its own knowledge base, side by side. */
  also: MedicineParts[];
  /**
   * Several medicines are served, none is named or chosen yet, and the message asks something: the bot asks
   * which medicine. What each medicine's knowledge base would answer waits for the choice (ids only).
   */
  askMedicine?: PendingQuestion;
  /** The message only named a medicine, answering "which medicine?": the waiting question's parts are back. */
  resumed?: boolean;
  /** The message only named a medicine other than the conversation's ("what about Zentravo?"). */
  switched?: boolean;
}

/** One medicine's reading of a message that names several. */
export interface MedicineParts {
  medicine: string;
  parts: PartResult[];
  dropped: number;
}

/** A part as kept in conversation state while the bot asks which medicine: ids, never the patient's words. */
export interface StoredPart {
  reason: PartReason;
  pairs: string[];
  sentence?: number;
  offTopic?: boolean;
  suggestions: string[];
  flow?: { id: FlowId; optionId?: string };
}

/** A question waiting for the patient to say which medicine it is about: each medicine's parts. */
export interface PendingQuestion {
  byMedicine: Record<string, StoredPart[]>;
  dropped: number;
  /** A command waiting for the medicine ("topics": every topic of which overview?). */
  command?: 'topics';
  /**
   * The safety gate's information line the question brought (a symptom asked about as a side effect): the
   * answer after the choice carries it too. The gate's rule and wording, never the patient's words.
   */
  safety?: SafetyHit;
}

export interface RecogniseOptions {
  /** The pair answered last in the conversation: a short follow-up is read in its context. */
  contextPairId?: string;
  /** A guided flow is waiting for an answer: read the message as a choice too. */
  inFlow?: boolean;
  /** The medicine the conversation is about (several served: chosen or named earlier). */
  medicineId?: string;
  /** The question waiting for the patient to say which medicine it is about. */
  pending?: PendingQuestion;
}

export interface Recogniser {
  recognise(text: string, options?: RecogniseOptions): Recognition;
}

export interface RecogniserParts {
  formulary: Formulary;
  safety: SafetyGate;
}

/** What a medicine's knowledge base reads in a message: its parts, and the questions left over. */
interface Reading {
  parts: PartResult[];
  dropped: number;
  smallTalk?: SmallTalk;
}

/** Asker → pair → further pairs that concern that asker. */
const askerPairs = Object.fromEntries(
  Object.entries(intents.askers).filter(([key]) => !key.startsWith('$')),
) as Record<string, Record<string, string[]> | undefined>;

export function createRecogniser({ formulary, safety }: RecogniserParts): Recogniser {
  const indexed = new Map(formulary.medicines.map((m) => [m.id, index(m)]));
  const indexOf = (m: ServedMedicine): Indexed => indexed.get(m.id)!;

  /** The words a follow-up stands for: the topic of the pair it follows ("serious side effects"). */
  const topicOf = (pair: QAPair): string => pair.keywords[0] ?? pair.question;

  const extrasFor = (m: Indexed, pair: QAPair, askers: string[]): QAPair[] =>
    askers
      .flatMap((a) => askerPairs[a]?.[pair.id] ?? [])
      .map((id) => m.byId.get(id))
      .filter((p): p is QAPair => p !== undefined && p.id !== pair.id);

  const matchPart = (
    m: Indexed,
    part: MessagePart,
    raw: string,
    context: string[],
    askers: string[],
    contextPair: QAPair | undefined,
  ): PartResult => {
    const none = (reason: PartReason, match?: MatchResult): PartResult => ({
      reason,
      pairs: [],
      suggestions: [],
      match,
    });
    if (isNotCovered(part.text, part.text)) return { ...none('not-covered'), offTopic: true };
    let query = part.text;
    // "What should I do?" after "I missed a dose": a question that says nothing alone is read with its
    // context, whole. Otherwise the context lends only the words the knowledge base knows.
    const vague = context.length > 0 && !m.matcher.knows(query);
    if (vague) query = `${context.join(' ')} ${query}`;
    // "How common are they?": what "they" stands for is the last answer's topic. An elliptic follow-up
    // ("and with dexamethasone?") brings its own topic, and is only leant towards the last answer's section.
    else if (part.followUp === 'refers' && contextPair) query = `${query} ${topicOf(contextPair)}`;
    const match = m.matcher.match(query, {
      contextPairId: contextPair?.id,
      refersBack: part.followUp === 'refers',
      context: vague || context.length === 0 ? undefined : context.join(' '),
    });
    const offTopic = match.tokens.includes(OFF_TOPIC_TOKEN);
    // "How is <brand> taken": the flows' triggers are written with "it" for the medicine.
    const flow = recogniseFlow(part.text, part.text.replace(m.namesRe, 'it'));
    // "How do I take it with alcohol?" names a flow but asks what the overview never covers.
    if (flow && !offTopic) {
      return { ...none('flow', match), flow: { id: flow, optionId: m.readers.get(flow)!.option(raw)?.id } };
    }
    // No pair fits, but one source sentence clearly does: that sentence alone, as a precise answer.
    if (
      match.kind !== 'answer' &&
      match.sentence &&
      !offTopic &&
      !(match.kind === 'none' && match.otherMedicine)
    ) {
      const { pair, index } = match.sentence;
      return {
        reason: 'covered',
        pairs: [pair, ...extrasFor(m, pair, askers)],
        sentence: pair.answer.length > 1 ? index : undefined,
        suggestions: [],
        match,
      };
    }
    switch (match.kind) {
      case 'answer':
        return {
          reason: 'covered',
          pairs: [match.best.pair, ...extrasFor(m, match.best.pair, askers)],
          suggestions: [],
          match,
        };
      case 'suggest':
        // "And for how long?" with no answer before it: a follow-up with nothing to follow is not guessed at.
        if (part.followUp && !contextPair) return none('not-covered', match);
        return { ...none('close-call', match), suggestions: match.suggestions.map((c) => c.pair) };
      case 'none':
        if (offTopic) return { ...none('not-covered', match), offTopic };
        if (match.otherMedicine) return none('other-medicine', match);
        if (match.tokens.every((t) => t === MEDICINE_TOKEN)) return none('unclear', match);
        return none('not-covered', match);
    }
  };

  /** What one medicine's knowledge base reads in a message: each part's result. */
  const readParts = (m: Indexed, text: string, contextPairId?: string): Reading => {
    const exact = m.byQuestion.get(basicForm(text));
    if (exact) return { parts: [{ reason: 'covered', pairs: [exact], suggestions: [] }], dropped: 0 };
    const shape = readMessage(text);
    if (shape.parts.length === 0) {
      // Wrapping alone ("hello there, I'm Ann"; "great, thanks"): answered as the small talk it is.
      const smallTalk: SmallTalk | undefined = shape.wrapping.includes('thanks')
        ? 'thanks'
        : shape.wrapping.includes('greeting')
          ? 'greeting'
          : undefined;
      return smallTalk
        ? { parts: [], dropped: 0, smallTalk }
        : { parts: [{ reason: 'unclear', pairs: [], suggestions: [] }], dropped: 0 };
    }
    let contextPair = contextPairId ? m.byId.get(contextPairId) : undefined;
    const single = shape.parts.length === 1;
    const parts: PartResult[] = [];
    for (const part of shape.parts) {
      // One part is read with the whole message's punctuation (negations are read clause by clause).
      const result = matchPart(m, part, single ? text : part.text, shape.context, shape.askers, contextPair);
      parts.push(result);
      // A later part refers to the one before it: "what are the serious side effects and how common are they".
      if (result.reason === 'covered') contextPair = result.pairs[0];
    }
    return { parts, dropped: shape.dropped };
  };

  const recognise = (text: string, options: RecogniseOptions = {}): Recognition => {
    const recognition: Recognition = {
      choices: {},
      clarify: false,
      question: false,
      bareChoice: false,
      parts: [],
      dropped: 0,
      named: [],
      also: [],
    };
    // With one medicine served nothing is looked up: every message is about it.
    const mentions = formulary.only ? [] : formulary.finder.find(text);
    recognition.named = [...new Set(mentions.map((m) => m.id))];
    // Commands, small talk and flow choices read the message with the names as "it" ("Zentravo please").
    const neutral = mentions.length > 0 ? replaceMentions(text, mentions, () => 'it') : text;
    const joined = joinMentions(text, mentions);
    /** The message for one medicine's knowledge base: every name (a misspelt one, another medicine's) as its own. */
    const textFor = (m: ServedMedicine): string =>
      joined.length > 0 ? replaceMentions(text, joined, () => m.kb.medicine) : text;
    const medicine =
      formulary.get(recognition.named[0]) ?? formulary.get(options.medicineId) ?? formulary.only;
    recognition.medicine = medicine?.id;
    // Red flags first; the medicine is known already, so urgent wording can name it.
    recognition.safety = safety.check(text);
    if (recognition.safety && stopsTheTurn(recognition.safety)) return recognition;

    const basic = basicForm(neutral);
    recognition.command = recogniseCommand(neutral, basic);
    recognition.smallTalk = recogniseSmallTalk(neutral, basic);
    recognition.bareChoice = isBareChoice(neutral, basic);
    recognition.question = isQuestion(neutral);
    if (options.inFlow && medicine) {
      recognition.clarify = asksToClarify(neutral);
      for (const [id, reader] of medicine.readers) {
        const option = reader.option(neutral);
        recognition.choices[id] = { option, attempts: option !== undefined || reader.attempts(neutral) };
      }
    }
    if (recognition.command || recognition.smallTalk || recognition.bareChoice) return recognition;
    if (asksForPerson(neutral, basic)) recognition.helpdesk = 'person';
    else if (asksToReportSideEffect(neutral, basic)) recognition.helpdesk = 'report-side-effect';
    if (recognition.helpdesk) return recognition;

    if (!medicine) {
      // Several medicines and none known: each one's reading waits while the bot asks which is meant.
      const readings = formulary.medicines.map((m) => [m.id, readParts(indexOf(m), text)] as const);
      const first = readings[0]![1];
      if (first.smallTalk) recognition.smallTalk = first.smallTalk;
      else if (readings.every(([, r]) => r.parts.every((p) => p.reason === 'unclear')))
        recognition.parts = first.parts;
      else
        recognition.askMedicine = {
          byMedicine: Object.fromEntries(readings.map(([id, r]) => [id, r.parts.map(storePart)])),
          dropped: Math.max(...readings.map(([, r]) => r.dropped)),
          ...(recognition.safety?.level === 'information' ? { safety: recognition.safety } : {}),
        };
      return recognition;
    }

    const reading = readParts(indexOf(medicine), textFor(medicine), options.contextPairId);
    recognition.smallTalk = reading.smallTalk;
    recognition.parts = reading.parts;
    recognition.dropped = reading.dropped;
    const onlyNamed = recognition.named.length === 1 && onlyNamesMedicine(neutral, basic);
    if (onlyNamed) {
      const waiting = options.pending?.byMedicine[medicine.id];
      if (options.pending?.command) {
        recognition.command = options.pending.command;
        recognition.parts = [];
        recognition.resumed = true;
      } else if (waiting) {
        // "Zentravo", after "which medicine?": the question asked before, as this medicine answers it.
        recognition.parts = waiting.map((p) => restorePart(indexOf(medicine), p));
        recognition.dropped = options.pending!.dropped;
        // The choice ("Zentravo") says nothing to the gate: the question's own information line comes back.
        recognition.safety ??= options.pending!.safety;
        recognition.resumed = true;
      } else if (medicine.id !== options.medicineId) {
        // "What about Zentravo?": the last answer's topic from this medicine's overview (the honest fallback
        // when its overview has no such topic), or, with nothing asked before, what it is.
        const { byId } = indexOf(medicine);
        const topic = byId.get(options.contextPairId ?? OVERVIEW_PAIR);
        if (topic) recognition.parts = [{ reason: 'covered', pairs: [topic], suggestions: [] }];
        else if (options.contextPairId)
          recognition.parts = [{ reason: 'not-covered', pairs: [], suggestions: [] }];
        else recognition.parts = [];
        recognition.switched = true;
      }
    }
    if (!onlyNamed && recognition.named.length > 0 && reading.parts.every((p) => p.reason === 'unclear')) {
      // "Tell me about Zentravo", "zentravo?": the name alone asks what the medicine is.
      const overview = indexOf(medicine).byId.get(OVERVIEW_PAIR);
      if (overview) recognition.parts = [{ reason: 'covered', pairs: [overview], suggestions: [] }];
    }
    for (const id of recognition.named.slice(1)) {
      const other = formulary.get(id)!;
      const r = readParts(indexOf(other), textFor(other), options.contextPairId);
      recognition.also.push({ medicine: id, parts: r.parts, dropped: r.dropped });
    }
    return recognition;
  };

  return { recognise };
}

/** The pair a medicine is introduced by ("what is it?"): the template's first. */
const OVERVIEW_PAIR = 'what.overview';

/**
 * Mentions joined by "and", "or", "vs", a comma or a slash read as one ("zentravo and corvalin" → one name
 * for each medicine's knowledge base), so a question about two reads as one question about each.
 */
function joinMentions(text: string, mentions: Mention[]): Mention[] {
  const joined: Mention[] = [];
  for (const m of mentions) {
    const last = joined[joined.length - 1];
    if (last && /^\s*(,|\/|&|\+|and|or|vs\.?|versus|with)?\s*$/i.test(text.slice(last.end, m.start)))
      joined[joined.length - 1] = { ...last, end: m.end };
    else joined.push(m);
  }
  return joined;
}

/** A medicine's pairs looked up by id and by their own question. */
interface Indexed extends ServedMedicine {
  byId: Map<string, QAPair>;
  byQuestion: Map<string, QAPair>;
  /** The medicine's own one-word names in normal form (brand, substance, misspellings). */
  namesRe: RegExp;
}

function index(m: ServedMedicine): Indexed {
  // A clicked suggestion or follow-up button sends a pair's own question back: it is answered exactly.
  const byQuestion = new Map<string, QAPair>();
  for (const p of m.kb.pairs)
    if (!byQuestion.has(basicForm(p.question))) byQuestion.set(basicForm(p.question), p);
  // Its own names only (one word: its brand); "this medicine" is read by the triggers as written.
  const names = [...new Set(m.kb.vocabulary.names.map(basicForm))]
    .filter((n) => !n.includes(' '))
    .filter(Boolean)
    .sort((a, b) => b.length - a.length);
  const namesRe = new RegExp(`\\b(?:${names.map(escapeRegExp).join('|')})\\b`, 'g');
  return { ...m, byId: new Map(m.kb.pairs.map((p) => [p.id, p])), byQuestion, namesRe };
}

/** A part as ids, to be kept in conversation state. */
export function storePart(part: PartResult): StoredPart {
  return {
    reason: part.reason,
    pairs: part.pairs.map((p) => p.id),
    sentence: part.sentence,
    offTopic: part.offTopic,
    suggestions: part.suggestions.map((p) => p.id),
    flow: part.flow,
  };
}

/** A kept part, with the pairs of the medicine it was read for. */
function restorePart(m: Indexed, stored: StoredPart): PartResult {
  const pairs = (ids: string[]): QAPair[] =>
    ids.map((id) => m.byId.get(id)).filter((p): p is QAPair => p !== undefined);
  return {
    reason: stored.reason,
    pairs: pairs(stored.pairs),
    sentence: stored.sentence,
    offTopic: stored.offTopic,
    suggestions: pairs(stored.suggestions),
    flow: stored.flow,
  };
}
