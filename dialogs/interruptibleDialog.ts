// Base class for the guided flows: global commands (help, cancel, menu) and a message meant for
// something else (another flow, small talk, a question, a topic the overview never covers) are handled
// at any step, before the flow's own prompt sees the message.
import {
  ComponentDialog,
  DialogTurnStatus,
  type DialogContext,
  type DialogTurnResult,
} from 'botbuilder-dialogs';
import { medicineOf, messageText, recognitionOf, sendReply, type BotServices } from './services';
import { helpReply, menuReply, topicsReply } from './replies';
import type { Recognition } from './recogniser';
import { texts } from '../render/renderer';

/** What a flow ends with when the message was not for it: the router should handle the same message afresh. */
export interface Reroute {
  reroute: true;
}

export function isReroute(result: unknown): result is Reroute {
  return typeof result === 'object' && result !== null && (result as Reroute).reroute === true;
}

export abstract class InterruptibleDialog extends ComponentDialog {
  protected constructor(
    id: string,
    protected readonly services: BotServices,
  ) {
    super(id);
  }

  /** Whether the text tries to answer the flow's current question; if not, it may be meant for something else. */
  protected abstract recognisesAnswer(recognition: Recognition): boolean;

  override async onContinueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const interrupted = await this.interrupt(dc);
    return interrupted ?? super.onContinueDialog(dc);
  }

  private async interrupt(dc: DialogContext): Promise<DialogTurnResult | undefined> {
    const recognition = recognitionOf(dc.context);
    switch (recognition.command) {
      case 'help':
        await sendReply(dc.context, this.services, helpReply());
        await dc.repromptDialog();
        return { status: DialogTurnStatus.waiting };
      case 'cancel':
        // The menu gives the patient a next step; without it a typed number would be read as a question.
        await sendReply(dc.context, this.services, { intro: [texts.cancelled], buttons: texts.menuButtons });
        return dc.cancelAllDialogs();
      case 'menu':
      case 'none':
        await sendReply(dc.context, this.services, menuReply());
        return dc.cancelAllDialogs();
      case 'topics':
        // Browsing every answer leaves the flow: a question chosen from the list is answered on its own.
        await sendReply(dc.context, this.services, topicsReply(medicineOf(dc.context, this.services)!.kb));
        return dc.cancelAllDialogs();
      default:
        break;
    }
    if (messageText(dc.context) === '' || this.recognisesAnswer(recognition) || recognition.clarify)
      return undefined;
    // Not an answer to our question: a flow button, a greeting, a question, or a message the overview
    // answers or never covers ("is it safe with food") ends this flow cleanly, and the router handles
    // the message as if no flow had been running. Only what looks like a failed answer is asked again.
    const forSomethingElse =
      recognition.smallTalk !== undefined ||
      recognition.helpdesk !== undefined ||
      recognition.command === 'handoff' ||
      recognition.question ||
      recognition.parts.some((p) => p.reason === 'flow' || p.reason === 'covered' || p.offTopic === true);
    if (forSomethingElse) {
      await dc.cancelAllDialogs();
      return { status: DialogTurnStatus.complete, result: { reroute: true } satisfies Reroute };
    }
    return undefined;
  }
}
