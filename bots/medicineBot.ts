// The Bot Framework layer: Teams mentions, welcome, bad input, the safety gate, then the dialogs.
import {
  ActivityEx,
  ActivityTypes,
  ConversationState,
  PrivateConversationState,
  UserState,
  type Activity,
  TeamsActivityHandler,
  TurnContext,
  type StatePropertyAccessor,
  type Storage,
} from 'botbuilder';
import { runDialog, type DialogState } from 'botbuilder-dialogs';
// botbuilder's own dependency (same version): the test runDialog applies to tell a skill's turn.
import { SkillValidation, type ClaimsIdentity } from 'botframework-connector';
import type { Config } from '../config';
import type { LoadedKnowledge } from '../knowledge/load';
import { leafletFor } from '../knowledge/profile';
import type { Logger } from '../shared/log';
import { MainDialog, ROUTED_FLOW, routeMessage } from '../dialogs/mainDialog';
import {
  medicineOf,
  messageText,
  sendReply,
  setMessageText,
  setMedicine,
  setRecognition,
  textOf,
  type BotServices,
  type HandoffReason,
  type HelpdeskState,
  type TranscriptEntry,
} from '../dialogs/services';
import { fellBack, handoffStatusReply, isHandoffState, personReply, recordTurn } from '../dialogs/helpdesk';
import { createRecogniser, type PendingQuestion, type Recogniser } from '../dialogs/recogniser';
import { createFormulary, servedNames } from '../dialogs/formulary';
import { forgottenReply, helpReply, welcomeReply } from '../dialogs/replies';
import { FORGET_CONVERSATION_EVENT } from '../shared/forget';
import { createSafetyGate, medicineNamesOf, safetyMessage, stopsTheTurn } from '../safety/gate';
import { isSharedConversation, texts } from '../render/renderer';
import { createRecorder, type Recorder } from '../learning/recorder';
import { handleFeedback } from '../dialogs/learning';

/** The event a contact-centre hub sends about a handoff (Bot Framework handoff protocol). */
const HANDOFF_STATUS = 'handoff.status';

/** Marks a turn in which the patient asked to be forgotten: nothing may be stored again after it. */
const FORGOTTEN = Symbol('forgotten');

/** The channel id of Direct Line, the local one included: it is told to forget the conversation's transcript. */
const DIRECT_LINE = 'directline';

export interface BotDeps {
  config: Config;
  /** The medicines served (the configuration's); with one, nothing ever asks which. */
  medicines: LoadedKnowledge[];
  storage: Storage;
  log: Logger;
  /** The console's helpdesk mode (`npm run chat -- --staff`): every turn is staff's. */
  staff?: boolean;
  /** Reads each message once per turn; by default the real one over the knowledge base and safety gate. */
  recogniser?: Recogniser;
  /** Records unanswered questions and feedback (issue 13); by default the configuration's (off unless switched on). */
  recorder?: Recorder;
  /** Told which answers ("medicine/pair") each reply shows: for the evaluation. */
  onAnswered?: (answers: string[]) => void;
}

export class MedicineBot extends TeamsActivityHandler {
  /** Dialog state per user and conversation: in a Teams channel, each member has their own flow. */
  readonly privateState: PrivateConversationState;
  private readonly dialogState: StatePropertyAccessor<DialogState>;
  private readonly services: BotServices;
  private readonly dialog: MainDialog;
  private readonly recogniser: Recogniser;
  /** Fallbacks in a row, the open offer, recent topics and the recent transcript: private, expiring state. */
  private readonly helpdeskState: HelpdeskState;
  /** Learning from unanswered questions: a no-op unless UNANSWERED_RECORDING=on. */
  readonly recorder: Recorder;

