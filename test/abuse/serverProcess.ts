// The bot as `npm start` runs it, in a child process: the abuse tests need to see it survive (or not),
// its real memory use, and every byte it writes to stdout and stderr.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

export interface ServerProcess {
  base: string;
  /** A fresh, otherwise empty temp folder given to the server as TMPDIR. */
  tmp: string;
  stdout(): string;
  stderr(): string;
  /** Resident memory of the server process in MB (Linux /proc). */
  rssMb(): number;
  alive(): boolean;
  stop(): Promise<void>;
}

export async function startServerProcess(env: Record<string, string> = {}): Promise<ServerProcess> {
  const tmp = mkdtempSync(path.join(tmpdir(), 'abuse-tmp-'));
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'index.ts'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      TMPDIR: tmp,
      PORT: '0',
      LOG_LEVEL: 'debug',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
  let exited = false;
  child.on('exit', () => (exited = true));

  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${err}`)), 30_000);
    const look = (): void => {
      const match = /"event":"server\.listening","port":(\d+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        child.stdout?.off('data', look);
        resolve(Number(match[1]));
      }
    };
    child.stdout?.on('data', look);
    child.on('exit', (code) => reject(new Error(`server exited with ${code}: ${err}`)));
  });

  return {
    base: `http://127.0.0.1:${port}`,
    tmp,
    stdout: () => out,
    stderr: () => err,
    rssMb: () => {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? NaN) / 1024;
    },
    alive: () => !exited,
    stop: async () => {
      if (!exited) {
        const gone = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await gone;
      }
      rmSync(tmp, { recursive: true, force: true });
    },
  };
}
