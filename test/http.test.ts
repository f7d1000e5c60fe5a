// The real restify server on an ephemeral port, driven over HTTP the way the Emulator and channels do.
import { expect } from 'chai';
import { safetyVersions } from '../safety/gate';
import safetyPatterns from '../safety/patterns.json';
import {
  ActivityHandler,
  ConfigurationBotFrameworkAuthentication,
  ConversationState,
  MemoryStorage,
  PrivateConversationState,
  type BotState,
} from 'botbuilder';
import { createApp, type App } from '../index';
import { loadConfig } from '../config';
import { createLogger } from '../shared/log';
import { createServer, listen } from '../server/app';
import { HttpCloudAdapter } from '../server/adapter';
import { APOLOGY, installErrorHandler } from '../bots/errorHandler';
import { loadMedicine } from '../knowledge/load';
import kb from '../knowledge/medicines/imnovid/kb.json';
import { channelActivity as activity, TEST_USER_ID } from './activities';

interface ReplyActivity {
  type: string;
  text?: string;
  attachments?: unknown[];
  suggestedActions?: { actions: { title: string; value: string }[] };
}

async function closeApp(app: App): Promise<void> {
  await app.close();
}

describe('HTTP server', () => {
  const logLines: string[] = [];
  let app: App;
  let base: string;

  const post = async (body: unknown, headers: Record<string, string> = {}): Promise<Response> =>
    fetch(`${base}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  /** Sends one message and returns the text of the bot's message replies (traces filtered out). */
  const say = async (conversationId: string, fields: Record<string, unknown>): Promise<ReplyActivity[]> => {
    const res = await post(activity(conversationId, fields));
    expect(res.status).to.equal(200);
    const body = (await res.json()) as { activities: ReplyActivity[] };
    return body.activities.filter((a) => a.type === 'message');
  };

  before(async () => {
    const config = loadConfig({ LOG_LEVEL: 'debug' });
    app = createApp(
      config,
      createLogger('debug', (line) => logLines.push(line)),
    );
    const port = await listen(app.server, 0);
    base = `http://127.0.0.1:${port}`;
  });

  after(async () => closeApp(app));

  it('answers a question in the response body with expectReplies, naming its source', async () => {
    const replies = await say('conv-answer', { text: 'What is Imnovid used for?' });
    expect(replies).to.have.length(1);
    const text = replies[0].text ?? '';
    const pair = kb.pairs.find((p) => p.id === 'what.overview')!;
    expect(text).to.include(pair.answer[0]);
    // Issue 14: a short source line with the date; the disclaimer and leaflet only on dosing, risks and
    // pregnancy answers (the welcome and the page header carry them).
    expect(text).to.include('Source: EMA overview, April 2019.');
  });

  it('falls back honestly on a question the overview does not answer', async () => {
    const [reply] = await say('conv-fallback', { text: 'Can I drink alcohol while taking it?' });
    expect(reply.text).to.match(/can't answer/i);
    expect(reply.text).to.match(/pharmacist or doctor/);
    expect(reply.text).to.match(/package leaflet/);
  });

  const badInputs: [string, Record<string, unknown>, RegExp][] = [
    ['a blank message', { text: '   ' }, /didn't receive any text/],
    ['a missing text', {}, /didn't receive any text/],
    ['emoji-only text', { text: '😀🙏💊' }, /couldn't find a question/],
    [
      'a message with only an attachment',
      {
        attachments: [
          { contentType: 'image/png', contentUrl: 'https://example.org/photo.png', name: 'photo.png' },
        ],
      },
      /only read typed questions/,
    ],
  ];
  for (const [label, fields, expected] of badInputs) {
    it(`gives ${label} a polite reply`, async () => {
      const replies = await say(`conv-bad-${label}`, fields);
      expect(replies).to.have.length(1);
      expect(replies[0].text).to.match(expected);
    });
  }

  it('gives a 5,000-character message a polite reply, not an error', async () => {
    const long = 'I have been wondering for a long time about many things and '.repeat(84).slice(0, 5000);
    expect(long).to.have.length(5000);
    const replies = await say('conv-long', { text: long });
    expect(replies).to.have.length.greaterThan(0);
    expect(replies[0].text)
      .to.be.a('string')
      .and.not.match(/error|exception|stack/i);
  });

  it('keeps the conversation state across bad input in the middle of a flow', async () => {
    const [prompt] = await say('conv-flow', { text: 'how do I take it' });
    expect(prompt.text).to.match(/Which combination/);
    const [polite] = await say('conv-flow', { text: '' });
    expect(polite.text).to.match(/didn't receive any text/);
    const [answer] = await say('conv-flow', { text: 'just dexamethasone' });
    expect(answer.text).to.include(
      '4-week treatment cycles when given in combination with dexamethasone only',
    );
  });

  it('answers malformed JSON with 400', async () => {
    const res = await post('{"type": "message", "text": ');
    expect(res.status).to.equal(400);
    const body = await res.text();
    expect(body).not.to.match(/at .*\.(js|ts):\d+/);
  });

  it('answers a body that is not an activity with 400', async () => {
    const res = await post({ hello: 'world' });
    expect(res.status).to.equal(400);
  });

  it('serves /healthz with the knowledge base and safety wording versions', async () => {
    const res = await fetch(`${base}/healthz`);
    expect(res.status).to.equal(200);
    const body = (await res.json()) as {
      status: string;
      knowledgeBase: Record<string, unknown>;
      safety: Record<string, string>;
    };
    expect(body.status).to.equal('ok');
    expect(body.knowledgeBase).to.deep.equal({
      documentId: 'EMA/240195/2019',
      lastUpdated: '04-2019',
      medicine: 'Imnovid',
      pairs: kb.pairs.length,
      version: loadMedicine('imnovid').info.version,
    });
    expect(body.knowledgeBase.version).to.match(/^[0-9a-f]{12}$/);
    expect(body.safety).to.deep.equal(safetyVersions);
    expect(body.safety.en).to.equal(safetyPatterns.version);
  });

  it('answers unknown routes with 404', async () => {
    const res = await fetch(`${base}/api/nothing-here`);
    expect(res.status).to.equal(404);
  });

  it('never logs message text or user ids, even at debug level', () => {
    expect(logLines.length).to.be.greaterThan(0);
    const all = logLines.join('\n');
    for (const secret of [TEST_USER_ID, 'Patient', 'Imnovid used for', 'dexamethasone', 'alcohol', '😀']) {
      expect(all, secret).not.to.include(secret);
    }
  });
});

describe('HTTP server with an app id configured', () => {
  let app: App;
  let base: string;

  before(async () => {
    app = createApp(
      loadConfig({
        LOG_LEVEL: 'error',
        MicrosoftAppType: 'SingleTenant',
        MicrosoftAppId: '00000000-0000-4000-8000-000000000001',
        MicrosoftAppPassword: 'not-a-real-password',
        MicrosoftAppTenantId: '00000000-0000-4000-8000-000000000002',
      }),
      createLogger('error', () => undefined),
    );
    base = `http://127.0.0.1:${await listen(app.server, 0)}`;
  });

  after(async () => closeApp(app));

  it('rejects an unauthenticated request with 401', async () => {
    const res = await fetch(`${base}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(activity('conv-auth', { text: 'hello' })),
    });
    expect(res.status).to.equal(401);
  });

  it('rejects a forged bearer token with 401', async () => {
    const res = await fetch(`${base}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer not.a.token' },
      body: JSON.stringify(activity('conv-auth', { text: 'hello' })),
    });
    expect(res.status).to.equal(401);
  });
});

describe('turn error handler', () => {
  class FailingBot extends ActivityHandler {
    constructor() {
      super();
      this.onMessage(async () => {
        throw new Error('boom with private text: my name is Alice');
      });
    }
  }

  /** Runs one failing turn over HTTP with the given states; returns the replies and the log lines. */
  async function failingTurn(
    states: (storage: MemoryStorage) => BotState[],
    seed: Record<string, unknown>,
  ): Promise<{ activities: ReplyActivity[]; lines: string[]; storage: MemoryStorage }> {
    const lines: string[] = [];
    const log = createLogger('debug', (line) => lines.push(line));
    const config = loadConfig({ LOG_LEVEL: 'debug' });
    const adapter = new HttpCloudAdapter(new ConfigurationBotFrameworkAuthentication({ ...config.auth }));
    const storage = new MemoryStorage();
    await storage.write(seed);
    installErrorHandler(adapter, states(storage), log);
    const { server, close } = createServer({
      config,
      adapter,
      bot: new FailingBot(),
      knowledge: [loadMedicine('imnovid').info],
      medicines: [loadMedicine('imnovid')],
      log,
    });
    const base = `http://127.0.0.1:${await listen(server, 0)}`;
    try {
      const res = await fetch(`${base}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(activity('conv-error', { text: 'my name is Alice' })),
      });
      expect(res.status).to.equal(200);
      const body = (await res.json()) as { activities: ReplyActivity[] };
      return { activities: body.activities, lines, storage };
    } finally {
      await close();
    }
  }

  it('sends a trace and a polite message, logs no message text even at debug, and clears the state', async () => {
    const privateKey = `test/conversations/conv-error/users/${TEST_USER_ID}/`;
    const { activities, lines, storage } = await failingTurn(
      (storage) => [new ConversationState(storage), new PrivateConversationState(storage)],
      {
        'test/conversations/conv-error/': { marker: 'x', eTag: '*' },
        [privateKey]: { dialogState: { dialogStack: [] }, eTag: '*' },
      },
    );
    expect(activities.map((a) => a.type)).to.deep.equal(['trace', 'message']);
    expect(activities[1].text).to.equal(APOLOGY);
    expect(await storage.read(['test/conversations/conv-error/', privateKey])).to.deep.equal({});
    const all = lines.join('\n');
    expect(all).to.include('turn.error');
    expect(all).not.to.include('Alice');
    expect(all).not.to.include('boom');
    expect(all).not.to.include(TEST_USER_ID);
  });

  it('still apologises when clearing a state fails', async () => {
    class BrokenState extends ConversationState {
      override delete(): Promise<void> {
        throw new Error('storage down');
      }
    }
    const { activities, lines } = await failingTurn((storage) => [new BrokenState(storage)], {});
    expect(activities.map((a) => a.type)).to.deep.equal(['trace', 'message']);
    expect(activities[1].text).to.equal(APOLOGY);
    expect(lines.join('\n')).to.include('turn.state_delete_failed');
  });
});

describe('activity shape check', () => {
  let app: App;
  let base: string;
  before(async () => {
    app = createApp(
      loadConfig({ LOG_LEVEL: 'error' }),
      createLogger('error', () => undefined),
    );
    base = `http://127.0.0.1:${await listen(app.server, 0)}`;
  });
  after(async () => closeApp(app));

  const cases: [string, unknown, RegExp][] = [
    ['a JSON array', [1, 2], /JSON object/],
    ['a JSON string', '"hello"', /JSON object/],
    ['no type', { ...activity('c', {}), type: undefined }, /"type"/],
    ['no conversation', { ...activity('c', {}), conversation: undefined }, /conversation\.id/],
    ['no serviceUrl', { ...activity('c', {}), serviceUrl: undefined }, /serviceUrl/],
    ['no channelId', { ...activity('c', {}), channelId: undefined }, /channelId/],
    ['a numeric text', activity('c', { text: 42 }), /"text"/],
    ['a from without id', activity('c', { from: { name: 'x' } }), /from\.id/],
    ['no from', { ...activity('c', {}), from: undefined }, /from\.id/],
    ['attachments that are not a list', activity('c', { attachments: 'x' }), /"attachments"/],
  ];
  for (const [label, body, reason] of cases) {
    it(`answers ${label} with 400 and a reason`, async () => {
      const res = await fetch(`${base}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
      expect(res.status).to.equal(400);
      const json = (await res.json()) as { message: string };
      expect(json.message).to.match(reason);
    });
  }

  it('still serves the next, well-formed request', async () => {
    const res = await fetch(`${base}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(activity('conv-after-bad', { text: 'hello' })),
    });
    expect(res.status).to.equal(200);
  });
});
