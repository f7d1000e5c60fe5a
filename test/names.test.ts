// Everything particular to a medicine comes from its folder: no medicine's name (its brand, active
// substance or any specific name patients use for it) appears in code, identifiers or fixed texts outside
// knowledge/medicines/<id>/. A medicine's folder may name other medicines (its curation lists them).
// Exempt, as the issue says: tests and evaluation data (test/), package-lock.json, and Markdown documents
// (README.md and the like describe the deployment, and name the medicine as an example).
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadMedicines } from '../knowledge/load';

const ROOT = resolve(__dirname, '..');

/** Vocabulary that is no name ("the medicine", "my capsules"), and names too short to tell apart. */
const GENERIC = /^(the|this|that|these|those|my|your|his|her|our|their|a|an)\b/i;
const MIN_NAME_LENGTH = 5;

interface Medicine {
  id: string;
  names: string[];
}

interface Occurrence {
  file: string;
  line: number;
  name: string;
}

function medicines(): Medicine[] {
  return loadMedicines().map(({ id, kb, profile }) => ({
    id,
    names: [
      ...new Set(
        [kb.medicine, kb.activeSubstance, profile.displayName, ...kb.vocabulary.names]
          .map((n) => n.trim().toLowerCase())
          .filter((n) => n.length >= MIN_NAME_LENGTH && !GENERIC.test(n)),
      ),
    ],
  }));
}

/** Whether the name test reads a file at all. */
function isChecked(file: string): boolean {
  return (
    !file.startsWith('test/') &&
    !/^knowledge\/medicines\/[^/]+\//.test(file) &&
    file !== 'package-lock.json' &&
    !file.toLowerCase().endsWith('.md')
  );
}

/** Every occurrence of any medicine's name in the files' text, case-insensitive, also inside identifiers. */
function occurrences(
  files: readonly { file: string; text: string }[],
  list: readonly Medicine[],
): Occurrence[] {
  const found: Occurrence[] = [];
  for (const { file, text } of files) {
    if (!isChecked(file)) continue;
    text.split('\n').forEach((line, i) => {
      const lower = line.toLowerCase();
      for (const { names } of list)
        for (const name of names) if (lower.includes(name)) found.push({ file, line: i + 1, name });
    });
  }
  return found;
}

/** The repository's files as git knows them (tracked, and new ones not ignored), binary files left out. */
function repositoryFiles(): { file: string; text: string }[] {
  const listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  return [...new Set(listed.split('\0').filter((f) => f !== ''))]
    .filter((file) => existsSync(join(ROOT, file)))
    .map((file) => ({ file, bytes: readFileSync(join(ROOT, file)) }))
    .filter(({ bytes }) => !bytes.includes(0))
    .map(({ file, bytes }) => ({ file, text: bytes.toString('utf8') }));
}

describe('medicine names stay in their folders', () => {
  const list = medicines();
  const files = repositoryFiles();
  const found = occurrences(files, list);

  it('knows the names of every medicine and reads the repository', () => {
    expect(list.length).to.be.at.least(1);
    for (const m of list) expect(m.names.length, m.id).to.be.at.least(2);
    expect(list.find((m) => m.id === 'imnovid')?.names).to.include.members(['imnovid', 'pomalidomide']);
    expect(files.filter((f) => isChecked(f.file)).length).to.be.above(100);
    expect(files.map((f) => f.file)).to.include.members(['safety/gate.ts', 'channels/web/texts.json']);
  });

  it('finds no name in code, identifiers or fixed texts outside the medicines’ folders', () => {
    const unexpected = found.map((o) => `${o.file}:${o.line}: ${o.name}`);
    expect(unexpected, 'a medicine named outside its folder').to.deep.equal([]);
  });

  it('catches a name in an identifier, and exempts tests, Markdown and the medicines’ own folders', () => {
    const medicine = { id: 'zentravo', names: ['zentravo', 'lumivastat'] };
    const hits = occurrences(
      [
        { file: 'bots/zentravoBot.ts', text: 'export class ZentravoBot {}\n// about Lumivastat' },
        { file: 'channels/web/texts.json', text: '{ "title": "ok" }' },
        { file: 'test/zentravo.test.ts', text: 'Zentravo' },
        { file: 'README.md', text: 'Zentravo' },
        { file: 'knowledge/medicines/zentravo/medicine.json', text: 'Zentravo' },
        { file: 'knowledge/medicines/other/curation.json', text: 'zentravo' },
        { file: 'package-lock.json', text: 'zentravo' },
      ],
      [medicine],
    );
    expect(hits).to.deep.equal([
      { file: 'bots/zentravoBot.ts', line: 1, name: 'zentravo' },
      { file: 'bots/zentravoBot.ts', line: 2, name: 'lumivastat' },
    ]);
  });
});
