// Abuse suite for the HTTP surface, against the bot as `npm start` runs it (a child process, anonymous
// mode, default limits unless a case says otherwise). Each case asserts outcomes: status codes, the
// process still answering, its memory and temp folder, and what its logs hold.
import { expect } from 'chai';
import { readdirSync } from 'node:fs';
import net from 'node:net';
import { gzipSync } from 'node:zlib';
import WebSocket from 'ws';
import { startServerProcess, type ServerProcess } from './serverProcess';
import { rawHttp, type RawOptions, type RawReply } from '../rawHttp';

/** Strings that must never reach a log line: message text, user ids, tokens. */
const SECRET_TEXT = 'SECRETTEXT-what-is-imnovid-for';
const SECRET_USER = 'SECRETUSER-4711';
const SECRET_TOKEN = 'SECRETTOKEN';

function request(
  base: string,
  method: string,
  path: string,
  headers: Record<string, string | number> = {},
  body?: RawOptions['body'],
): Promise<RawReply> {
  return rawHttp(`${base}${path}`, { method, headers, body });
}

const json = { 'content-type': 'application/json' };

function activity(fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'message',
    channelId: 'emulator',
    serviceUrl: 'http://127.0.0.1:9/never-called',
    deliveryMode: 'expectReplies',
    conversation: { id: 'abuse-conversation' },
    from: { id: SECRET_USER },
    recipient: { id: 'bot' },
    text: SECRET_TEXT,
    ...fields,
  };
}

/** JSON text nesting arrays and objects `depth` levels (built as text: JSON.stringify would overflow). */
function nested(depth: number): string {
  const pairs = Math.ceil(depth / 2);
  return `${'[{"a":'.repeat(pairs)}true${'}]'.repeat(pairs)}`;
}

/** An activity's JSON with `field` set to raw JSON text. */
function withRaw(fields: Record<string, unknown>, field: string, raw: string): string {
  return JSON.stringify({ ...fields, [field]: '@RAW@' }).replace('"@RAW@"', raw);
}

async function healthy(server: ServerProcess): Promise<void> {
  expect(server.alive(), 'server process still running').to.equal(true);
  const res = await request(server.base, 'GET', '/healthz');
  expect(res.status).to.equal(200);
}

/** Every Direct Line token the server handed out: none may appear in its logs. */
const issuedTokens: string[] = [];

/** A local Direct Line conversation: its id and token. */
async function directLine(server: ServerProcess, body = '{}'): Promise<{ id: string; token: string }> {
  const res = await request(server.base, 'POST', '/v3/directline/conversations', json, body);
  expect(res.status).to.equal(201);
  const started = JSON.parse(res.text) as { conversationId: string; token: string };
  issuedTokens.push(started.token);
  return { id: started.conversationId, token: started.token };
}

/**
 * Opens a stream; resolves with the HTTP status of a refused upgrade, or 101 once open. Open streams are
 * closed at once, or, with `held`, when the caller closes them.
 */
function openStream(server: ServerProcess, id: string, token: string, held?: WebSocket[]): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(
      `${server.base.replace('http', 'ws')}/v3/directline/conversations/${id}/stream?t=${token}`,
    );
    ws.once('open', () => {
      if (held) held.push(ws);
      else ws.close();
      resolve(101);
    });
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.once('error', () => resolve(0));
  });
}

