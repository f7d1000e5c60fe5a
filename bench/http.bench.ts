// HTTP turn benchmark: the real server on an ephemeral port, autocannon posting messages to
// /api/messages with deliveryMode expectReplies (the bot's whole turn is inside each request).
// Prints requests/second and latency percentiles for a few kinds of turn. Numbers, no asserts.
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { createApp } from '../index';
import { loadConfig } from '../config';
import { silentLogger } from '../server/log';
import { listen } from '../server/app';

// npm run bench:http -- --seconds 10
const DURATION_S = Number(
  parseArgs({ options: { seconds: { type: 'string', default: '5' } } }).values.seconds,
);
const CONNECTIONS = 10;

const kinds: Record<string, string> = {
  answer: 'What is Imnovid used for?',
  typo: 'wat are the side efects of pomalidomid',
  fallback: 'Can I drink alcohol with it?',
  'red flag': 'I took too many capsules by mistake',
};

function body(text: string, n: number): string {
  return JSON.stringify({
    type: 'message',
    id: `bench-${n}`,
    channelId: 'directline',
    serviceUrl: 'http://127.0.0.1:9/unused',
    deliveryMode: 'expectReplies',
    // One conversation per connection-ish: state is read and written on every turn, as in production.
    conversation: { id: `bench-conv-${n % CONNECTIONS}` },
    from: { id: `bench-user-${n % CONNECTIONS}` },
    recipient: { id: 'bot' },
    text,
  });
}

async function main(): Promise<void> {
  const app = createApp(loadConfig({ LOG_LEVEL: 'error' }), silentLogger);
  const port = await listen(app.server, 0);
  console.log(`HTTP turns: ${CONNECTIONS} connections, ${DURATION_S}s per kind, Node ${process.version}`);
  console.log('kind        req/s    p50 ms  p90 ms  p99 ms  non-2xx');
  for (const [kind, text] of Object.entries(kinds)) {
    let n = 0;
    const result = await autocannon({
      url: `http://127.0.0.1:${port}/api/messages`,
      connections: CONNECTIONS,
      duration: DURATION_S,
      requests: [
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          setupRequest: (request) => ({ ...request, body: body(text, n++) }),
        },
      ],
    });
    const row = [
      kind.padEnd(10),
      result.requests.average.toFixed(0).padStart(7),
      String(result.latency.p50).padStart(8),
      String(result.latency.p90).padStart(7),
      String(result.latency.p99).padStart(7),
      String(result.non2xx).padStart(8),
    ];
    console.log(row.join(' '));
  }
  await new Promise<void>((resolve) => app.server.close(() => resolve()));
}

main().catch((err: Error) => {
  console.error(`benchmark failed: ${err.message}`);
  process.exitCode = 1;
});
