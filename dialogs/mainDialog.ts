// The root dialog: routes each new message to a guided flow, a fixed reply, or the FAQ answer.
// A running flow receives the message first (runDialog continues it), with its interruptions; a flow
// that finds the message was not for it ends with a reroute, and the router handles the same message.
import type { TurnContext } from 'botbuilder';
import {
  ComponentDialog,
  WaterfallDialog,
  type WaterfallStepContext,
  type DialogTurnResult,
} from 'botbuilder-dialogs';
import { GuidedFlowDialog } from './guidedFlowDialog';
import { baseFlows, flowIds } from './intents';
import {
  medicineOf,
  messageText,
  recognitionOf,
  rememberAnswer,
  sendReply,
  type BotServices,
} from './services';
import { faqReply, unclearReply, fallbackReply, sideBySideReply } from './faq';
import { askMedicineReply, switchedReply } from './medicineChoice';
import { servedNames } from './formulary';
import { helpReply, menuReply, smallTalkReply, topicsReply } from './replies';
import { isReroute } from './interruptibleDialog';
import { staffLines } from './staff';
import {
  countFallback,
  fallbackWithHelpdeskReply,
  initiateHandoff,
  offerHelpdesk,
  personReply,
  reportSideEffectReply,
} from './helpdesk';
import type { Reply } from '../render/renderer';
import type { PendingQuestion } from './recogniser';
import { askFeedback, recordUnanswered } from './learning';

/** How many honest fallbacks in a row bring the helpdesk's offer. */
const FALLBACKS_BEFORE_HELPDESK = 2;

/** The honest fallback; the second in a row offers the helpdesk with it. */
async function sendFallback(context: TurnContext, services: BotServices, reply: Reply): Promise<void> {
  const state = services.helpdeskState;
  if (state && (await countFallback(context, state)) >= FALLBACKS_BEFORE_HELPDESK) {
    services.log?.debug('turn.route', { route: 'helpdesk:repeated-fallbacks' });
    await offerHelpdesk(context, services, 'repeated-fallbacks', fallbackWithHelpdeskReply(services.handoff));
    return;
  }
  await sendReply(context, services, reply);
}

/** Asks which medicine a question is about; the question's reading for each medicine waits in state. */
async function askMedicine(
  context: TurnContext,
  services: BotServices,
  pending: PendingQuestion,
): Promise<void> {
  await services.pendingQuestion.set(context, pending);
  await sendReply(context, services, askMedicineReply(services.formulary));
}

const MAIN_DIALOG = 'mainDialog';
const ROUTE = 'route';

/** A guided flow the router chose for a message: the flow's dialog and the option the message named. */
export interface FlowStart {
  dialogId: string;
  optionId?: string;
  medicineId?: string;
}

/**
 * Where the bot leaves a flow it already chose before running the dialogs (see routeMessage), so that the
 * router does not route the same message twice.
 */
export const ROUTED_FLOW = Symbol('routedFlow');

/**
 * Routes a message when no flow is running, from the turn's recognition: sends the reply (a command, small
 * talk, the answers, "Did you mean", the fallback) and returns undefined, or sends nothing and returns the
 * flow to begin.
 */
