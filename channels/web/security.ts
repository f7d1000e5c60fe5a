// Security headers for the web channel's pages (who may call us is decided in shared/origin.ts).
import type * as restify from 'restify';
import type { Config } from '../../config';
import { allowedOrigins, normaliseOrigin, requestOrigin } from '../../shared/origin';
import { DIRECT_LINE_PREFIX } from '../directline/paths';

/**
 * Azure's Direct Line base URL (…/v3/directline). DIRECT_LINE_ENDPOINT may be given with or without
 * the /v3/directline path, so both spellings work.
 */
export function azureDirectLineBase(config: Config): string {
  const endpoint = config.directLine.endpoint.replace(/\/+$/, '');
  const withPath = endpoint.toLowerCase().endsWith(DIRECT_LINE_PREFIX);
  return `${withPath ? endpoint.slice(0, -DIRECT_LINE_PREFIX.length) : endpoint}${DIRECT_LINE_PREFIX}`;
}

/** The https/wss origins the page must be able to reach for Azure Direct Line. */
function azureConnectSources(config: Config): string[] {
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
  const own = requestOrigin(req, config);
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
