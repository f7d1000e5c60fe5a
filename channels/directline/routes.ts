// The client side of the local channel: the Direct Line 3.0 REST routes Web Chat and DirectLineJS call.
import type * as restify from 'restify';
import type { Config } from '../../config';
import { checkOrigin, requestOrigin } from '../../shared/origin';
import { clientAddress } from '../../shared/clientAddress';
import { limitMessages, limitStarts, type Refuse } from '../../shared/rateLimit';
import {
  canDeliver,
  record,
  sendError,
  sendToBot,
  startWithBot,
  CHANNEL_ID,
  type BridgeContext,
} from './bridge';
import {
  bearerToken,
  randomId,
  StoreFullError,
  type Account,
  type Conversation,
  type TokenCheck,
  type WireActivity,
} from './store';
import { DIRECT_LINE_PREFIX } from './paths';

export interface RoutesContext extends BridgeContext {
  config: Config;
}

/** Activity types a client may post; anything else (invoke, handoff, …) is refused. */
const CLIENT_TYPES = new Set(['message', 'event', 'typing', 'messageReaction']);

/**
 * Largest activity a client may post, as JSON. Web Chat's messages and card submissions are far smaller;
 * every stored activity stays in memory until its conversation ends, so the body limit is not enough.
 */
const MAX_CLIENT_ACTIVITY_BYTES = 32 * 1024;

const ALLOWED_HEADERS = 'Authorization, Content-Type, x-ms-bot-agent, x-requested-with';
const ALLOWED_METHODS = 'GET, POST, OPTIONS';

const REASONS: Record<Exclude<TokenCheck, { ok: true }>['reason'], [string, string]> = {
  no_conversation: ['ConversationNotFound', 'Conversation not found'],
  no_token: ['MissingToken', 'A Bearer token is required'],
  bad_token: ['BadToken', 'The token is not valid for this conversation'],
  expired_token: ['TokenExpired', 'The token has expired'],
  superseded_token: ['BadToken', 'The token has been replaced by a newer one'],
};

function refuse(res: restify.Response, check: Exclude<TokenCheck, { ok: true }>): void {
  const [code, message] = REASONS[check.reason];
  sendError(res, check.status, code, message);
}

/**
 * The value for Access-Control-Allow-Origin, or undefined when the request's origin may not use the
 * channel. The policy is the web channels' (shared/origin.ts): our own pages and ALLOWED_ORIGINS. The chat
 * widget needs nothing more: its iframe shows our own page, which calls us same-origin.
 */
function corsOrigin(config: Config, req: restify.Request): string | undefined {
  const verdict = checkOrigin(req, config);
  return verdict.ok ? verdict.origin : undefined;
}

function applyCors(config: Config, req: restify.Request, res: restify.Response): void {
  res.header('Vary', 'Origin');
  const allowOrigin = corsOrigin(config, req);
  if (allowOrigin) res.header('Access-Control-Allow-Origin', allowOrigin);
}

/** ws(s)://HOST for stream URLs, or undefined for an unusable Host header. */
function streamBase(ctx: RoutesContext, req: restify.Request): string | undefined {
  // PUBLIC_BASE_URL may carry a path prefix (a proxy's), so it is used whole rather than as an origin.
  const origin = ctx.config.publicBaseUrl ?? requestOrigin(req, ctx.config);
  return origin?.replace(/^http/i, 'ws');
}

/** `base`/v3/directline/conversations/{id}/stream?t=TOKEN */
function streamUrl(base: string, conversation: Conversation, token: string, watermark?: string): string {
  const query = new URLSearchParams();
  if (watermark && /^\d+$/.test(watermark)) query.set('watermark', watermark);
  query.set('t', token);
  return `${base}${DIRECT_LINE_PREFIX}/conversations/${encodeURIComponent(conversation.id)}/stream?${query}`;
}

function secondsLeft(ctx: RoutesContext, conversation: Conversation, token: string): number {
  const expiry = conversation.tokens.get(token)?.expiresAt ?? ctx.store.now();
  return Math.max(0, Math.round((expiry - ctx.store.now()) / 1000));
}

function queryParam(req: restify.Request, name: string): string | undefined {
  const value = new URL(req.url ?? '/', 'http://localhost').searchParams.get(name);
  return value ?? undefined;
}

const USER_ID_PATTERN = /^[^\p{Cc}]{1,128}$/u;

/**
 * The user of a new conversation from a start request's `{ user: { id, name } }`: a client-chosen id
 * must not use the `dl_` prefix reserved for ids the channel makes up itself.
 */