  constructor(private readonly deps: BotDeps) {
    super();
    this.privateState = new PrivateConversationState(deps.storage);
    this.dialogState = this.privateState.createProperty<DialogState>('dialogState');
    this.helpdeskState = {
      fallbacks: this.privateState.createProperty<number | undefined>('helpdeskFallbacks'),
      offer: this.privateState.createProperty<HandoffReason | undefined>('helpdeskOffer'),
      recentPairs: this.privateState.createProperty<string[] | undefined>('recentPairIds'),
      transcript: this.privateState.createProperty<TranscriptEntry[] | undefined>('recentTranscript'),
    };
    this.recorder = deps.recorder ?? createRecorder(deps.config, deps.log);
    const formulary = createFormulary(deps.medicines);
    this.services = {
      formulary,
      onAnswered: deps.onAnswered,
      medicine: this.privateState.createProperty<string | undefined>('medicineId'),
      pendingQuestion: this.privateState.createProperty<PendingQuestion | undefined>('pendingQuestion'),
      // Each medicine's own leaflet for the deployment's country, unless LEAFLET_URL sets one for all.
      leafletUrl: (medicine) =>
        medicine
          ? leafletFor(medicine.profile, deps.config)
          : deps.config.leafletUrl || texts.medicines.leafletSearchUrl,
      emergencyNumber: deps.config.emergencyNumber,
      lastPair: this.privateState.createProperty<string | undefined>('lastPairId'),
      log: deps.log,
      helpdesk: deps.config.helpdesk.contacts,
      sideEffectReportingUrl: deps.config.helpdesk.sideEffectReportingUrl || undefined,
      helpdeskState: this.helpdeskState,
      isStaff: (context) => isStaff(context.activity, deps),
      handoff: deps.config.helpdesk.handoff,
      recorder: this.recorder,
      feedbackPair: this.privateState.createProperty<string | undefined>('feedbackPairId'),
      // In memory, state goes after STATE_IDLE_MINUTES idle; in Blob Storage it stays until forgotten.
      stateKeptMinutes:
        deps.config.storage.connectionString === '' ? deps.config.storage.memoryIdleMinutes : undefined,
    };
    this.dialog = new MainDialog(this.services);
    this.recogniser =
      deps.recogniser ??
      createRecogniser({
        formulary,
        safety: createSafetyGate({ medicineNames: medicineNamesOf(deps.medicines) }),
      });

    this.onMembersAdded(async (context, next) => {
      if (welcomesOnMembersAdded(context.activity)) {
        await sendReply(
          context,
          this.services,
          welcomeReply(this.recorder.enabled, this.services.handoff, servedNames(this.services.formulary)),
        );
      }
      await next();
    });

    this.onMessage(async (context, next) => {
      await this.handleMessage(context);
      await next();
    });

    // A contact-centre hub reports on a handoff the bot asked for: acknowledged with fixed wording.
    this.onEvent(async (context, next) => {
      if (context.activity.name === HANDOFF_STATUS) await this.handleHandoffStatus(context);
      await next();
    });
  }

  private async handleHandoffStatus(context: TurnContext): Promise<void> {
    const state: unknown = (context.activity.value as { state?: unknown } | undefined)?.state;
    if (!isHandoffState(state)) {
      this.deps.log.info('handoff.status_ignored', { channel: context.activity.channelId });
      return;
    }
    this.deps.log.info('handoff.status', { state });
    await sendReply(context, this.services, handoffStatusReply(state));
  }

  /**
   * Teams personal chat: installing the app is the start of the conversation, so welcome here. A team or
   * group chat is welcomed when the bot joins it (onMembersAdded), and an upgrade is no new start.
   */
  protected override async onInstallationUpdateAddActivity(context: TurnContext): Promise<void> {
    if (context.activity.action === 'add' && !isSharedConversation(context.activity)) {
      await sendReply(
        context,
        this.services,
        welcomeReply(this.recorder.enabled, this.services.handoff, servedNames(this.services.formulary)),
      );
    }
    await super.onInstallationUpdateAddActivity(context);
  }

  override async run(context: TurnContext): Promise<void> {
    const isMessage = context.activity.type === ActivityTypes.Message;
    const sent: Partial<Activity>[] = [];
    if (isMessage)
      context.onSendActivities(async (_ctx, activities, next) => {
        sent.push(...activities);
        return next();
      });
    await super.run(context);
    // "Forget me" deleted this turn's state: recording the turn or saving would write it back.
    if (context.turnState.get(FORGOTTEN) === true) return;
    if (isMessage && sent.some((a) => a.type === ActivityTypes.Message)) {
      // Any answered turn but an honest fallback ends a run of fallbacks.
      if (!fellBack(context) && (await this.helpdeskState.fallbacks.get(context)) !== undefined)
        await this.helpdeskState.fallbacks.delete(context);
      // The recent transcript is kept only for a hub that can take the conversation over.
      if (this.services.handoff) await recordTurn(context, this.helpdeskState, messageText(context), sent);
    }
    await this.privateState.saveChanges(context, false);
  }

