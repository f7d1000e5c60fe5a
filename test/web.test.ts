// The web channel over real HTTP: the chat page and its security headers, the Web Chat bundle served from
// node_modules, embed.js, the demo page, and the Azure token exchange against a local stand-in for Azure.
import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Script } from 'node:vm';
import { gunzipSync } from 'node:zlib';
import { createApp, type App } from '../index';
import { loadConfig } from '../config';
import { listen } from '../server/app';
import { createLogger } from '../shared/log';
import { webChatPackageDir } from '../channels/web/assets';
import webTexts from '../channels/web/texts.json';

const SECRET = 'test-secret-Zq8w3kP0xYv7';
const HOSPITAL = 'https://www.hospital.example';

interface Running {
  app: App;
  base: string;
  origin: string;
  logLines: string[];
}

const running: Running[] = [];

async function start(env: Record<string, string> = {}): Promise<Running> {
  const logLines: string[] = [];
  const config = loadConfig({ LOG_LEVEL: 'error', ...env });
  // Debug level, captured: the tests check that no secret or user id reaches the log.
  const app = createApp(
    config,
    createLogger('debug', (line) => logLines.push(line)),
  );
  const port = await listen(app.server, 0);
  const base = `http://127.0.0.1:${port}`;
  const run = { app, base, origin: base, logLines };
  running.push(run);
  return run;
}

after(async () => {
  await Promise.all(running.splice(0).map((r) => r.app.close()));
});

interface Recorded {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: unknown;
}

/** A stand-in for Azure's Direct Line token service that records what it is sent. */
class FakeAzure {
  readonly requests: Recorded[] = [];
  reply: (req: Recorded) => { status: number; body: string } = () => ({
    status: 200,
    body: JSON.stringify({ conversationId: 'azure-conv-1', token: 'azure-token-1', expires_in: 1800 }),
  });
  private server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const recorded: Recorded = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: text ? (JSON.parse(text) as unknown) : undefined,
      };
      this.requests.push(recorded);
      const { status, body } = this.reply(recorded);
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(body);
    });
  });
  url = '';

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', () => resolve()));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

async function get(
  base: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; body: Buffer }> {
  const response = await fetch(`${base}${path}`, { headers });
  return {
    status: response.status,
    headers: response.headers,
    body: Buffer.from(await response.arrayBuffer()),
  };
}

/** Raw GET without fetch's automatic decompression. */
function rawGet(
  base: string,
  path: string,
  headers: Record<string, string>,
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get(`${base}${path}`, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
      })
      .on('error', reject);
  });
}

