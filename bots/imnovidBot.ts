// The Bot Framework layer: Teams mentions, welcome, bad input, the safety gate, then the dialogs.
import {
  ConversationState,
  PrivateConversationState,
  TeamsActivityHandler,
  TurnContext,
  type StatePropertyAccessor,
  type Storage,
} from 'botbuilder';
import { runDialog, type DialogState } from 'botbuilder-dialogs';
import type { Config } from '../config';
import type { LoadedKnowledge } from '../knowledge/load';
import type { Logger } from '../server/log';
import { MainDialog } from '../dialogs/mainDialog';
import { messageText, sendReply, fill, type BotServices } from '../dialogs/services';
import { welcomeReply } from '../dialogs/replies';
import { createSafetyGate, type SafetyGate } from '../safety/gate';
import { texts } from '../render/renderer';

export interface BotDeps {
  config: Config;
  knowledge: LoadedKnowledge;
  storage: Storage;
  log: Logger;
}

export class ImnovidBot extends TeamsActivityHandler {
  readonly conversationState: ConversationState;
  /** Dialog state per user and conversation: in a Teams channel, each member has their own flow. */
  readonly privateState: PrivateConversationState;
  private readonly dialogState: StatePropertyAccessor<DialogState>;
  private readonly services: BotServices;
  private readonly dialog: MainDialog;
  private readonly safety: SafetyGate;

  constructor(private readonly deps: BotDeps) {
    super();
    this.conversationState = new ConversationState(deps.storage);
    this.privateState = new PrivateConversationState(deps.storage);
    this.dialogState = this.privateState.createProperty<DialogState>('dialogState');
    this.services = {
      kb: deps.knowledge.kb,
      matcher: deps.knowledge.matcher,
      leafletUrl: deps.config.leafletUrl,
      emergencyNumber: deps.config.emergencyNumber,
      lastPair: this.privateState.createProperty<string | undefined>('lastPairId'),
    };
    this.dialog = new MainDialog(this.services);
    this.safety = createSafetyGate({ emergencyNumber: deps.config.emergencyNumber });

    this.onMembersAdded(async (context, next) => {
      const botId = context.activity.recipient?.id;
      const humans = (context.activity.membersAdded ?? []).filter((m) => m.id !== botId);
      if (humans.length > 0) await sendReply(context, this.services, welcomeReply(this.services));
      await next();
    });

    this.onMessage(async (context, next) => {
      await this.handleMessage(context);
      await next();
    });
  }

  /** Teams personal-scope install: the conversationUpdate may not come, so welcome here too. */
  protected override async onInstallationUpdateAddActivity(context: TurnContext): Promise<void> {
    await sendReply(context, this.services, welcomeReply(this.services));
  }

  override async run(context: TurnContext): Promise<void> {
    await super.run(context);
    await this.conversationState.saveChanges(context, false);
    await this.privateState.saveChanges(context, false);
  }

  private async handleMessage(context: TurnContext): Promise<void> {
    const activity = context.activity;
    if (activity.channelId === 'msteams') {
      const groupLike =
        activity.conversation?.conversationType && activity.conversation.conversationType !== 'personal';
      const mentioned = (activity.entities ?? []).some(
        (e) =>
          e.type === 'mention' &&
          (e as { mentioned?: { id?: string } }).mentioned?.id === activity.recipient?.id,
      );
      // In channels and group chats the bot only speaks when spoken to.
      if (groupLike && !mentioned && !activity.value) return;
      TurnContext.removeRecipientMention(activity);
    }

    const text = messageText(context);
    this.deps.log.debug('turn.message', { channel: activity.channelId, length: text.length });
    if (text === '') {
      const attachmentOnly = (activity.attachments?.length ?? 0) > 0;
      await sendReply(context, this.services, {
        intro: [fill(this.services, attachmentOnly ? texts.badInput.attachment : texts.badInput.empty)],
      });
      return;
    }
    if (!/[\p{L}\p{N}]/u.test(text)) {
      await sendReply(context, this.services, { intro: [fill(this.services, texts.badInput.noWords)] });
      return;
    }

    const hit = this.safety.check(text);
    if (hit) {
      this.deps.log.info('turn.safety', { kind: hit.kind, category: hit.category });
      await sendReply(context, this.services, { intro: [hit.message], urgent: hit.kind === 'red-flag' });
      if (hit.kind === 'red-flag') {
        // Urgent advice ends any guided flow: the patient should act on it, not answer our prompt.
        await this.dialogState.delete(context);
      }
      return;
    }

    await runDialog(this.dialog, context, this.dialogState);
  }
}
