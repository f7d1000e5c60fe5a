// A local Direct Line 3.0 channel on the bot's own server, so Web Chat works with no cloud account.
// It hands user activities to the bot in process (runTurn, given by the server) and takes the bot's
// replies on Bot Connector routes, which only works while the bot runs in anonymous mode (no
// MicrosoftAppId).
import type { AddressInfo } from 'node:net';
import type * as restify from 'restify';
import type { Config } from '../../config';
import type { Logger } from '../../shared/log';
import { mountConnectorRoutes } from './bridge';
import { mountClientRoutes, type RoutesContext } from './routes';
import { createStreamSockets } from './socket';
import { ConversationStore, randomId, type Account, type WireActivity } from './store';

export { DIRECT_LINE_PREFIX } from './paths';
export type { WireActivity } from './store';

export interface DirectLineDeps {
  config: Config;
  log: Logger;
  /**
   * Runs the turn of one user activity (the server gives the checks and turn of /api/messages) and
   * resolves with the HTTP status /api/messages would answer.
   */
  runTurn: (activity: WireActivity) => Promise<number>;
  /** Clock for token expiry and idle eviction (tests move it forward). */
  now?: () => number;
  /** The bot as shown to clients; defaults to a generic account. */
  botAccount?: Account;
  maxConversations?: number;
  maxActivitiesPerConversation?: number;
  /** How long one delivery to the bot may take (ms). */
  deliveryTimeoutMs?: number;
  /** How often open streams are pinged; a stream that missed the previous ping is closed (ms). */
  pingIntervalMs?: number;
}

export interface DirectLineChannel {
  readonly store: ConversationStore;
  /** Closes the open streams of one conversation (or of all); clients reconnect by themselves. */
  closeStreams(conversationId?: string): number;
  /** Resolves once every delivery to the bot queued so far has finished (the bot has replied). */
  settled(): Promise<void>;
  /**
   * Stops the eviction timer, ends all streams and forgets all conversations. Whoever mounted the
   * channel calls it before closing the server, which would otherwise wait for the open streams.
   */
  close(): void;
}

/** Servers ping their streams this often by default (ms); a stream silent for two periods is dropped. */
const DEFAULT_PING_INTERVAL_MS = 30_000;

const DEFAULT_BOT: Account = { id: 'medicine-info-bot', name: 'Medicine information', role: 'bot' };

/** http://127.0.0.1:PORT (or the specific address the server is bound to) while the server listens. */
function localBaseOf(server: restify.Server): string | undefined {
  const address = server.server.address() as AddressInfo | string | null;
  if (!address || typeof address === 'string') return undefined;
  const wildcard = address.address === '::' || address.address === '0.0.0.0' || address.address === '';
  const host = wildcard
    ? '127.0.0.1'
    : address.address.includes(':')
      ? `[${address.address}]`
      : address.address;
  return `http://${host}:${address.port}`;
}

/**
 * Mounts the channel's routes and stream on the server. Returns undefined, and mounts nothing, when an
 * app id is configured: the bot then authenticates its outbound calls with Azure, which this channel
 * cannot take part in (use the Azure Direct Line channel instead).
 */
export function mountDirectLine(server: restify.Server, deps: DirectLineDeps): DirectLineChannel | undefined {
  const { config, log } = deps;
  if (config.auth.MicrosoftAppId) {
    log.info('directline.local_disabled', { reason: 'app_id_configured' });
    return undefined;
  }
  const store = new ConversationStore({
    tokenTtlSeconds: config.directLine.tokenTtlSeconds,
    idleMinutes: config.directLine.idleMinutes,
    now: deps.now,
    maxConversations: deps.maxConversations ?? config.directLine.maxConversations,
    maxActivitiesPerConversation:
      deps.maxActivitiesPerConversation ?? config.directLine.maxActivitiesPerConversation,
    maxConversationsPerClient: config.directLine.maxConversationsPerClient,
  });
  const ctx: RoutesContext = {
    config,
    store,
    log,
    bot: deps.botAccount ?? DEFAULT_BOT,
    connectorKey: randomId(24),
    localBase: () => localBaseOf(server),
    runTurn: deps.runTurn,
    deliveryTimeoutMs: deps.deliveryTimeoutMs ?? 60_000,
    pending: new Set(),
  };
  mountClientRoutes(server, ctx);
  mountConnectorRoutes(server, ctx);

  const http = server.server;
  const limits = {
    perConversation: config.directLine.maxStreamsPerConversation,
    perClient: config.directLine.maxStreamsPerClient,
    pingIntervalMs: deps.pingIntervalMs ?? DEFAULT_PING_INTERVAL_MS,
    trustedProxies: config.http.trustedProxies,
  };
  const streams = createStreamSockets(store, log, limits, () => {
    // restify itself always listens (it re-emits the event); anyone beyond it and us handles upgrades too.
    return http.listenerCount('upgrade') > 2 || server.listenerCount('upgrade') > 0;
  });
  http.on('upgrade', streams.onUpgrade);

  // Idle conversations are also dropped whenever they are looked up; the timer frees memory meanwhile.
  const sweepEvery = store.idleMs > 0 ? Math.min(store.idleMs, 60_000) : 0;
  const timer = sweepEvery > 0 ? setInterval(() => store.sweep(), sweepEvery).unref() : undefined;

  let closed = false;
  const close = (): void => {
    if (closed) return;
    closed = true;
    if (timer) clearInterval(timer);
    http.off('upgrade', streams.onUpgrade);
    streams.close();
    store.clear();
  };
  log.info('directline.local_mounted', {
    tokenTtlSeconds: config.directLine.tokenTtlSeconds,
    idleMinutes: config.directLine.idleMinutes,
    maxConversations: store.maxConversations,
    maxActivitiesPerConversation: store.maxActivities,
    maxConversationsPerClient: store.maxPerClient,
    maxStreamsPerConversation: limits.perConversation,
    maxStreamsPerClient: limits.perClient,
  });
  const settled = async (): Promise<void> => {
    while (ctx.pending.size > 0) await Promise.all([...ctx.pending]);
  };
  return {
    store,
    closeStreams: streams.closeStreams,
    settled,
    close,
  };
}
