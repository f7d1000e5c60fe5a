// The bot's side of the local channel: user activities go to the bot in process, through the function
// the server hands us (the checks and CloudAdapter turn of /api/messages, without the HTTP hop), and
// the bot's replies come back through the Bot Connector routes below, reached at a per-process secret
// service URL, as any channel's do.
import { timingSafeEqual } from 'node:crypto';
import type * as restify from 'restify';
import type { Logger } from '../../shared/log';
import { FORGET_CONVERSATION_EVENT } from '../../shared/forget';
import type { Account, Conversation, ConversationStore, WireActivity } from './store';
import { StoreFullError } from './store';
import { CONNECTOR_PREFIX } from './paths';

export const CHANNEL_ID = 'directline';

export interface BridgeContext {
  store: ConversationStore;
  log: Logger;
  /** The bot as the channel presents it (recipient of user activities, sender of replies). */
  bot: Account;
  /** Random path segment that keeps the reply routes private to the bot. */
  connectorKey: string;
  /** http://127.0.0.1:PORT of the running server, undefined while it is not listening. */
  localBase: () => string | undefined;
  /** Runs one activity's turn as /api/messages would; resolves with the status it would answer. */
  runTurn: (activity: WireActivity) => Promise<number>;
  /** How long one delivery to the bot may take before we give up waiting for it. */
  deliveryTimeoutMs: number;
  /** Deliveries queued or under way, for a graceful shutdown. */
  pending: Set<Promise<void>>;
}

/**
 * Deliveries to the bot one conversation may have queued or under way. They run one at a time, so a
 * client posting faster than the bot answers would otherwise grow the queue (and memory) without end.
 */
const MAX_WAITING_DELIVERIES = 10;

/** The error format of Direct Line and the Bot Connector: `{ error: { code, message } }`. */
export function sendError(res: restify.Response, status: number, code: string, message: string): void {
  res.send(status, { error: { code, message } });
}

/**
 * Records an activity in its conversation (see ConversationStore.add), or answers 429 and returns
 * undefined when the conversation is full.
 */
export function record(
  ctx: BridgeContext,
  conversation: Conversation,
  activity: WireActivity,
  sender: 'user' | 'bot',
  res: restify.Response,
): WireActivity | undefined {
  try {
    return ctx.store.add(conversation, activity, sender);
  } catch (err) {
    if (!(err instanceof StoreFullError)) throw err;
    sendError(res, 429, 'TooManyActivities', 'The conversation holds too many activities');
    return undefined;
  }
}

/** Whether the conversation may queue one more delivery to the bot. */
export function canDeliver(conversation: Conversation): boolean {
  return conversation.deliveries < MAX_WAITING_DELIVERIES;
}

function serviceUrl(ctx: BridgeContext, base: string): string {
  return `${base}${CONNECTOR_PREFIX}/${ctx.connectorKey}`;
}

/**
 * Queues an activity for the bot. Deliveries of one conversation run one after the other so the bot
 * sees them in the order the user sent them; a failed delivery is logged and does not block later ones.
 */
export function sendToBot(ctx: BridgeContext, conversation: Conversation, activity: WireActivity): void {
  conversation.deliveries += 1;
  const delivery = conversation.queue.then(() => deliver(ctx, conversation, activity));
  conversation.queue = delivery;
  ctx.pending.add(delivery);
  void delivery.finally(() => {
    conversation.deliveries -= 1;
    ctx.pending.delete(delivery);
  });
}

/** Tells the bot that the bot and the user joined, so it can greet the user. */
export function startWithBot(ctx: BridgeContext, conversation: Conversation): void {
  sendToBot(ctx, conversation, {
    type: 'conversationUpdate',
    id: `${conversation.id}|start`,
    timestamp: new Date(ctx.store.now()).toISOString(),
    from: conversation.user,
    membersAdded: [ctx.bot, conversation.user],
    ...(conversation.locale ? { locale: conversation.locale } : {}),
  });
}

