// The HTTP surface: restify server with the Bot Framework endpoint, health, and the web channels.
import * as restify from 'restify';
import type { Activity, ActivityHandler } from 'botbuilder';
import type { AuthenticateRequestResult } from 'botframework-connector';
import type { Config } from '../config';
import type { Logger } from '../shared/log';
import { DIRECT_LINE_PREFIX, mountDirectLine, type DirectLineChannel } from '../channels/directline';
import { mountWeb } from '../channels/web';
import { activityProblem } from './activityCheck';
import { jsonBodies, type BodyError } from './body';
import { limitMessages } from '../shared/rateLimit';
import { checkServiceUrl } from './serviceUrlPolicy';
import { restifyLogger } from '../shared/log';
import type { HttpCloudAdapter } from './adapter';
import { mayReadMetrics, type Metrics } from './metrics';
import { safetyVersions } from '../safety/gate';
import type { LoadedKnowledge } from '../knowledge/load';
import { deploymentNames } from '../render/deployment';

export interface KnowledgeInfo {
  documentId: string;
  lastUpdated: string;
  medicine: string;
  pairs: number;
  version: string;
}

export interface ServerDeps {
  config: Config;
  adapter: HttpCloudAdapter;
  bot: ActivityHandler;
  /** What each medicine served answers from (GET /healthz). */
  knowledge: KnowledgeInfo[];
  /** The medicines served: the page, the widget and the channel's bot account are named after them. */
  medicines: readonly LoadedKnowledge[];
  log: Logger;
  /** When given: turns are timed into it and GET /metrics serves it. */
  metrics?: Metrics;
}

export interface AppServer {
  server: restify.Server;
  /** The local Direct Line channel; undefined when an app id is configured (it is not mounted then). */
  directLine: DirectLineChannel | undefined;
  /**
   * Ends the channel's streams and timers, then stops listening; resolves once the server has closed.
   * This, not server.close(), is how to stop: an HTTP server's close waits for every open connection,
   * upgraded WebSockets included, and tells no one it has begun, so the channel must be ended first.
   */
  close(): Promise<void>;
}

/** A refused body in the error format of the route family it was sent to. */
export function sendBodyError(req: restify.Request, res: restify.Response, error: BodyError): void {
  const body = req.getPath().startsWith(`${DIRECT_LINE_PREFIX}/`)
    ? { error: { code: error.code, message: error.message } }
    : { error: error.code, message: error.message };
  res.send(error.status, body);
}

/** The SDK's own fix-up of a parsed activity (CloudAdapter.process does this): wire dates become Dates. */
function asActivity(body: Record<string, unknown>): Activity {
  for (const field of ['timestamp', 'localTimestamp', 'expiration'] as const) {
    const raw = body[field];
    if (typeof raw === 'string') {
      body[`raw${field[0].toUpperCase()}${field.slice(1)}`] = raw;
      body[field] = new Date(raw);
    }
  }
  return body as unknown as Activity;
}

const METRICS_PATH = '/metrics';

/** Whether a request path reaches the /metrics route, however written (the router decodes and trims). */
function isMetricsPath(raw: string): boolean {
  if (!raw.includes('%') && !/metrics/i.test(raw)) return false;
  let path = raw;
  try {
    path = decodeURIComponent(raw);
  } catch {
    // Not decodable: the router cannot match it to /metrics either.
  }
  return path.toLowerCase().replace(/^\/+|\/+$/g, '') === METRICS_PATH.slice(1);
}

/** What /api/messages answers for one activity: a status and, for invoke or expectReplies, a body. */
export interface TurnResult {
  status: number;
  body?: unknown;
}

/**
 * The one way an activity reaches the bot: shape check, serviceUrl policy, authentication, then the turn.
 * /api/messages answers with its result, and the local Direct Line calls it in process with no
 * Authorization header, so the channel's users get exactly the checks of any other channel.
 */
export function activityTurns(
  deps: Pick<ServerDeps, 'config' | 'adapter' | 'bot' | 'log' | 'metrics'>,
): (body: unknown, authHeader: string) => Promise<TurnResult> {
  const { config, adapter, bot, log, metrics } = deps;
  return async (body, authHeader) => {
    const problem = activityProblem(body);
    if (problem) return { status: 400, body: { error: 'BadRequest', message: problem } };
    const serviceUrl = checkServiceUrl(body, config);
    if (!serviceUrl.ok) {
      // The URL itself stays out of the log: it is the caller's text.
      log.info('http.service_url_refused', { mode: 'anonymous' });
      return { status: 403, body: { error: 'ServiceUrlNotAllowed', message: serviceUrl.reason } };
    }
    const activity = asActivity(body as Record<string, unknown>);
    let authenticated: AuthenticateRequestResult;
    try {
      authenticated = await adapter.authenticate(activity, authHeader);
    } catch (err) {
      // Any failure to validate a token (missing, forged, alg=none, HS256, expired) is the caller's: 401.
      log.info('http.unauthorized', { name: (err as Error).name });
      return { status: 401, body: { error: 'Unauthorized', message: 'The request is not authenticated.' } };
    }
    const started = metrics ? performance.now() : 0;
    try {
      const invokeResponse = await adapter.runTurn(authenticated, activity, (context) => bot.run(context));
      return { status: invokeResponse?.status ?? 200, body: invokeResponse?.body };
    } catch (err) {
      // The turn's own errors are handled by onTurnError; this is the adapter failing around it.
      log.error('http.turn_failed', { name: (err as Error).name });
      return {
        status: 500,
        body: { error: 'InternalError', message: 'The bot could not handle this activity.' },
      };
    } finally {
      metrics?.observeTurn(activity.channelId, (performance.now() - started) / 1000);
    }
  };
}

