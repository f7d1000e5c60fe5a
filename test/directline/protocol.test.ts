// The local Direct Line 3.0 protocol over HTTP and WebSocket: start, post, replay, stream frames, refusals.
import { expect } from 'chai';
import WebSocket from 'ws';
import { type WireActivity } from '../../channels/directline';
import {
  activities,
  cleanUp,
  http,
  openStream,
  postMessage,
  startConversation,
  startEcho,
  testConfig,
  waitFor,
  waitForTexts,
} from './server';

describe('local Direct Line channel', function () {
  afterEach(cleanUp);

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
      expect((echo.recipient as { id: string }).id).to.equal('medicine-info-bot');

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
});
