// The Bot Framework's own floor: the same CloudAdapter (anonymous, no app id) behind the same restify
// setup as the bot, with conversation state in MemoryStorage read and saved on every turn, and an echo.
import * as restify from 'restify';
import {
  ActivityHandler,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  ConversationState,
  MemoryStorage,
} from 'botbuilder';
import { serveForBenchmark } from './child';

const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
const state = new ConversationState(new MemoryStorage());
const turns = state.createProperty<number>('turns');

class EchoBot extends ActivityHandler {
  constructor() {
    super();
    this.onMessage(async (context, next) => {
      const count = (await turns.get(context, 0)) + 1;
      await turns.set(context, count);
      await context.sendActivity(`echo ${count}: ${context.activity.text}`);
      await next();
    });
  }

  override async run(context: Parameters<ActivityHandler['run']>[0]): Promise<void> {
    await super.run(context);
    await state.saveChanges(context, false);
  }
}
const bot = new EchoBot();

const server = restify.createServer({ name: 'bench-echo', handleUncaughtExceptions: false });
server.use(restify.plugins.bodyParser({ maxBodySize: 256 * 1024, mapParams: false }));
server.post('/api/messages', async (req, res) => {
  await adapter.process(req, res, (context) => bot.run(context));
});
serveForBenchmark(server);
