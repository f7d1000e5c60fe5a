// The local Direct Line channel driven by botframework-directlinejs itself, over polling and WebSocket.
import { expect } from 'chai';
import { ConnectionStatus, type Activity as DlActivity } from 'botframework-directlinejs';
import { cleanUp, startEcho, waitFor, type Json } from './server';
import { connectClient, useDirectLineGlobals } from './client';

describe('local Direct Line channel', function () {
  useDirectLineGlobals();

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
});
