// The local Direct Line channel inside the app server: mounting, closing, the app-id switch and its logging.
import { expect } from 'chai';
import * as restify from 'restify';
import { ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import { type Config } from '../../config';
import { silentLogger, type Logger } from '../../shared/log';
import { createServer, listen } from '../../server/app';
import { HttpCloudAdapter } from '../../server/adapter';
import { mountDirectLine } from '../../channels/directline';
import { loadMedicine } from '../../knowledge/load';
import {
  EchoBot,
  afterThisTest,
  cleanUp,
  closeServer,
  http,
  openStream,
  postMessage,
  startConversation,
  startEcho,
  testConfig,
  waitFor,
  waitForTexts,
  type Running,
} from './server';
import { connectClient, useDirectLineGlobals } from './client';

/** The app server around an echo bot, with a stand-in knowledge base description. */
function createEchoApp(config: Config, bot = new EchoBot()): ReturnType<typeof createServer> {
  const adapter = new HttpCloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
  const knowledge = {
    documentId: 'test',
    lastUpdated: '2024-01-01',
    medicine: 'Imnovid',
    pairs: 0,
    version: 'test',
  };
  return createServer({
    config,
    adapter,
    bot,
    knowledge: [knowledge],
    medicines: [loadMedicine('imnovid')],
    log: silentLogger,
  });
}

async function startWithCreateServer(config: Config): Promise<Running> {
  const bot = new EchoBot();
  const { server, directLine, close } = createEchoApp(config, bot);
  const port = await listen(server, 0);
  afterThisTest(close);
  return { base: `http://127.0.0.1:${port}`, port, server, channel: directLine, bot };
}

describe('local Direct Line channel', function () {
  useDirectLineGlobals();

  afterEach(cleanUp);

  describe('in the app server', () => {
    it('createServer mounts the channel in anonymous mode', async () => {
      const { base } = await startWithCreateServer(testConfig());
      const client = connectClient(base, true);
      await waitFor(() => client.texts().includes('welcome'), 'welcome');
      await client.post('through createServer', 'c-9');
      await waitFor(() => client.texts().includes('echo: through createServer'), 'reply');
    });

    it("closing the app ends the channel's open streams, without waiting for the clients", async () => {
      const app = createEchoApp(testConfig());
      const base = `http://127.0.0.1:${await listen(app.server, 0)}`;
      const started = await startConversation(base);
      const stream = await openStream(started.streamUrl);
      await waitForTexts(base, started, ['welcome']);
      await app.close();
      expect(await stream.closed).to.be.a('number');
      expect(app.server.server.listening).to.equal(false);
      expect(app.directLine!.store.size).to.equal(0);
    });

    it('is not mounted when a MicrosoftAppId is configured, and says why once', async () => {
      const events: string[] = [];
      const log: Logger = { ...silentLogger, info: (event) => events.push(event) };
      const config = testConfig({}, { MicrosoftAppId: '00000000-0000-0000-0000-000000000001' });
      const server = restify.createServer();
      expect(mountDirectLine(server, { config, log, runTurn: async () => 200 })).to.equal(undefined);
      expect(events).to.deep.equal(['directline.local_disabled']);
      const port = await listen(server, 0);
      afterThisTest(() => closeServer(server));
      const response = await http(`http://127.0.0.1:${port}`, 'POST', '/v3/directline/conversations', {
        body: {},
      });
      expect(response.status).to.equal(404);
    });

    it('logs a refused or hung turn without its text, and goes on with the next message', async () => {
      const lines: string[] = [];
      const log: Logger = {
        ...silentLogger,
        error: (event, fields) => lines.push(JSON.stringify({ event, ...fields })),
      };
      const { base } = await startEcho({
        log,
        deliveryTimeoutMs: 200,
        aroundTurn: (activity, turn) => {
          if (activity.text === 'hidden hang') return new Promise<number>(() => {});
          if (activity.text === 'hidden refusal') return Promise.resolve(503);
          return turn();
        },
      });
      const started = await startConversation(base);
      for (const text of ['hidden hang', 'hidden refusal', 'after both'])
        await postMessage(base, started, text);
      await waitForTexts(base, started, ['welcome', 'echo: after both']);
      expect(lines).to.deep.equal([
        JSON.stringify({ event: 'directline.bot_unreachable', reason: 'TimeoutError' }),
        JSON.stringify({ event: 'directline.bot_rejected', status: 503, activityType: 'message' }),
      ]);
    });

    it('never logs message text or user ids', async () => {
      const lines: string[] = [];
      const record = (level: string) => (event: string, fields?: object) =>
        lines.push(JSON.stringify({ level, event, ...fields }));
      const log: Logger = { error: record('error'), info: record('info'), debug: record('debug') };
      const { base } = await startEcho({ log });
      const started = await startConversation(base, { user: { id: 'secret-user-id' } });
      await postMessage(base, started, 'my secret symptom');
      await waitForTexts(base, started, ['echo: my secret symptom']);
      await http(base, 'GET', `/v3/directline/conversations/${started.conversationId}`, { token: 'bad' });
      expect(lines.length).to.be.greaterThan(0);
      const all = lines.join('\n');
      for (const secret of ['secret-user-id', 'secret symptom', started.token, started.conversationId]) {
        expect(all).to.not.contain(secret);
      }
    });
  });
});
