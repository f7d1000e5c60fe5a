// Starts a benchmark server as a child process and drives it over its IPC channel (see child.ts).
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { extname, join } from 'node:path';
import type { FromChild, ToChild } from './child';

export interface BenchServer {
  port: number;
  memory(): Promise<Required<Omit<FromChild, 'port'>>>;
  /** Forces a garbage collection first (the child must run with --expose-gc), then reports memory. */
  gcThenMemory(): Promise<Required<Omit<FromChild, 'port'>>>;
  stop(): Promise<void>;
}

async function ask(child: ChildProcess, message: ToChild): Promise<Required<Omit<FromChild, 'port'>>> {
  child.send(message);
  const [reply] = (await once(child, 'message')) as [Required<FromChild>];
  return {
    rss: reply.rss,
    peakRss: reply.peakRss,
    heapUsed: reply.heapUsed,
    collected: reply.collected,
    cpuMicros: reply.cpuMicros,
  };
}

/**
 * @param name a module in bench/servers ('bare', 'echo' or 'bot')
 * @param nodeFlags extra flags for the child's node (--expose-gc, --cpu-prof ...)
 */
export async function startServer(name: string, nodeFlags: string[] = []): Promise<BenchServer> {
  // Run as the parent runs: TypeScript through tsx (npm run), or compiled JavaScript (tsc --outDir, which
  // gives profiles exact line numbers).
  const ext = extname(__filename);
  const child = fork(join(__dirname, `${name}${ext}`), [], {
    // restify's dependencies reach for a deprecated binding; the warning would interleave with the table.
    execArgv: [...(ext === '.ts' ? ['--import', 'tsx'] : []), '--no-deprecation', ...nodeFlags],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = once(child, 'exit');
  const [first] = (await Promise.race([
    once(child, 'message'),
    exited.then(() => {
      throw new Error(`benchmark server ${name} exited before listening`);
    }),
  ])) as [FromChild];
  return {
    port: first.port!,
    memory: () => ask(child, 'memory'),
    gcThenMemory: () => ask(child, 'gc'),
    stop: async () => {
      child.send('stop' satisfies ToChild);
      await exited;
    },
  };
}
