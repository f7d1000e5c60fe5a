// What the HTTP benchmarks send: messages with the evaluation sets' questions, posted with autocannon to
// /api/messages with deliveryMode expectReplies (the whole turn, replies included, is inside each request).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';

/**
 * Every question of the single-question evaluation sets (in scope, out of scope, typos...), in a fixed
 * order. The conversation set (understanding.json, an object with items) is left out, so runs stay
 * comparable with those measured before it existed.
 */
export const questions: string[] = (() => {
  const dir = join(__dirname, '..', 'test', 'eval');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as unknown)
    .filter((set): set is { q: string }[] => Array.isArray(set))
    .flatMap((set) => set.map((i) => i.q));
})();

/** The n-th message of a run, in the given conversation (its user is named after it). */
export function messageActivity(n: number, conversation: string): string {
  return JSON.stringify({
    type: 'message',
    id: `bench-${n}`,
    channelId: 'directline',
    serviceUrl: 'http://127.0.0.1:9/unused',
    deliveryMode: 'expectReplies',
    conversation: { id: `bench-conv-${conversation}` },
    from: { id: `bench-user-${conversation}` },
    recipient: { id: 'bot' },
    text: questions[n % questions.length],
  });
}

export interface Run {
  result: autocannon.Result;
  /** Every response's latency in ms: autocannon's own summary has p90 and p97.5 but no p95. */
  latencies: number[];
}

/** Posts body(0), body(1)... for `seconds`, or `amount` requests in all, over `connections` connections. */
export function drive(
  port: number,
  options: { connections: number; seconds?: number; amount?: number; body: (n: number) => string },
): Promise<Run> {
  let n = 0;
  const latencies: number[] = [];
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: `http://127.0.0.1:${port}/api/messages`,
        connections: options.connections,
        // autocannon refuses an undefined duration: give only what was asked for.
        ...(options.amount !== undefined ? { amount: options.amount } : { duration: options.seconds }),
        requests: [
          {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            setupRequest: (request) => ({ ...request, body: options.body(n++) }),
          },
        ],
      },
      (err, result) => (err ? reject(err) : resolve({ result, latencies })),
    );
    instance.on('response', (_client, _status, _bytes, ms) => latencies.push(ms));
  });
}