function userFrom(body: unknown): Account | 'invalid' {
  const user = (body as { user?: { id?: unknown; name?: unknown } } | undefined)?.user;
  const name = typeof user?.name === 'string' && user.name.length <= 128 ? user.name : undefined;
  const id = user?.id;
  if (id === undefined || id === null || id === '') {
    return { id: `dl_${randomId(12)}`, ...(name ? { name } : {}), role: 'user' };
  }
  if (typeof id !== 'string' || !USER_ID_PATTERN.test(id) || id.startsWith('dl_')) return 'invalid';
  return { id, ...(name ? { name } : {}), role: 'user' };
}

function localeFrom(body: unknown): string | undefined {
  const locale = (body as { locale?: unknown } | undefined)?.locale;
  return typeof locale === 'string' && /^[A-Za-z0-9-]{2,35}$/.test(locale) ? locale : undefined;
}

/**
 * A posted activity as the channel passes it on. The channel decides who sent it, when, where it goes
 * and how replies travel (a client's `deliveryMode: "expectReplies"` would have the bot answer into our
 * delivery request instead of the conversation); the rest is echoed as the client sent it.
 */
function fromClient(ctx: RoutesContext, conversation: Conversation, posted: WireActivity): WireActivity {
  const {
    id: _id,
    timestamp: _timestamp,
    serviceUrl: _serviceUrl,
    recipient: _recipient,
    conversation: _conversation,
    deliveryMode: _deliveryMode,
    callerId: _callerId,
    from,
    ...rest
  } = posted;
  const name = (from as { name?: unknown } | undefined)?.name;
  return {
    ...rest,
    channelId: CHANNEL_ID,
    from: { id: conversation.user.id, ...(typeof name === 'string' ? { name } : {}), role: 'user' },
    recipient: ctx.bot,
  };
}

