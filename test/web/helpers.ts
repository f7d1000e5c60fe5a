// What the web channel tests share: a started app, a stand-in for Azure's token service, request helpers.
import { expect } from 'chai';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp, type App } from '../../index';
import { loadConfig } from '../../config';
import { listen } from '../../server/app';
import { createLogger } from '../../shared/log';

export const SECRET = 'test-secret-Zq8w3kP0xYv7';
export const HOSPITAL = 'https://www.hospital.example';

export interface Running {
  app: App;
  base: string;
  origin: string;
  logLines: string[];
}

const running: Running[] = [];

export async function start(env: Record<string, string> = {}): Promise<Running> {
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
/** Closes every app start() has started; each web test file runs it after all tests. */
export async function closeStarted(): Promise<void> {
  await Promise.all(running.splice(0).map((r) => r.app.close()));
}

interface Recorded {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: unknown;
}

/** A stand-in for Azure's Direct Line token service that records what it is sent. */
export class FakeAzure {
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

export async function get(
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

/** A request through node:http, which (unlike fetch) lets the test choose the Host header. */
export function rawRequest(
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

export function cspOf(headers: Headers): Map<string, string[]> {
  const csp = headers.get('content-security-policy') ?? '';
  return new Map(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map((parts) => [parts[0], parts.slice(1)]),
  );
}

export function pageConfigOf(html: string): {
  botName: string;
  accent: string;
  save: { fileName: string; note: string };
  directLine: { mode: string; domain: string; tokenUrl: string };
} {
  const match = /<script type="application\/json" id="medicine-chat-config">([^<]*)<\/script>/.exec(html);
  expect(match, 'page config element').to.not.equal(null);
  return JSON.parse((match as RegExpExecArray)[1]) as ReturnType<typeof pageConfigOf>;
}
