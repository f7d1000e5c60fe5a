// A Bot Framework adapter for the terminal: each line typed becomes a message activity on the
// 'console' channel (plain text, suggested actions) and the bot's replies are collected per turn.
import {
  ActivityTypes,
  BotAdapter,
  TurnContext,
  type Activity,
  type ConversationReference,
  type ResourceResponse,
} from 'botbuilder';

const CONSOLE_CHANNEL = 'console';

export class ConsoleAdapter extends BotAdapter {
  private replies: Partial<Activity>[] = [];
  private nextId = 0;
  private readonly user = { id: 'console-user', name: 'you', role: 'user' };
  private readonly bot = { id: 'console-bot', name: 'Medicine information', role: 'bot' };
  private readonly reference: ConversationReference = {
    channelId: CONSOLE_CHANNEL,
    serviceUrl: 'console://local',
    conversation: {
      id: 'console-conversation',
      isGroup: false,
      conversationType: 'personal',
      name: 'console',
    },
    user: this.user,
    bot: this.bot,
  };

  /** @param botName the bot's name in the conversation (the deployment's, as on the page). */
  constructor(botName?: string) {
    super();
    if (botName) this.bot.name = botName;
  }

  /** Runs one turn for an incoming activity and returns the message replies the bot sent. */
  async turn(
    fields: Partial<Activity>,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<Partial<Activity>[]> {
    this.replies = [];
    const activity = {
      ...TurnContext.applyConversationReference(
        { type: ActivityTypes.Message, id: `in-${++this.nextId}`, timestamp: new Date(), ...fields },
        this.reference,
        true,
      ),
      ...fields,
    } as Activity;
    await this.runMiddleware(new TurnContext(this, activity), logic);
    return this.replies.filter((a) => a.type === ActivityTypes.Message);
  }

  /** Starts the conversation the way channels do: the bot and the user are added. */
  async start(logic: (context: TurnContext) => Promise<void>): Promise<Partial<Activity>[]> {
    return this.turn(
      {
        type: ActivityTypes.ConversationUpdate,
        membersAdded: [this.bot, this.user],
      },
      logic,
    );
  }

  async sendActivities(_context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    this.replies.push(...activities);
    return activities.map(() => ({ id: `out-${++this.nextId}` }));
  }

  async updateActivity(): Promise<void> {
    throw new Error('The console cannot update messages.');
  }

  async deleteActivity(): Promise<void> {
    throw new Error('The console cannot delete messages.');
  }

  async continueConversation(
    _reference: Partial<ConversationReference>,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<void> {
    const activity = TurnContext.applyConversationReference(
      { type: ActivityTypes.Event, name: 'continueConversation' },
      this.reference,
      true,
    );
    await this.runMiddleware(new TurnContext(this, activity), logic);
  }
}
