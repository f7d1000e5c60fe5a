// Learning from unanswered questions (issue 13): what the dialogs hand to the recorder. A fallback, a
// "Did you mean" or a mixed reply is recorded from the turn's recognition (the candidates and their
// scores); an answer asks for feedback ("helpful / not helpful"), which comes back as a card button's
// value or, on text channels and the console, as a typed word right after the answer. Nothing here
// records anything while recording is off, and no record holds a user or conversation id.
import type { TurnContext } from 'botbuilder';
import type { MatchResult } from '../knowledge/match/matcher';
import type { FeedbackValue, UnansweredEntry } from '../learning/recorder';
import { basicForm } from '../text/normal';
import { texts, type Reply } from '../render/renderer';
import type { PartResult, Recognition } from './recogniser';
import { messageText, sendReply, type BotServices } from './services';
import words from './feedback.json';

/** Candidates kept per part of a message. */
const MAX_CANDIDATES = 3;

function candidatesOf(match: MatchResult | undefined): { pairId: string; score: number }[] {
  if (!match) return [];
  const list =
    match.kind === 'answer'
      ? [match.best, ...match.alternatives]
      : match.kind === 'suggest'
        ? match.suggestions
        : match.alternatives;
  return list
    .slice(0, MAX_CANDIDATES)
    .map((c) => ({ pairId: c.pair.id, score: Math.round(c.score * 1000) / 1000 }));
}

/** The FAQ outcome worth recording, or undefined for a reply that answered every part. */
export function unansweredRoute(
  parts: PartResult[],
  fallback: boolean,
): UnansweredEntry['route'] | undefined {
  if (fallback) return 'fallback';
  // "ok", "imnovid" alone (unclear) ask for more: nothing was asked that could be learnt from.
  const missed = parts.filter((p) => p.reason !== 'covered' && p.reason !== 'flow' && p.reason !== 'unclear');
  if (missed.length === 0) return undefined;
  if (parts.some((p) => p.reason === 'covered')) return 'mixed';
  return missed.some((p) => p.reason === 'close-call') ? 'suggested' : 'fallback';
}

/** Records a fallback, a "Did you mean" or a mixed reply of this turn (only while recording is on). */
export function recordUnanswered(
  context: TurnContext,
  services: BotServices,
  recognition: Recognition,
  fallback: boolean,
): void {
  const recorder = services.recorder;
  if (!recorder?.enabled) return;
  const route = unansweredRoute(recognition.parts, fallback);
  if (!route) return;
  recorder.unanswered({
    route,
    text: messageText(context),
    parts: recognition.parts.map((p) => ({ reason: p.reason, candidates: candidatesOf(p.match) })),
  });
}

/** An answer asks for feedback on its pair while recording is on; the pair is kept for a typed reply. */
export async function askFeedback(
  context: TurnContext,
  services: BotServices,
  reply: Reply,
  pairId: string,
): Promise<Reply> {
  if (!services.recorder?.enabled || !services.feedbackPair) return reply;
  await services.feedbackPair.set(context, pairId);
  return { ...reply, feedback: { pairId } };
}

const helpfulWords = new Set(words.helpful.map((w) => basicForm(w)));
const notHelpfulWords = new Set(words.notHelpful.map((w) => basicForm(w)));

/** A card button's value: { feedback: 'helpful' | 'not-helpful', pairId }. */
function buttonFeedback(value: unknown): { value: FeedbackValue; pairId: string } | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const { feedback, pairId } = value as { feedback?: unknown; pairId?: unknown };
  if ((feedback !== 'helpful' && feedback !== 'not-helpful') || typeof pairId !== 'string') return undefined;
  return { value: feedback, pairId };
}

/**
 * Handles feedback on an answer, before the message is read as a question: a card button press (always
 * acknowledged; recorded while recording is on and the pair exists), or, while recording is on, a typed
 * "helpful" / "not helpful" as the message right after an answer. Returns whether this turn was feedback.
 * Any other message forgets the answer waiting for typed feedback.
 */
export async function handleFeedback(
  context: TurnContext,
  services: BotServices,
  text: string,
): Promise<boolean> {
  const recorder = services.recorder;
  let feedback = buttonFeedback(context.activity.value);
  if (!feedback && recorder?.enabled && services.feedbackPair) {
    const pairId = await services.feedbackPair.get(context);
    if (pairId !== undefined) {
      await services.feedbackPair.delete(context);
      const basic = basicForm(text);
      if (helpfulWords.has(basic)) feedback = { value: 'helpful', pairId };
      else if (notHelpfulWords.has(basic)) feedback = { value: 'not-helpful', pairId };
    }
  }
  if (!feedback) return false;
  const known = services.formulary.medicines.some(({ kb }) => kb.pairs.some((p) => p.id === feedback.pairId));
  if (recorder?.enabled && known) recorder.feedback(feedback.pairId, feedback.value);
  services.log?.debug('turn.route', { route: `feedback:${feedback.value}` });
  await sendReply(context, services, {
    intro: [feedback.value === 'helpful' ? texts.feedback.thanks : texts.feedback.thanksNotHelpful],
  });
  return true;
}
