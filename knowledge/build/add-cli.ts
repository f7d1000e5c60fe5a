// npm run kb:add -- <overview.pdf|.txt> [--replace] [--root <dir>] [--id <id>]
// Adds the medicine an EMA overview describes (see add.ts); prints what it found and wrote.
import { parseArgs } from 'node:util';
import { addMedicine, addSummary } from './add';
import { consoleOutput, fromCaller, oneLine, runAsScript, type Output } from './cli-io';
import { SourceError } from './pdf';

const USAGE = 'usage: npm run kb:add -- <overview.pdf|.txt> [--replace] [--root <dir>] [--id <id>]';

/** Runs the command; returns the exit code. Every failure is one line on `err`, and writes nothing. */
export async function main(argv: string[], io: Output = consoleOutput): Promise<number> {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        replace: { type: 'boolean', default: false },
        root: { type: 'string' },
        id: { type: 'string' },
      },
    });
    if (positionals.length !== 1) throw new SourceError(USAGE);
    const result = await addMedicine({
      ...values,
      file: fromCaller(positionals[0]),
      root: values.root === undefined ? undefined : fromCaller(values.root),
    });
    for (const line of addSummary(result, positionals[0])) io.out(line);
    return 0;
  } catch (err) {
    io.err(`kb:add: ${oneLine(err)}`);
    return 1;
  }
}

runAsScript(module, main);
