// The local Direct Line channel on a real restify server on an ephemeral port, with an echo bot, and the
// HTTP and WebSocket helpers its protocol and abuse tests share.
import { expect } from 'chai';
import type { IncomingHttpHeaders } from 'node:http';
import * as restify from 'restify';
import WebSocket from 'ws';
import { ActivityHandler, ConfigurationBotFrameworkAuthentication, type TurnContext } from 'botbuilder';
import { loadConfig, type Config } from '../../config';
import { silentLogger, type Logger } from '../../shared/log';
import { activityTurns, listen, sendBodyError } from '../../server/app';
import { HttpCloudAdapter } from '../../server/adapter';
import { jsonBodies } from '../../server/body';
import { rawHttp } from '../rawHttp';
import { mountDirectLine, type DirectLineChannel, type WireActivity } from '../../channels/directline';

export type Json = Record<string, unknown>;

/** Greets, then answers every message with a typing activity and an echo; records what it was sent. */
export class EchoBot extends ActivityHandler {
  /** The type of every activity the bot received, in order. */
  readonly received: string[] = [];
  private held: Promise<void> | undefined;
  private release: () => void = () => {};

  constructor() {
    super();
    this.onTurn(async (context, next) => {
      this.received.push(context.activity.type);
      await next();
    });
    this.onMembersAdded(async (context, next) => {
      for (const member of context.activity.membersAdded ?? []) {
        if (member.id !== context.activity.recipient.id) await context.sendActivity('welcome');
      }
      await next();
    });
    this.onMessage(async (context: TurnContext, next) => {
      if (this.held) await this.held;
      await context.sendActivity({ type: 'typing' });
      await context.sendActivity(`echo: ${context.activity.text}`);
      await next();
    });
  }

  /** Makes the bot slow: messages wait, unanswered, until resume(). */
  pause(): void {
    this.held ??= new Promise<void>((resolve) => (this.release = resolve));
  }

  resume(): void {
    this.release();
    this.held = undefined;
  }
}

export function testConfig(
  overrides: Partial<Config['directLine']> = {},
  env: Record<string, string> = {},
): Config {
  const config = loadConfig({ LOG_LEVEL: 'error', ...env });
  return { ...config, directLine: { ...config.directLine, ...overrides } };
}

export interface Running {
  base: string;
  port: number;
  server: restify.Server;
  channel: DirectLineChannel | undefined;
  bot: EchoBot;
}

const cleanups: Array<() => void | Promise<void>> = [];

/** Registers something to undo after the current test. */
export function afterThisTest(cleanup: () => void | Promise<void>): void {
  cleanups.push(cleanup);
}

/** Undoes, newest first, everything registered since the last call (for afterEach). */
export async function cleanUp(): Promise<void> {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
}

export function closeServer(server: restify.Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.server.listening) return resolve();
    server.close(() => resolve());
  });
}

/** A server like createServer's (with /healthz), the echo bot, and the channel with the given seams. */
export async function startEcho(
  options: {
    config?: Config;
    now?: () => number;
    log?: Logger;
    pingIntervalMs?: number;
    deliveryTimeoutMs?: number;
    /** Stands between the channel and the turn (to make a delivery fail or hang). */
    aroundTurn?: (activity: WireActivity, turn: () => Promise<number>) => Promise<number>;
  } = {},
): Promise<Running> {
  const config = options.config ?? testConfig();
  const log = options.log ?? silentLogger;
  const adapter = new HttpCloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
  const bot = new EchoBot();
  const turns = activityTurns({ config, adapter, bot, log });
  const server = restify.createServer({ handleUncaughtExceptions: false });
  server.use(restify.plugins.queryParser());
  server.use(jsonBodies(sendBodyError));
  server.post('/api/messages', async (req, res) => {
    const result = await turns(req.body, req.headers.authorization ?? '');
    res.send(result.status, result.body);
  });
  server.get('/healthz', async (_req, res) => {
    res.send(200, { status: 'ok' });
  });
  const channel = mountDirectLine(server, {
    config,
    log,
    runTurn: (activity) => {
      const turn = async (): Promise<number> => (await turns(activity, '')).status;
      return options.aroundTurn ? options.aroundTurn(activity, turn) : turn();
    },
    deliveryTimeoutMs: options.deliveryTimeoutMs,
    now: options.now,
    pingIntervalMs: options.pingIntervalMs,
  });
  const port = await listen(server, 0);
  cleanups.push(async () => {
    // Let the bot finish its turns (e.g. a welcome still on its way) before the server goes.
    bot.resume();
    await channel?.settled();
    channel?.close();
    await closeServer(server);
  });
  return { base: `http://127.0.0.1:${port}`, port, server, channel, bot };
}

