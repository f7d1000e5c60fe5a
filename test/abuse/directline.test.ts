// What a hostile client can throw at the local Direct Line channel, against the real server: floods of
// posts and typing, a slow bot, client-chosen delivery modes, bad Host headers, stream and token abuse.
// Every case asserts the bound that holds and that the server still answers, never how long anything took.
import { expect } from 'chai';
import WebSocket from 'ws';
import {
  activities,
  cleanUp,
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
} from '../directline/server';

const DL = '/v3/directline';

function activitiesPath(started: Started): string {
  return `${DL}/conversations/${started.conversationId}/activities`;
}

async function post(
  run: Running,
  started: Started,
  activity: Json,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Json; headers: Headers }> {
  return http(run.base, 'POST', activitiesPath(started), { token: started.token, body: activity, headers });
}

async function healthy(run: Running): Promise<void> {
  expect((await http(run.base, 'GET', '/healthz')).status).to.equal(200);
}

function errorCode(body: Json): unknown {
  return (body.error as Json | undefined)?.code;
}

/** Opens a stream and answers 'open' or the refusal's message ("status 429"). */
function tryStream(url: string, localAddress?: string): Promise<string> {
  return openStream(url, { localAddress }).then(
    () => 'open',
    (err: Error) => err.message,
  );
}

function streamUrlFor(run: Running, started: Started, token = started.token): string {
  return `ws://127.0.0.1:${run.port}${DL}/conversations/${started.conversationId}/stream?t=${token}`;
}

