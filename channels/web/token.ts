// POST /api/directline/token: swaps the Azure Direct Line secret for a conversation-scoped token,
// so the secret never reaches a browser. Only our own pages and ALLOWED_ORIGINS may ask.
import { randomBytes } from 'node:crypto';
import type * as restify from 'restify';
import type { Config } from '../../config';
import type { Logger } from '../../shared/log';
import { checkOrigin, trustedSelfOrigin } from '../../shared/origin';
import { limitStarts } from '../../shared/rateLimit';
import { azureDirectLineBase } from './security';
import { DIRECT_LINE_PREFIX } from '../directline/paths';

export const TOKEN_PATH = '/api/directline/token';
const AZURE_TIMEOUT_MS = 10_000;

interface TokenResponse {
  token: string;
  conversationId: string;
  expires_in: number;
  userId: string;
}

function sendJson(
  res: restify.Response,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    ...headers,
  });
  res.end(text);
}

function corsHeaders(origin: string): Record<string, string> {
  return {
    'Access-Control-Allow-Origin': origin,
    'Access-Control-Allow-Methods': 'POST, OPTIONS',
    'Access-Control-Allow-Headers': 'Content-Type',
    'Access-Control-Max-Age': '600',
    Vary: 'Origin',
  };
}

function isTokenReply(
  value: unknown,
): value is { token: string; conversationId: string; expires_in?: unknown } {
  const v = value as Record<string, unknown> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.token === 'string' &&
    v.token.length > 0 &&
    typeof v.conversationId === 'string'
  );
}

export function mountTokenEndpoint(server: restify.Server, deps: { config: Config; log: Logger }): void {
  const { config, log } = deps;

  // CORS preflight for hospital sites that host their own Web Chat and call us cross-origin.
  server.opts(TOKEN_PATH, async (req, res) => {
    const verdict = checkOrigin(req, config);
    if (!verdict.ok) {
      sendJson(res, 403, { error: 'origin_not_allowed', reason: verdict.reason }, { Vary: 'Origin' });
      return;
    }
    res.writeHead(204, corsHeaders(verdict.origin));
    res.end();
  });

  // Every token is a conversation at Azure, so a client may ask for only so many.
  const limit = limitStarts(server, config, (req, res, retryAfter, reason) => {
    log.info('directline.token.refused', { reason: 'rate' });
    const verdict = checkOrigin(req, config);
    const cors = verdict.ok && !verdict.sameOrigin ? corsHeaders(verdict.origin) : { Vary: 'Origin' };
    sendJson(
      res,
      429,
      { error: 'too_many_requests', reason },
      {
        ...cors,
        'Retry-After': String(retryAfter),
        'Access-Control-Expose-Headers': 'Retry-After',
      },
    );
  });

  server.post(TOKEN_PATH, limit, async (req, res) => {
    const verdict = checkOrigin(req, config);
    if (!verdict.ok) {
      log.info('directline.token.refused', { reason: 'origin' });
      sendJson(res, 403, { error: 'origin_not_allowed', reason: verdict.reason }, { Vary: 'Origin' });
      return;
    }
    const cors = verdict.sameOrigin ? { Vary: 'Origin' } : corsHeaders(verdict.origin);
    const secret = config.directLine.secret;
    if (!secret) {
      sendJson(
        res,
        404,
        {
          error: 'direct_line_not_configured',
          reason:
            'Azure Direct Line is not configured on this server (DIRECT_LINE_SECRET is empty); ' +
            `the chat page uses the built-in channel at ${DIRECT_LINE_PREFIX} instead.`,
        },
        cors,
      );
      return;
    }

    const userId = `dl_${randomBytes(16).toString('hex')}`;
    // The token may only be used from the page that asked for it (and from our own chat page).
    const trustedOrigins = [
      ...new Set([trustedSelfOrigin(req, config), verdict.origin].filter((o) => o !== undefined)),
    ];
    const started = Date.now();
    let upstream: Response;
    try {
      upstream = await fetch(`${azureDirectLineBase(config)}/tokens/generate`, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${secret}`,
          'Content-Type': 'application/json',
          Accept: 'application/json',
        },
        body: JSON.stringify({ user: { id: userId }, trustedOrigins }),
        signal: AbortSignal.timeout(AZURE_TIMEOUT_MS),
        redirect: 'error',
      });
    } catch (err) {
      const name = err instanceof Error ? err.name : 'unknown';
      log.error('directline.token.unreachable', { error: name, ms: Date.now() - started });
      sendJson(
        res,
        502,
        { error: 'direct_line_unavailable', reason: 'Azure Direct Line could not be reached' },
        cors,
      );
      return;
    }

    // Never forward Azure's body or headers: only the three fields we need, checked.
    let reply: unknown;
    try {
      reply = upstream.ok ? await upstream.json() : undefined;
    } catch {
      reply = undefined;
    }
    // Belt and braces: a reply that somehow echoes the secret is never passed on.
    if (isTokenReply(reply) && (reply.token.includes(secret) || reply.conversationId.includes(secret))) {
      reply = undefined;
    }
    if (!upstream.ok || !isTokenReply(reply)) {
      log.error('directline.token.failed', { status: upstream.status, ms: Date.now() - started });
      sendJson(
        res,
        502,
        {
          error: 'direct_line_unavailable',
          reason: upstream.ok
            ? 'Azure Direct Line sent an unexpected reply'
            : `Azure Direct Line refused the request (HTTP ${upstream.status})`,
        },
        cors,
      );
      return;
    }
    const expiresIn = typeof reply.expires_in === 'number' ? reply.expires_in : 1800;
    log.info('directline.token.issued', { ms: Date.now() - started, crossOrigin: !verdict.sameOrigin });
    const body: TokenResponse = {
      token: reply.token,
      conversationId: reply.conversationId,
      expires_in: expiresIn,
      userId,
    };
    sendJson(res, 200, body, cors);
  });
}
