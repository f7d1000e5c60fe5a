// Per-client token buckets for what anonymous callers can repeat cheaply and we pay for: starting
// conversations (memory here, or a conversation at Azure) and posting messages (a bot turn each).
import type { IncomingMessage } from 'node:http';
import * as restify from 'restify';
import type { Config } from '../config';
import { clientAddress } from './clientAddress';

export interface Rate {
  perMinute: number;
  burst: number;
}

export type LimitVerdict = { ok: true } | { ok: false; retryAfterSeconds: number; reason: string };

// restify's throttle logs the key (the client address) through req.log; addresses stay out of our logs.
const quietLog = { trace(): void {}, info(): void {}, warn(): void {} };

/**
 * One bucket per client address, bounded to the 10,000 most recent clients. Built on restify's throttle
 * (a token bucket with an LRU table) keyed by our own client address, so a trusted proxy's
 * X-Forwarded-For is honoured and nobody else's is.
 */
export class ClientLimit {
  private readonly throttle: restify.RequestHandler | undefined;
  private readonly refusal: Extract<LimitVerdict, { ok: false }>;

  constructor(
    rate: Rate,
    private readonly trustedProxies: readonly string[],
    what: string,
  ) {
    const off = rate.perMinute <= 0 || rate.burst <= 0;
    this.throttle = off
      ? undefined
      : restify.plugins.throttle({
          burst: rate.burst,
          rate: rate.perMinute / 60,
          username: true,
          maxKeys: 10_000,
        });
    const retryAfterSeconds = Math.max(1, Math.ceil(60 / Math.max(rate.perMinute, 1)));
    this.refusal = {
      ok: false,
      retryAfterSeconds,
      reason: `Too many ${what} from this address: at most ${rate.burst} at once and ${rate.perMinute} a minute after that. Try again in ${retryAfterSeconds} seconds.`,
    };
  }

  /** Takes one token for the request's client; says when to come back if there is none. */
  take(req: IncomingMessage): LimitVerdict {
    if (!this.throttle) return { ok: true };
    let allowed = true;
    // The throttle is synchronous and reads only these fields (connection only to log a refusal).
    const keyed = { username: clientAddress(req, this.trustedProxies), log: quietLog, connection: {} };
    this.throttle(keyed as unknown as restify.Request, {} as restify.Response, (err?: unknown) => {
      allowed = !err;
    });
    return allowed ? { ok: true } : this.refusal;
  }
}

/** Answers a refused request in the route's own error format. */
export type Refuse = (
  req: restify.Request,
  res: restify.Response,
  retryAfterSeconds: number,
  reason: string,
) => void;

/** A route handler that lets requests through while the client has tokens, else 429 with Retry-After. */
function limitHandler(limit: ClientLimit, refuse: Refuse): restify.RequestHandler {
  return (req, res, next) => {
    const verdict = limit.take(req);
    if (verdict.ok) return next();
    res.header('Retry-After', String(verdict.retryAfterSeconds));
    refuse(req, res, verdict.retryAfterSeconds, verdict.reason);
    return next(false);
  };
}

/** The limits of one server, shared by every route that counts against them. */
interface ServerLimits {
  starts: ClientLimit;
  messages: ClientLimit;
}

const perServer = new WeakMap<restify.Server, ServerLimits>();

function limitsFor(server: restify.Server, config: Config): ServerLimits {
  let limits = perServer.get(server);
  if (!limits) {
    const proxies = config.http.trustedProxies;
    limits = {
      starts: new ClientLimit(
        { perMinute: config.directLine.startsPerMinute, burst: config.directLine.startBurst },
        proxies,
        'new conversations',
      ),
      messages: new ClientLimit(
        { perMinute: config.http.messagesPerMinute, burst: config.http.messageBurst },
        proxies,
        'messages',
      ),
    };
    perServer.set(server, limits);
  }
  return limits;
}

/** The conversation-start limit as a route handler (local Direct Line starts, Azure tokens). */
export function limitStarts(server: restify.Server, config: Config, refuse: Refuse): restify.RequestHandler {
  return limitHandler(limitsFor(server, config).starts, refuse);
}

/** The per-client message limit as a route handler. */
export function limitMessages(
  server: restify.Server,
  config: Config,
  refuse: Refuse,
): restify.RequestHandler {
  return limitHandler(limitsFor(server, config).messages, refuse);
}
