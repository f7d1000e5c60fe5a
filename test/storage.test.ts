// Conversation state in Azure Blob Storage, against Azurite (Microsoft's storage emulator, from npm) run
// in memory on a free localhost port: a flow started on one bot instance continues on another.
import { expect } from 'chai';
import { MemoryStorage, type Storage, type StoreItems } from 'botbuilder';
import { ContainerClient } from '@azure/storage-blob';
import { createApp, type App } from '../index';
import { loadConfig } from '../config';
import { createLogger } from '../shared/log';
import { listen } from '../server/app';
import { BoundedMemoryStorage, createStorage, RenewingStorage } from '../server/storage';
import kb from '../knowledge/medicines/imnovid/kb.json';
import { flows } from './fixtures/imnovidFlows';
import { channelActivity } from './activities';
import { TRANSCRIPT_LENGTH } from '../dialogs/helpdesk';
import { DEV_ACCOUNT_KEY, startAzurite, type Azurite } from './azurite';
import texts from '../render/texts.json';
import { fillPlaceholders } from '../render/placeholders';
import type { WireActivity } from '../channels/directline';

interface ReplyActivity {
  type: string;
  text?: string;
}

/** Posts one message as a channel would and returns the bot's message replies (expectReplies). */
async function say(base: string, conversationId: string, text: string): Promise<ReplyActivity[]> {
  const res = await fetch(`${base}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(channelActivity(conversationId, { text })),
  });
  expect(res.status).to.equal(200);
  const body = (await res.json()) as { activities: ReplyActivity[] };
  return body.activities.filter((a) => a.type === 'message');
}

async function startApp(
  env: Record<string, string>,
  lines: string[] = [],
): Promise<{ app: App; base: string }> {
  const app = createApp(
    loadConfig(env),
    createLogger('debug', (line) => lines.push(line)),
  );
  const port = await listen(app.server, 0);
  return { app, base: `http://127.0.0.1:${port}` };
}

async function stopApp(app: App): Promise<void> {
  await app.close();
}

/** A local Direct Line conversation as the channel started it. */
interface Started {
  conversationId: string;
  token: string;
}

async function directLine(
  base: string,
  token: string | undefined,
  path: string,
  body?: unknown,
): Promise<unknown> {
  const res = await fetch(`${base}/v3/directline/conversations${path}`, {
    method: body === undefined && path !== '' ? 'GET' : 'POST',
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(res.status, path).to.be.oneOf([200, 201]);
  return res.json();
}

const startConversation = async (base: string): Promise<Started> =>
  (await directLine(base, undefined, '', {})) as Started;

const activities = async (
  base: string,
  started: Started,
): Promise<{ activities: WireActivity[]; watermark: string }> =>
  (await directLine(base, started.token, `/${started.conversationId}/activities`)) as {
    activities: WireActivity[];
    watermark: string;
  };

const postMessage = async (base: string, started: Started, text: string): Promise<void> => {
  await directLine(base, started.token, `/${started.conversationId}/activities`, {
    type: 'message',
    from: { id: 'patient', role: 'user' },
    text,
  });
};

/** A text as it appears inside JSON (quotes and other escapes). */
const literalJson = (text: string): string => JSON.stringify(text).slice(1, -1);

const allText = (replies: ReplyActivity[]): string => replies.map((r) => r.text ?? '').join('\n');

describe('conversation state storage', () => {
  let azurite: Azurite;

  before(async () => {
    azurite = await startAzurite();
  });

  after(async () => azurite?.stop());

  describe('Azure Blob Storage through the real bot', () => {
    const container = `bot-state-${process.pid}`;
    const conversationId = 'conv-restart';
    const userTexts = ['how do I take it', 'just dexamethasone'];
    let env: Record<string, string>;

    before(() => {
      env = { AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString, AZURE_STORAGE_CONTAINER: container };
    });

    it('continues a flow on a second instance after the first one stopped', async () => {
      const lines: string[] = [];
      const first = await startApp(env, lines);
      const [prompt] = await say(first.base, conversationId, userTexts[0]);
      expect(prompt.text).to.include(flows.howToTake.prompt);
      await stopApp(first.app);

      const second = await startApp(env, lines);
      try {
        const answer = allText(await say(second.base, conversationId, userTexts[1]));
        const option = flows.howToTake.options.find((o) => o.id === 'dexamethasone')!;
        // The flow's own intro proves the prompt's state came from storage: asked cold, the same words
        // are an ordinary question with no flow around it (checked below).
        expect(answer).to.include(option.intro!.replace('{medicine}', 'Imnovid'));
        const schedule = kb.pairs.find((p) => p.id === 'use.schedule-dexamethasone')!;
        // The quoted span, shown inside its whole sentence (issue 14).
        expect(answer).to.include(schedule.answer[0].replace(/^It is taken … /, ''));

        const cold = allText(await say(second.base, 'conv-cold', userTexts[1]));
        expect(cold).not.to.include(option.intro!.replace('{medicine}', 'Imnovid'));
      } finally {
        await stopApp(second.app);
      }

      // One line per instance: which storage and container, never the connection string.
      const ready = lines
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .filter((l) => l.event === 'storage.ready');
      expect(ready).to.have.length(2);
      for (const line of ready) expect(line).to.include({ kind: 'azure-blobs', container });
      expect(lines.join('\n')).not.to.include(DEV_ACCOUNT_KEY);
      expect(lines.join('\n')).not.to.include('AccountKey');
    });

    it('names blobs by channel, conversation and user, and keeps message text only in the short handoff transcript', async () => {
      const client = new ContainerClient(azurite.connectionString, container);
      const names: string[] = [];
      for await (const blob of client.listBlobsFlat()) names.push(blob.name);
      expect(names.some((n) => n.includes(conversationId))).to.equal(true);
      for (const name of names) {
        for (const text of userTexts) expect(name.toLowerCase()).not.to.include(text);
        expect(name).not.to.match(/dexamethasone|take/i);
      }
      for (const name of names) {
        const state = JSON.parse(
          (await client.getBlobClient(name).downloadToBuffer()).toString('utf8'),
        ) as Record<string, unknown>;
        // The recent messages a handoff to the helpdesk passes on (issue 13): bounded, and nowhere else.
        const transcript = state.recentTranscript as unknown[] | undefined;
        expect(transcript?.length ?? 0).to.be.at.most(TRANSCRIPT_LENGTH);
        delete state.recentTranscript;
        const body = JSON.stringify(state);
        for (const text of userTexts) expect(body.toLowerCase()).not.to.include(text);
      }
    });
  });

  describe('"forget me" over the local Direct Line', () => {
    const forgotten = fillPlaceholders(texts.privacy.forgotten, { medicine: kb.medicine });
    const option = flows.howToTake.options.find((o) => o.id === 'dexamethasone')!;
    const optionIntro = option.intro!.replace('{medicine}', kb.medicine);

    /** The conversation's stored activities, once `done` holds for them (8 s at most). */
    async function logWhen(
      base: string,
      started: Started,
      done: (log: WireActivity[]) => boolean,
    ): Promise<WireActivity[]> {
      const deadline = Date.now() + 8000;
      for (;;) {
        const log = (await activities(base, started)).activities;
        if (done(log)) return log;
        if (Date.now() > deadline) throw new Error(`timed out; saw ${JSON.stringify(log).slice(0, 400)}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    }
    const fromBot = (log: WireActivity[]): WireActivity[] => log.filter((a) => a.from?.role === 'bot');
    const everything = (log: WireActivity[]): string => JSON.stringify(log);

    /**
     * A flow begun, then "forget me": the stored transcript and state go, and the next message starts
     * afresh. `stateOf` says whether the storage still holds anything of the conversation.
     */
    async function forgetsEverything(
      env: Record<string, string>,
      stateOf: (app: App, conversationId: string) => Promise<boolean>,
    ): Promise<void> {
      const { app, base } = await startApp({ LOG_LEVEL: 'error', ...env });
      try {
        const started = await startConversation(base);
        await logWhen(base, started, (log) => fromBot(log).length >= 1); // the welcome
        await postMessage(base, started, 'how do I take it');
        const before = await logWhen(base, started, (log) => fromBot(log).length >= 2);
        expect(everything(before)).to.include('how do I take it');
        expect(everything(before)).to.include(literalJson(flows.howToTake.prompt));
        expect(await stateOf(app, started.conversationId)).to.equal(true);

        await postMessage(base, started, 'forget me');
        const after = await logWhen(base, started, (log) => log.some((a) => a.text === forgotten));
        // Only the confirmation is left: none of the earlier messages, either way, nor "forget me" itself.
        expect(after.map((a) => a.text)).to.deep.equal([forgotten]);
        expect(everything(after)).not.to.include('how do I take it');
        expect(everything(after)).not.to.include('forget me');
        expect(everything(after)).not.to.include(literalJson(flows.howToTake.prompt));
        // Watermarks and ids go on from where they were, so a client's next poll is not confused.
        expect(Number((await activities(base, started)).watermark)).to.be.greaterThan(before.length);
        expect(await stateOf(app, started.conversationId)).to.equal(false);

        // The flow ended with the state: its answer is read afresh, not as an answer to the flow.
        await postMessage(base, started, 'just dexamethasone');
        const next = await logWhen(base, started, (log) => fromBot(log).length >= 2);
        expect(everything(next)).not.to.include(literalJson(optionIntro));
      } finally {
        await stopApp(app);
      }
    }

    it('in memory: deletes the state and the stored transcript', async () => {
      await forgetsEverything({}, async (app) => (app.storage as BoundedMemoryStorage).size > 0);
    });

    it('in Azure Blob Storage (Azurite): deletes the state blobs and the stored transcript', async () => {
      const container = `forget-${process.pid}`;
      const client = new ContainerClient(azurite.connectionString, container);
      const blobsOf = async (conversationId: string): Promise<string[]> => {
        const names: string[] = [];
        for await (const blob of client.listBlobsFlat()) names.push(blob.name);
        return names.filter((n) => n.includes(conversationId));
      };
      await forgetsEverything(
        { AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString, AZURE_STORAGE_CONTAINER: container },
        async (_app, conversationId) => (await blobsOf(conversationId)).length > 0,
      );
    });
  });

  describe('createStorage', () => {
    it('uses memory when no connection string is set, and says so', () => {
      const lines: string[] = [];
      const config = loadConfig({});
      expect(config.storage).to.deep.equal({
        connectionString: '',
        container: 'bot-state',
        memoryIdleMinutes: 60,
        memoryMaxConversations: 20_000,
      });
      const storage = createStorage(
        config.storage,
        createLogger('info', (line) => lines.push(line)),
      );
      expect(storage).to.be.instanceOf(BoundedMemoryStorage);
      expect(lines).to.have.length(1);
      expect(JSON.parse(lines[0])).to.include({ level: 'info', event: 'storage.ready', kind: 'memory' });
    });

    it('creates the container on first use and round-trips an item', async () => {
      const container = `roundtrip-${process.pid}`;
      const config = loadConfig({
        AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString,
        AZURE_STORAGE_CONTAINER: container,
      });
      const storage = createStorage(
        config.storage,
        createLogger('error', () => {}),
      );
      expect(storage).not.to.be.instanceOf(MemoryStorage);
      expect(await new ContainerClient(azurite.connectionString, container).exists()).to.equal(false);
      await storage.write({ 'test/item': { step: 2, label: 'say “not sure”' } });
      expect(await new ContainerClient(azurite.connectionString, container).exists()).to.equal(true);
      const read = await storage.read(['test/item', 'test/missing']);
      expect(Object.keys(read)).to.deep.equal(['test/item']);
      expect(read['test/item']).to.include({ step: 2, label: 'say “not sure”' });
    });

    it('refuses a malformed connection string without repeating it', () => {
      const bad = 'DefaultEndpointsProtocol=ftp;AccountName=x;AccountKey=SECRETKEY';
      expect(() =>
        createStorage(
          { ...loadConfig({}).storage, connectionString: bad },
          createLogger('error', () => {}),
        ),
      )
        .to.throw(/AZURE_STORAGE_CONNECTION_STRING/)
        .with.property('message')
        .that.does.not.include('SECRETKEY');
    });

    it('rejects a container name Azure would refuse', () => {
      for (const name of ['Bot-State', 'ab', 'bot--state', '-bot', 'bot_state']) {
        expect(() => loadConfig({ AZURE_STORAGE_CONTAINER: name }), name).to.throw(/AZURE_STORAGE_CONTAINER/);
      }
      expect(loadConfig({ AZURE_STORAGE_CONTAINER: 'state-2' }).storage.container).to.equal('state-2');
    });
  });

  describe('BoundedMemoryStorage', () => {
    it('forgets state left idle longer than the limit, and keeps state in use', async () => {
      let clock = 1_000_000;
      const storage = new BoundedMemoryStorage({ maxItems: 100, idleMs: 60_000, now: () => clock });
      await storage.write({ idle: { step: 1 }, busy: { step: 2 } });
      clock += 40_000;
      expect(Object.keys(await storage.read(['busy']))).to.deep.equal(['busy']);
      clock += 40_000;
      const read = await storage.read(['idle', 'busy']);
      expect(Object.keys(read)).to.deep.equal(['busy']);
      expect(read.busy).to.include({ step: 2 });
    });

    it('keeps at most maxItems, dropping the least recently used', async () => {
      const storage = new BoundedMemoryStorage({ maxItems: 3, idleMs: 0 });
      await storage.write({ a: { n: 1 }, b: { n: 2 }, c: { n: 3 } });
      await storage.read(['a']);
      await storage.write({ d: { n: 4 } });
      expect(storage.size).to.equal(3);
      expect(Object.keys(await storage.read(['a', 'b', 'c', 'd'])).sort()).to.deep.equal(['a', 'c', 'd']);
    });

    it('copies items in and out, and refuses a write with a stale eTag as MemoryStorage does', async () => {
      const storage = new BoundedMemoryStorage({ maxItems: 10, idleMs: 0 });
      const item = { list: [1] };
      await storage.write({ k: item });
      item.list.push(2);
      const first = (await storage.read(['k'])).k as { list: number[]; eTag: string };
      expect(first.list).to.deep.equal([1]);
      await storage.write({ k: { ...first, list: [3] } });
      let refused: unknown;
      try {
        await storage.write({ k: { ...first, list: [4] } });
      } catch (err) {
        refused = err;
      }
      expect(refused).to.be.instanceOf(Error);
      await storage.write({ k: { list: [5], eTag: '*' } });
      expect(((await storage.read(['k'])).k as { list: number[] }).list).to.deep.equal([5]);
      await storage.delete(['k']);
      expect(await storage.read(['k'])).to.deep.equal({});
    });
  });

  describe('RenewingStorage', () => {
    /** A store whose first `failures` calls fail, as BlobsStorage does once its container setup failed. */
    class FlakyStorage extends MemoryStorage {
      constructor(private failures: number) {
        super();
      }
      override async read(keys: string[]): Promise<StoreItems> {
        if (this.failures > 0) {
          this.failures -= 1;
          throw new Error('storage unreachable');
        }
        return super.read(keys);
      }
    }

    it('goes through a fresh instance after a failure', async () => {
      const made: Storage[] = [];
      // The first instance never recovers; the one made after its failure works.
      const storage = new RenewingStorage(() => {
        const s = new FlakyStorage(made.length === 0 ? Infinity : 0);
        made.push(s);
        return s;
      });
      let failure: unknown;
      await storage.read(['k']).catch((err: unknown) => (failure = err));
      expect((failure as Error).message).to.equal('storage unreachable');
      await storage.write({ k: { value: 1 } });
      expect(await storage.read(['k'])).to.have.nested.property('k.value', 1);
      expect(made).to.have.length(2);
    });
  });
});
