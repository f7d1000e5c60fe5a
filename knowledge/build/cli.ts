// npm run kb:build — regenerates knowledge/kb.json from the source and curation data.
// With --check, exits 1 if the committed file differs from what the source produces.
import { readFileSync, writeFileSync } from 'node:fs';
import { buildFromFiles, paths, serialise } from './sources';

const text = serialise(buildFromFiles());
if (process.argv.includes('--check')) {
  const same = readFileSync(paths.output, 'utf8') === text;
  console.log(same ? 'kb.json is up to date' : 'kb.json differs from the source: run npm run kb:build');
  process.exitCode = same ? 0 : 1;
} else {
  writeFileSync(paths.output, text);
  const kb = JSON.parse(text) as { pairs: unknown[] };
  console.log(`wrote ${paths.output}: ${kb.pairs.length} pairs`);
}
