// The Direct Line stream: a WebSocket per client that replays what the client missed and then pushes
// every new activity as a `{ activities, watermark }` frame. The client only sends empty keep-alives.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, WebSocket } from 'ws';
import type { Logger } from '../../server/log';
import type { ActivitySet, Conversation, ConversationStore } from './store';

const STREAM_PATH = /^\/v3\/directline\/conversations\/([^/]+)\/stream$/;
const OWN_PREFIX = '/v3/directline/';

const STATUS_TEXT: Record<number, string> = { 400: 'Bad Request', 403: 'Forbidden', 404: 'Not Found' };

export interface StreamSockets {
  /** The `upgrade` listener to attach to the HTTP server. */
  onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Closes the open streams of one conversation, or of all; returns how many were closed. */
  closeStreams(conversationId?: string): number;
  /** Ends every stream at once (server shutdown). */
  close(): void;
}

function reject(socket: Duplex, status: number): void {
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_TEXT[status]}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`,
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
  othersHandle: () => boolean,
): StreamSockets {
  // The client sends nothing but "" keep-alives, so a small frame limit suffices.
  const wss = new WebSocketServer({ noServer: true, maxPayload: 4096 });
  const open = new Map<Conversation, Set<WebSocket>>();

  const send = (ws: WebSocket, set: ActivitySet): void => {
    if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(set));
  };

  const connect = (ws: WebSocket, conversation: Conversation, watermark: string | undefined): void => {
    const sockets = open.get(conversation) ?? new Set<WebSocket>();
    open.set(conversation, sockets);
    sockets.add(ws);
    // Reading the backlog and subscribing happen in one synchronous step: nothing can slip in between.
    const backlog = store.since(conversation, watermark);
    if (backlog.activities.length > 0) send(ws, backlog);
    const unsubscribe = store.subscribe(conversation, (set) => send(ws, set));
    const cleanup = (): void => {
      unsubscribe();
      sockets.delete(ws);
      if (sockets.size === 0 && open.get(conversation) === sockets) open.delete(conversation);
    };
    ws.on('close', cleanup);
    ws.on('error', () => ws.terminate());
    // Keep-alives ("") and anything else from the client are ignored.
    ws.on('message', () => {});
  };

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
    const check = store.authorize(conversationId, url.searchParams.get('t') ?? undefined);
    if (!check.ok) {
      log.info('directline.stream_refused', { status: check.status, reason: check.reason });
      return reject(socket, check.status);
    }
    const watermark = url.searchParams.get('watermark') ?? undefined;
    wss.handleUpgrade(req, socket, head, (ws) => connect(ws, check.conversation, watermark));
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
      for (const sockets of open.values()) for (const ws of sockets) ws.terminate();
      open.clear();
      wss.close();
    },
  };
}