export async function waitFor<T>(
  probe: () => T | undefined | false,
  what: string,
  timeoutMs = 8000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export async function http(
  base: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: Json; headers: Headers }> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(`${base}${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Json) : {}, headers: response.headers };
}

/** A request that sets its own Host header or client address (see rawHttp). */
export async function rawRequest(
  port: number,
  method: string,
  path: string,
  headers: Record<string, string>,
  localAddress?: string,
  body = '{}',
): Promise<{ status: number; headers: IncomingHttpHeaders; body: string }> {
  const reply = await rawHttp(`http://127.0.0.1:${port}${path}`, {
    method,
    headers: { 'Content-Type': 'application/json', ...headers },
    localAddress,
    body: method === 'POST' ? body : undefined,
  });
  return { status: reply.status, headers: reply.headers, body: reply.text };
}

export interface Started {
  conversationId: string;
  token: string;
  expires_in: number;
  streamUrl: string;
}

export async function startConversation(base: string, body: unknown = {}): Promise<Started> {
  const response = await http(base, 'POST', '/v3/directline/conversations', { body });
  expect(response.status).to.equal(201);
  return response.body as unknown as Started;
}

export async function activities(
  base: string,
  started: Started,
  watermark = '',
): Promise<{ activities: WireActivity[]; watermark: string }> {
  const response = await http(
    base,
    'GET',
    `/v3/directline/conversations/${started.conversationId}/activities?watermark=${watermark}`,
    { token: started.token },
  );
  expect(response.status).to.equal(200);
  return response.body as unknown as { activities: WireActivity[]; watermark: string };
}

export async function postMessage(base: string, started: Started, text: string): Promise<string> {
  const response = await http(
    base,
    'POST',
    `/v3/directline/conversations/${started.conversationId}/activities`,
    {
      token: started.token,
      body: {
        type: 'message',
        from: { id: 'ignored', role: 'user' },
        text,
        channelData: { clientActivityID: text },
      },
    },
  );
  expect(response.status).to.equal(200);
  return response.body.id as string;
}

export async function waitForTexts(base: string, started: Started, texts: string[]): Promise<WireActivity[]> {
  let log: WireActivity[] = [];
  const deadline = Date.now() + 8000;
  for (;;) {
    log = (await activities(base, started)).activities;
    const seen = log.map((a) => a.text);
    if (texts.every((t) => seen.includes(t))) return log;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${texts.join(', ')}; saw ${seen.join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export interface Stream {
  ws: WebSocket;
  frames: Json[];
  raw: string[];
  /** Resolves with the close code once the socket has closed. */
  closed: Promise<number>;
}

/**
 * Opens a raw stream socket and records its frames; resolves once open (or rejects with the HTTP
 * status). `localAddress` picks the client address; `autoPong: false` plays a client that went away.
 */
export function openStream(
  url: string,
  options: { localAddress?: string; autoPong?: boolean } = {},
): Promise<Stream> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { localAddress: options.localAddress, autoPong: options.autoPong ?? true });
    const frames: Json[] = [];
    const raw: string[] = [];
    const closed = new Promise<number>((done) => ws.once('close', (code) => done(code)));
    ws.on('message', (data) => {
      raw.push(data.toString());
      frames.push(JSON.parse(data.toString()) as Json);
    });
    ws.once('open', () => {
      cleanups.push(() => ws.terminate());
      resolve({ ws, frames, raw, closed });
    });
    ws.once('unexpected-response', (_req, res) => {
      reject(new Error(`status ${res.statusCode}`));
      ws.terminate();
    });
    ws.once('error', reject);
  });
}
