// Local Direct Line tokens: who is refused with 403, refreshing a token, and starting from a generated one.
import { expect } from 'chai';
import {
  cleanUp,
  http,
  postMessage,
  startConversation,
  startEcho,
  testConfig,
  waitForTexts,
  type Json,
  type Started,
} from './server';

describe('local Direct Line channel', function () {
  afterEach(cleanUp);

  describe('over plain HTTP', () => {
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
  });
});
