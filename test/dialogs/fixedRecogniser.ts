// A stand-in for the recogniser (same Recogniser interface as dialogs/recogniser.ts) that returns fixed
// readings from a table keyed by the exact message text, so dialog tests say what the recogniser "read"
// instead of depending on the matcher's thresholds, the intents' patterns or the safety gate's rules (as
// core-bot tests MainDialog with a mock recogniser). Readings are written compactly and turned into a
// full Recognition with the knowledge base's real pairs. Every call is recorded with its options.
// A message missing from the table is a mistake in the test, so it throws rather than guess.
import type { KnowledgeBase, QAPair } from '../../knowledge/types';
import type {
  FlowChoice,
  HelpdeskRequest,
  PartResult,
  Recognition,
  RecogniseOptions,
  Recogniser,
} from '../../dialogs/recogniser';
import { type Command, type FlowId, type SmallTalk } from '../../dialogs/intents';
import { flowData } from '../fixtures/imnovidFlows';
import type { SafetyHit } from '../../safety/gate';
import patterns from '../../safety/patterns.json';

/** What one part of a message reads as, by pair id. */
export type PartReading =
  /** Covered: `pairId` answers (only its `sentence`, if given), then any `extraPairIds` (a pair for the asker). */
  | { kind: 'answer'; pairId: string; sentence?: number; extraPairIds?: string[] }
  /** A close call: "Did you mean" these. */
  | { kind: 'suggest'; pairIds: string[] }
  /** Nothing found: not covered (`offTopic` when it names a topic the overview never covers), or another medicine. */
  | { kind: 'none'; offTopic?: boolean; otherMedicine?: boolean }
  /** Nothing to match ("imnovid please"): asked to say more. */
  | { kind: 'unclear' }
  /** Asks for a guided flow, naming one of its options or not. */
  | { kind: 'flow'; flow: FlowId; optionId?: string };

/** What the whole message reads as, besides its parts. */
type WholeReading =
  | PartReading
  /** Several parts, in order. */
  | { kind: 'parts'; parts: PartReading[]; dropped?: number }
  | { kind: 'smalltalk'; which: SmallTalk }
  | { kind: 'command'; which: Command }
  /** Asks for a person, or how to report a side effect. */
  | { kind: 'helpdesk'; which: HelpdeskRequest }
  /** A lone number or letter. */
  | { kind: 'bareChoice' }
  /** A safety hit alone, by its category in safety/patterns.json (as the real recogniser reads nothing else). */
  | { kind: 'safety'; category: string };

/** Read on any message. */
interface Extras {
  /** A safety hit on top of whatever else was read: the bot must let it win. */
  safety?: string;
  /** Reads as a question. */
  question?: boolean;
  /** Asks the waiting flow to explain its question. */
  clarify?: boolean;
  /**
   * How the message reads as an answer to the waiting flow's question: the option it names, and whether it
   * tries to answer (by default, whether it names an option). Only read when a flow is waiting: given on a
   * turn with no flow waiting, it throws.
   */
  choice?: { flow: FlowId; optionId?: string; attempts?: boolean };
}

export type Reading = WholeReading & Extras;

export interface RecogniserCall {
  text: string;
  contextPairId: string | undefined;
  inFlow: boolean;
}

export interface FixedRecogniser extends Recogniser {
  /** Every message the recogniser was asked about, with the options the bot passed, in order. */
  readonly calls: RecogniserCall[];
}

/** The safety hit of a category, with the reply as patterns.json writes it. */
export function safetyHit(category: string): SafetyHit {
  const rule = patterns.categories.find((r) => r.category === category);
  if (!rule) throw new Error(`fixed recogniser: no safety category ${category}`);
  return { level: rule.level as SafetyHit['level'], category, message: rule.message.text, language: 'en' };
}

export function createFixedRecogniser(kb: KnowledgeBase, table: Record<string, Reading>): FixedRecogniser {
  const pair = (id: string): QAPair => {
    const found = kb.pairs.find((p) => p.id === id);
    if (!found) throw new Error(`fixed recogniser: no pair ${id} in the knowledge base`);
    return found;
  };
  const optionOf = (flow: FlowId, optionId: string | undefined) => {
    if (optionId === undefined) return undefined;
    const option = flowData[flow].options.find((o) => o.id === optionId);
    if (!option) throw new Error(`fixed recogniser: flow ${flow} has no option ${optionId}`);
    return option;
  };

  const partOf = (reading: PartReading): PartResult => {
    const none = { pairs: [], suggestions: [] };
    switch (reading.kind) {
      case 'answer': {
        const main = pair(reading.pairId);
        if (reading.sentence !== undefined && main.answer[reading.sentence] === undefined) {
          throw new Error(`fixed recogniser: ${main.id} has no sentence ${reading.sentence}`);
        }
        return {
          reason: 'covered',
          pairs: [main, ...(reading.extraPairIds ?? []).map(pair)],
          sentence: reading.sentence,
          suggestions: [],
        };
      }
      case 'suggest':
        return { reason: 'close-call', pairs: [], suggestions: reading.pairIds.map(pair) };
      case 'none':
        if (reading.otherMedicine) return { reason: 'other-medicine', ...none };
        return { reason: 'not-covered', ...none, offTopic: reading.offTopic };
      case 'unclear':
        return { reason: 'unclear', ...none };
      case 'flow':
        optionOf(reading.flow, reading.optionId);
        return { reason: 'flow', ...none, flow: { id: reading.flow, optionId: reading.optionId } };
    }
  };

  const calls: RecogniserCall[] = [];
  return {
    calls,
    recognise: (text: string, options: RecogniseOptions = {}): Recognition => {
      const inFlow = options.inFlow ?? false;
      calls.push({ text, contextPairId: options.contextPairId, inFlow });
      const reading = table[text];
      if (!reading) throw new Error(`fixed recogniser: no reading given for "${text}"`);
      const recognition: Recognition = {
        choices: {},
        clarify: reading.clarify ?? false,
        named: [],
        also: [],
        question: reading.question ?? false,
        bareChoice: false,
        parts: [],
        dropped: 0,
      };
      if (reading.choice) {
        if (!inFlow)
          throw new Error(`fixed recogniser: a choice is given for "${text}", but no flow is waiting`);
        const { flow, optionId, attempts } = reading.choice;
        const option = optionOf(flow, optionId);
        recognition.choices[flow] = {
          option,
          attempts: attempts ?? option !== undefined,
        } satisfies FlowChoice;
      }
      if (reading.safety) recognition.safety = safetyHit(reading.safety);
      switch (reading.kind) {
        case 'safety':
          return { ...recognition, safety: safetyHit(reading.category) };
        case 'smalltalk':
          return { ...recognition, smallTalk: reading.which };
        case 'command':
          return { ...recognition, command: reading.which };
        case 'helpdesk':
          return { ...recognition, helpdesk: reading.which };
        case 'bareChoice':
          return { ...recognition, bareChoice: true };
        case 'parts':
          return { ...recognition, parts: reading.parts.map(partOf), dropped: reading.dropped ?? 0 };
        default:
          return { ...recognition, parts: [partOf(reading)] };
      }
    },
  };
}