export function mountClientRoutes(server: restify.Server, ctx: RoutesContext): void {
  const { store, config } = ctx;
  const p = DIRECT_LINE_PREFIX;

  type Handler = (req: restify.Request, res: restify.Response) => void;
  const withCors =
    (handler: Handler) =>
    async (req: restify.Request, res: restify.Response): Promise<void> => {
      applyCors(config, req, res);
      handler(req, res);
    };

  // Runs before the route's withCors: a refused browser client still gets CORS headers to read why.
  const refuseRate =
    (event: string): Refuse =>
    (req, res, _retryAfter, reason) => {
      ctx.log.info(event, { reason: 'rate' });
      applyCors(config, req, res);
      res.header('Access-Control-Expose-Headers', 'Retry-After');
      sendError(res, 429, 'TooManyRequests', reason);
    };
  const limitNew = limitStarts(server, config, refuseRate('directline.conversation_refused'));
  // Posting and refreshing share the per-client message allowance: both are cheap to repeat and each
  // costs us (a bot turn, a token); the start allowance stays for new conversations, which a user
  // behind a shared address should not lose to a neighbour's long chat.
  const limitPosts = limitMessages(server, config, refuseRate('directline.request_refused'));

  /** Only requests that create a conversation count; starting one from a generated token does not. */
  const limitUntokened: restify.RequestHandler = (req, res, next) =>
    bearerToken(req.headers.authorization) ? next() : limitNew(req, res, next);

  server.opts(`${p}/*`, async (req, res) => {
    applyCors(config, req, res);
    res.header('Access-Control-Allow-Methods', ALLOWED_METHODS);
    res.header('Access-Control-Allow-Headers', ALLOWED_HEADERS);
    res.header('Access-Control-Max-Age', '600');
    res.send(204);
  });

  /** Creates a conversation (not yet started) for a start request, or answers with an error. */
  const newConversation = (req: restify.Request, res: restify.Response): Conversation | undefined => {
    // Clients that are not browsers send no Origin; a browser's must pass the origin policy.
    const verdict = req.headers.origin === undefined ? undefined : checkOrigin(req, config);
    if (verdict && !verdict.ok) {
      sendError(res, 403, 'OriginNotAllowed', `This origin may not start conversations: ${verdict.reason}`);
      return undefined;
    }
    const body: unknown = req.body;
    const user = userFrom(body);
    if (user === 'invalid') {
      sendError(res, 400, 'BadArgument', 'user.id must be a short string not starting with dl_');
      return undefined;
    }
    try {
      const owner = clientAddress(req, config.http.trustedProxies);
      const conversation = store.create(user, localeFrom(body), owner);
      ctx.log.info('directline.conversation_created', { conversations: store.size });
      return conversation;
    } catch (err) {
      if (!(err instanceof StoreFullError)) throw err;
      ctx.log.info('directline.conversation_refused', {
        reason: err.scope === 'client' ? 'client_share' : 'full',
      });
      res.header('Retry-After', '60');
      res.header('Access-Control-Expose-Headers', 'Retry-After');
      const message =
        err.scope === 'client'
          ? 'This address holds too many open conversations, try again later'
          : 'Too many open conversations, try again later';
      sendError(res, 429, 'TooManyConversations', message);
      return undefined;
    }
  };

  // Start a conversation: without a token a new one; with a token (from tokens/generate) that one.
  server.post(
    `${p}/conversations`,
    limitUntokened,
    withCors((req, res) => {
      // Checked first: a start that cannot be answered with a usable stream URL must create nothing.
      const base = streamBase(ctx, req);
      if (!base) return sendError(res, 400, 'BadArgument', 'The Host header is missing or malformed');
      const given = bearerToken(req.headers.authorization);
      let conversation: Conversation | undefined;
      let token: string;
      let created = false;
      if (given) {
        const check = store.authorizeToken(given);
        if (!check.ok) return refuse(res, check);
        conversation = check.conversation;
        token = given;
      } else {
        conversation = newConversation(req, res);
        if (!conversation) return;
        token = store.issueToken(conversation).token;
        created = true;
      }
      if (!conversation.started) {
        conversation.started = true;
        startWithBot(ctx, conversation);
      }
      res.send(created ? 201 : 200, {
        conversationId: conversation.id,
        token,
        expires_in: secondsLeft(ctx, conversation, token),
        streamUrl: streamUrl(base, conversation, token),
      });
    }),
  );

  // A token for a conversation that starts when the client first posts to /conversations with it.
  server.post(
    `${p}/tokens/generate`,
    limitNew,
    withCors((req, res) => {
      const conversation = newConversation(req, res);
      if (!conversation) return;
      const { token, expiresIn } = store.issueToken(conversation);
      res.send(200, { conversationId: conversation.id, token, expires_in: expiresIn });
    }),
  );

  // The refreshed token replaces the old one, which stops working soon after (see issueToken).
  server.post(
    `${p}/tokens/refresh`,
    limitPosts,
    withCors((req, res) => {
      const given = bearerToken(req.headers.authorization);
      const check = store.authorizeToken(given, 'refresh');
      if (!check.ok) return refuse(res, check);
      const { token, expiresIn } = store.issueToken(check.conversation, given);
      res.send(200, { conversationId: check.conversation.id, token, expires_in: expiresIn });
    }),
  );

  const authorized = (req: restify.Request, res: restify.Response): Conversation | undefined => {
    const check = store.authorize(String(req.params.conversationId), bearerToken(req.headers.authorization));
    if (check.ok) return check.conversation;
    refuse(res, check);
    return undefined;
  };

  // Reconnect: a fresh stream URL that replays from the client's watermark.
  server.get(
    `${p}/conversations/:conversationId`,
    withCors((req, res) => {
      const conversation = authorized(req, res);
      if (!conversation) return;
      const token = bearerToken(req.headers.authorization) as string;
      const base = streamBase(ctx, req);
      if (!base) return sendError(res, 400, 'BadArgument', 'The Host header is missing or malformed');
      res.send(200, {
        conversationId: conversation.id,
        token,
        expires_in: secondsLeft(ctx, conversation, token),
        streamUrl: streamUrl(base, conversation, token, queryParam(req, 'watermark')),
      });
    }),
  );

  // Polling clients.
  server.get(
    `${p}/conversations/:conversationId/activities`,
    withCors((req, res) => {
      const conversation = authorized(req, res);
      if (!conversation) return;
      res.send(200, store.since(conversation, queryParam(req, 'watermark')));
    }),
  );

  server.post(
    `${p}/conversations/:conversationId/activities`,
    limitPosts,
    withCors((req, res) => {
      const conversation = authorized(req, res);
      if (!conversation) return;
      const body: unknown = req.body;
      if (!body || typeof body !== 'object' || Array.isArray(body)) {
        return sendError(res, 400, 'BadArgument', 'An activity object is required');
      }
      const posted = body as WireActivity;
      if (typeof posted.type !== 'string' || !CLIENT_TYPES.has(posted.type)) {
        return sendError(res, 400, 'BadArgument', 'Unsupported activity type');
      }
      if (JSON.stringify(posted).length > MAX_CLIENT_ACTIVITY_BYTES) {
        return sendError(res, 413, 'MessageSizeTooBig', 'The activity is too large');
      }
      const activity = fromClient(ctx, conversation, posted);
      // The bot does nothing with the user's typing, and each delivery is a whole turn: typing is only
      // echoed to the conversation's streams.
      const forward = activity.type !== 'typing';
      if (forward && !canDeliver(conversation)) {
        res.header('Retry-After', '1');
        res.header('Access-Control-Expose-Headers', 'Retry-After');
        return sendError(res, 429, 'TooManyRequests', 'The bot is still busy with earlier activities');
      }
      const stored = record(ctx, conversation, activity, 'user', res);
      if (!stored) return;
      if (forward) sendToBot(ctx, conversation, stored);
      res.send(200, { id: stored.id });
    }),
  );
}
