// Anonymous mode must not let a caller of /api/messages choose where the bot sends its replies: over
// real HTTP with the real bot, a local "canary" server stands where an internal host would be.
import { expect } from 'chai';
import dns from 'node:dns';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp, type App } from '../index';
import { loadConfig } from '../config';
import { listen } from '../server/app';
import { silentLogger } from '../shared/log';
import { checkServiceUrl } from '../server/serviceUrlPolicy';

/**
 * A name that is not loopback, as an internal host's would be, but that this test resolves to
 * 127.0.0.1: the canary behind it then sees any request the bot makes there, and no traffic ever leaves
 * the machine (.invalid never resolves anywhere else).
 */
const CANARY_HOST = 'canary.invalid';

type LookupCallback = (err: NodeJS.ErrnoException | null, address: unknown, family?: number) => void;

class Canary {
  readonly requests: { method: string; url: string }[] = [];
  port = 0;
  private server = http.createServer((req, res) => {
    this.requests.push({ method: req.method ?? '', url: req.url ?? '' });
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ id: `reply-${this.requests.length}` }));
    });
  });

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', () => resolve()));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

let counter = 0;

function message(serviceUrl: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  counter += 1;
  return {
    type: 'message',
    id: `act-${counter}`,
    channelId: 'emulator',
    serviceUrl,
    conversation: { id: `conv-${counter}` },
    from: { id: 'user-1' },
    recipient: { id: 'bot' },
    text: 'What is Imnovid used for?',
    ...extra,
  };
}