/** A request through node:http, which (unlike fetch) lets the test choose the Host header. */
function rawRequest(
  base: string,
  method: string,
  path: string,
  headers: Record<string, string>,
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}${path}`, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
    });
    req.on('error', reject);
    req.end(method === 'POST' ? '{}' : undefined);
  });
}

async function requestToken(
  base: string,
  origin: string | undefined,
  method = 'POST',
): Promise<{ status: number; headers: Headers; text: string; json: Record<string, unknown> }> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (origin) headers.Origin = origin;
  if (method === 'OPTIONS') {
    headers['Access-Control-Request-Method'] = 'POST';
    headers['Access-Control-Request-Headers'] = 'content-type';
  }
  const response = await fetch(`${base}/api/directline/token`, {
    method,
    headers,
    body: method === 'POST' ? '{}' : undefined,
  });
  const text = await response.text();
  let json: Record<string, unknown> = {};
  try {
    json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    json = {};
  }
  return { status: response.status, headers: response.headers, text, json };
}

function cspOf(headers: Headers): Map<string, string[]> {
  const csp = headers.get('content-security-policy') ?? '';
  return new Map(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map((parts) => [parts[0], parts.slice(1)]),
  );
}

function pageConfigOf(html: string): {
  botName: string;
  accent: string;
  directLine: { mode: string; domain: string; tokenUrl: string };
} {
  const match = /<script type="application\/json" id="imnovid-config">([^<]*)<\/script>/.exec(html);
  expect(match, 'page config element').to.not.equal(null);
  return JSON.parse((match as RegExpExecArray)[1]) as ReturnType<typeof pageConfigOf>;
}

function scriptTags(html: string): string[] {
  return [...html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[0]);
}

const bundlePath = join(webChatPackageDir(), 'dist', 'webchat.js');
const bundleVersion = (
  JSON.parse(readFileSync(join(webChatPackageDir(), 'package.json'), 'utf8')) as { version: string }
).version;

describe('web channel: pages and assets', () => {
  let local: Running;

  before(async () => {
    local = await start({ EMERGENCY_NUMBER: '999' });
  });

  it('serves the chat page with a strict CSP and no inline script', async () => {
    const res = await get(local.base, '/');
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.match(/^text\/html/);
    const csp = cspOf(res.headers);
    expect(csp.get('default-src')).to.deep.equal(["'self'"]);
    expect(csp.get('script-src')).to.deep.equal(["'self'"]);
    expect(csp.get('object-src')).to.deep.equal(["'none'"]);
    expect(csp.get('base-uri')).to.deep.equal(["'none'"]);
    expect(csp.get('frame-ancestors')).to.deep.equal(["'self'"]);
    // The local channel's WebSocket stream is on this same host.
    expect(csp.get('connect-src')).to.include(`ws://${new URL(local.base).host}`);
    expect(res.headers.get('x-content-type-options')).to.equal('nosniff');
    expect(res.headers.get('referrer-policy')).to.equal('strict-origin-when-cross-origin');
    expect(res.headers.get('permissions-policy')).to.contain('microphone=()');

    const html = res.body.toString('utf8');
    for (const tag of scriptTags(html)) {
      // Either an external script of ours or inert JSON: nothing the CSP would have to allow inline.
      expect(tag).to.match(/^<script (src="\/[^"]+"|type="application\/json")/);
    }
    expect(html).to.contain(`<script src="/static/webchat-${bundleVersion}.js" defer></script>`);
    expect(html).to.not.match(/https?:\/\/(?!www\.w3\.org)[^"' ]*\.(js|css)\b/);
    expect(html).to.contain('<strong>999</strong>');
    const config = pageConfigOf(html);
    expect(config.directLine).to.deep.equal({
      mode: 'local',
      domain: '/v3/directline',
      tokenUrl: '/v3/directline/tokens/generate',
    });
    expect(config.botName).to.be.a('string').and.not.equal('');
  });

  it('serves the Web Chat bundle byte for byte from node_modules, cached and compressed', async () => {
    const expected = readFileSync(bundlePath);
    const path = `/static/webchat-${bundleVersion}.js`;
    const plain = await rawGet(local.base, path, {});
    expect(plain.status).to.equal(200);
    expect(plain.headers['content-type']).to.match(/^application\/javascript/);
    expect(plain.headers['cache-control']).to.contain('immutable');
    expect(createHash('sha256').update(plain.body).digest('hex')).to.equal(
      createHash('sha256').update(expected).digest('hex'),
    );

    const gzipped = await rawGet(local.base, path, { 'Accept-Encoding': 'gzip' });
    expect(gzipped.headers['content-encoding']).to.equal('gzip');
    expect(gzipped.body.length).to.be.below(expected.length / 2);
    expect(gunzipSync(gzipped.body).equals(expected)).to.equal(true);

    const again = await rawGet(local.base, path, { 'If-None-Match': String(plain.headers.etag) });
    expect(again.status).to.equal(304);
    expect(again.body.length).to.equal(0);
  });

  it('serves the page script and styles the page refers to', async () => {
    const html = (await get(local.base, '/')).body.toString('utf8');
    const refs = [...html.matchAll(/(?:src|href)="(\/static\/[^"]+)"/g)].map((m) => m[1]);
    expect(refs).to.have.length(3);
    for (const ref of refs) {
      const res = await get(local.base, ref);
      expect(res.status, ref).to.equal(200);
      expect(res.body.length, ref).to.be.above(500);
    }
  });

  it('serves embed.js with the widget texts filled in and valid JavaScript', async () => {
    const res = await get(local.base, '/embed.js');
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.match(/^application\/javascript/);
    expect(res.headers.get('cross-origin-resource-policy')).to.equal('cross-origin');
    expect(res.headers.get('cache-control')).to.equal('public, max-age=300');
    const source = res.body.toString('utf8');
    expect(source).to.not.contain('filled in by the server');
    expect(source).to.contain(JSON.stringify(webTexts.widget.launcher));
    expect(() => new Script(source)).to.not.throw();
  });

  it('serves the demo hospital page with the widget embedded by one script tag', async () => {
    const res = await get(local.base, '/demo');
    expect(res.status).to.equal(200);
    expect(cspOf(res.headers).get('script-src')).to.deep.equal(["'self'"]);
    const html = res.body.toString('utf8');
    const tags = scriptTags(html);
    expect(tags).to.have.length(1);
    expect(tags[0]).to.match(/^<script src="\/embed\.js" data-position="right" data-accent="#[0-9a-f]{6}"/);
    expect(tags[0]).to.contain('data-title="Questions about Imnovid?"');
    expect(tags[0]).to.contain('data-lang="en"');
  });

  it('answers HEAD like GET, without the body, for the pages, embed.js and the bundle', async () => {
    for (const [path, headers] of [
      ['/', {}],
      ['/demo', {}],
      ['/embed.js', {}],
      ['/embed.js', { 'Accept-Encoding': 'gzip' }],
      [`/static/webchat-${bundleVersion}.js`, { 'Accept-Encoding': 'gzip' }],
    ] as const) {
      const label = `HEAD ${path} ${JSON.stringify(headers)}`;
      const got = await rawRequest(local.base, 'GET', path, headers);
      const head = await rawRequest(local.base, 'HEAD', path, headers);
      expect(head.status, label).to.equal(200);
      expect(head.body.length, label).to.equal(0);
      expect(got.body.length, label).to.be.above(0);
      for (const name of ['content-type', 'content-length', 'cache-control', 'content-encoding', 'etag']) {
        expect(head.headers[name], `${label} ${name}`).to.equal(got.headers[name]);
      }
      expect(Number(head.headers['content-length']), label).to.equal(got.body.length);
    }
    const embed = await rawRequest(local.base, 'HEAD', '/embed.js', {});
    expect(embed.headers['cross-origin-resource-policy']).to.equal('cross-origin');
    const page = await rawRequest(local.base, 'HEAD', '/', {});
    expect(page.headers['content-security-policy']).to.contain("frame-ancestors 'self'");
  });

  it('lets only ALLOWED_ORIGINS frame the chat page, and nobody else frame the demo', async () => {
    const withHospital = await start({ ALLOWED_ORIGINS: `${HOSPITAL}, not an origin` });
    const chat = cspOf((await get(withHospital.base, '/')).headers);
    expect(chat.get('frame-ancestors')).to.deep.equal(["'self'", HOSPITAL]);
    const demo = cspOf((await get(withHospital.base, '/demo')).headers);
    expect(demo.get('frame-ancestors')).to.deep.equal(["'self'"]);
  });
});

