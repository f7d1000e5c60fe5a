// A guided flow: ask which option applies (buttons or free text, a limited number of times),
// then answer from the knowledge base's verbatim pairs, deferring to the doctor and the leaflet.
import type { TurnContext } from 'botbuilder';
import {
  TextPrompt,
  WaterfallDialog,
  type PromptRecognizerResult,
  type PromptValidatorContext,
  type WaterfallStepContext,
  type DialogTurnResult,
} from 'botbuilder-dialogs';
import { InterruptibleDialog } from './interruptibleDialog';
import { flowData, maxAttempts, type FlowData, type FlowId, type FlowOption } from './intents';
import {
  messageText,
  recognitionOf,
  rememberAnswer,
  renderFor,
  sendReply,
  type BotServices,
} from './services';
import type { Recognition } from './recogniser';
import type { Reply } from '../render/renderer';

export interface GuidedFlowOptions {
  /** The option already named in the message that started the flow ("how do I take it with bortezomib"). */
  optionId?: string;
}

const PROMPT = 'optionPrompt';
const STEPS = 'steps';

/** A text prompt over the turn's message text as the bot computed it, not the activity's raw text. */
class MessageTextPrompt extends TextPrompt {
  protected override async onRecognize(context: TurnContext): Promise<PromptRecognizerResult<string>> {
    return { succeeded: true, value: messageText(context) };
  }
}

/** One class for every flow: what differs between them (wording, options, answers, dialog id) is data. */
export class GuidedFlowDialog extends InterruptibleDialog {
  private readonly flow: FlowData;

  constructor(
    private readonly flowId: FlowId,
    services: BotServices,
  ) {
    super(flowData[flowId].dialogId, services);
    this.flow = flowData[flowId];
    this.addDialog(new MessageTextPrompt(PROMPT, (pc) => this.validate(pc)));
    this.addDialog(new WaterfallDialog(STEPS, [(s) => this.ask(s), (s) => this.answer(s)]));
    this.initialDialogId = STEPS;
  }

  /** Reply framing for the chosen option: our own words only. */
  private introFor(option: FlowOption): string[] {
    return [this.flow.verdict, option.intro].filter((line): line is string => line !== undefined);
  }

  // An ambiguous answer counts: the prompt asks again rather than the router reading it afresh.
  protected recognisesAnswer(recognition: Recognition): boolean {
    return recognition.choices[this.flowId]?.attempts ?? false;
  }

  /** The option this turn's message names, as the recogniser read it. */
  private chosen(context: TurnContext): FlowOption | undefined {
    return recognitionOf(context).choices[this.flowId]?.option;
  }

  private buttons() {
    return this.flow.options.map((o) => ({ title: o.title, value: o.title }));
  }

  private promptActivity(context: WaterfallStepContext['context'], text: string) {
    return renderFor(context, this.services, { intro: [text], buttons: this.buttons() });
  }

  private async ask(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const options = (step.options ?? {}) as GuidedFlowOptions;
    const known = this.flow.options.find((o) => o.id === options.optionId);
    if (known) return step.next(known.id);
    return step.prompt(PROMPT, {
      prompt: this.promptActivity(step.context, this.flow.prompt),
      retryPrompt: this.promptActivity(step.context, this.flow.retry),
    });
  }

  // Accept a recognised option; after the last attempt accept anything, and let the next step give up.
  private async validate(pc: PromptValidatorContext<string>): Promise<boolean> {
    return this.chosen(pc.context) !== undefined || pc.attemptCount >= maxAttempts;
  }

  private async answer(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const option = this.flow.options.find((o) => o.id === step.result) ?? this.chosen(step.context);
    if (!option) {
      // Giving up is an answer too: it still points to the doctor, the pharmacist and the leaflet.
      await sendReply(step.context, this.services, {
        intro: [this.flow.giveUp],
        leaflet: true,
        buttons: this.flow.followUps,
      });
      return step.endDialog();
    }
    const reply: Reply = {
      intro: this.introFor(option),
      blocks: option.blocks.map((b) => ({ label: b.label, pair: this.pair(b.pair) })),
      notes: option.note ? [option.note] : undefined,
      defer: true,
      leaflet: true,
      buttons: this.flow.followUps,
    };
    await sendReply(step.context, this.services, reply);
    // The first block is the option's main answer: the context for a follow-up ("and with dexamethasone?").
    const main = option.blocks[0];
    if (main) await rememberAnswer(step.context, this.services, main.pair);
    return step.endDialog(option.id);
  }

  private pair(id: string) {
    const pair = this.services.kb.pairs.find((p) => p.id === id);
    if (!pair) throw new Error(`flows.json names an unknown pair: ${id}`);
    return pair;
  }
}