  private async handleMessage(context: TurnContext): Promise<void> {
    const activity = context.activity;
    if (activity.channelId === 'msteams') {
      // In channels and group chats the bot only speaks when spoken to. A card button press carries a
      // value and no mention: it answers the bot's own card, so it counts as spoken to.
      const submitted = activity.value !== undefined && activity.value !== null;
      if (isSharedConversation(activity) && !mentionsBot(activity) && !submitted) return;
    }
    // The text this turn works with, computed once; the incoming activity is left as the channel sent it.
    // Web Chat posts a card button's data as the value, without text.
    const typed = activity.channelId === 'msteams' ? withoutMentions(activity) : activity.text;
    const text = textOf(typed, activity.value);
    setMessageText(context, text);
    this.deps.log.debug('turn.message', { channel: activity.channelId, length: text.length });
    // "Helpful / not helpful" on the last answer (a card button, or typed right after it): not a question.
    if (await handleFeedback(context, this.services, text)) return;
    if (text === '' && activity.channelId === 'msteams' && mentionsBot(activity)) {
      // "@<bot name>" alone: the person wants the bot's attention, so say what it can do.
      await sendReply(context, this.services, helpReply());
      return;
    }
    if (text === '') {
      const attachmentOnly = (activity.attachments?.length ?? 0) > 0;
      await sendReply(context, this.services, {
        intro: [attachmentOnly ? texts.badInput.attachment : texts.badInput.empty],
      });
      return;
    }
    if (!/[\p{L}\p{N}]/u.test(text)) {
      await sendReply(context, this.services, { intro: [texts.badInput.noWords] });
      return;
    }

    // One reading of the message per turn: the safety gate first, then everything the dialogs need.
    const state = await this.dialogState.get(context);
    const several = this.services.formulary.only === undefined;
    const pending = several ? await this.services.pendingQuestion.get(context) : undefined;
    const recognition = this.recogniser.recognise(text, {
      contextPairId: await this.services.lastPair.get(context),
      inFlow: (state?.dialogStack?.length ?? 0) > 0,
      medicineId: several ? await this.services.medicine.get(context) : undefined,
      pending,
    });
    setRecognition(context, recognition);
    setMedicine(context, this.services.formulary.get(recognition.medicine));
    if (several && recognition.medicine) {
      // Named or chosen: the conversation is about this medicine until another is named.
      await this.services.medicine.set(context, recognition.medicine);
      if (pending) await this.services.pendingQuestion.delete(context);
    }
    const hit = recognition.safety;
    // Every hit but an information line is logged (level and category only), whether or not it ends the turn.
    if (hit && hit.level !== 'information')
      this.deps.log.info('turn.safety', { level: hit.level, category: hit.category, language: hit.language });
    if (hit && stopsTheTurn(hit)) {
      await sendReply(context, this.services, {
        // The wording of the conversation's medicine (today the one medicine served).
        intro: [safetyMessage(hit, medicineOf(context, this.services)?.profile)],
        urgent: hit.level === 'emergency' || hit.level === 'urgent',
      });
      // "Ich möchte mit einem Apotheker sprechen": after the notice in that language, the helpdesk's contacts.
      if (hit.asksForPerson) await sendReply(context, this.services, personReply(this.services.handoff));
      // Urgent advice, a deferral or a language notice ends any guided flow: the next message must not be
      // read as an answer to a question the patient can no longer see.
      await this.dialogState.delete(context);
      return;
    }
    if (recognition.command === 'forget') {
      await this.forget(context);
      return;
    }
    if (hit?.level === 'defer') {
      // "How many capsules should I take today?": the prescriber first; what the overview says may follow.
      await sendReply(context, this.services, {
        intro: [safetyMessage(hit, medicineOf(context, this.services)?.profile)],
      });
    }

    if (await this.routesWithoutDialogs(context)) {
      // No flow is running, so the router alone decides; the dialogs run only to begin a flow.
      const flow = await routeMessage(context, this.services);
      if (!flow) {
        await sendBotStateTrace(context);
        return;
      }
      context.turnState.set(ROUTED_FLOW, flow);
    }
    await runDialog(this.dialog, context, this.dialogState);
  }

