// Per-client limit on starting conversations (local Direct Line) and on Azure tokens: each start costs
// memory here or a conversation at Azure, and both are open to anonymous callers.
import * as restify from 'restify';
import type { Config } from '../config';

/** Answers a refused request in the route's own error format. */
export type RefuseStart = (
  req: restify.Request,
  res: restify.Response,
  retryAfterSeconds: number,
  reason: string,
) => void;

// restify's throttle logs the client address through req.log; addresses stay out of our logs.
const quietLog = { trace(): void {}, info(): void {}, warn(): void {} };

/** One token bucket per client address per server, shared by every route that starts something. */
const buckets = new WeakMap<restify.Server, restify.RequestHandler>();

function bucketsFor(server: restify.Server, config: Config): restify.RequestHandler {
  let throttle = buckets.get(server);
  if (!throttle) {
    throttle = restify.plugins.throttle({
      burst: config.directLine.startBurst,
      rate: config.directLine.startsPerMinute / 60,
      ip: true,
      maxKeys: 10_000,
    });
    buckets.set(server, throttle);
  }
  return throttle;
}

/**
 * A route handler that lets a request through while its client has starts left, and otherwise answers
 * 429 with Retry-After (through `refuse`) and ends the route. With a rate or burst of 0 it lets all through.
 */
export function limitStarts(
  server: restify.Server,
  config: Config,
  refuse: RefuseStart,
): restify.RequestHandler {
  const { startsPerMinute, startBurst } = config.directLine;
  const retryAfterSeconds = startsPerMinute > 0 ? Math.max(1, Math.ceil(60 / startsPerMinute)) : 60;
  const reason = `Too many new conversations from this address: at most ${startBurst} at once and ${startsPerMinute} a minute after that. Try again in ${retryAfterSeconds} seconds.`;
  const throttle = bucketsFor(server, config);
  return (req, res, next) => {
    const quietReq = Object.create(req, { log: { value: quietLog } }) as restify.Request;
    throttle(quietReq, res, (err?: unknown) => {
      if (!err) return next();
      res.header('Retry-After', String(retryAfterSeconds));
      refuse(req, res, retryAfterSeconds, reason);
      return next(false);
    });
  };
}
