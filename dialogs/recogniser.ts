// The one recogniser: called once per turn by the bot, it reads everything the dialogs need from the
// message (the safety gate's verdict, a command, small talk, a guided flow or a choice in one, and the FAQ
// result for each part of the message), so no dialog matches or reads the text again. The matcher runs
// at most once per part. Injected into the bot the way core-bot injects its recogniser.
import type { KnowledgeBase, QAPair } from '../knowledge/types';
import type { Matcher, MatchResult } from '../knowledge/match/matcher';
import { MEDICINE_TOKEN, OFF_TOPIC_TOKEN } from '../knowledge/match/normalise';
import { readMessage, type MessagePart } from '../knowledge/match/message';
import { stopsTheTurn, type SafetyGate, type SafetyHit } from '../safety/gate';
import { basicForm } from '../text/normal';
import {
  asksForPerson,
  asksToClarify,
  asksToReportSideEffect,
  FlowReader,
  flowData,
  flowIds,
  isBareChoice,
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
}

export interface RecogniseOptions {
  /** The pair answered last in the conversation: a short follow-up is read in its context. */
  contextPairId?: string;
  /** A guided flow is waiting for an answer: read the message as a choice too. */
  inFlow?: boolean;
}

export interface Recogniser {
  recognise(text: string, options?: RecogniseOptions): Recognition;
}

export interface RecogniserParts {
  kb: KnowledgeBase;
  matcher: Matcher;
  safety: SafetyGate;
}

/** Asker → pair → further pairs that concern that asker. */
const askerPairs = Object.fromEntries(
  Object.entries(intents.askers).filter(([key]) => !key.startsWith('$')),
) as Record<string, Record<string, string[]> | undefined>;

export function createRecogniser({ kb, matcher, safety }: RecogniserParts): Recogniser {
  const byId = new Map(kb.pairs.map((p) => [p.id, p]));
  // A clicked suggestion or follow-up button sends a pair's own question back: it is answered exactly.
  const byQuestion = new Map<string, QAPair>();
  for (const p of kb.pairs)
    if (!byQuestion.has(basicForm(p.question))) byQuestion.set(basicForm(p.question), p);
  const readers = new Map(flowIds.map((id) => [id, new FlowReader(flowData[id])]));

  /** The words a follow-up stands for: the topic of the pair it follows ("serious side effects"). */
  const topicOf = (pair: QAPair): string => pair.keywords[0] ?? pair.question;

  const extrasFor = (pair: QAPair, askers: string[]): QAPair[] =>
    askers
      .flatMap((a) => askerPairs[a]?.[pair.id] ?? [])
      .map((id) => byId.get(id))
      .filter((p): p is QAPair => p !== undefined && p.id !== pair.id);

  const matchPart = (
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
    const vague = context.length > 0 && !matcher.knows(query);
    if (vague) query = `${context.join(' ')} ${query}`;
    // "How common are they?": what "they" stands for is the last answer's topic. An elliptic follow-up
    // ("and with dexamethasone?") brings its own topic, and is only leant towards the last answer's section.
    else if (part.followUp === 'refers' && contextPair) query = `${query} ${topicOf(contextPair)}`;
    const match = matcher.match(query, {
      contextPairId: contextPair?.id,
      refersBack: part.followUp === 'refers',
      context: vague || context.length === 0 ? undefined : context.join(' '),
    });
    const offTopic = match.tokens.includes(OFF_TOPIC_TOKEN);
    const flow = recogniseFlow(part.text, part.text);
    // "How do I take it with alcohol?" names a flow but asks what the overview never covers.
    if (flow && !offTopic) {
      return { ...none('flow', match), flow: { id: flow, optionId: readers.get(flow)!.option(raw)?.id } };
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
        pairs: [pair, ...extrasFor(pair, askers)],
        sentence: pair.answer.length > 1 ? index : undefined,
        suggestions: [],
        match,
      };
    }
    switch (match.kind) {
      case 'answer':
        return {
          reason: 'covered',
          pairs: [match.best.pair, ...extrasFor(match.best.pair, askers)],
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

  const recognise = (text: string, options: RecogniseOptions = {}): Recognition => {
    const recognition: Recognition = {
      choices: {},
      clarify: false,
      question: false,
      bareChoice: false,
      parts: [],
      dropped: 0,
    };
    recognition.safety = safety.check(text);
    if (recognition.safety && stopsTheTurn(recognition.safety)) return recognition;
    const basic = basicForm(text);
    recognition.command = recogniseCommand(text, basic);
    recognition.smallTalk = recogniseSmallTalk(text, basic);
    recognition.bareChoice = isBareChoice(text, basic);
    recognition.question = isQuestion(text);
    if (options.inFlow) {
      recognition.clarify = asksToClarify(text);
      for (const [id, reader] of readers) {
        const option = reader.option(text);
        recognition.choices[id] = { option, attempts: option !== undefined || reader.attempts(text) };
      }
    }
    if (recognition.command || recognition.smallTalk || recognition.bareChoice) return recognition;
    if (asksForPerson(text, basic)) recognition.helpdesk = 'person';
    else if (asksToReportSideEffect(text, basic)) recognition.helpdesk = 'report-side-effect';
    if (recognition.helpdesk) return recognition;

    const exact = byQuestion.get(basic);
    if (exact) {
      recognition.parts = [{ reason: 'covered', pairs: [exact], suggestions: [] }];
      return recognition;
    }
    const shape = readMessage(text);
    if (shape.parts.length === 0) {
      // Wrapping alone ("hello there, I'm Ann"; "great, thanks"): answered as the small talk it is.
      recognition.smallTalk = shape.wrapping.includes('thanks')
        ? 'thanks'
        : shape.wrapping.includes('greeting')
          ? 'greeting'
          : undefined;
      if (!recognition.smallTalk) recognition.parts = [{ reason: 'unclear', pairs: [], suggestions: [] }];
      return recognition;
    }
    let contextPair = options.contextPairId ? byId.get(options.contextPairId) : undefined;
    const single = shape.parts.length === 1;
    for (const part of shape.parts) {
      // One part is read with the whole message's punctuation (negations are read clause by clause).
      const result = matchPart(part, single ? text : part.text, shape.context, shape.askers, contextPair);
      recognition.parts.push(result);
      // A later part refers to the one before it: "what are the serious side effects and how common are they".
      if (result.reason === 'covered') contextPair = result.pairs[0];
    }
    recognition.dropped = shape.dropped;
    return recognition;
  };

  return { recognise };
}
