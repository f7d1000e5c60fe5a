// The local Direct Line 3.0 channel, driven by botframework-directlinejs itself (polling and WebSocket)
// and by plain HTTP and WebSocket requests for the protocol's edges.
import { expect } from 'chai';
import * as restify from 'restify';
import WebSocket from 'ws';
import { DirectLine, ConnectionStatus, type Activity as DlActivity } from 'botframework-directlinejs';
import type { Subscription } from 'rxjs/Subscription';
import { ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import { type Config } from '../config';
import { silentLogger, type Logger } from '../shared/log';
import { createServer, listen } from '../server/app';
import { HttpCloudAdapter } from '../server/adapter';
import { mountDirectLine, type WireActivity } from '../channels/directline';
import {
  EchoBot,
  activities,
  afterThisTest,
  cleanUp,
  closeServer,
  http,
  openStream,
  postMessage,
  rawRequest,
  startConversation,
  startEcho,
  testConfig,
  waitFor,
  waitForTexts,
  type Json,
  type Running,
  type Started,
} from './directlineServer';

// DirectLineJS makes its requests with rxjs ajax over XMLHttpRequest and needs a global WebSocket.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const XMLHttpRequestForNode = require('xhr2') as unknown;

async function startWithCreateServer(config: Config): Promise<Running> {
  const adapter = new HttpCloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
  const knowledge = { documentId: 'test', lastUpdated: '2024-01-01', medicine: 'Imnovid', pairs: 0 };
  const bot = new EchoBot();
  const { server, directLine, close } = createServer({ config, adapter, bot, knowledge, log: silentLogger });
  const port = await listen(server, 0);
  afterThisTest(close);
  return { base: `http://127.0.0.1:${port}`, port, server, channel: directLine, bot };
}

interface Client {
  dl: DirectLine;
  received: DlActivity[];
  texts: () => string[];
  post: (text: string, clientActivityID: string) => Promise<string>;
}

function connectClient(base: string, webSocket: boolean): Client {
  const dl = new DirectLine({
    domain: `${base}/v3/directline`,
    webSocket,
    pollingInterval: 200,
    WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
    // The reconnect delay is 3 s + random × 12 s: keep it at 3 s.
    random: () => 0,
  });
  const received: DlActivity[] = [];
  const subscription: Subscription = dl.activity$.subscribe({
    next: (a) => received.push(a),
    error: () => {},
  });
  afterThisTest(() => {
    subscription.unsubscribe();
    dl.end();
  });
  const post = (text: string, clientActivityID: string): Promise<string> =>
    new Promise((resolve, reject) => {
      dl.postActivity({
        type: 'message',
        from: { id: 'patient-1', role: 'user' },
        text,
        channelData: { clientActivityID },
      } as DlActivity).subscribe({ next: (id: string) => resolve(id), error: reject });
    });
  const texts = (): string[] => received.map((a) => (a as { text?: string }).text ?? `<${a.type}>`);
  return { dl, received, texts, post };
}

describe('local Direct Line channel', function () {
  const savedXhr = (globalThis as Json).XMLHttpRequest;
  const savedWebSocket = (globalThis as Json).WebSocket;

  before(() => {
    (globalThis as Json).XMLHttpRequest = XMLHttpRequestForNode;
    (globalThis as Json).WebSocket = WebSocket;
  });

  after(() => {
    (globalThis as Json).XMLHttpRequest = savedXhr;
    (globalThis as Json).WebSocket = savedWebSocket;
  });

  afterEach(cleanUp);

  describe('with botframework-directlinejs', () => {
    for (const webSocket of [false, true]) {
      const mode = webSocket ? 'WebSocket' : 'polling';

      it(`${mode}: receives the welcome, the echo of its message and the reply`, async () => {
        const { base } = await startEcho();
        const client = connectClient(base, webSocket);
        await waitFor(() => client.texts().includes('welcome'), 'welcome');
        const id = await client.post('hello', 'client-1');
        expect(id).to.match(/\|\d+$/);
        await waitFor(() => client.texts().includes('echo: hello'), 'reply');

        const echo = client.received.find((a) => a.id === id) as DlActivity & { channelData: Json };
        expect(echo, 'echo of the posted activity').to.exist;
        expect(echo.channelData.clientActivityID).to.equal('client-1');
        expect(echo.from.role).to.equal('user');
        expect(echo.timestamp).to.be.a('string');
        const reply = client.received.find((a) => (a as { text?: string }).text === 'echo: hello')!;
        expect(reply.from.role).to.equal('bot');
        expect((reply as { replyToId?: string }).replyToId).to.equal(id);
        expect(client.texts().filter((t) => t === 'welcome')).to.have.length(1);
        expect(client.dl.connectionStatus$.getValue()).to.equal(ConnectionStatus.Online);
      });
    }

    it('WebSocket: reconnects after the server drops the stream without losing or repeating activities', async function () {
      this.timeout(20000);
      const { base, channel } = await startEcho();
      const client = connectClient(base, true);
      await waitFor(() => client.texts().includes('welcome'), 'welcome');
      await client.post('one', 'c-1');
      await waitFor(() => client.texts().includes('echo: one'), 'first reply');

      expect(channel!.closeStreams()).to.equal(1);
      // Sent while the stream is down: the reply must come by the replay after the reconnect.
      await client.post('two', 'c-2');
      await waitFor(() => client.texts().includes('echo: two'), 'reply after reconnect', 15000);
      await client.post('three', 'c-3');
      await waitFor(() => client.texts().includes('echo: three'), 'reply on the new stream');

      const messages = client.received.filter((a) => a.type === 'message');
      const ids = messages.map((a) => a.id);
      expect(new Set(ids).size, 'no activity twice').to.equal(ids.length);
      expect(messages.map((a) => (a as { text?: string }).text)).to.deep.equal([
        'welcome',
        'one',
        'echo: one',
        'two',
        'echo: two',
        'three',
        'echo: three',
      ]);
    });
  });

  describe('over plain HTTP', () => {
    it('starts a conversation: 201, conversation-scoped token, stream URL on the request host', async () => {
      const { base, port } = await startEcho();
      const started = await startConversation(base);
      expect(started.conversationId).to.be.a('string').with.length.greaterThan(10);
      expect(started.token).to.be.a('string').with.length.greaterThan(30);
      expect(started.expires_in).to.equal(1800);
      expect(started.streamUrl).to.equal(
        `ws://127.0.0.1:${port}/v3/directline/conversations/${started.conversationId}/stream?t=${started.token}`,
      );
      const other = await startConversation(base);
      expect(other.conversationId).to.not.equal(started.conversationId);
      expect(other.token).to.not.equal(started.token);

      const log = await waitForTexts(base, started, ['welcome']);
      expect(log[0].from?.role).to.equal('bot');
      expect(log[0].id).to.equal(`${started.conversationId}|0000000`);
    });

    it('builds the stream URL from PUBLIC_BASE_URL when it is set', async () => {
      const config = testConfig({}, { PUBLIC_BASE_URL: 'https://bot.example.org/' });
      const { base } = await startEcho({ config });
      const started = await startConversation(base);
      expect(started.streamUrl).to.match(
        /^wss:\/\/bot\.example\.org\/v3\/directline\/conversations\/[^/]+\/stream\?t=/,
      );
    });

    it('takes the user id from the start request, else makes up a dl_ one; refuses a client dl_ id', async () => {
      const { base } = await startEcho();
      const named = await startConversation(base, { user: { id: 'patient-42' } });
      await postMessage(base, named, 'hi');
      const log = await waitForTexts(base, named, ['echo: hi']);
      const echo = log.find((a) => a.text === 'hi')!;
      expect(echo.from?.id).to.equal('patient-42');
      expect((echo.recipient as { id: string }).id).to.equal('imnovid-info-bot');

      const anonymous = await startConversation(base);
      await postMessage(base, anonymous, 'hi');
      const log2 = await waitForTexts(base, anonymous, ['echo: hi']);
      expect(log2.find((a) => a.text === 'hi')!.from?.id).to.match(/^dl_/);

      const refused = await http(base, 'POST', '/v3/directline/conversations', {
        body: { user: { id: 'dl_fake' } },
      });
      expect(refused.status).to.equal(400);
    });

    it('answers 404 for an unknown conversation', async () => {
      const { base } = await startEcho();
      const started = await startConversation(base);
      for (const [method, path] of [
        ['GET', '/v3/directline/conversations/nope'],
        ['GET', '/v3/directline/conversations/nope/activities'],
        ['POST', '/v3/directline/conversations/nope/activities'],
      ]) {
        const response = await http(base, method, path, {
          token: started.token,
          body: method === 'POST' ? { type: 'message' } : undefined,
        });
        expect(response.status, `${method} ${path}`).to.equal(404);
      }
    });

    it('answers 403 for a missing, unknown, foreign or expired token', async () => {
      let clock = Date.now();
      const config = testConfig({ tokenTtlSeconds: 60 });
      const { base } = await startEcho({ config, now: () => clock });
      const a = await startConversation(base);
      const b = await startConversation(base);
      const path = `/v3/directline/conversations/${a.conversationId}/activities`;

      expect((await http(base, 'GET', path)).status, 'no token').to.equal(403);
      expect((await http(base, 'GET', path, { token: 'made-up' })).status, 'unknown token').to.equal(403);
      expect(
        (await http(base, 'GET', path, { token: b.token })).status,
        "another conversation's token",
      ).to.equal(403);
      expect(
        (await http(base, 'POST', path, { token: b.token, body: { type: 'message', text: 'x' } })).status,
      ).to.equal(403);
      expect(
        (await http(base, 'GET', `/v3/directline/conversations/${a.conversationId}`, { token: b.token }))
          .status,
      ).to.equal(403);
      expect((await http(base, 'GET', path, { token: a.token })).status, 'own token').to.equal(200);

      clock += 61_000;
      const expired = await http(base, 'GET', path, { token: a.token });
      expect(expired.status, 'expired token').to.equal(403);
      expect((expired.body.error as Json).code).to.equal('TokenExpired');
      expect((await http(base, 'POST', '/v3/directline/tokens/refresh', { token: a.token })).status).to.equal(
        403,
      );
      expect((await http(base, 'POST', '/v3/directline/conversations', { token: a.token })).status).to.equal(
        403,
      );
    });

    it('refreshes a token: a new token with a new expiry that works for the same conversation', async () => {
      let clock = Date.now();
      const config = testConfig({ tokenTtlSeconds: 100 });
      const { base } = await startEcho({ config, now: () => clock });
      const started = await startConversation(base);
      clock += 80_000;
      const refreshed = await http(base, 'POST', '/v3/directline/tokens/refresh', { token: started.token });
      expect(refreshed.status).to.equal(200);
      expect(refreshed.body.conversationId).to.equal(started.conversationId);
      expect(refreshed.body.expires_in).to.equal(100);
      const token = refreshed.body.token as string;
      expect(token).to.not.equal(started.token);

      clock += 30_000; // the first token has expired, the refreshed one has not
      const path = `/v3/directline/conversations/${started.conversationId}/activities`;
      expect((await http(base, 'GET', path, { token: started.token })).status).to.equal(403);
      expect((await http(base, 'GET', path, { token })).status).to.equal(200);
    });

    it('drops conversations idle for idleMinutes, and their streams', async () => {
      let clock = Date.now();
      const config = testConfig({ idleMinutes: 5, tokenTtlSeconds: 3600 });
      const { base, channel } = await startEcho({ config, now: () => clock });
      const started = await startConversation(base);
      await waitForTexts(base, started, ['welcome']);
      const stream = await openStream(started.streamUrl);
      const closed = new Promise<number>((resolve) => stream.ws.once('close', (code) => resolve(code)));

      clock += 4 * 60_000; // not idle long enough; this request counts as activity
      expect((await activities(base, started)).activities).to.have.length(1);
      clock += 4 * 60_000;
      expect((await activities(base, started)).activities).to.have.length(1);
      expect(channel!.store.size).to.equal(1);

      clock += 5 * 60_000;
      expect(channel!.store.sweep()).to.equal(1);
      expect(channel!.store.size).to.equal(0);
      expect(await closed).to.equal(1000);
      const gone = await http(base, 'GET', `/v3/directline/conversations/${started.conversationId}`, {
        token: started.token,
      });
      expect(gone.status).to.equal(404);
    });

    it('drops an idle conversation when it is next looked up', async () => {
      let clock = Date.now();
      const config = testConfig({ idleMinutes: 1, tokenTtlSeconds: 3600 });
      const { base } = await startEcho({ config, now: () => clock });
      const started = await startConversation(base);
      await waitForTexts(base, started, ['welcome']);
      clock += 61_000;
      const response = await http(
        base,
        'GET',
        `/v3/directline/conversations/${started.conversationId}/activities`,
        {
          token: started.token,
        },
      );
      expect(response.status).to.equal(404);
    });

    it('replays from a watermark, over HTTP and on the stream', async () => {
      const { base } = await startEcho();
      const started = await startConversation(base);
      await waitForTexts(base, started, ['welcome']);
      await postMessage(base, started, 'first');
      await waitForTexts(base, started, ['welcome', 'first', 'echo: first']);

      const all = await activities(base, started);
      expect(all.activities.map((a) => a.text)).to.deep.equal(['welcome', 'first', 'echo: first']);
      expect(all.watermark).to.equal('3');
      const later = await activities(base, started, '1');
      expect(later.activities.map((a) => a.text)).to.deep.equal(['first', 'echo: first']);
      expect(later.watermark).to.equal('3');
      expect((await activities(base, started, '3')).activities).to.deep.equal([]);

      const reconnect = await http(
        base,
        'GET',
        `/v3/directline/conversations/${started.conversationId}?watermark=2`,
        {
          token: started.token,
        },
      );
      expect(reconnect.status).to.equal(200);
      const streamUrl = reconnect.body.streamUrl as string;
      expect(streamUrl).to.contain('watermark=2');
      const stream = await openStream(streamUrl);
      await waitFor(() => stream.frames.length > 0, 'replay frame');
      expect((stream.frames[0].activities as WireActivity[]).map((a) => a.text)).to.deep.equal([
        'echo: first',
      ]);
      expect(stream.frames[0].watermark).to.equal('3');

      const fromStart = await openStream(started.streamUrl);
      await waitFor(() => fromStart.frames.length > 0, 'full replay');
      expect((fromStart.frames[0].activities as WireActivity[]).map((a) => a.text)).to.deep.equal([
        'welcome',
        'first',
        'echo: first',
      ]);
    });

    it('sends only { activities, watermark } frames on the stream and ignores keep-alives', async () => {
      const { base } = await startEcho();
      const started = await startConversation(base);
      await waitForTexts(base, started, ['welcome']);
      const stream = await openStream(started.streamUrl);
      stream.ws.send('');
      stream.ws.send('');
      await postMessage(base, started, 'ping');
      // The reply comes with a typing activity before it: transient, pushed on the stream only.
      await waitFor(
        () =>
          stream.frames.some((f) => (f.activities as WireActivity[]).some((a) => a.text === 'echo: ping')),
        'reply frame',
      );
      expect(stream.ws.readyState).to.equal(WebSocket.OPEN);
      expect(stream.raw.every((r) => r.length > 0)).to.equal(true);
      for (const frame of stream.frames) {
        expect(frame).to.have.all.keys('activities', 'watermark');
        expect(frame.activities).to.be.an('array').that.is.not.empty;
        expect(frame.watermark).to.be.a('string');
      }
      const types = stream.frames.flatMap((f) => (f.activities as WireActivity[]).map((a) => a.type));
      expect(types).to.include('typing');
      const logged = await activities(base, started);
      expect(logged.activities.map((a) => a.type)).to.not.include('typing');
    });

    it('refuses stream upgrades for unknown conversations, bad tokens and unknown paths', async () => {
      const { base, port } = await startEcho();
      const started = await startConversation(base);
      const ws = `ws://127.0.0.1:${port}/v3/directline`;
      const failures = await Promise.all([
        openStream(`${ws}/conversations/nope/stream?t=${started.token}`).catch((e: Error) => e.message),
        openStream(`${ws}/conversations/${started.conversationId}/stream?t=wrong`).catch(
          (e: Error) => e.message,
        ),
        openStream(`${ws}/conversations/${started.conversationId}/stream`).catch((e: Error) => e.message),
        openStream(`${ws}/conversations/${started.conversationId}/elsewhere?t=${started.token}`).catch(
          (e: Error) => e.message,
        ),
        openStream(`ws://127.0.0.1:${port}/somewhere-else`).catch((e: Error) => e.message),
      ]);
      expect(failures).to.deep.equal(['status 404', 'status 403', 'status 403', 'status 404', 'status 404']);
    });

    it('starts a conversation from a generated token once, when the client posts it to /conversations', async () => {
      const { base } = await startEcho();
      const generated = await http(base, 'POST', '/v3/directline/tokens/generate', {
        body: { user: { id: 'p-7' } },
      });
      expect(generated.status).to.equal(200);
      const token = generated.body.token as string;
      const conversationId = generated.body.conversationId as string;

      const first = await http(base, 'POST', '/v3/directline/conversations', { token });
      expect(first.status).to.equal(200);
      expect(first.body.conversationId).to.equal(conversationId);
      expect(first.body.token).to.equal(token);
      expect(first.body.streamUrl).to.be.a('string');
      const again = await http(base, 'POST', '/v3/directline/conversations', { token });
      expect(again.body.conversationId).to.equal(conversationId);

      const started = first.body as unknown as Started;
      await postMessage(base, started, 'after');
      const log = await waitForTexts(base, started, ['welcome', 'echo: after']);
      expect(log.filter((a) => a.text === 'welcome')).to.have.length(1);
      expect(log.find((a) => a.text === 'after')!.from?.id).to.equal('p-7');
    });

    it('answers CORS preflights and refuses origins outside ALLOWED_ORIGINS', async () => {
      const config = testConfig({ allowedOrigins: ['https://hospital.example'] });
      const { base } = await startEcho({ config });
      const preflight = await http(base, 'OPTIONS', '/v3/directline/conversations', {
        headers: {
          Origin: 'https://hospital.example',
          'Access-Control-Request-Method': 'POST',
          'Access-Control-Request-Headers': 'authorization, content-type, x-ms-bot-agent',
        },
      });
      expect(preflight.status).to.equal(204);
      expect(preflight.headers.get('access-control-allow-origin')).to.equal('https://hospital.example');
      const allowed = preflight.headers.get('access-control-allow-headers')!.toLowerCase();
      for (const header of ['authorization', 'content-type', 'x-ms-bot-agent', 'x-requested-with']) {
        expect(allowed).to.contain(header);
      }

      const ok = await http(base, 'POST', '/v3/directline/conversations', {
        headers: { Origin: 'https://hospital.example' },
      });
      expect(ok.status).to.equal(201);
      expect(ok.headers.get('access-control-allow-origin')).to.equal('https://hospital.example');
      const refused = await http(base, 'POST', '/v3/directline/conversations', {
        headers: { Origin: 'https://elsewhere.example' },
      });
      expect(refused.status).to.equal(403);
      expect(refused.headers.get('access-control-allow-origin')).to.equal(null);

      // ALLOWED_ORIGINS are compared as origins, however the browser or the setting spells them.
      const spelled = await http(base, 'POST', '/v3/directline/conversations', {
        headers: { Origin: 'HTTPS://Hospital.Example:443' },
      });
      expect(spelled.status).to.equal(201);
    });

    it('with no ALLOWED_ORIGINS lets only our own (loopback) page and non-browser clients start', async () => {
      const { base, port } = await startEcho();
      const elsewhere = await http(base, 'POST', '/v3/directline/conversations', {
        headers: { Origin: 'https://elsewhere.example' },
      });
      expect(elsewhere.status).to.equal(403);
      expect((elsewhere.body.error as Json).code).to.equal('OriginNotAllowed');
      expect(elsewhere.headers.get('access-control-allow-origin')).to.equal(null);
      const preflight = await http(base, 'OPTIONS', '/v3/directline/conversations', {
        headers: { Origin: 'https://elsewhere.example', 'Access-Control-Request-Method': 'POST' },
      });
      expect(preflight.headers.get('access-control-allow-origin')).to.equal(null);

      const own = await http(base, 'POST', '/v3/directline/conversations', {
        headers: { Origin: base },
      });
      expect(own.status).to.equal(201);
      expect(own.headers.get('access-control-allow-origin')).to.equal(base);
      // DirectLineJS in Node, the Emulator, curl: no Origin, no browser to protect.
      expect((await http(base, 'POST', '/v3/directline/conversations', { body: {} })).status).to.equal(201);

      // DNS rebinding: the attacker's name (resolving to us) arrives as both Origin and Host.
      const rebound = await rawRequest(port, 'POST', '/v3/directline/conversations', {
        Host: `rebind.attacker.example:${port}`,
        Origin: `http://rebind.attacker.example:${port}`,
      });
      expect(rebound.status).to.equal(403);
      expect(rebound.headers['access-control-allow-origin']).to.equal(undefined);
      const localhost = await rawRequest(port, 'POST', '/v3/directline/conversations', {
        Host: `localhost:${port}`,
        Origin: `http://localhost:${port}`,
      });
      expect(localhost.status).to.equal(201);
    });

    it('with PUBLIC_BASE_URL set, takes only that as our own origin, not the Host header', async () => {
      const config = testConfig({}, { PUBLIC_BASE_URL: 'https://bot.example.org' });
      const { base, port } = await startEcho({ config });
      const byHost = await http(base, 'POST', '/v3/directline/conversations', { headers: { Origin: base } });
      expect(byHost.status).to.equal(403);
      const rebound = await rawRequest(port, 'POST', '/v3/directline/conversations', {
        Host: `rebind.attacker.example:${port}`,
        Origin: `http://rebind.attacker.example:${port}`,
      });
      expect(rebound.status).to.equal(403);
      const published = await http(base, 'POST', '/v3/directline/conversations', {
        headers: { Origin: 'https://bot.example.org' },
      });
      expect(published.status).to.equal(201);
      expect(published.headers.get('access-control-allow-origin')).to.equal('https://bot.example.org');
    });

    it('limits new conversations per client address with 429, a reason and Retry-After', async () => {
      const config = testConfig({ startBurst: 3, startsPerMinute: 2 });
      const { base, port } = await startEcho({ config });
      const first = await startConversation(base);
      const generated = await http(base, 'POST', '/v3/directline/tokens/generate', { body: {} });
      expect(generated.status).to.equal(200);
      await startConversation(base);

      // The burst is spent, on either route.
      for (const path of ['/v3/directline/conversations', '/v3/directline/tokens/generate']) {
        const refused = await http(base, 'POST', path, { body: {}, headers: { Origin: base } });
        expect(refused.status, path).to.equal(429);
        expect(refused.headers.get('retry-after'), path).to.equal('30');
        expect((refused.body.error as Json).code).to.equal('TooManyRequests');
        expect((refused.body.error as Json).message).to.match(/Too many new conversations/);
        // A browser may read why: the refusal carries the CORS headers of an allowed origin.
        expect(refused.headers.get('access-control-allow-origin')).to.equal(base);
      }
      // Starting a conversation from a token already issued creates nothing, so it is not limited.
      const fromToken = await http(base, 'POST', '/v3/directline/conversations', {
        token: generated.body.token as string,
      });
      expect(fromToken.status).to.equal(200);
      await postMessage(base, first, 'still here');
      await waitForTexts(base, first, ['echo: still here']);

      // Another client address has its own allowance.
      const other = await rawRequest(port, 'POST', '/v3/directline/conversations', {}, '127.0.0.2');
      expect(other.status).to.equal(201);
    });

    it('bounds memory: 1,000 conversations of 500 activities by default, both configurable', async () => {
      const defaults = await startEcho();
      expect(defaults.channel!.store.maxConversations).to.equal(1000);
      expect(defaults.channel!.store.maxActivities).to.equal(500);

      const config = testConfig({}, { DIRECT_LINE_MAX_CONVERSATIONS: '2', DIRECT_LINE_MAX_ACTIVITIES: '3' });
      const { base } = await startEcho({ config });
      const started = await startConversation(base);
      await startConversation(base);
      const full = await http(base, 'POST', '/v3/directline/conversations', { body: {} });
      expect(full.status).to.equal(429);
      expect((full.body.error as Json).code).to.equal('TooManyConversations');
      expect(full.headers.get('retry-after')).to.equal('60');

      await waitForTexts(base, started, ['welcome']);
      await postMessage(base, started, 'one');
      await waitForTexts(base, started, ['welcome', 'one', 'echo: one']);
      const tooMany = await http(
        base,
        'POST',
        `/v3/directline/conversations/${started.conversationId}/activities`,
        {
          token: started.token,
          body: { type: 'message', text: 'two' },
        },
      );
      expect(tooMany.status).to.equal(429);
      expect((tooMany.body.error as Json).code).to.equal('TooManyActivities');
    });

    it('rejects activities of types a client may not post', async () => {
      const { base } = await startEcho();
      const started = await startConversation(base);
      const path = `/v3/directline/conversations/${started.conversationId}/activities`;
      expect(
        (await http(base, 'POST', path, { token: started.token, body: { type: 'invoke' } })).status,
      ).to.equal(400);
      expect(
        (await http(base, 'POST', path, { token: started.token, body: { text: 'no type' } })).status,
      ).to.equal(400);
    });

    it('keeps the reply endpoints behind the private service URL', async () => {
      const { base } = await startEcho();
      const started = await startConversation(base);
      const path = `/v3/directline/connector/not-the-key/v3/conversations/${started.conversationId}/activities`;
      const forged = await http(base, 'POST', path, { body: { type: 'message', text: 'forged' } });
      expect(forged.status).to.equal(404);
      const log = await waitForTexts(base, started, ['welcome']);
      expect(log.map((a) => a.text)).to.not.include('forged');
      expect(JSON.stringify(log)).to.not.contain('/connector/');
    });
  });

  describe('in the app server', () => {
    it('createServer mounts the channel in anonymous mode', async () => {
      const { base } = await startWithCreateServer(testConfig());
      const client = connectClient(base, true);
      await waitFor(() => client.texts().includes('welcome'), 'welcome');
      await client.post('through createServer', 'c-9');
      await waitFor(() => client.texts().includes('echo: through createServer'), 'reply');
    });

    it("closing the app ends the channel's open streams, without waiting for the clients", async () => {
      const config = testConfig();
      const adapter = new HttpCloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
      const knowledge = { documentId: 'test', lastUpdated: '2024-01-01', medicine: 'Imnovid', pairs: 0 };
      const app = createServer({ config, adapter, bot: new EchoBot(), knowledge, log: silentLogger });
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
