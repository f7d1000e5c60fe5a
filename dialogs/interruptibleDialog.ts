// Base class for the guided flows: global commands (help, cancel, menu) and a new, unrelated
// question are handled at any step, before the flow's own prompt sees the message.
import {
  ComponentDialog,
  DialogTurnStatus,
  type DialogContext,
  type DialogTurnResult,
} from 'botbuilder-dialogs';
import { recogniseCommand } from './intents';
import { messageText, sendReply, type BotServices } from './services';
import { answerQuestion } from './faq';
import { helpReply, menuReply } from './replies';
import { texts } from '../render/renderer';

export abstract class InterruptibleDialog extends ComponentDialog {
  protected constructor(
    id: string,
    protected readonly services: BotServices,
  ) {
    super(id);
  }

  /** Whether the text answers the flow's current question; if not, it may be a new question. */
  protected abstract recognisesAnswer(text: string): boolean;

  override async onContinueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const interrupted = await this.interrupt(dc);
    return interrupted ?? super.onContinueDialog(dc);
  }

  private async interrupt(dc: DialogContext): Promise<DialogTurnResult | undefined> {
    const text = messageText(dc.context);
    switch (recogniseCommand(text)) {
      case 'help':
        await sendReply(dc.context, this.services, helpReply(this.services));
        await dc.repromptDialog();
        return { status: DialogTurnStatus.waiting };
      case 'cancel':
        await sendReply(dc.context, this.services, { intro: [texts.cancelled] });
        return dc.cancelAllDialogs();
      case 'menu':
      case 'none':
        await sendReply(dc.context, this.services, menuReply(this.services));
        return dc.cancelAllDialogs();
      default:
        break;
    }
    if (text === '' || this.recognisesAnswer(text)) return undefined;
    // Not an answer to our question: if it is a question the overview answers, leave the flow and answer it.
    const outcome = answerQuestion(this.services.kb, this.services.matcher, text);
    if (outcome.result.kind !== 'answer' || !outcome.answered) return undefined;
    await sendReply(dc.context, this.services, outcome.reply);
    await this.services.lastPair.set(dc.context, outcome.answered.id);
    return dc.cancelAllDialogs();
  }
}
