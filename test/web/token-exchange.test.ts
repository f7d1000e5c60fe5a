// The web channel's Azure Direct Line token exchange, against a local stand-in for Azure's token service.
import { expect } from 'chai';
import {
  FakeAzure,
  HOSPITAL,
  SECRET,
  closeStarted,
  cspOf,
  get,
  pageConfigOf,
  rawRequest,
  start,
  type Running,
} from './helpers';

after(closeStarted);

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
