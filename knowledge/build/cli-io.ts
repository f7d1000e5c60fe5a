// What the knowledge CLIs share: where they print, and every failure said in one line.
import { resolve } from 'node:path';
import { SourceError } from './pdf';

export interface Output {
  out: (line: string) => void;
  err: (line: string) => void;
}

export const consoleOutput: Output = { out: (l) => console.log(l), err: (l) => console.error(l) };

/** An error as one line; an unexpected one keeps its kind, so that it can be told from a bad input. */
export function oneLine(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const text = message.replace(/\s*\n\s*/g, '; ');
  const code = (err as { code?: unknown }).code;
  const expected =
    err instanceof SourceError || (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS'));
  return expected ? text : `${err instanceof Error ? err.name : 'Error'}: ${text}`;
}

/** Runs a CLI's main when its file is the one node was started with. */
export function runAsScript(mod: NodeJS.Module, main: (argv: string[]) => Promise<number>): void {
  if (require.main !== mod) return;
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}

/** A path as the person typed it: npm runs scripts from the package's folder, and says where they were. */
export function fromCaller(path: string): string {
  return resolve(process.env.INIT_CWD ?? process.cwd(), path);
}