/**
 * GET and HEAD /metrics: the Prometheus text format for loopback clients and holders of METRICS_TOKEN.
 * Anyone else, and any other method, gets exactly what a route that does not exist answers, decided
 * before routing and body parsing, so neither a 405 nor a body error reveals the endpoint.
 */
function mountMetrics(server: restify.Server, config: Config, metrics: Metrics): void {
  const access = { token: config.metrics.token, trustedProxies: config.http.trustedProxies };
  const allowed = (req: restify.Request): boolean =>
    (req.method === 'GET' || req.method === 'HEAD') &&
    mayReadMetrics({ remoteAddress: req.socket?.remoteAddress, headers: req.headers }, access);
  const notFound = (req: restify.Request, res: restify.Response): void => {
    res.send(404, { code: 'ResourceNotFound', message: `${req.getPath()} does not exist` });
  };
  server.pre((req, res, next) => {
    if (!isMetricsPath(req.getPath()) || allowed(req)) return next();
    notFound(req, res);
    return next(false);
  });
  const serve = async (req: restify.Request, res: restify.Response): Promise<void> => {
    if (!allowed(req)) return notFound(req, res);
    const text = await metrics.text();
    res.sendRaw(200, text, { 'content-type': metrics.contentType, 'cache-control': 'no-store' });
  };
  server.get(METRICS_PATH, serve);
  server.head(METRICS_PATH, serve);
}

export function createServer(deps: ServerDeps): AppServer {
  const { config, knowledge, medicines, log, metrics } = deps;
  const turns = activityTurns(deps);
  const server = restify.createServer({
    name: 'medicine-info-bot',
    handleUncaughtExceptions: false,
    // restify logs whole requests (body, Authorization header) when it cannot format a response.
    log: restifyLogger(log) as restify.ServerOptions['log'],
  });
  server.use(restify.plugins.queryParser());
  server.use(jsonBodies(sendBodyError));

  // The channel's users' activities go straight to the turn, never through /api/messages: they were
  // counted per client where the user posted them, and no HTTP hop is spent on our own process.
  const directLine = mountDirectLine(server, {
    config,
    log,
    botAccount: {
      id: 'medicine-info-bot',
      name: deploymentNames(medicines, config.deployment).botName,
      role: 'bot',
    },
    runTurn: async (activity) => (await turns(activity, '')).status,
  });

  // Without an app id nothing authenticates the caller, so each client address gets a message budget.
  // With one, the Bot Connector is authenticated and all of Teams arrives from a few addresses.
  const limitAnonymous: restify.RequestHandler = config.auth.MicrosoftAppId
    ? (_req, _res, next) => next()
    : limitMessages(server, config, (_req, res, _retryAfter, reason) => {
        log.info('http.rate_limited', { route: 'messages' });
        res.send(429, { error: 'TooManyRequests', message: reason });
      });
  server.post('/api/messages', limitAnonymous, async (req, res) => {
    const result = await turns(req.body, req.headers.authorization ?? '');
    res.send(result.status, result.body);
  });

  mountWeb(server, { config, log, medicines });

  if (metrics) {
    mountMetrics(server, config, metrics);
    if (directLine) metrics.watchDirectLine(() => directLine.store.size);
  }

  const health = async (_req: restify.Request, res: restify.Response): Promise<void> => {
    // One medicine: its knowledge base as before; every medicine served in `knowledgeBases`.
    res.send(200, {
      status: 'ok',
      knowledgeBase: knowledge.length === 1 ? knowledge[0] : undefined,
      knowledgeBases: knowledge,
      safety: safetyVersions,
    });
  };
  server.get('/healthz', health);
  server.head('/healthz', health);

  server.on('restifyError', (req, _res, err, callback) => {
    log.info('http.error', {
      method: req.method,
      path: req.getPath(),
      status: err.statusCode,
      name: err.name,
    });
    return callback();
  });

  const close = async (): Promise<void> => {
    directLine?.close();
    if (!server.server.listening) return;
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return { server, directLine, close };
}

/** Starts listening; resolves with the bound port (useful with port 0 in tests). */
export async function listen(server: restify.Server, port: number): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => resolve());
  });
  const address = server.address();
  return address.port;
}
