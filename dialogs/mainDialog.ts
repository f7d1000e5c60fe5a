// The root dialog: routes each new message to a guided flow, a fixed reply, or the FAQ answer.
// A running flow receives the message first (runDialog continues it), with its interruptions; a flow
// that finds the message was not for it ends with a reroute, and the router handles the same message.
import {
  ComponentDialog,
  WaterfallDialog,
  type WaterfallStepContext,
  type DialogTurnResult,
} from 'botbuilder-dialogs';
import { HowToTakeDialog, HOW_TO_TAKE_DIALOG } from './howToTakeDialog';
import { RiskDialog, RISK_DIALOG } from './riskDialog';
import {
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

export const MAIN_DIALOG = 'mainDialog';
const ROUTE = 'route';

/** How the router was started: afresh, or with the message a guided flow found was not for it. */
interface RouteOptions {
  rerouted?: boolean;
}

export class MainDialog extends ComponentDialog {
  constructor(private readonly services: BotServices) {
    super(MAIN_DIALOG);
    this.addDialog(new HowToTakeDialog(services));
    this.addDialog(new RiskDialog(services));
    this.addDialog(new WaterfallDialog(ROUTE, [(s) => this.route(s), (s) => this.afterFlow(s)]));
    this.initialDialogId = ROUTE;
  }

  private routed(route: string, pairId?: string): void {
    this.services.log?.debug('turn.route', { route, pairId });
  }

  // Routing starts a flow only through beginDialog, which never reroutes, so this cannot loop.
  private async afterFlow(step: WaterfallStepContext): Promise<DialogTurnResult> {
    if (isReroute(step.result)) return step.replaceDialog(ROUTE, { rerouted: true } satisfies RouteOptions);
    return step.endDialog();
  }

  private async route(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { context } = step;
    const text = messageText(context);
    const command = recogniseCommand(text);
    if (command) this.routed(`command:${command}`);
    if (command === 'help') {
      await sendReply(context, this.services, helpReply(this.services));
      return step.endDialog();
    }
    if (command === 'none') {
      await sendReply(context, this.services, fallbackReply());
      return step.endDialog();
    }
    if (command === 'menu' || command === 'cancel') {
      await sendReply(context, this.services, menuReply(this.services));
      return step.endDialog();
    }
    const smallTalk = recogniseSmallTalk(text);
    if (smallTalk) {
      this.routed(`smalltalk:${smallTalk}`);
      await sendReply(context, this.services, smallTalkReply(this.services, smallTalk));
      return step.endDialog();
    }
    if (isBareChoice(text)) {
      // No list is waiting for a pick (a flow's question would have read it): ask, with the menu.
      this.routed('unclear:bare-choice');
      await sendReply(context, this.services, unclearReply());
      return step.endDialog();
    }
    if (isNotCovered(text)) {
      this.routed('faq:not-covered');
      await sendReply(context, this.services, fallbackReply());
      return step.endDialog();
    }
    const previous = await this.services.lastPair.get(context);
    const outcome = answerQuestion(this.services.kb, this.services.matcher, text, previous);
    const flow = recogniseFlow(text);
    // "How do I take it with alcohol?" names a flow but asks what the overview never covers: the
    // honest fallback, not the flow's question.
    if (flow && !outcome.offTopic) {
      this.routed(`flow:${flow}`);
      const dialogId = flow === 'howToTake' ? HOW_TO_TAKE_DIALOG : RISK_DIALOG;
      return step.beginDialog(dialogId, { optionId: recogniseOption(flow, text)?.id });
    }
    this.routed(
      `faq:${outcome.answered ? 'answer' : outcome.offTopic ? 'off-topic' : outcome.result.kind}`,
      outcome.answered?.id,
    );
    // A question that ended a flow ("and for how long?") follows the flow's question, not an answer, so
    // suggestions drawn from elsewhere would mislead: a close call there gets the honest fallback.
    const rerouted = (step.options as RouteOptions | undefined)?.rerouted === true;
    const reply =
      rerouted && outcome.result.kind === 'suggest' && !outcome.answered ? fallbackReply() : outcome.reply;
    await sendReply(context, this.services, reply);
    if (outcome.answered) await this.services.lastPair.set(context, outcome.answered.id);
    return step.endDialog();
  }
}