  /**
   * "Forget me", in any dialog state: deletes everything the bot keeps for this user and conversation
   * (every state object's storage key, whichever storage holds it, so any flow ends and the next message
   * starts afresh with no follow-up context or helpdesk transcript), asks a Direct Line channel to forget
   * the conversation's transcript, and says so.
   */
  private async forget(context: TurnContext): Promise<void> {
    this.deps.log.debug('turn.route', { route: 'command:forget' });
    const { storage } = this.deps;
    await Promise.all([
      this.privateState.delete(context),
      new ConversationState(storage).delete(context),
      new UserState(storage).delete(context),
    ]);
    context.turnState.set(FORGOTTEN, true);
    if (context.activity.channelId === DIRECT_LINE) {
      await context.sendActivity({ type: ActivityTypes.Event, name: FORGET_CONVERSATION_EVENT });
    }
    this.deps.log.info('state.forgotten', { channel: context.activity.channelId });
    await sendReply(context, this.services, forgottenReply());
  }

  /**
   * Whether this turn can skip the dialog machinery: runDialog builds a dialog set, contexts and their
   * memory scopes on every turn, which cost more than the whole answer. With no dialog on the stack it
   * would only begin the router, so the router is called directly. Skills keep runDialog, which also
   * ends their turns with an EndOfConversation to the parent bot.
   */
  private async routesWithoutDialogs(context: TurnContext): Promise<boolean> {
    const state = await this.dialogState.get(context);
    if ((state?.dialogStack?.length ?? 0) > 0) return false;
    const identity = context.turnState.get<ClaimsIdentity | undefined>(context.adapter.BotIdentityKey);
    return !(identity && SkillValidation.isSkillClaim(identity.claims));
  }
}

/**
 * runDialog ends each turn with a "BotState" trace of the dialog memory (the Emulator shows it; with
 * expectReplies it is in the response). A turn the router handled alone sends the same trace: with no
 * dialog left running, that memory is the turn's activity alone.
 */
async function sendBotStateTrace(context: TurnContext): Promise<void> {
  await context.sendActivity(
    ActivityEx.createTraceActivity(
      'BotState',
      'https://www.botframework.com/schemas/botState',
      { turn: { activity: context.activity } },
      'Bot State',
    ),
  );
}

/**
 * Helpdesk staff: everyone in the console's staff mode; in Teams, the users the configuration names (by
 * their Entra object id or Teams user id, which Teams sets and a client cannot choose). Nobody elsewhere.
 */
function isStaff(activity: Activity, deps: BotDeps): boolean {
  if (deps.staff === true) return true;
  if (activity.channelId !== 'msteams') return false;
  const ids = deps.config.staff.teamsUserIds;
  const from = activity.from;
  return (
    ids.length > 0 && from !== undefined && (ids.includes(from.aadObjectId ?? '') || ids.includes(from.id))
  );
}

/**
 * Who is welcomed when members join. Teams: a team or group chat once, when the bot itself is added
 * (people joining a team later are not greeted in the channel); a personal chat on installation instead.
 * Other channels (Web Chat, Direct Line, console): each conversation, when a person joins it.
 */
function welcomesOnMembersAdded(activity: Activity): boolean {
  const botId = activity.recipient?.id;
  const added = activity.membersAdded ?? [];
  if (activity.channelId === 'msteams') {
    return isSharedConversation(activity) && added.some((m) => m.id === botId);
  }
  return added.some((m) => m.id !== botId);
}

function botMentions(activity: Activity) {
  return TurnContext.getMentions(activity).filter((m) => m.mentioned?.id === activity.recipient?.id);
}

function mentionsBot(activity: Activity): boolean {
  return botMentions(activity).length > 0;
}

/**
 * Teams writes each @mention into the text as <at>Name</at>. Removes the bot's (as the SDK's
 * removeRecipientMention does, by the entity's text), then any <at> span left over (a second mention, or
 * markup that differs from the entity): names are never part of the question, and other people's names
 * should not reach the matcher. Returns the text; the activity is not changed.
 */
function withoutMentions(activity: Activity): string | undefined {
  if (typeof activity.text !== 'string') return activity.text;
  let text = activity.text;
  const mentions = botMentions(activity);
  // Only with an entity text to remove: the SDK would otherwise remove the word "undefined".
  if (mentions.length > 0 && mentions.every((m) => typeof m.text === 'string' && m.text !== '')) {
    text = text.replace(mentions[0]!.text, '').trim();
  }
  return text.replace(/<at\b[^>]*>[\s\S]*?<\/at>/gi, '').trim();
}
