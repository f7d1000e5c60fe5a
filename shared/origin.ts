// The one origin policy of the web channels: which browser origins may start chats, fetch tokens and
// read our CORS replies (the local Direct Line and the Azure token endpoint both ask here).
import { isIP } from 'node:net';
import type * as restify from 'restify';
import type { Config } from '../config';

/** A Host header we are willing to echo into a URL or header: host name or [IPv6], optional port. */
const HOST_PATTERN = /^(?:[a-z0-9.-]+|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

function headerValue(req: restify.Request, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The request's Host header, lower-cased, if it looks like a host; else undefined. */
function requestHost(req: restify.Request): string | undefined {
  const host = headerValue(req, 'host')?.trim();
  return host && HOST_PATTERN.test(host) ? host.toLowerCase() : undefined;
}

/** Parses an origin (scheme://host[:port]) and returns it normalised, or undefined if it isn't one. */
export function normaliseOrigin(value: string | undefined): string | undefined {
  if (!value || value === 'null') return undefined;
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    return url.origin;
  } catch {
    return undefined;
  }
}

/** Whether a URL host name (as `new URL().hostname` gives it) names this machine's loopback interface. */
export function isLoopbackHostname(hostname: string): boolean {
  const bare = hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (bare === 'localhost') return true;
  const family = isIP(bare);
  if (family === 4) return bare.startsWith('127.');
  if (family === 6) {
    const mapped = /^::ffff:([0-9a-f]{1,4}):[0-9a-f]{1,4}$/.exec(bare);
    // ::ffff:7fxx:xxxx is 127.x.x.x written as IPv6 (the URL parser turns ::ffff:127.0.0.1 into that).
    return bare === '::1' || (mapped !== null && parseInt(mapped[1], 16) >> 8 === 0x7f);
  }
  return false;
}

/** The normalised ALLOWED_ORIGINS (invalid entries are dropped). */
export function allowedOrigins(config: Config): string[] {
  return config.directLine.allowedOrigins
    .map((o) => normaliseOrigin(o))
    .filter((o): o is string => o !== undefined);
}

function forwardedProto(req: restify.Request): 'http' | 'https' {
  const forwarded = headerValue(req, 'x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase();
  if (forwarded === 'https' || forwarded === 'http') return forwarded;
  return req.isSecure() ? 'https' : 'http';
}

/**
 * The origin the browser used to reach us, for building URLs (stream URL, CSP): PUBLIC_BASE_URL when
 * set, else the Host header. Never a reason to trust a request: a Host header is the caller's to choose.
 */
export function requestOrigin(req: restify.Request, config: Config): string | undefined {
  const configured = normaliseOrigin(config.publicBaseUrl);
  if (configured) return configured;
  const host = requestHost(req);
  return host ? `${forwardedProto(req)}://${host}` : undefined;
}

/**
 * Our own origin as far as trust goes. With PUBLIC_BASE_URL set, only that. Without it (local
 * development) the Host header, but only when it names loopback: a DNS-rebinding page sends its own
 * name as both Origin and Host, and that name is never loopback.
 */
export function trustedSelfOrigin(req: restify.Request, config: Config): string | undefined {
  if (config.publicBaseUrl) return normaliseOrigin(config.publicBaseUrl);
  const host = requestHost(req);
  if (!host || !isLoopbackHostname(new URL(`http://${host}`).hostname)) return undefined;
  return `${forwardedProto(req)}://${host}`;
}

export type OriginVerdict =
  | { ok: true; origin: string; sameOrigin: boolean }
  | { ok: false; origin: string | undefined; reason: string };

/** Decides whether a browser request comes from our own pages or from an allowed hospital site. */
export function checkOrigin(req: restify.Request, config: Config): OriginVerdict {
  const raw = headerValue(req, 'origin');
  if (!raw) return { ok: false, origin: undefined, reason: 'Origin header required' };
  const origin = normaliseOrigin(raw);
  if (!origin) return { ok: false, origin: undefined, reason: 'Origin header is not a valid http(s) origin' };
  const self = trustedSelfOrigin(req, config);
  // Locally a TLS-terminating proxy may not say so: on loopback, the same host is the same page.
  const sameOrigin =
    self !== undefined &&
    (origin === self || (!config.publicBaseUrl && new URL(origin).host === new URL(self).host));
  if (sameOrigin) return { ok: true, origin, sameOrigin: true };
  if (allowedOrigins(config).includes(origin)) return { ok: true, origin, sameOrigin: false };
  const hint = config.publicBaseUrl
    ? 'set ALLOWED_ORIGINS to permit it'
    : 'set PUBLIC_BASE_URL for this server, or ALLOWED_ORIGINS, to permit it';
  return { ok: false, origin, reason: `Origin ${origin} is not allowed (${hint})` };
}
