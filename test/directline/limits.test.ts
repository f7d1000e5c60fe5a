// Local Direct Line lifetimes and limits: idle conversations dropped, start rate per address, memory bounds.
import { expect } from 'chai';
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
  waitForTexts,
  type Json,
} from './server';

describe('local Direct Line channel', function () {
  afterEach(cleanUp);

  describe('over plain HTTP', () => {
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
  });
});