describe('web channel: Azure Direct Line token exchange', () => {
  let azure: FakeAzure;
  let server: Running;

  before(async () => {
    azure = await new FakeAzure().start();
    server = await start({
      DIRECT_LINE_SECRET: SECRET,
      DIRECT_LINE_ENDPOINT: azure.url,
      ALLOWED_ORIGINS: HOSPITAL,
      // Every test here asks for tokens from one address; the limit has its own test.
      CONVERSATION_START_BURST: '1000',
    });
  });

  after(() => azure.close());

  beforeEach(() => {
    azure.requests.length = 0;
    azure.reply = () => ({
      status: 200,
      body: JSON.stringify({ conversationId: 'azure-conv-1', token: 'azure-token-1', expires_in: 1800 }),
    });
  });

  it('points the chat page at Azure Direct Line without putting the secret in the page', async () => {
    const res = await get(server.base, '/');
    const html = res.body.toString('utf8');
    expect(html).to.not.contain(SECRET);
    expect(pageConfigOf(html).directLine).to.deep.equal({
      mode: 'azure',
      domain: `${azure.url}/v3/directline`,
      tokenUrl: '/api/directline/token',
    });
    const connect = cspOf(res.headers).get('connect-src') ?? [];
    expect(connect).to.include(azure.url);
    expect(connect).to.include(azure.url.replace(/^http/, 'ws'));
  });

  it('exchanges the secret for a token for the chat page itself (same origin)', async () => {
    const res = await requestToken(server.base, server.origin);
    expect(res.status).to.equal(200);
    expect(res.headers.get('cache-control')).to.equal('no-store');
    expect(res.json).to.have.keys(['token', 'conversationId', 'expires_in', 'userId']);
    expect(res.json.token).to.equal('azure-token-1');
    expect(res.json.conversationId).to.equal('azure-conv-1');
    expect(res.json.expires_in).to.equal(1800);
    expect(res.json.userId).to.match(/^dl_[0-9a-f]{32}$/);

    expect(azure.requests).to.have.length(1);
    const sent = azure.requests[0];
    expect(sent.method).to.equal('POST');
    expect(sent.url).to.equal('/v3/directline/tokens/generate');
    expect(sent.headers.authorization).to.equal(`Bearer ${SECRET}`);
    expect(sent.headers['content-type']).to.match(/^application\/json/);
    const body = sent.body as { user: { id: string }; trustedOrigins: string[] };
    expect(body.user.id).to.equal(res.json.userId);
    expect(body.trustedOrigins).to.deep.equal([server.origin]);

    expect(res.text).to.not.contain(SECRET);
    res.headers.forEach((value) => expect(value).to.not.contain(SECRET));
    expect(server.logLines.join('\n')).to.not.contain(SECRET);
    expect(server.logLines.join('\n')).to.not.contain(String(res.json.userId));
  });

  it('gives every token request its own user id', async () => {
    const first = await requestToken(server.base, server.origin);
    const second = await requestToken(server.base, server.origin);
    expect(first.json.userId).to.not.equal(second.json.userId);
  });

  it('answers an allowed hospital origin with CORS headers and trusts that origin', async () => {
    const preflight = await requestToken(server.base, HOSPITAL, 'OPTIONS');
    expect(preflight.status).to.equal(204);
    expect(preflight.headers.get('access-control-allow-origin')).to.equal(HOSPITAL);
    expect(preflight.headers.get('access-control-allow-methods')).to.contain('POST');
    expect(preflight.headers.get('access-control-allow-headers')?.toLowerCase()).to.contain('content-type');

    const res = await requestToken(server.base, HOSPITAL);
    expect(res.status).to.equal(200);
    expect(res.headers.get('access-control-allow-origin')).to.equal(HOSPITAL);
    expect(res.headers.get('vary')).to.contain('Origin');
    const body = azure.requests[0].body as { trustedOrigins: string[] };
    expect(body.trustedOrigins).to.include(HOSPITAL);
    expect(res.text).to.not.contain(SECRET);
  });

  it('refuses other origins, and requests without an origin, with 403 and a reason', async () => {
    for (const origin of ['https://evil.example', undefined]) {
      const res = await requestToken(server.base, origin);
      expect(res.status, String(origin)).to.equal(403);
      expect(res.json.error).to.equal('origin_not_allowed');
      expect(res.json.reason).to.be.a('string').and.not.equal('');
      expect(res.headers.get('access-control-allow-origin')).to.equal(null);
      expect(res.text).to.not.contain(SECRET);
    }
    const preflight = await requestToken(server.base, 'https://evil.example', 'OPTIONS');
    expect(preflight.status).to.equal(403);
    expect(preflight.headers.get('access-control-allow-origin')).to.equal(null);
    expect(azure.requests).to.have.length(0);
  });

  it('answers 502 with a reason when Azure refuses, and never passes on its body', async () => {
    azure.reply = () => ({
      status: 403,
      body: JSON.stringify({ error: { message: `bad secret ${SECRET}` } }),
    });
    const res = await requestToken(server.base, server.origin);
    expect(res.status).to.equal(502);
    expect(res.json.error).to.equal('direct_line_unavailable');
    expect(res.json.reason).to.contain('403');
    expect(res.text).to.not.contain(SECRET);
  });

  it('answers 502 when Azure sends something that is not a token, or echoes the secret', async () => {
    for (const body of [
      'not json',
      JSON.stringify({ conversationId: 'c' }),
      JSON.stringify({ conversationId: 'c', token: `x${SECRET}` }),
    ]) {
      azure.reply = () => ({ status: 200, body });
      const res = await requestToken(server.base, server.origin);
      expect(res.status, body).to.equal(502);
      expect(res.json.reason).to.be.a('string').and.not.equal('');
      expect(res.text).to.not.contain(SECRET);
    }
  });

  it('answers 502 when Azure cannot be reached', async () => {
    const gone = await new FakeAzure().start();
    await gone.close();
    const unreachable = await start({ DIRECT_LINE_SECRET: SECRET, DIRECT_LINE_ENDPOINT: gone.url });
    const res = await requestToken(unreachable.base, unreachable.origin);
    expect(res.status).to.equal(502);
    expect(res.json.reason).to.match(/could not be reached/);
  });

  it('accepts an endpoint given with the /v3/directline path', async () => {
    const withPath = await start({
      DIRECT_LINE_SECRET: SECRET,
      DIRECT_LINE_ENDPOINT: `${azure.url}/v3/directline/`,
    });
    const res = await requestToken(withPath.base, withPath.origin);
    expect(res.status).to.equal(200);
    expect(azure.requests.map((r) => r.url)).to.deep.equal(['/v3/directline/tokens/generate']);
    const html = (await get(withPath.base, '/')).body.toString('utf8');
    expect(pageConfigOf(html).directLine.domain).to.equal(`${azure.url}/v3/directline`);
  });

  it('refuses a DNS-rebinding origin: a Host that is not loopback is not proof of same origin', async () => {
    const port = new URL(server.base).port;
    const rebound = await rawRequest(server.base, 'POST', '/api/directline/token', {
      Host: `rebind.attacker.example:${port}`,
      Origin: `http://rebind.attacker.example:${port}`,
      'Content-Type': 'application/json',
    });
    expect(rebound.status).to.equal(403);
    expect(JSON.parse(rebound.body.toString()).reason).to.match(/PUBLIC_BASE_URL/);
    const localhost = await rawRequest(server.base, 'POST', '/api/directline/token', {
      Host: `localhost:${port}`,
      Origin: `http://localhost:${port}`,
      'Content-Type': 'application/json',
    });
    expect(localhost.status).to.equal(200);
    expect(azure.requests).to.have.length(1);
    expect((azure.requests[0].body as { trustedOrigins: string[] }).trustedOrigins).to.deep.equal([
      `http://localhost:${port}`,
    ]);
  });

  it('with PUBLIC_BASE_URL set, takes only that as the page origin, whatever the Host says', async () => {
    const published = await start({
      DIRECT_LINE_SECRET: SECRET,
      DIRECT_LINE_ENDPOINT: azure.url,
      PUBLIC_BASE_URL: 'https://bot.hospital.example',
    });
    // The Host header matches the Origin, as it does for a page loaded through a rebound name.
    const byHost = await requestToken(published.base, published.origin);
    expect(byHost.status).to.equal(403);
    const port = new URL(published.base).port;
    const rebound = await rawRequest(published.base, 'POST', '/api/directline/token', {
      Host: `rebind.attacker.example:${port}`,
      Origin: `http://rebind.attacker.example:${port}`,
      'Content-Type': 'application/json',
    });
    expect(rebound.status).to.equal(403);
    expect(azure.requests).to.have.length(0);

    const ok = await requestToken(published.base, 'https://bot.hospital.example');
    expect(ok.status).to.equal(200);
    expect((azure.requests[0].body as { trustedOrigins: string[] }).trustedOrigins).to.deep.equal([
      'https://bot.hospital.example',
    ]);
  });

  it('limits tokens per client address with 429, a reason and Retry-After', async () => {
    const limited = await start({
      DIRECT_LINE_SECRET: SECRET,
      DIRECT_LINE_ENDPOINT: azure.url,
      ALLOWED_ORIGINS: HOSPITAL,
      CONVERSATION_START_BURST: '2',
      CONVERSATION_STARTS_PER_MINUTE: '1',
    });
    expect((await requestToken(limited.base, limited.origin)).status).to.equal(200);
    expect((await requestToken(limited.base, HOSPITAL)).status).to.equal(200);
    const refused = await requestToken(limited.base, HOSPITAL);
    expect(refused.status).to.equal(429);
    expect(refused.headers.get('retry-after')).to.equal('60');
    expect(refused.json.error).to.equal('too_many_requests');
    expect(refused.json.reason).to.match(/Too many new conversations/);
    // The hospital page may read the refusal, and its Retry-After.
    expect(refused.headers.get('access-control-allow-origin')).to.equal(HOSPITAL);
    expect(refused.headers.get('access-control-expose-headers')).to.contain('Retry-After');
    expect(refused.text).to.not.contain(SECRET);
    expect(azure.requests).to.have.length(2);
    // The local Direct Line on the same server draws on the same allowance.
    const local = await fetch(`${limited.base}/v3/directline/conversations`, { method: 'POST' });
    expect(local.status).to.equal(429);
  });

  it('says so with a 4xx when no secret is configured', async () => {
    const local = await start();
    const res = await requestToken(local.base, local.origin);
    expect(res.status).to.equal(404);
    expect(res.json.error).to.equal('direct_line_not_configured');
    expect(res.json.reason).to.match(/DIRECT_LINE_SECRET/);
  });
});

