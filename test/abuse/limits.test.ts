// Per-client limits and memory bounds through the real app (in process, so the tests can set small
// limits and look at the state store): message posts per address, proxies, conversation state.
import { expect } from 'chai';
import { createApp, type App } from '../../index';
import { loadConfig } from '../../config';
import { silentLogger } from '../../shared/log';
import { listen } from '../../server/app';
import { BoundedMemoryStorage } from '../../server/storage';
import { channelActivity } from '../activities';

const apps: App[] = [];

async function start(env: Record<string, string>): Promise<{ app: App; base: string }> {
  const app = createApp(loadConfig({ LOG_LEVEL: 'error', ...env }), silentLogger);
  apps.push(app);
  return { app, base: `http://127.0.0.1:${await listen(app.server, 0)}` };
}

function post(base: string, conversationId: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${base}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(channelActivity(conversationId, { text: 'what is imnovid used for?' })),
  });
}

async function statuses(
  base: string,
  count: number,
  headers: Record<string, string> = {},
): Promise<number[]> {
  const seen: number[] = [];
  for (let i = 0; i < count; i += 1) {
    const res = await post(base, `limits-${i}`, headers);
    await res.arrayBuffer();
    seen.push(res.status);
  }
  return seen;
}

describe('abuse: per-client limits and memory bounds', () => {
  after(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
  });

  it('limits message posts per client address in anonymous mode, with 429, a reason and Retry-After', async () => {
    const { base } = await start({ MESSAGE_BURST: '3', MESSAGES_PER_MINUTE: '1' });
    expect(await statuses(base, 3)).to.deep.equal([200, 200, 200]);
    const refused = await post(base, 'limits-x');
    expect(refused.status).to.equal(429);
    expect(refused.headers.get('retry-after')).to.equal('60');
    expect(((await refused.json()) as { message: string }).message).to.match(/Too many messages/);
    // A forged X-Forwarded-For from a client that is not a configured proxy changes nothing.
    expect(await statuses(base, 1, { 'x-forwarded-for': '203.0.113.9' })).to.deep.equal([429]);
  });

  it('believes X-Forwarded-For only from TRUSTED_PROXIES, and then limits each client behind the proxy', async () => {
    const { base } = await start({
      MESSAGE_BURST: '2',
      MESSAGES_PER_MINUTE: '1',
      TRUSTED_PROXIES: '127.0.0.1',
    });
    const alice = { 'x-forwarded-for': '203.0.113.1' };
    expect(await statuses(base, 3, alice)).to.deep.equal([200, 200, 429]);
    expect(await statuses(base, 1, { 'x-forwarded-for': '203.0.113.2' })).to.deep.equal([200]);
    // The client is the nearest hop our proxy did not add: a spoofed first hop does not help Alice.
    expect(await statuses(base, 1, { 'x-forwarded-for': '198.51.100.7, 203.0.113.1' })).to.deep.equal([429]);
  });

  it('counts a web chat message once: the local Direct Line hands it to the bot in process, not through /api/messages', async () => {
    const { base } = await start({ MESSAGE_BURST: '4', MESSAGES_PER_MINUTE: '1' });
    const started = await fetch(`${base}/v3/directline/conversations`, { method: 'POST' });
    const { conversationId, token } = (await started.json()) as { conversationId: string; token: string };
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const url = `${base}/v3/directline/conversations/${conversationId}/activities`;
    for (let i = 0; i < 4; i += 1) {
      const res = await fetch(url, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          type: 'message',
          from: { id: 'web-user' },
          text: 'what is imnovid used for?',
        }),
      });
      expect(res.status).to.equal(200);
    }
    const botReplies = async (): Promise<number> => {
      const res = await fetch(url, { headers });
      const { activities } = (await res.json()) as {
        activities: { from: { role?: string }; replyToId?: string }[];
      };
      return activities.filter((a) => a.from.role === 'bot' && a.replyToId).length;
    };
    for (let tries = 0; tries < 100 && (await botReplies()) < 4; tries += 1) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(await botReplies()).to.equal(4);
    // Posts and /api/messages share the address's allowance: the four posts spent all of it, and the
    // deliveries (the greeting's included) none.
    expect(await statuses(base, 1)).to.deep.equal([429]);
  });

  it('does not limit authenticated Bot Connector traffic by address', async () => {
    const { base } = await start({ MESSAGE_BURST: '2', MESSAGES_PER_MINUTE: '1', MicrosoftAppId: 'app-id' });
    // No valid token here, so each is refused by authentication, never by the address limit.
    expect(await statuses(base, 5)).to.deep.equal([401, 401, 401, 401, 401]);
  });

  it('keeps conversation state for at most STATE_MAX_CONVERSATIONS conversations, the latest still working', async () => {
    const { app, base } = await start({ MESSAGES_PER_MINUTE: '0', STATE_MAX_CONVERSATIONS: '50' });
    const storage = app.storage as BoundedMemoryStorage;
    expect(storage).to.be.instanceOf(BoundedMemoryStorage);
    const startFlow = (conversationId: string): Promise<Response> =>
      fetch(`${base}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(channelActivity(conversationId, { text: 'how do I take it' })),
      });
    for (let i = 0; i < 200; i += 1) await (await startFlow(`bounded-${i}`)).arrayBuffer();
    expect(storage.size).to.be.at.most(50);
    expect(storage.size).to.be.at.least(40);
    // A number answers the flow's question only where the flow's state is still kept.
    const reply = async (conversationId: string): Promise<string> => {
      const res = await fetch(`${base}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(channelActivity(conversationId, { text: '1' })),
      });
      const body = (await res.json()) as { activities: { type: string; text?: string }[] };
      return body.activities.map((a) => a.text ?? '').join('\n');
    };
    // A flow's final answer: the short source line (issue 14).
    expect(await reply('bounded-199')).to.include('Source: EMA overview, April 2019.');
    expect(await reply('bounded-0')).to.match(/tell me a little more/);
  });
});