describe('abuse: the HTTP surface', function () {
  this.timeout(30_000);
  let server: ServerProcess;
  let authServer: ServerProcess | undefined;

  before(async () => {
    // The per-address message limit is tested on its own below; here every case comes from 127.0.0.1.
    server = await startServerProcess({ MESSAGES_PER_MINUTE: '0', REPLY_TIMEOUT_MS: '500' });
  });
  after(async () => {
    await server?.stop();
    await authServer?.stop();
  });

  describe('deeply nested JSON', () => {
    for (const field of ['channelData', 'value', 'entities']) {
      it(`answers an activity with ${field} nested 8,000 levels with 400, on /api/messages`, async () => {
        const deep = field === 'entities' ? `[${nested(8000)}]` : nested(8000);
        const res = await request(
          server.base,
          'POST',
          '/api/messages',
          json,
          withRaw(activity(), field, deep),
        );
        expect(res.status).to.equal(400);
        expect(JSON.parse(res.text).message).to.match(/deeper than 64/);
        await healthy(server);
      });
    }

    it('still takes an activity nested a sane depth', async () => {
      const res = await request(
        server.base,
        'POST',
        '/api/messages',
        json,
        withRaw(activity(), 'channelData', nested(40)),
      );
      expect(res.status).to.equal(200);
    });

    it('refuses it on the local Direct Line before it is stored, so no stream can choke on it', async () => {
      const { id, token } = await directLine(server);
      const auth = { ...json, authorization: `Bearer ${token}` };
      const post = await request(
        server.base,
        'POST',
        `/v3/directline/conversations/${id}/activities`,
        auth,
        withRaw(
          { type: 'message', from: { id: SECRET_USER }, text: SECRET_TEXT },
          'channelData',
          nested(8000),
        ),
      );
      expect(post.status).to.equal(400);
      expect(JSON.parse(post.text).error.message).to.match(/deeper than 64/);
      // The stream replays the conversation: it opens and the process survives.
      const ws = new WebSocket(
        `${server.base.replace('http', 'ws')}/v3/directline/conversations/${id}/stream?t=${token}`,
      );
      await new Promise<void>((resolve, reject) => {
        ws.once('open', () => resolve());
        ws.once('error', reject);
      });
      ws.close();
      const poll = await request(server.base, 'GET', `/v3/directline/conversations/${id}/activities`, auth);
      expect(poll.status).to.equal(200);
      await healthy(server);
    });
  });

  describe('compressed, form and multipart bodies', () => {
    // 20 MB of JSON that gzips to about 20 KB.
    const bomb = gzipSync(
      Buffer.from(JSON.stringify(activity({ channelData: { pad: ' '.repeat(20 * 1024 * 1024) } }))),
    );

    it('refuses gzip bodies with 415 on every route, without inflating them', async () => {
      expect(bomb.length).to.be.below(64 * 1024);
      const before = server.rssMb();
      const { id, token } = await directLine(server);
      const gz = { ...json, 'content-encoding': 'gzip', 'content-length': bomb.length };
      for (let i = 0; i < 30; i += 1) {
        const res = await request(server.base, 'POST', '/api/messages', gz, bomb);
        expect(res.status).to.equal(415);
      }
      const dl = await request(
        server.base,
        'POST',
        `/v3/directline/conversations/${id}/activities`,
        { ...gz, authorization: `Bearer ${token}` },
        bomb,
      );
      expect(dl.status).to.equal(415);
      expect(JSON.parse(dl.text).error.code).to.equal('UnsupportedEncoding');
      expect(server.rssMb() - before, 'RSS growth in MB').to.be.below(40);
      await healthy(server);
    });

    it('refuses multipart uploads with 415, and nothing reaches the disk', async () => {
      const boundary = 'abuse-boundary';
      const file = Buffer.alloc(5 * 1024 * 1024, 0x61);
      const body = Buffer.concat([
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="f"; filename="x.bin"\r\n\r\n`),
        file,
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      const multipart = {
        'content-type': `multipart/form-data; boundary=${boundary}`,
        'content-length': body.length,
      };
      for (const path of [
        '/api/messages',
        '/v3/directline/conversations',
        '/v3/directline/tokens/generate',
      ]) {
        const res = await request(server.base, 'POST', path, multipart, body);
        expect(res.status, path).to.equal(415);
      }
      // tsx keeps its compile cache there; restify used to write uploads there as upload_*.
      expect(readdirSync(server.tmp).filter((name) => !name.startsWith('tsx-'))).to.deep.equal([]);
      await healthy(server);
    });

    it('refuses form-urlencoded activities with 415', async () => {
      const form = new URLSearchParams({ type: 'message', text: SECRET_TEXT }).toString();
      const res = await request(
        server.base,
        'POST',
        '/api/messages',
        { 'content-type': 'application/x-www-form-urlencoded' },
        form,
      );
      expect(res.status).to.equal(415);
      expect(JSON.parse(res.text).message).to.match(/application\/json/);
    });

    it('refuses a body over 256 KB with 413, with or without Content-Length', async () => {
      const big = JSON.stringify(activity({ text: 'x'.repeat(300 * 1024) }));
      const sized = await request(
        server.base,
        'POST',
        '/api/messages',
        { ...json, 'content-length': Buffer.byteLength(big) },
        big,
      );
      expect(sized.status).to.equal(413);
      const chunked = await request(server.base, 'POST', '/api/messages', json, async function* () {
        for (let i = 0; i < 40; i += 1) yield Buffer.alloc(16 * 1024, 0x20);
      });
      expect(chunked.status).to.equal(413);
      await healthy(server);
    });
  });

  describe('ids and lists', () => {
    it('answers 400 with a reason for ids longer than 512 characters, and memory stays put', async () => {
      const before = server.rssMb();
      for (let i = 0; i < 200; i += 1) {
        const res = await request(
          server.base,
          'POST',
          '/api/messages',
          json,
          JSON.stringify(activity({ conversation: { id: `${i}-${'c'.repeat(100 * 1024)}` } })),
        );
        expect(res.status).to.equal(400);
        expect(JSON.parse(res.text).message).to.match(/conversation\.id.*longer than 512/);
      }
      const user = await request(
        server.base,
        'POST',
        '/api/messages',
        json,
        JSON.stringify(activity({ from: { id: 'u'.repeat(600) } })),
      );
      expect(user.status).to.equal(400);
      expect(server.rssMb() - before, 'RSS growth in MB').to.be.below(40);
    });

    const lists: Array<[string, Record<string, unknown>]> = [
      ['membersAdded: [null]', { type: 'conversationUpdate', membersAdded: [null] }],
      ['membersRemoved: [5]', { type: 'conversationUpdate', membersRemoved: [5] }],
      ['entities: [null]', { entities: [null] }],
      ['attachments: ["x"]', { attachments: ['x'] }],
    ];
    for (const [label, fields] of lists) {
      it(`answers ${label} with 400 rather than a turn that fails`, async () => {
        const res = await request(
          server.base,
          'POST',
          '/api/messages',
          json,
          JSON.stringify(activity(fields)),
        );
        expect(res.status).to.equal(400);
        expect(JSON.parse(res.text).message).to.match(/Every item/);
      });
    }
  });

  describe('small ones', () => {
    it('answers HEAD /healthz like GET, without a body', async () => {
      const res = await request(server.base, 'HEAD', '/healthz');
      expect(res.status).to.equal(200);
      expect(res.text).to.equal('');
    });

    it('answers promptly when the serviceUrl on this machine refuses connections', async () => {
      const res = await request(
        server.base,
        'POST',
        '/api/messages',
        json,
        JSON.stringify(activity({ deliveryMode: undefined, serviceUrl: 'http://127.0.0.1:9/' })),
      );
      expect(res.status).to.equal(200);
      await healthy(server);
    });

    it('gives up on a serviceUrl that accepts connections and never answers (REPLY_TIMEOUT_MS)', async () => {
      let connections = 0;
      const sockets: net.Socket[] = [];
      const blackHole = net.createServer((socket) => {
        connections += 1;
        sockets.push(socket);
      });
      await new Promise<void>((resolve) => blackHole.listen(0, '127.0.0.1', resolve));
      const port = (blackHole.address() as net.AddressInfo).port;
      try {
        // Without a timeout this request would never be answered (mocha's 30 s would fail it).
        const res = await request(
          server.base,
          'POST',
          '/api/messages',
          json,
          JSON.stringify(activity({ deliveryMode: undefined, serviceUrl: `http://127.0.0.1:${port}/` })),
        );
        expect(res.status).to.equal(200);
        // The reply and the apology, each tried at most three times.
        expect(connections).to.be.within(1, 6);
      } finally {
        for (const s of sockets) s.destroy();
        blackHole.close();
      }
    });

    it('never dumps a request it cannot format a reply for', async () => {
      for (const accept of ['text/html', 'application/xml', 'image/png', 'application/json;q=0']) {
        const res = await request(
          server.base,
          'POST',
          '/api/messages',
          { ...json, accept, authorization: `Bearer ${SECRET_TOKEN}` },
          JSON.stringify(activity()),
        );
        expect(res.status).to.be.within(200, 499);
      }
      await healthy(server);
    });
  });

  describe('authenticated mode', () => {
    const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
    const claims = {
      iss: 'https://api.botframework.com',
      aud: 'app-id',
      exp: 4102444800,
      serviceurl: 'http://x',
    };
    const tokens: Array<[string, string | undefined]> = [
      ['no token', undefined],
      ['a garbage token', `Bearer ${SECRET_TOKEN}-garbage`],
      ['an alg=none token', `Bearer ${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`],
      ['an HS256 token', `Bearer ${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(claims)}.${SECRET_TOKEN}sig`],
      [
        'an RS256 token with an unknown key',
        `Bearer ${b64({ alg: 'RS256', kid: 'nope' })}.${b64(claims)}.${SECRET_TOKEN}sig`,
      ],
    ];

    before(async () => {
      authServer = await startServerProcess({ MicrosoftAppId: 'app-id', MicrosoftAppPassword: 'not-used' });
    });

    for (const [label, header] of tokens) {
      it(`answers ${label} with 401 and one log line, no stack trace`, async () => {
        const server2 = authServer as ServerProcess;
        const res = await request(
          server2.base,
          'POST',
          '/api/messages',
          { ...json, ...(header ? { authorization: header } : {}) },
          JSON.stringify(
            activity({ deliveryMode: undefined, serviceUrl: 'https://smba.trafficmanager.net/emea/' }),
          ),
        );
        expect(res.status).to.equal(401);
        expect(res.text).to.not.match(/at \w|Error:|jwt|signature/i);
        expect(server2.stderr()).to.not.match(/\n\s+at /);
        expect(server2.alive()).to.equal(true);
      });
    }
  });

  describe('local Direct Line paths that log', () => {
    it('starts, posts, refreshes and refuses without logging the user id, the text or a token', async () => {
      const { id, token } = await directLine(server, JSON.stringify({ user: { id: SECRET_USER } }));
      const auth = (t: string): Record<string, string> => ({ ...json, authorization: `Bearer ${t}` });
      const activities = `/v3/directline/conversations/${id}/activities`;
      const message = JSON.stringify({ type: 'message', from: { id: SECRET_USER }, text: SECRET_TEXT });
      expect((await request(server.base, 'POST', activities, auth(token), message)).status).to.equal(200);
      const refreshed = await request(server.base, 'POST', '/v3/directline/tokens/refresh', auth(token));
      expect(refreshed.status).to.equal(200);
      const fresh = (JSON.parse(refreshed.text) as { token: string }).token;
      issuedTokens.push(fresh);
      expect((await request(server.base, 'GET', activities, auth(fresh))).status).to.equal(200);
      expect((await request(server.base, 'GET', activities, auth(token))).status).to.equal(403);
      expect(
        (await request(server.base, 'POST', '/v3/directline/tokens/refresh', auth(token))).status,
      ).to.equal(403);
      expect(await openStream(server, id, SECRET_TOKEN)).to.equal(403);
      const held: WebSocket[] = [];
      const streams = await Promise.all(Array.from({ length: 6 }, () => openStream(server, id, fresh, held)));
      for (const ws of held) ws.close();
      expect(streams.filter((status) => status === 101)).to.have.length(4);
      expect(streams.filter((status) => status === 429)).to.have.length(2);
      await healthy(server);
    });
  });

  // A describe of its own so that it runs last (mocha runs a suite's own tests before its sub-suites).
  describe('logs', () => {
    it('wrote no message text, token or user id to any log line, and only JSON lines to stdout', () => {
      for (const proc of [server, authServer as ServerProcess]) {
        const output = proc.stdout() + proc.stderr();
        for (const secret of [SECRET_TEXT, SECRET_USER, SECRET_TOKEN, ...issuedTokens]) {
          expect(output, secret).to.not.include(secret);
        }
        expect(proc.stderr()).to.not.match(/\n\s+at /);
        for (const line of proc
          .stdout()
          .split('\n')
          .filter((l) => l.trim() !== '')) {
          expect(() => JSON.parse(line), line.slice(0, 80)).to.not.throw();
        }
      }
      expect((authServer as ServerProcess).stdout()).to.include('"event":"http.unauthorized"');
      expect(issuedTokens.length).to.be.at.least(4);
    });
  });
});