describe('web channels: one origin policy', () => {
  let azure: FakeAzure;
  let server: Running;

  before(async () => {
    azure = await new FakeAzure().start();
    // The local Direct Line is mounted too (no app id): both doors of the same server.
    server = await start({
      DIRECT_LINE_SECRET: SECRET,
      DIRECT_LINE_ENDPOINT: azure.url,
      ALLOWED_ORIGINS: HOSPITAL,
    });
  });

  after(() => azure.close());

  it('the token endpoint and the local Direct Line agree on every origin', async () => {
    const port = new URL(server.base).port;
    const cases: { label: string; headers: Record<string, string>; allowed: boolean }[] = [
      { label: 'our page (loopback)', headers: { Origin: server.origin }, allowed: true },
      {
        label: 'our page (localhost)',
        headers: { Host: `localhost:${port}`, Origin: `http://localhost:${port}` },
        allowed: true,
      },
      { label: 'allowed hospital', headers: { Origin: HOSPITAL }, allowed: true },
      {
        label: 'allowed hospital, other spelling',
        headers: { Origin: 'HTTPS://WWW.Hospital.Example:443' },
        allowed: true,
      },
      { label: 'other site', headers: { Origin: 'https://evil.example' }, allowed: false },
      { label: 'hospital over http', headers: { Origin: 'http://www.hospital.example' }, allowed: false },
      { label: 'opaque origin', headers: { Origin: 'null' }, allowed: false },
      {
        label: 'DNS rebinding',
        headers: {
          Host: `rebind.attacker.example:${port}`,
          Origin: `http://rebind.attacker.example:${port}`,
        },
        allowed: false,
      },
    ];
    for (const { label, headers, allowed } of cases) {
      const all = { 'Content-Type': 'application/json', ...headers };
      const token = await rawRequest(server.base, 'POST', '/api/directline/token', all);
      const local = await rawRequest(server.base, 'POST', '/v3/directline/conversations', all);
      expect(token.status, `token: ${label}`).to.equal(allowed ? 200 : 403);
      expect(local.status, `direct line: ${label}`).to.equal(allowed ? 201 : 403);
      const expectedCors = allowed && headers.Origin === HOSPITAL ? HOSPITAL : undefined;
      if (headers.Origin === HOSPITAL) {
        expect(token.headers['access-control-allow-origin'], label).to.equal(expectedCors);
        expect(local.headers['access-control-allow-origin'], label).to.equal(expectedCors);
      }
      if (!allowed) {
        expect(token.headers['access-control-allow-origin'], `token: ${label}`).to.equal(undefined);
        expect(local.headers['access-control-allow-origin'], `direct line: ${label}`).to.equal(undefined);
      }
    }
  });
});
