// Where the medicines live: one folder per medicine under knowledge/medicines/, each holding the overview
// as received (overview.txt), its attribution, its curation file, the generated kb.json and, optionally,
// medicine.json (what the patient sees that is particular to that medicine). Plain files: no botbuilder.
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The folder of this module in the source tree, also when running from dist/ (data files are not copied). */
function sourceFolder(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) return __dirname;
    dir = up;
  }
  return join(dir, 'knowledge', 'medicines');
}

/** The folder holding every medicine's folder. */
export const medicinesDir = sourceFolder();

/** A medicine's id is its folder's name: lower-case letters, digits and hyphens. */
export const MEDICINE_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

export interface MedicinePaths {
  dir: string;
  source: string;
  attribution: string;
  curation: string;
  kb: string;
  profile: string;
}

export function medicinePaths(id: string, root: string = medicinesDir): MedicinePaths {
  if (!MEDICINE_ID.test(id)) throw new Error(`not a medicine id: ${JSON.stringify(id)}`);
  const dir = join(root, id);
  return {
    dir,
    source: join(dir, 'overview.txt'),
    attribution: join(dir, 'ATTRIBUTION.md'),
    curation: join(dir, 'curation.json'),
    kb: join(dir, 'kb.json'),
    profile: join(dir, 'medicine.json'),
  };
}

/** Every medicine folder that holds a generated knowledge base, in name order. */
export function medicineIds(root: string = medicinesDir): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root, { withFileTypes: true })
    .filter((e) => e.isDirectory() && MEDICINE_ID.test(e.name) && existsSync(join(root, e.name, 'kb.json')))
    .map((e) => e.name)
    .sort();
}
