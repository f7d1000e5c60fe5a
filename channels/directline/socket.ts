// The Direct Line stream: a WebSocket per client that replays what the client missed and then pushes
// every new activity as a `{ activities, watermark }` frame. The client only sends empty keep-alives.
// Streams are bounded per conversation and per client address, pinged to find dead ones, and closed
// when the token they were opened with stops working; clients then reconnect with their current token.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, WebSocket } from 'ws';
import { clientAddress } from '../../shared/clientAddress';
import type { Logger } from '../../shared/log';
import type { ActivitySet, Conversation, ConversationStore } from './store';
import { DIRECT_LINE_PREFIX } from './paths';

export interface StreamLimits {
  perConversation: number;
  perClient: number;
  /** Ping period (ms): a stream that has not answered the previous ping by the next one is dropped. */
  pingIntervalMs: number;
  trustedProxies: readonly string[];
}

/**
 * Bytes a stream may have waiting to be sent beyond the replay it opened with. A client that stops
 * reading would otherwise have every new activity buffered for it; dropped, it reconnects and replays.
 */
const MAX_BUFFERED_BYTES = 1024 * 1024;

interface Stream {
  conversation: Conversation;
  token: string;
  address: string;
  answered: boolean;
}

const STREAM_PATH = new RegExp(`^${DIRECT_LINE_PREFIX}/conversations/([^/]+)/stream$`);
const OWN_PREFIX = `${DIRECT_LINE_PREFIX}/`;

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  403: 'Forbidden',
  404: 'Not Found',
  429: 'Too Many Requests',
};

export interface StreamSockets {
  /** The `upgrade` listener to attach to the HTTP server. */
  onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Closes the open streams of one conversation, or of all; returns how many were closed. */
  closeStreams(conversationId?: string): number;
  /** Ends every stream at once (server shutdown). */
  close(): void;
}

function reject(socket: Duplex, status: number, extraHeaders = ''): void {
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_TEXT[status]}\r\nConnection: close\r\n${extraHeaders}Content-Length: 0\r\n\r\n`,
    );
  }
  socket.destroy();
}

/**
 * @param othersHandle tells whether some other part of the server listens for upgrades; when none does,
 * upgrade requests outside /v3/directline are refused instead of being left hanging.
 */
export function createStreamSockets(
  store: ConversationStore,
  log: Logger,
  limits: StreamLimits,
  othersHandle: () => boolean,
): StreamSockets {
  // The client sends nothing but "" keep-alives, so a small frame limit suffices.
  const wss = new WebSocketServer({ noServer: true, maxPayload: 4096 });
  const open = new Map<Conversation, Set<WebSocket>>();
  const streams = new Map<WebSocket, Stream>();
  /** client address → open streams (only addresses holding one). */
  const perClient = new Map<string, number>();

  const send = (ws: WebSocket, set: ActivitySet): void => {
    if (ws.readyState !== WebSocket.OPEN) return;
    if (ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      log.info('directline.stream_dropped', { reason: 'not_reading' });
      ws.terminate();
      return;
    }
    ws.send(JSON.stringify(set));
  };

  const connect = (ws: WebSocket, stream: Stream, watermark: string | undefined): void => {
    const { conversation, address } = stream;
    const sockets = open.get(conversation) ?? new Set<WebSocket>();
    open.set(conversation, sockets);
    sockets.add(ws);
    streams.set(ws, stream);
    perClient.set(address, (perClient.get(address) ?? 0) + 1);
    // Reading the backlog and subscribing happen in one synchronous step: nothing can slip in between.
    const backlog = store.since(conversation, watermark);
    if (backlog.activities.length > 0) ws.send(JSON.stringify(backlog));
    const unsubscribe = store.subscribe(conversation, (set) => send(ws, set));
    const cleanup = (): void => {
      unsubscribe();
      streams.delete(ws);
      const held = (perClient.get(address) ?? 1) - 1;
      if (held > 0) perClient.set(address, held);
      else perClient.delete(address);
      sockets.delete(ws);
      if (sockets.size === 0 && open.get(conversation) === sockets) open.delete(conversation);
    };
    ws.on('close', cleanup);
    ws.on('error', () => ws.terminate());
    ws.on('pong', () => {
      stream.answered = true;
    });
    // Keep-alives ("") and anything else from the client are ignored.
    ws.on('message', () => {});
  };

  /** Drops streams that missed the last ping or whose token stopped working, and pings the rest. */
  const sweep = (): void => {
    for (const [ws, stream] of streams) {
      if (!stream.answered) {
        log.info('directline.stream_dropped', { reason: 'no_pong' });
        ws.terminate();
      } else if (!store.tokenValid(stream.conversation, stream.token)) {
        // 4401 is ours (the 4000s are the application's): the client reconnects with its newer token.
        ws.close(4401, 'token expired');
      } else {
        stream.answered = false;
        ws.ping();
      }
    }
  };
  const pinger = limits.pingIntervalMs > 0 ? setInterval(sweep, limits.pingIntervalMs).unref() : undefined;

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (!url.pathname.startsWith(OWN_PREFIX)) {
      if (!othersHandle()) reject(socket, 404);
      return;
    }
    socket.on('error', () => socket.destroy());
    const match = STREAM_PATH.exec(url.pathname);
    if (!match) return reject(socket, 404);
    let conversationId: string;
    try {
      conversationId = decodeURIComponent(match[1]);
    } catch {
      return reject(socket, 400);
    }
    const token = url.searchParams.get('t') ?? undefined;
    const check = store.authorize(conversationId, token);
    if (!check.ok) {
      log.info('directline.stream_refused', { status: check.status, reason: check.reason });
      return reject(socket, check.status);
    }
    const address = clientAddress(req, limits.trustedProxies);
    // A limit of 0 is no limit, as with the rate limits.
    const over = (count: number, limit: number): boolean => limit > 0 && count >= limit;
    const full = over(open.get(check.conversation)?.size ?? 0, limits.perConversation)
      ? 'conversation_streams'
      : over(perClient.get(address) ?? 0, limits.perClient)
        ? 'client_streams'
        : undefined;
    if (full) {
      log.info('directline.stream_refused', { status: 429, reason: full });
      return reject(socket, 429, 'Retry-After: 10\r\n');
    }
    const stream: Stream = {
      conversation: check.conversation,
      token: token as string,
      address,
      answered: true,
    };
    const watermark = url.searchParams.get('watermark') ?? undefined;
    // handleUpgrade calls back synchronously (no verifyClient), so the counts above cannot be overtaken.
    wss.handleUpgrade(req, socket, head, (ws) => connect(ws, stream, watermark));
  };

  const closeSet = (sockets: Set<WebSocket> | undefined, code: number, reason: string): number => {
    if (!sockets) return 0;
    const count = sockets.size;
    for (const ws of [...sockets]) ws.close(code, reason);
    return count;
  };

  // An evicted conversation ends its streams; the client's reconnect then learns it is gone (404).
  store.onEvict((conversation) => {
    closeSet(open.get(conversation), 1000, 'conversation ended');
    open.delete(conversation);
  });

  return {
    onUpgrade,
    closeStreams(conversationId?: string): number {
      let count = 0;
      for (const [conversation, sockets] of open) {
        if (conversationId === undefined || conversation.id === conversationId) {
          count += closeSet(sockets, 1001, 'stream closed by server');
        }
      }
      return count;
    },
    close(): void {
      if (pinger) clearInterval(pinger);
      for (const sockets of open.values()) for (const ws of sockets) ws.terminate();
      open.clear();
      wss.close();
    },
  };
}