async function deliver(
  ctx: BridgeContext,
  conversation: Conversation,
  activity: WireActivity,
): Promise<void> {
  const base = ctx.localBase();
  if (!base) {
    ctx.log.error('directline.bot_unreachable', { reason: 'server_not_listening' });
    return;
  }
  // The bot gets a copy of its own, plain JSON as it would have arrived over HTTP: the turn turns dates
  // into Date objects and the SDK may add fields, while the stored activity is what clients replay.
  const body = JSON.parse(
    JSON.stringify({
      ...activity,
      channelId: CHANNEL_ID,
      serviceUrl: serviceUrl(ctx, base),
      recipient: ctx.bot,
      conversation: { id: conversation.id },
    }),
  ) as WireActivity;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ctx.deliveryTimeoutMs);
  });
  // A turn that outlives the timeout goes on by itself; the conversation's next delivery need not wait.
  const turn = ctx.runTurn(body).catch((err: Error) => err);
  const outcome = await Promise.race([turn, timedOut]);
  clearTimeout(timer);
  if (outcome === 'timeout') {
    ctx.log.error('directline.bot_unreachable', { reason: 'TimeoutError' });
  } else if (outcome instanceof Error) {
    ctx.log.error('directline.bot_unreachable', { reason: outcome.name });
  } else if (outcome < 200 || outcome > 299) {
    ctx.log.error('directline.bot_rejected', { status: outcome, activityType: activity.type });
  }
}

function sameKey(given: string | undefined, expected: string): boolean {
  const a = Buffer.from(given ?? '');
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The Bot Connector endpoints the CloudAdapter calls for replies, under the private service URL. */
export function mountConnectorRoutes(server: restify.Server, ctx: BridgeContext): void {
  const base = `${CONNECTOR_PREFIX}/:key/v3/conversations/:conversationId`;

  /** Resolves the key and the conversation, or answers 404 for either (a wrong key reveals nothing). */
  const conversationFor = (req: restify.Request, res: restify.Response): Conversation | undefined => {
    const conversation = sameKey(req.params.key, ctx.connectorKey)
      ? ctx.store.find(String(req.params.conversationId))
      : undefined;
    if (!conversation) sendError(res, 404, 'ConversationNotFound', 'Conversation not found');
    return conversation;
  };

  const receiveReply = async (req: restify.Request, res: restify.Response): Promise<void> => {
    const conversation = conversationFor(req, res);
    if (!conversation) return;
    const body: unknown = req.body;
    if (!body || typeof body !== 'object' || typeof (body as WireActivity).type !== 'string') {
      sendError(res, 400, 'BadArgument', 'An activity with a type is required');
      return;
    }
    const { serviceUrl: _serviceUrl, id: _id, timestamp: _timestamp, ...reply } = body as WireActivity;
    if (reply.type === 'event' && reply.name === FORGET_CONVERSATION_EVENT) {
      // "Forget me": the transcript kept so far goes; the event itself is neither stored nor shown.
      const dropped = ctx.store.forget(conversation);
      ctx.log.info('directline.transcript_forgotten', { activities: dropped });
      res.send(200, { id: `${conversation.id}|forgotten` });
      return;
    }
    const activity: WireActivity = {
      ...reply,
      channelId: CHANNEL_ID,
      from: { ...ctx.bot, ...(reply.from ?? {}), role: 'bot' },
      recipient: conversation.user,
    };
    if (req.params.activityId && !activity.replyToId) activity.replyToId = String(req.params.activityId);
    const stored = record(ctx, conversation, activity, 'bot', res);
    if (stored) res.send(200, { id: stored.id });
  };

  server.post(`${base}/activities`, receiveReply);
  server.post(`${base}/activities/:activityId`, receiveReply);

  // Direct Line clients cannot update or delete activities already shown, so neither can the bot here.
  const notSupported = async (req: restify.Request, res: restify.Response): Promise<void> => {
    if (!conversationFor(req, res)) return;
    sendError(res, 405, 'MethodNotAllowed', 'Updating and deleting activities is not supported');
  };
  server.put(`${base}/activities/:activityId`, notSupported);
  server.del(`${base}/activities/:activityId`, notSupported);

  server.get(`${base}/members`, async (req, res) => {
    const conversation = conversationFor(req, res);
    if (!conversation) return;
    res.send(200, [ctx.bot, conversation.user]);
  });
}
