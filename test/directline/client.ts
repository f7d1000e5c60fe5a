// A botframework-directlinejs client for the local channel tests, and the Node globals it needs to run.
import WebSocket from 'ws';
import { DirectLine, type Activity as DlActivity } from 'botframework-directlinejs';
import type { Subscription } from 'rxjs/Subscription';
import { afterThisTest, type Json } from './server';

// DirectLineJS makes its requests with rxjs ajax over XMLHttpRequest and needs a global WebSocket.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const XMLHttpRequestForNode = require('xhr2') as unknown;

/** Installs XMLHttpRequest and WebSocket as globals for the enclosing suite, and restores them after it. */
export function useDirectLineGlobals(): void {
  const savedXhr = (globalThis as Json).XMLHttpRequest;
  const savedWebSocket = (globalThis as Json).WebSocket;

  before(() => {
    (globalThis as Json).XMLHttpRequest = XMLHttpRequestForNode;
    (globalThis as Json).WebSocket = WebSocket;
  });

  after(() => {
    (globalThis as Json).XMLHttpRequest = savedXhr;
    (globalThis as Json).WebSocket = savedWebSocket;
  });
}

export interface Client {
  dl: DirectLine;
  received: DlActivity[];
  texts: () => string[];
  post: (text: string, clientActivityID: string) => Promise<string>;
}

export function connectClient(base: string, webSocket: boolean): Client {
  const dl = new DirectLine({
    domain: `${base}/v3/directline`,
    webSocket,
    pollingInterval: 200,
    WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
    // The reconnect delay is 3 s + random × 12 s: keep it at 3 s.
    random: () => 0,
  });
  const received: DlActivity[] = [];
  const subscription: Subscription = dl.activity$.subscribe({
    next: (a) => received.push(a),
    error: () => {},
  });
  afterThisTest(() => {
    subscription.unsubscribe();
    dl.end();
  });
  const post = (text: string, clientActivityID: string): Promise<string> =>
    new Promise((resolve, reject) => {
      dl.postActivity({
        type: 'message',
        from: { id: 'patient-1', role: 'user' },
        text,
        channelData: { clientActivityID },
      } as DlActivity).subscribe({ next: (id: string) => resolve(id), error: reject });
    });
  const texts = (): string[] => received.map((a) => (a as { text?: string }).text ?? `<${a.type}>`);
  return { dl, received, texts, post };
}
