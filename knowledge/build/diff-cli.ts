// npm run kb:diff -- <id> <newer-overview.pdf|.txt> [--root <dir>]
// Shows what a newer overview would change in a medicine's committed knowledge base; writes nothing.
import { parseArgs } from 'node:util';
import { consoleOutput, fromCaller, oneLine, runAsScript, type Output } from './cli-io';
import { diffMedicine, diffReport } from './diff';
import { SourceError } from './pdf';

const USAGE = 'usage: npm run kb:diff -- <id> <newer-overview.pdf|.txt> [--root <dir>]';

/** Runs the command; returns the exit code. Every failure is one line on `err`. */
export async function main(argv: string[], io: Output = consoleOutput): Promise<number> {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { root: { type: 'string' } },
    });
    if (positionals.length !== 2) throw new SourceError(USAGE);
    const [id, file] = positionals;
    const root = values.root === undefined ? undefined : fromCaller(values.root);
    for (const line of diffReport(await diffMedicine(id, fromCaller(file), root), file)) io.out(line);
    return 0;
  } catch (err) {
    io.err(`kb:diff: ${oneLine(err)}`);
    return 1;
  }
}

runAsScript(module, main);
