// One HTTP request through node:http, with exactly the headers and bytes given: unlike fetch, a test can
// set the Host header, Content-Encoding and Content-Length, send a body in chunks, and pick the client
// address (another loopback address, 127.0.0.2, reaches the same server as a different client).
import http from 'node:http';

export interface RawReply {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

export interface RawOptions {
  method: string;
  headers?: Record<string, string | number>;
  /** A whole body, or chunks written one after the other (sent chunked, with no Content-Length). */
  body?: Buffer | string | (() => AsyncIterable<Buffer>);
  localAddress?: string;
}

export function rawHttp(url: string, options: RawOptions): Promise<RawReply> {
  const { method, headers = {}, body, localAddress } = options;
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers, localAddress, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          text: Buffer.concat(chunks).toString(),
        }),
      );
    });
    req.on('error', reject);
    if (typeof body !== 'function') {
      req.end(body);
      return;
    }
    void (async () => {
      for await (const chunk of body()) {
        if (!req.write(chunk)) await new Promise((resolve) => req.once('drain', resolve));
      }
      req.end();
    })().catch((err: Error) => req.destroy(err));
  });
}
