// Origin checks and security headers for the web channel.
import type * as restify from 'restify';
import type { Config } from '../../config';

/** A Host header we are willing to echo into a header: host name or [IPv6], optional port. */
const HOST_PATTERN = /^(?:[a-z0-9.-]+|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

function headerValue(req: restify.Request, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The request's Host header if it looks like a host, else undefined. */
export function requestHost(req: restify.Request): string | undefined {
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

/**
 * This server's own origin as the browser sees it: PUBLIC_BASE_URL when set, otherwise derived
 * from the Host header (and X-Forwarded-Proto behind a TLS-terminating proxy).
 */
export function selfOrigin(req: restify.Request, config: Config): string | undefined {
  const configured = normaliseOrigin(config.publicBaseUrl);
  if (configured) return configured;
  const host = requestHost(req);
  if (!host) return undefined;
  const forwarded = headerValue(req, 'x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase();
  const proto = forwarded === 'https' || forwarded === 'http' ? forwarded : req.isSecure() ? 'https' : 'http';
  return `${proto}://${host}`;
}

/** The normalised ALLOWED_ORIGINS (invalid entries are dropped). */
export function allowedOrigins(config: Config): string[] {
  return config.directLine.allowedOrigins
    .map((o) => normaliseOrigin(o))
    .filter((o): o is string => o !== undefined);
}

export type OriginVerdict =
  | { ok: true; origin: string; sameOrigin: boolean }
  | { ok: false; origin: string | undefined; reason: string };

/**
 * Decides whether a browser request comes from our own pages or an allowed hospital site.
 * Browsers always send Origin on POST, so a missing Origin is refused too.
 */
export function checkOrigin(req: restify.Request, config: Config): OriginVerdict {
  const raw = headerValue(req, 'origin');
  if (!raw) return { ok: false, origin: undefined, reason: 'Origin header required' };
  const origin = normaliseOrigin(raw);
  if (!origin) return { ok: false, origin: undefined, reason: 'Origin header is not a valid http(s) origin' };
  const own = selfOrigin(req, config);
  const host = requestHost(req);
  // Same-origin: the page that calls us was served by us (its host is the host it asked for).
  const sameOrigin = origin === own || (host !== undefined && new URL(origin).host === host);
  if (sameOrigin) return { ok: true, origin, sameOrigin: true };
  if (allowedOrigins(config).includes(origin)) return { ok: true, origin, sameOrigin: false };
  return { ok: false, origin, reason: `Origin ${origin} is not allowed (set ALLOWED_ORIGINS to permit it)` };
}

/**
 * Azure's Direct Line base URL (…/v3/directline). DIRECT_LINE_ENDPOINT may be given with or without
 * the /v3/directline path, so both spellings work.
 */
export function azureDirectLineBase(config: Config): string {
  return `${config.directLine.endpoint.replace(/\/+$/, '').replace(/\/v3\/directline$/i, '')}/v3/directline`;
}

/** The https/wss origins the page must be able to reach for Azure Direct Line. */
export function azureConnectSources(config: Config): string[] {
  const endpoint = normaliseOrigin(config.directLine.endpoint);
  if (!endpoint) return [];
  const url = new URL(endpoint);
  const ws = `${url.protocol === 'https:' ? 'wss' : 'ws'}://${url.host}`;
  const sources = [endpoint, ws];
  // Azure hands out stream URLs on regional hosts (e.g. europe.directline.botframework.com).
  if (url.hostname === 'botframework.com' || url.hostname.endsWith('.botframework.com')) {
    sources.push('https://*.botframework.com', 'wss://*.botframework.com');
  }
  return sources;
}

export interface CspOptions {
  /** Whether the page may talk to Azure Direct Line. */
  azure: boolean;
  /** Whether this page may be framed by ALLOWED_ORIGINS (the chat page) or only by us (others). */
  frameableByAllowedOrigins: boolean;
}

/** Builds the Content-Security-Policy for one of our HTML pages. */
export function contentSecurityPolicy(req: restify.Request, config: Config, options: CspOptions): string {
  const connect = ["'self'"];
  const own = selfOrigin(req, config);
  if (own) {
    const url = new URL(own);
    // CSP3 lets 'self' match ws(s) of the same host, but older engines need them spelled out.
    connect.push(`${url.protocol === 'https:' ? 'wss' : 'ws'}://${url.host}`);
  }
  if (options.azure) connect.push(...azureConnectSources(config));
  const ancestors = ["'self'", ...(options.frameableByAllowedOrigins ? allowedOrigins(config) : [])];
  return [
    "default-src 'self'",
    "script-src 'self'",
    `connect-src ${[...new Set(connect)].join(' ')}`,
    "img-src 'self' data: blob:",
    "media-src 'self' data: blob:",
    // Web Chat (emotion) injects <style> elements and style attributes at run time.
    "style-src 'self' 'unsafe-inline'",
    "font-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    `frame-ancestors ${ancestors.join(' ')}`,
  ].join('; ');
}

/** Headers sent with every HTML page of the web channel. */
export function pageHeaders(csp: string): Record<string, string> {
  return {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Security-Policy': csp,
    'Cache-Control': 'no-cache',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'strict-origin-when-cross-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=()',
  };
}