async function post(base: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${base}/api/messages`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

describe('serviceUrl policy (pure)', () => {
  const anonymous = loadConfig({});

  it('accepts loopback service URLs in anonymous mode, however they are spelled', () => {
    for (const url of [
      'http://localhost:3978/',
      'http://LOCALHOST:5000/api',
      'http://127.0.0.1:9/never-called',
      'http://127.8.9.10/',
      'http://2130706433/',
      'http://[::1]:5000/',
      'http://[::ffff:127.0.0.1]:80/',
      'https://localhost/',
    ]) {
      expect(checkServiceUrl(message(url), anonymous), url).to.deep.equal({ ok: true });
    }
  });

  it('refuses every other service URL in anonymous mode, with a reason', () => {
    for (const url of [
      'http://10.0.0.5/',
      'http://169.254.169.254/latest/meta-data/',
      'http://192.168.1.1:8080/',
      'http://0.0.0.0:3978/',
      'https://smba.trafficmanager.net/emea/',
      'http://127.0.0.1@10.0.0.5/',
      'http://localhost.attacker.example/',
      'http://[fd00::1]/',
      'ftp://127.0.0.1/',
      'not a url',
    ]) {
      const verdict = checkServiceUrl(message(url), anonymous);
      expect(verdict.ok, url).to.equal(false);
      expect((verdict as { reason: string }).reason, url).to.match(/serviceUrl/);
    }
  });

  it('accepts origins listed in ANONYMOUS_SERVICE_URLS, only those origins', () => {
    const config = loadConfig({ ANONYMOUS_SERVICE_URLS: 'https://emulator.lan:5000/path, http://10.1.2.3' });
    expect(checkServiceUrl(message('https://emulator.lan:5000/other'), config).ok).to.equal(true);
    expect(checkServiceUrl(message('http://10.1.2.3/x'), config).ok).to.equal(true);
    expect(checkServiceUrl(message('http://emulator.lan:5000/'), config).ok, 'other scheme').to.equal(false);
    expect(checkServiceUrl(message('https://emulator.lan/'), config).ok, 'other port').to.equal(false);
    expect(checkServiceUrl(message('http://10.1.2.4/'), config).ok).to.equal(false);
  });

  it('lets expectReplies requests carry any serviceUrl: nothing is sent to it', () => {
    const verdict = checkServiceUrl(
      message('http://10.0.0.5/', { deliveryMode: 'expectReplies' }),
      anonymous,
    );
    expect(verdict).to.deep.equal({ ok: true });
    // Only the SDK's exact spelling makes the SDK buffer the replies.
    expect(
      checkServiceUrl(message('http://10.0.0.5/', { deliveryMode: 'ExpectReplies' }), anonymous).ok,
    ).to.equal(false);
  });

  it('leaves the app id path to the SDK, which authenticates the caller', () => {
    const config = loadConfig({ MicrosoftAppId: '00000000-0000-4000-8000-000000000001' });
    expect(checkServiceUrl(message('https://smba.trafficmanager.net/emea/'), config).ok).to.equal(true);
  });
});

describe('serviceUrl policy over HTTP (anonymous mode)', function () {
  this.timeout(20_000);
  const originalLookup = dns.lookup;
  const apps: App[] = [];
  let canary: Canary;

  async function start(env: Record<string, string> = {}): Promise<string> {
    const app = createApp(loadConfig({ LOG_LEVEL: 'error', ...env }), silentLogger);
    apps.push(app);
    return `http://127.0.0.1:${await listen(app.server, 0)}`;
  }

  before(async () => {
    canary = await new Canary().start();
    const patched = ((hostname: string, options: unknown, callback?: LookupCallback) => {
      const cb = (typeof options === 'function' ? options : callback) as LookupCallback;
      if (hostname !== CANARY_HOST) {
        return (originalLookup as (...args: unknown[]) => void).call(dns, hostname, options, callback);
      }
      const all = typeof options === 'object' && options !== null && (options as { all?: boolean }).all;
      if (all) cb(null, [{ address: '127.0.0.1', family: 4 }]);
      else cb(null, '127.0.0.1', 4);
    }) as typeof dns.lookup;
    dns.lookup = patched;
  });

  after(async () => {
    dns.lookup = originalLookup;
    await Promise.all(apps.splice(0).map((app) => app.close()));
    await canary.close();
  });

  beforeEach(() => {
    canary.requests.length = 0;
  });

  it('the canary name really reaches the canary (so the refusals below are meaningful)', async () => {
    const response = await fetch(`http://${CANARY_HOST}:${canary.port}/probe`, { method: 'POST' });
    expect(response.status).to.equal(200);
    expect(canary.requests.map((r) => r.url)).to.deep.equal(['/probe']);
  });

  it('refuses a non-loopback serviceUrl with 403 and a reason, and sends nothing there', async () => {
    const base = await start();
    const res = await post(base, message(`http://${CANARY_HOST}:${canary.port}/`));
    expect(res.status).to.equal(403);
    expect(res.json.error).to.equal('ServiceUrlNotAllowed');
    expect(res.json.message).to.match(/ANONYMOUS_SERVICE_URLS/);
    // The turn (and its reply) would have finished before the response: nothing may have arrived.
    expect(canary.requests).to.deep.equal([]);
  });

  it('sends the replies to a loopback serviceUrl (the Emulator)', async () => {
    const base = await start();
    const res = await post(base, message(`http://127.0.0.1:${canary.port}/`));
    expect(res.status).to.equal(200);
    expect(canary.requests.length).to.be.above(0);
    expect(canary.requests[0].method).to.equal('POST');
    expect(canary.requests[0].url).to.match(/^\/v3\/conversations\/conv-\d+\/activities/);
  });

  it('sends the replies to an origin listed in ANONYMOUS_SERVICE_URLS', async () => {
    const base = await start({ ANONYMOUS_SERVICE_URLS: `http://${CANARY_HOST}:${canary.port}` });
    const res = await post(base, message(`http://${CANARY_HOST}:${canary.port}/`));
    expect(res.status).to.equal(200);
    expect(canary.requests.length).to.be.above(0);
    expect(canary.requests[0].url).to.match(/^\/v3\/conversations\//);
  });

  it('answers expectReplies requests in the response whatever their serviceUrl, calling nothing', async () => {
    const base = await start();
    const res = await post(
      base,
      message(`http://${CANARY_HOST}:${canary.port}/`, { deliveryMode: 'expectReplies' }),
    );
    expect(res.status).to.equal(200);
    const replies = (res.json.activities as { type: string }[]).filter((a) => a.type === 'message');
    expect(replies).to.have.length(1);
    expect(canary.requests).to.deep.equal([]);
  });

  it('with an app id, leaves the caller to the SDK: an unauthenticated request gets 401, nothing sent', async () => {
    const base = await start({
      MicrosoftAppId: '00000000-0000-4000-8000-000000000001',
      MicrosoftAppPassword: 'not-used',
    });
    const res = await post(base, message(`http://${CANARY_HOST}:${canary.port}/`));
    expect(res.status).to.equal(401);
    expect(canary.requests).to.deep.equal([]);
  });
});
