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
import {
  flowData,
  flowIds,
  isBareChoice,
  isNotCovered,
  recogniseCommand,
  recogniseFlow,
  recogniseOption,
  recogniseSmallTalk,
} from './intents';
import { messageText, sendReply, type BotServices } from './services';
import { answerQuestion, fallbackReply, unclearReply } from './faq';
import { helpReply, menuReply, smallTalkReply } from './replies';
import { isReroute } from './interruptibleDialog';
import { basicForm } from '../text/normal';

const MAIN_DIALOG = 'mainDialog';
const ROUTE = 'route';

/** How the router was started: afresh, or with the message a guided flow found was not for it. */
interface RouteOptions {
  rerouted?: boolean;
}

/** A guided flow the router chose for a message: the flow's dialog and the option the message named. */
export interface FlowStart {
  dialogId: string;
  optionId?: string;
}

/**
 * Where the bot leaves a flow it already chose before running the dialogs (see routeMessage), so that the
 * router does not match the same message twice.
 */
export const ROUTED_FLOW = Symbol('routedFlow');

/**
 * Routes a message when no flow is running: sends the reply (a command, small talk, an answer, "Did you
 * mean", the fallback) and returns undefined, or sends nothing and returns the flow to begin.
 */
export async function routeMessage(
  context: TurnContext,
  services: BotServices,
  rerouted = false,
): Promise<FlowStart | undefined> {
  const routed = (route: string, pairId?: string): void =>
    services.log?.debug('turn.route', { route, pairId });
  const text = messageText(context);
  // Normalised once here for every recogniser below, which would otherwise each do it again.
  const basic = basicForm(text);
  const command = recogniseCommand(text, basic);
  if (command) routed(`command:${command}`);
  if (command === 'help') {
    await sendReply(context, services, helpReply());
    return undefined;
  }
  if (command === 'none') {
    await sendReply(context, services, fallbackReply());
    return undefined;
  }
  if (command === 'menu' || command === 'cancel') {
    await sendReply(context, services, menuReply());
    return undefined;
  }
  const smallTalk = recogniseSmallTalk(text, basic);
  if (smallTalk) {
    routed(`smalltalk:${smallTalk}`);
    await sendReply(context, services, smallTalkReply(smallTalk));
    return undefined;
  }
  if (isBareChoice(text, basic)) {
    // No list is waiting for a pick (a flow's question would have read it): ask, with the menu.
    routed('unclear:bare-choice');
    await sendReply(context, services, unclearReply());
    return undefined;
  }
  if (isNotCovered(text, basic)) {
    routed('faq:not-covered');
    await sendReply(context, services, fallbackReply());
    return undefined;
  }
  const previous = await services.lastPair.get(context);
  const outcome = answerQuestion(services.kb, services.matcher, text, previous, basic);
  const flow = recogniseFlow(text, basic);
  // "How do I take it with alcohol?" names a flow but asks what the overview never covers: the
  // honest fallback, not the flow's question.
  if (flow && !outcome.offTopic) {
    routed(`flow:${flow}`);
    return {
      dialogId: flowData[flow].dialogId,
      optionId: recogniseOption(flow, text)?.id,
    };
  }
  routed(
    `faq:${outcome.answered ? 'answer' : outcome.offTopic ? 'off-topic' : outcome.result.kind}`,
    outcome.answered?.id,
  );
  // A question that ended a flow ("and for how long?") follows the flow's question, not an answer, so
  // suggestions drawn from elsewhere would mislead: a close call there gets the honest fallback.
  const reply =
    rerouted && outcome.result.kind === 'suggest' && !outcome.answered ? fallbackReply() : outcome.reply;
  await sendReply(context, services, reply);
  if (outcome.answered) await services.lastPair.set(context, outcome.answered.id);
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
    if (isReroute(step.result)) return step.replaceDialog(ROUTE, { rerouted: true } satisfies RouteOptions);
    return step.endDialog();
  }

  private async route(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { context } = step;
    const rerouted = (step.options as RouteOptions | undefined)?.rerouted === true;
    // Taken once: a later reroute in the same turn routes afresh.
    const chosen = rerouted ? undefined : (context.turnState.get(ROUTED_FLOW) as FlowStart | undefined);
    context.turnState.delete(ROUTED_FLOW);
    const flow = chosen ?? (await routeMessage(context, this.services, rerouted));
    if (flow) return step.beginDialog(flow.dialogId, { optionId: flow.optionId });
    return step.endDialog();
  }
}
