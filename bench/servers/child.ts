// The side of a benchmark server that talks to the benchmark: it listens on an ephemeral port, tells the
// parent the port over the IPC channel, and answers the parent's requests for memory figures and to stop.
export type ToChild = 'memory' | 'gc' | 'stop';
export interface FromChild {
  port?: number;
  /** Resident set size now, and its peak since the process started (bytes). */
  rss?: number;
  peakRss?: number;
  /** V8 heap in use (bytes): the state kept in memory shows here first. */
  heapUsed?: number;
  /** Whether a forced garbage collection ran first (only with --expose-gc). */
  collected?: boolean;
  /** CPU time used so far, user and system (µs): per turn, a figure other load on the machine barely moves. */
  cpuMicros?: number;
}

function memory(collected = false): FromChild {
  // resourceUsage().maxRSS is in kilobytes.
  const { user, system } = process.cpuUsage();
  const { rss, heapUsed } = process.memoryUsage();
  return {
    rss,
    heapUsed,
    collected,
    peakRss: process.resourceUsage().maxRSS * 1024,
    cpuMicros: user + system,
  };
}

/** What restify's and node's servers both offer. */
interface Listener {
  listen(port: number, host: string, callback: () => void): unknown;
  address(): unknown;
}

/** Serves `server` under the parent's control. */
export function serveForBenchmark(server: Listener): void {
  if (!process.send) throw new Error('start this module through bench/servers/spawn.ts');
  server.listen(0, '127.0.0.1', () => {
    const { port } = server.address() as { port: number };
    process.send!({ port } satisfies FromChild);
  });
  process.on('message', (message: ToChild) => {
    if (message === 'memory') process.send!(memory());
    if (message === 'gc') {
      const gc = (globalThis as { gc?: () => void }).gc;
      gc?.();
      process.send!(memory(gc !== undefined));
    }
    // A clean exit, not a signal, so that --cpu-prof gets to write its profile.
    if (message === 'stop') process.exit(0);
  });
}