describe('local Direct Line channel under abuse', function () {
  this.timeout(10_000);
  afterEach(cleanUp);

  describe('posted activities', () => {
    it('counts typing against the per-conversation cap and does not hand it to the bot', async () => {
      const run = await startEcho({ config: testConfig({ maxActivitiesPerConversation: 10 }) });
      const started = await startConversation(run.base);
      await waitForTexts(run.base, started, ['welcome']);
      const statuses: number[] = [];
      for (let i = 0; i < 30; i += 1) {
        const response = await post(run, started, { type: 'typing' });
        statuses.push(response.status);
        if (response.status !== 200) expect(errorCode(response.body)).to.equal('TooManyActivities');
      }
      // The welcome holds one place of ten.
      expect(statuses.filter((s) => s === 200)).to.have.length(9);
      expect(statuses.filter((s) => s === 429)).to.have.length(21);
      expect((await post(run, started, { type: 'message', text: 'more' })).status).to.equal(429);
      await run.channel!.settled();
      expect(run.bot.received).to.not.include('typing');
      await healthy(run);
    });

    it('limits posts per client address: 429 TooManyRequests with Retry-After and CORS headers', async () => {
      const config = testConfig({}, { MESSAGE_BURST: '5', MESSAGES_PER_MINUTE: '1' });
      const run = await startEcho({ config });
      const started = await startConversation(run.base);
      const origin = { Origin: run.base };
      const answers = [];
      for (let i = 0; i < 8; i += 1) {
        answers.push(await post(run, started, { type: i % 2 ? 'typing' : 'event', name: 'x' }, origin));
      }
      expect(answers.map((a) => a.status)).to.deep.equal([200, 200, 200, 200, 200, 429, 429, 429]);
      const refused = answers[7];
      expect(errorCode(refused.body)).to.equal('TooManyRequests');
      expect((refused.body.error as Json).message).to.be.a('string');
      expect(refused.headers.get('retry-after')).to.equal('60');
      expect(refused.headers.get('access-control-allow-origin')).to.equal(run.base);

      // Another client address has its own allowance.
      const other = await rawRequest(
        run.port,
        'POST',
        activitiesPath(started),
        { Authorization: `Bearer ${started.token}` },
        '127.0.0.2',
        JSON.stringify({ type: 'message', text: 'from elsewhere' }),
      );
      expect(other.status).to.equal(200);
      await healthy(run);
    });

    it('bounds the deliveries waiting for a slow bot: 429 beyond ten, nothing stored for the refused', async () => {
      const run = await startEcho();
      const started = await startConversation(run.base);
      await waitForTexts(run.base, started, ['welcome']);
      run.bot.pause();
      const answers = await Promise.all(
        Array.from({ length: 25 }, (_, i) => post(run, started, { type: 'message', text: `m${i}` })),
      );
      const accepted = answers.filter((a) => a.status === 200);
      const refused = answers.filter((a) => a.status === 429);
      expect(accepted).to.have.length(10);
      expect(refused).to.have.length(15);
      for (const r of refused) expect(errorCode(r.body)).to.equal('TooManyRequests');
      const log = (await activities(run.base, started)).activities;
      expect(log.filter((a) => a.from?.role === 'user')).to.have.length(10);
      await healthy(run);

      run.bot.resume();
      await run.channel!.settled();
      const replies = (await activities(run.base, started)).activities.filter((a) =>
        String(a.text).startsWith('echo: '),
      );
      expect(replies).to.have.length(10);
    });

    it('delivers the reply to the channel even when the client asks for expectReplies', async () => {
      const run = await startEcho();
      const started = await startConversation(run.base);
      const response = await post(run, started, {
        type: 'message',
        text: 'chest pain',
        deliveryMode: 'expectReplies',
      });
      expect(response.status).to.equal(200);
      const log = await waitForTexts(run.base, started, ['echo: chest pain']);
      expect(log.find((a) => a.text === 'chest pain')).to.not.have.property('deliveryMode');
    });

    it('refuses an activity over 32 KB with 413 and stores nothing', async () => {
      const run = await startEcho();
      const started = await startConversation(run.base);
      await waitForTexts(run.base, started, ['welcome']);
      const response = await post(run, started, { type: 'message', text: 'x'.repeat(40 * 1024) });
      expect(response.status).to.equal(413);
      expect(errorCode(response.body)).to.equal('MessageSizeTooBig');
      expect((await activities(run.base, started)).activities).to.have.length(1);
    });
    it('bounds what one conversation keeps of the client: large posts fill it long before the activity cap', async () => {
      const run = await startEcho();
      const started = await startConversation(run.base);
      const statuses: number[] = [];
      for (let i = 0; i < 30; i += 1) {
        const response = await post(run, started, { type: 'message', text: 'x'.repeat(30 * 1024) });
        statuses.push(response.status);
        if (response.status !== 200) expect(errorCode(response.body)).to.equal('TooManyActivities');
        // One at a time, so the bound on deliveries waiting for the bot is not what refuses them.
        await run.channel!.settled();
      }
      // 512 KB of the client's activities: 16 of 30 KB of text and their envelope.
      expect(statuses.filter((s) => s === 200)).to.have.length(16);
      await healthy(run);
    });
  });

  describe('starting conversations', () => {
    it('refuses an unusable Host header before creating anything', async () => {
      const run = await startEcho();
      const response = await rawRequest(run.port, 'POST', `${DL}/conversations`, { Host: 'a_b' });
      expect(response.status).to.equal(400);
      expect(run.channel!.store.size).to.equal(0);
      await run.channel!.settled();
      expect(run.bot.received).to.deep.equal([]);
    });

    it('gives each client address a share of the conversations; eviction frees it', async () => {
      let clock = Date.now();
      const config = testConfig({ maxConversationsPerClient: 3, startBurst: 100, idleMinutes: 5 });
      const run = await startEcho({ config, now: () => clock });
      for (let i = 0; i < 3; i += 1) await startConversation(run.base);
      for (const path of [`${DL}/conversations`, `${DL}/tokens/generate`]) {
        const refused = await http(run.base, 'POST', path, { body: {} });
        expect(refused.status, path).to.equal(429);
        expect(errorCode(refused.body)).to.equal('TooManyConversations');
        expect(refused.headers.get('retry-after')).to.be.a('string');
      }
      expect(run.channel!.store.size).to.equal(3);

      const other = await rawRequest(run.port, 'POST', `${DL}/conversations`, {}, '127.0.0.2');
      expect(other.status).to.equal(201);

      // The welcomes are sent before their conversations go idle.
      await run.channel!.settled();
      clock += 6 * 60_000;
      await startConversation(run.base);
      await healthy(run);
    });
  });

  describe('streams', () => {
    it('limits open streams per conversation and per client address with 429', async () => {
      const config = testConfig({ maxStreamsPerConversation: 2, maxStreamsPerClient: 3 });
      const run = await startEcho({ config });
      const a = await startConversation(run.base);
      const b = await startConversation(run.base);

      const first = await openStream(streamUrlFor(run, a));
      expect(await tryStream(streamUrlFor(run, a))).to.equal('open');
      expect(await tryStream(streamUrlFor(run, a)), 'third on one conversation').to.equal('status 429');
      expect(await tryStream(streamUrlFor(run, b))).to.equal('open');
      expect(await tryStream(streamUrlFor(run, b)), 'fourth from one address').to.equal('status 429');
      expect(await tryStream(streamUrlFor(run, b), '127.0.0.2'), 'another address').to.equal('open');

      // A closed stream frees its places.
      first.ws.close();
      await first.closed;
      // The server learns of the close a moment after the client.
      let reopened = 'not tried';
      for (let i = 0; i < 50 && reopened !== 'open'; i += 1) reopened = await tryStream(streamUrlFor(run, a));
      expect(reopened).to.equal('open');
      await healthy(run);
    });

    it('holds the per-conversation bound when many upgrades arrive at once on one token', async () => {
      const run = await startEcho();
      const a = await startConversation(run.base);
      const outcomes = await Promise.all(Array.from({ length: 60 }, () => tryStream(streamUrlFor(run, a))));
      expect(outcomes.filter((o) => o === 'open')).to.have.length(4);
      expect(outcomes.filter((o) => o === 'status 429')).to.have.length(56);
      await healthy(run);
    });

    it('closes a stream whose client stopped answering pings, and keeps the ones that answer', async () => {
      const run = await startEcho({ pingIntervalMs: 50 });
      const started = await startConversation(run.base);
      const gone = await openStream(streamUrlFor(run, started), { autoPong: false });
      const alive = await openStream(streamUrlFor(run, started));
      expect(await gone.closed).to.be.a('number');
      // The answering stream outlived several sweeps.
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(alive.ws.readyState).to.equal(WebSocket.OPEN);
    });

    it('closes a stream when its token expires; the client reconnects with its refreshed token', async () => {
      let clock = Date.now();
      const config = testConfig({ tokenTtlSeconds: 60 });
      const run = await startEcho({ config, now: () => clock, pingIntervalMs: 50 });
      const started = await startConversation(run.base);
      const stream = await openStream(started.streamUrl);
      clock += 50_000;
      const refreshed = await http(run.base, 'POST', `${DL}/tokens/refresh`, { token: started.token });
      expect(refreshed.status).to.equal(200);
      const token = refreshed.body.token as string;

      clock += 11_000; // the first token's hour has come
      expect(await stream.closed).to.be.a('number');
      const reconnect = await http(run.base, 'GET', `${DL}/conversations/${started.conversationId}`, {
        token,
      });
      expect(reconnect.status).to.equal(200);
      const again = await openStream(reconnect.body.streamUrl as string);
      await postMessage(run.base, { ...started, token }, 'back');
      await waitFor(
        () => again.frames.some((f) => (f.activities as Json[]).some((x) => x.text === 'echo: back')),
        'the reply on the new stream',
      );
    });
  });

  describe('tokens', () => {
    it('limits token refreshes per client address', async () => {
      const config = testConfig({}, { MESSAGE_BURST: '3', MESSAGES_PER_MINUTE: '1' });
      const run = await startEcho({ config });
      const started = await startConversation(run.base);
      let token = started.token;
      const statuses: number[] = [];
      for (let i = 0; i < 6; i += 1) {
        const response = await http(run.base, 'POST', `${DL}/tokens/refresh`, { token });
        statuses.push(response.status);
        if (response.status === 200) token = response.body.token as string;
        else {
          expect(errorCode(response.body)).to.equal('TooManyRequests');
          expect(response.headers.get('retry-after')).to.equal('60');
        }
      }
      expect(statuses).to.deep.equal([200, 200, 200, 429, 429, 429]);
    });

    it('revokes the previous token on refresh: 403 everywhere once the new one is used', async () => {
      const run = await startEcho();
      const started = await startConversation(run.base);
      await waitForTexts(run.base, started, ['welcome']);
      const refreshed = await http(run.base, 'POST', `${DL}/tokens/refresh`, { token: started.token });
      expect(refreshed.status).to.equal(200);
      const token = refreshed.body.token as string;
      // A superseded token never refreshes again, so a leaked one cannot be kept alive.
      expect(
        (await http(run.base, 'POST', `${DL}/tokens/refresh`, { token: started.token })).status,
      ).to.equal(403);
      expect((await activities(run.base, { ...started, token })).activities).to.have.length(1);

      const old = started.token;
      const conversation = `${DL}/conversations/${started.conversationId}`;
      expect((await http(run.base, 'GET', `${conversation}/activities`, { token: old })).status).to.equal(
        403,
      );
      expect(
        (
          await http(run.base, 'POST', `${conversation}/activities`, {
            token: old,
            body: { type: 'message' },
          })
        ).status,
      ).to.equal(403);
      expect((await http(run.base, 'GET', conversation, { token: old })).status).to.equal(403);
      expect((await http(run.base, 'POST', `${DL}/conversations`, { token: old })).status).to.equal(403);
      expect(await tryStream(streamUrlFor(run, started, old))).to.equal('status 403');
      expect((await http(run.base, 'GET', `${conversation}/activities`, { token })).status).to.equal(200);
    });

    it('lets a superseded token finish what was in flight for a short grace only', async () => {
      let clock = Date.now();
      const run = await startEcho({ now: () => clock });
      const started = await startConversation(run.base);
      const refreshed = await http(run.base, 'POST', `${DL}/tokens/refresh`, { token: started.token });
      expect(refreshed.status).to.equal(200);
      // A poll sent before the client saw the new token still works...
      expect(
        (await http(run.base, 'GET', activitiesPath(started), { token: started.token })).status,
      ).to.equal(200);
      clock += 31_000;
      // ...but not for long, even when the new token is never used.
      expect(
        (await http(run.base, 'GET', activitiesPath(started), { token: started.token })).status,
      ).to.equal(403);
    });

    it('keeps at most two tokens per conversation however often it is refreshed', async () => {
      const run = await startEcho();
      const started = await startConversation(run.base);
      let token = started.token;
      for (let i = 0; i < 40; i += 1) {
        const response = await http(run.base, 'POST', `${DL}/tokens/refresh`, { token });
        expect(response.status).to.equal(200);
        token = response.body.token as string;
      }
      expect(run.channel!.store.find(started.conversationId)!.tokens.size).to.be.at.most(2);
    });
  });
});
