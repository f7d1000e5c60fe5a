// HTTP turn benchmark, side by side: one run drives three servers with the same autocannon settings and
// the same mix of questions, so this bot's figures can be read against two floors:
//   bare  restify answering a fixed JSON reply (the HTTP stack alone),
//   echo  a minimal Bot Framework bot on the same CloudAdapter, with conversation state saved every turn,
//   bot   this bot, built by createApp.
// Each server runs in a child process: its peak RSS is then its own (not autocannon's nor the other
// servers'), and on a 2-core machine the load generator and the server each get a core, as they would
// on separate machines. Numbers only, no asserts.
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startServer } from './servers/spawn';
import { drive, messageActivity, questions, type Run } from './turns';

// npm run bench:http -- --seconds 10 [--only bot] [--profile DIR]
// --profile: --cpu-prof in each child, into DIR/<server>/ (one file per thread: tsx's loader has its own;
// the main thread's is the largest).
const args = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    only: { type: 'string' },
    profile: { type: 'string' },
  },
}).values;
const SECONDS = Number(args.seconds);
const WARM_UP_SECONDS = 2;
const CONNECTIONS = 50;
/** Turns are spread over this many conversations, so state is read and written as in production. */
const CONVERSATIONS = 500;
const SERVERS = ['bare', 'echo', 'bot'].filter((s) => !args.only || args.only.split(',').includes(s));

const load = (port: number, seconds: number): Promise<Run> =>
  drive(port, {
    connections: CONNECTIONS,
    seconds,
    body: (n) => messageActivity(n, String(n % CONVERSATIONS)),
  });

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}

interface Row {
  name: string;
  turns: number;
  p50: number;
  p95: number;
  p99: number;
  non2xx: number;
  errors: number;
  peakRssMb: number;
  cpuPerTurnUs: number;
}

async function measure(name: string): Promise<Row> {
  const flags = args.profile ? ['--cpu-prof', '--cpu-prof-dir', join(args.profile, name)] : [];
  const server = await startServer(name, flags);
  try {
    await load(server.port, WARM_UP_SECONDS); // JIT and caches warm, not counted
    const before = await server.memory();
    const { result, latencies } = await load(server.port, SECONDS);
    const { peakRss, cpuMicros } = await server.memory();
    latencies.sort((a, b) => a - b);
    return {
      name,
      turns: result.requests.average,
      p50: percentile(latencies, 50),
      p95: percentile(latencies, 95),
      p99: percentile(latencies, 99),
      non2xx: result.non2xx,
      errors: result.errors + result.timeouts,
      peakRssMb: peakRss / 2 ** 20,
      cpuPerTurnUs: (cpuMicros - before.cpuMicros) / latencies.length,
    };
  } finally {
    await server.stop();
  }
}

async function main(): Promise<void> {
  console.log(
    `HTTP turns: ${CONNECTIONS} connections, ${SECONDS}s each after ${WARM_UP_SECONDS}s warm-up, ` +
      `${questions.length} eval questions over ${CONVERSATIONS} conversations, Node ${process.version}`,
  );
  const rows: Row[] = [];
  for (const name of SERVERS) rows.push(await measure(name));
  const echo = rows.find((r) => r.name === 'echo');
  const ratio = (value: number, of: number | undefined): string =>
    of ? `${(value / of).toFixed(2)}x`.padStart(7) : '      -';
  console.log(
    'server  turns/s  p50 ms  p95 ms  p99 ms  non-2xx  errors  peak RSS MB  CPU µs/turn' +
      '  | vs echo: turns/s    p50    p95    p99    RSS    CPU',
  );
  for (const r of rows) {
    console.log(
      [
        r.name.padEnd(6),
        r.turns.toFixed(0).padStart(8),
        r.p50.toFixed(1).padStart(7),
        r.p95.toFixed(1).padStart(7),
        r.p99.toFixed(1).padStart(7),
        String(r.non2xx).padStart(8),
        String(r.errors).padStart(7),
        r.peakRssMb.toFixed(0).padStart(12),
        r.cpuPerTurnUs.toFixed(0).padStart(12),
        ' |        ',
        ratio(r.turns, echo?.turns),
        ratio(r.p50, echo?.p50),
        ratio(r.p95, echo?.p95),
        ratio(r.p99, echo?.p99),
        ratio(r.peakRssMb, echo?.peakRssMb),
        ratio(r.cpuPerTurnUs, echo?.cpuPerTurnUs),
      ].join(' '),
    );
  }
}

main().catch((err: Error) => {
  console.error(`benchmark failed: ${err.message}`);
  process.exitCode = 1;
});
