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
import { baseFlows, maxAttempts, type FlowData, type FlowId, type FlowOption } from './intents';
import {
  medicineOf,
  messageText,
  recognitionOf,
  rememberAnswer,
  renderFor,
  sendReply,
  type BotServices,
} from './services';
import type { Recognition } from './recogniser';
import type { Reply } from '../render/renderer';
import type { ServedMedicine } from './formulary';
import type { KnowledgeBase, QAPair } from '../knowledge/types';

export interface GuidedFlowOptions {
  /** The option already named in the message that started the flow ("how do I take it with bortezomib"). */
  optionId?: string;
  /** The medicine the flow is about (its schedules, its risk topics), kept for the flow's later turns. */
  medicineId?: string;
}

const PROMPT = 'optionPrompt';
const STEPS = 'steps';

/** A text prompt over the turn's message text as the bot computed it, not the activity's raw text. */
class MessageTextPrompt extends TextPrompt {
  protected override async onRecognize(context: TurnContext): Promise<PromptRecognizerResult<string>> {
    return { succeeded: true, value: messageText(context) };
  }
}

/**
 * One class for every flow: what differs between them (wording, options, answers, dialog id) is data, and
 * what differs between medicines (their schedules, the risks their overviews name) is the medicine's.
 */
export class GuidedFlowDialog extends InterruptibleDialog {
  constructor(
    private readonly flowId: FlowId,
    services: BotServices,
  ) {
    super(baseFlows[flowId].dialogId, services);
    this.addDialog(new MessageTextPrompt(PROMPT, (pc) => this.validate(pc)));
    this.addDialog(new WaterfallDialog(STEPS, [(s) => this.ask(s), (s) => this.answer(s)]));
    this.initialDialogId = STEPS;
  }

  /** The medicine the flow began for (else this turn's), and its version of the flow. */
  private medicine(step: { context: TurnContext; options?: unknown }): ServedMedicine {
    const id = (step.options as GuidedFlowOptions | undefined)?.medicineId;
    const medicine = this.services.formulary.get(id) ?? medicineOf(step.context, this.services);
    if (!medicine) throw new Error('a guided flow began with no medicine');
    return medicine;
  }

  private flow(step: { context: TurnContext; options?: unknown }): FlowData {
    return this.medicine(step).flows[this.flowId];
  }

  /** Reply framing for the chosen option: our own words only. */
  private introFor(flow: FlowData, option: FlowOption): string[] {
    return [flow.verdict, option.intro].filter((line): line is string => line !== undefined);
  }

  // An ambiguous answer counts: the prompt asks again rather than the router reading it afresh.
  protected recognisesAnswer(recognition: Recognition): boolean {
    return recognition.choices[this.flowId]?.attempts ?? false;
  }

  /** The option this turn's message names, as the recogniser read it. */
  private chosen(context: TurnContext): FlowOption | undefined {
    return recognitionOf(context).choices[this.flowId]?.option;
  }

  private promptActivity(context: TurnContext, flow: FlowData, text: string) {
    const buttons = flow.options.map((o) => ({ title: o.title, value: o.title }));
    return renderFor(context, this.services, { intro: [text], buttons });
  }

  private async ask(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const options = (step.options ?? {}) as GuidedFlowOptions;
    const flow = this.flow(step);
    if (flow.options.length === 0) return this.answerDirectly(step, flow);
    const known = flow.options.find((o) => o.id === options.optionId);
    if (known) return step.next(known.id);
    return step.prompt(PROMPT, {
      prompt: this.promptActivity(step.context, flow, flow.prompt),
      retryPrompt: this.promptActivity(step.context, flow, flow.retry),
    });
  }

  /**
   * Nothing to choose (a medicine whose curation lists no schedules): the overview's answers on the topic
   * at once, with the deferral.
   */
  private async answerDirectly(step: WaterfallStepContext, flow: FlowData): Promise<DialogTurnResult> {
    const { kb } = this.medicine(step);
    const pairs = flow.direct ? kb.pairs.filter((p) => p.sectionKey === flow.direct!.section) : [];
    await sendReply(step.context, this.services, {
      intro: flow.direct ? [flow.direct.intro] : [],
      blocks: pairs.map((pair) => ({ pair })),
      defer: true,
      leaflet: true,
      buttons: flow.followUps,
    });
    if (pairs[0]) await rememberAnswer(step.context, this.services, pairs[0].id);
    return step.endDialog();
  }

  // Accept a recognised option; after the last attempt accept anything, and let the next step give up.
  private async validate(pc: PromptValidatorContext<string>): Promise<boolean> {
    return this.chosen(pc.context) !== undefined || pc.attemptCount >= maxAttempts;
  }

  private async answer(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const flow = this.flow(step);
    const option = flow.options.find((o) => o.id === step.result) ?? this.chosen(step.context);
    if (!option) {
      // Giving up is an answer too: it still points to the doctor, the pharmacist and the leaflet.
      await sendReply(step.context, this.services, {
        intro: [flow.giveUp],
        leaflet: true,
        buttons: flow.followUps,
      });
      return step.endDialog();
    }
    const { kb } = this.medicine(step);
    const reply: Reply = {
      intro: this.introFor(flow, option),
      blocks: option.blocks.map((b) => ({ label: b.label, pair: pairOf(kb, b.pair) })),
      notes: option.note ? [option.note] : undefined,
      defer: true,
      leaflet: true,
      buttons: flow.followUps,
    };
    await sendReply(step.context, this.services, reply);
    // The first block is the option's main answer: the context for a follow-up ("and with dexamethasone?").
    const main = option.blocks[0];
    if (main) await rememberAnswer(step.context, this.services, main.pair);
    return step.endDialog(option.id);
  }
}

function pairOf(kb: KnowledgeBase, id: string): QAPair {
  const pair = kb.pairs.find((p) => p.id === id);
  if (!pair) throw new Error(`a flow names an unknown pair: ${id}`);
  return pair;
}
