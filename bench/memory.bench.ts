// Memory held per conversation: this bot in a child process (started with --expose-gc) receives many
// distinct conversations, one expectReplies turn each, and reports its memory before, after, and after
// a forced garbage collection, so what stays is told from garbage not yet collected. For measuring a
// bound on in-memory state (LRU or TTL); nothing is asserted.
import { parseArgs } from 'node:util';
import { startServer } from './servers/spawn';
import { drive, messageActivity } from './turns';

// npm run bench:memory -- --conversations 60000
const CONVERSATIONS = Number(
  parseArgs({ options: { conversations: { type: 'string', default: '60000' } } }).values.conversations,
);
const CONNECTIONS = 50;

const mb = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(0).padStart(6)} MB`;

async function main(): Promise<void> {
  const bot = await startServer('bot', ['--expose-gc']);
  try {
    const before = await bot.gcThenMemory();
    const started = Date.now();
    const { result } = await drive(bot.port, {
      connections: CONNECTIONS,
      amount: CONVERSATIONS,
      // Conversation n gets question n: distinct conversations, the usual mix of replies.
      body: (n) => messageActivity(n, String(n)),
    });
    const seconds = (Date.now() - started) / 1000;
    const after = await bot.memory();
    const collected = await bot.gcThenMemory();
    console.log(
      `Memory: ${result.requests.total} turns in ${CONVERSATIONS} distinct conversations ` +
        `(${(result.requests.total / seconds).toFixed(0)} turns/s, non-2xx ${result.non2xx}, ` +
        `errors ${result.errors + result.timeouts}), Node ${process.version}`,
    );
    console.log('                          RSS        heap');
    console.log(`before (after a GC)  ${mb(before.rss)}  ${mb(before.heapUsed)}`);
    console.log(
      `after                ${mb(after.rss)}  ${mb(after.heapUsed)}   peak RSS ${mb(after.peakRss)}`,
    );
    if (collected.collected) {
      console.log(`after a forced GC    ${mb(collected.rss)}  ${mb(collected.heapUsed)}`);
      const perConversation = (collected.heapUsed - before.heapUsed) / CONVERSATIONS;
      console.log(`heap kept per conversation: ${(perConversation / 1024).toFixed(2)} KB`);
    } else {
      console.log('after a forced GC    (unavailable: the child runs without --expose-gc)');
    }
  } finally {
    await bot.stop();
  }
}

main().catch((err: Error) => {
  console.error(`benchmark failed: ${err.message}`);
  process.exitCode = 1;
});
