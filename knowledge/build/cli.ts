// npm run kb:build [-- <id>...] — regenerates each medicine's kb.json from its source and curation.
// With --check, exits 1 if a committed kb.json differs from what its source produces.
import { readFileSync, writeFileSync } from 'node:fs';
import { medicineIds, medicinePaths } from '../medicines';
import { buildMedicine, serialise } from './sources';

const check = process.argv.includes('--check');
const named = process.argv.slice(2).filter((a) => !a.startsWith('--'));
let stale = 0;
for (const id of named.length > 0 ? named : medicineIds()) {
  const { kb: output } = medicinePaths(id);
  const text = serialise(buildMedicine(id));
  if (check) {
    const same = readFileSync(output, 'utf8') === text;
    if (!same) stale += 1;
    console.log(
      same ? `${id}: kb.json is up to date` : `${id}: kb.json differs from the source: run npm run kb:build`,
    );
  } else {
    writeFileSync(output, text);
    const kb = JSON.parse(text) as { pairs: unknown[] };
    console.log(`${id}: wrote ${output}: ${kb.pairs.length} pairs`);
  }
}
process.exitCode = stale > 0 ? 1 : 0;