export async function routeMessage(
  context: TurnContext,
  services: BotServices,
): Promise<FlowStart | undefined> {
  const routed = (route: string, pairId?: string): void =>
    services.log?.debug('turn.route', { route, pairId });
  const recognition = recognitionOf(context);
  const { command, smallTalk, parts } = recognition;
  const medicine = medicineOf(context, services);
  if (command) routed(`command:${command}`);
  if (command === 'help') {
    await sendReply(context, services, helpReply());
    return undefined;
  }
  if (command === 'topics') {
    // Every topic of which overview? Asked first when several medicines are served and none is chosen.
    if (medicine) await sendReply(context, services, topicsReply(medicine.kb));
    else {
      routed('medicine:ask');
      await askMedicine(context, services, { byMedicine: {}, dropped: 0, command: 'topics' });
    }
    return undefined;
  }
  if (recognition.askMedicine) {
    routed('medicine:ask');
    await askMedicine(context, services, recognition.askMedicine);
    return undefined;
  }
  if (recognition.switched && parts.length === 0 && medicine) {
    routed('medicine:switched');
    await sendReply(context, services, switchedReply(medicine));
    return undefined;
  }
  if (command === 'none') {
    await sendFallback(context, services, fallbackReply());
    return undefined;
  }
  if (command === 'handoff' && !services.handoff) {
    // No hub to hand over to (an old "Connect me" button): the helpdesk's contacts instead.
    await offerHelpdesk(context, services, 'person-request', personReply(false));
    return undefined;
  }
  if (command === 'handoff') {
    await initiateHandoff(context, services, messageText(context));
    return undefined;
  }
  if (recognition.helpdesk === 'person') {
    routed('helpdesk:person');
    await offerHelpdesk(context, services, 'person-request', personReply(services.handoff));
    return undefined;
  }
  if (recognition.helpdesk === 'report-side-effect') {
    routed('helpdesk:report-side-effect');
    await sendReply(context, services, reportSideEffectReply());
    return undefined;
  }
  if (command === 'menu' || command === 'cancel') {
    await sendReply(context, services, menuReply());
    return undefined;
  }
  if (smallTalk) {
    routed(`smalltalk:${smallTalk}`);
    await sendReply(
      context,
      services,
      smallTalkReply(
        smallTalk,
        services.recorder?.enabled,
        services.handoff,
        servedNames(services.formulary),
      ),
    );
    return undefined;
  }
  if (recognition.bareChoice) {
    // No list is waiting for a pick (a flow's question would have read it): ask, with the menu.
    routed('unclear:bare-choice');
    await sendReply(context, services, unclearReply());
    return undefined;
  }
  const flow = parts.length === 1 ? parts[0]!.flow : undefined;
  if (flow) {
    routed(`flow:${flow.id}`);
    return { dialogId: baseFlows[flow.id].dialogId, optionId: flow.optionId, medicineId: medicine?.id };
  }
  if (!medicine) throw new Error('FAQ parts with no medicine to answer them');
  const outcome =
    recognition.also.length > 0
      ? sideBySideReply(
          [{ medicine: medicine.id, parts, dropped: recognition.dropped }, ...recognition.also].map((r) => ({
            ...r,
            medicine: services.formulary.get(r.medicine)!,
          })),
        )
      : faqReply(medicine.kb, parts, recognition.dropped);
  // Helpdesk staff see why: the pair, its score and section, the runners-up (patients never do).
  if (services.isStaff?.(context))
    outcome.reply = { ...outcome.reply, notes: [...(outcome.reply.notes ?? []), ...staffLines(parts)] };
  // A symptom asked about as a possible side effect: the answer, and one line on the signs that need a call.
  if (recognition.safety?.level === 'information')
    outcome.reply = { ...outcome.reply, notes: [...(outcome.reply.notes ?? []), recognition.safety.message] };
  routed(`faq:${parts.map((p) => p.reason).join('+')}`, outcome.answered?.id);
  recordUnanswered(context, services, recognition, outcome.fallback === true);
  if (outcome.answered)
    outcome.reply = await askFeedback(context, services, outcome.reply, outcome.answered.id);
  if (outcome.fallback) await sendFallback(context, services, outcome.reply);
  else await sendReply(context, services, outcome.reply);
  if (outcome.answered) await rememberAnswer(context, services, outcome.answered.id);
  return undefined;
}

export class MainDialog extends ComponentDialog {
  constructor(private readonly services: BotServices) {
    super(MAIN_DIALOG);
    for (const flow of flowIds) this.addDialog(new GuidedFlowDialog(flow, services));
    this.addDialog(new WaterfallDialog(ROUTE, [(s) => this.route(s), (s) => this.afterFlow(s)]));
    this.initialDialogId = ROUTE;
  }

  // Routing starts a flow only through beginDialog, which never reroutes, so this cannot loop.
  private async afterFlow(step: WaterfallStepContext): Promise<DialogTurnResult> {
    if (isReroute(step.result)) return step.replaceDialog(ROUTE, { rerouted: true });
    return step.endDialog();
  }

  private async route(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { context } = step;
    const rerouted = (step.options as { rerouted?: boolean } | undefined)?.rerouted === true;
    // Taken once: a later reroute in the same turn routes afresh.
    const chosen = rerouted ? undefined : (context.turnState.get(ROUTED_FLOW) as FlowStart | undefined);
    context.turnState.delete(ROUTED_FLOW);
    const flow = chosen ?? (await routeMessage(context, this.services));
    if (flow)
      return step.beginDialog(flow.dialogId, { optionId: flow.optionId, medicineId: flow.medicineId });
    return step.endDialog();
  }
}
