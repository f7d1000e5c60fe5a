// Adding a medicine from the PDF the Agency publishes (npm run kb:add) and comparing a newer overview
// with the committed one (npm run kb:diff), end to end on PDFs made from the overviews' text.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { main as addMain } from '../knowledge/build/add-cli';
import { main as diffMain } from '../knowledge/build/diff-cli';
import { installFolder, medicineIdOf } from '../knowledge/build/add';
import { chunkDocument, emptyCuration, buildKnowledgeBase, type Curation } from '../knowledge/build/chunk';
import { cleanOverview } from '../knowledge/build/clean';
import { linesOf, readPdf } from '../knowledge/build/pdf';
import { readJson, readTemplate, serialise } from '../knowledge/build/sources';
import { medicineIds, medicinePaths } from '../knowledge/medicines';
import type { KnowledgeBase } from '../knowledge/types';
import { garbage, otherTextPdf, overviewPdf, scannedPdf, truncated } from './fixtures/pdfs';

const repo = join(__dirname, '..');
const imnovid = medicinePaths('imnovid');
const madeUp = join(__dirname, 'data', 'overviews');
/** Every overview text at hand: the real one, and the made-up ones written to the same template. */
const overviews: Record<string, string> = {
  imnovid: imnovid.source,
  zentravo: join(__dirname, 'data', 'zentravo-overview.txt'),
  ...Object.fromEntries(
    (existsSync(madeUp) ? readdirSync(madeUp) : [])
      .filter((f) => f.endsWith('-overview.txt'))
      .map((f) => [f.replace(/-overview\.txt$/, ''), join(madeUp, f)]),
  ),
};
const template = readTemplate();

/** The pairs an overview's text gives with no curation: what kb:add makes of it. */
function pairsOf(text: string): { id: string; answer: string[] }[] {
  const kb = chunkDocument(cleanOverview(text, template.sections), template, emptyCuration()).kb;
  return kb.pairs.map((p) => ({ id: p.id, answer: p.answer }));
}

/** Runs a CLI's main, collecting what it prints. */
async function run(
  main: typeof addMain,
  argv: string[],
): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

/** Every file under a folder with its bytes, hidden ones included: to see that nothing was written. */
function snapshot(dir: string): Record<string, string> {
  if (!existsSync(dir)) return {};
  const files: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    const path = join(dir, entry);
    files[entry] = statSync(path).isDirectory() ? '<dir>' : readFileSync(path, 'base64');
  }
  return files;
}

describe('kb:add and kb:diff: a medicine from its EMA overview PDF', function () {
  // pdf.js takes a moment per document; the PDFs are made once and shared.
  this.timeout(60_000);
  let tmp: string;
  const pdf: Record<string, string> = {};
  const bad: Record<string, string> = {};

  before(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'kb-add-'));
    mkdirSync(join(tmp, 'in'));
    const write = (name: string, data: Uint8Array): string => {
      const file = join(tmp, 'in', name);
      writeFileSync(file, data);
      return file;
    };
    for (const [name, file] of Object.entries(overviews)) {
      pdf[name] = write(`${name}.pdf`, await overviewPdf(readFileSync(file, 'utf8')));
    }
    bad.other = write(
      'minutes.pdf',
      await otherTextPdf(['Minutes of the garden club', 'The roses did well this year. Tea at four.']),
    );
    bad.scan = write('scan.pdf', await scannedPdf());
    bad.truncated = write('truncated.pdf', truncated(readFileSync(pdf.imnovid)));
    bad.garbage = write('garbage.pdf', garbage());
  });

  after(() => rmSync(tmp, { recursive: true, force: true }));

  const freshRoot = (): string => mkdtempSync(join(tmp, 'root-'));

  describe('reading the PDF', () => {
    it('rebuilds lines from positioned pieces: a raised marker stays on its line, gaps are spaces', () => {
      const piece = (str: string, x: number, y: number, size = 10) => ({
        str,
        x,
        y,
        size,
        width: str.length * size * 0.5,
      });
      expect(
        linesOf([
          piece('second', 10, 690),
          piece('line', 50, 690),
          piece('Name', 10, 700),
          piece('1', 30, 704, 6),
          piece('(substance)', 36, 700),
          piece('  ', 100, 700),
          piece('third', 10, 676),
        ]),
      ).to.deep.equal(['Name1 (substance)', 'second line', 'third']);
    });

    it('makes every overview PDF at hand, including the made-up variants', () => {
      expect(Object.keys(pdf)).to.include.members(['imnovid', 'zentravo']);
      for (const name of ['corvalin', 'velostra', 'nuvexa']) {
        if (existsSync(join(madeUp, `${name}-overview.txt`))) expect(pdf, name).to.have.property(name);
      }
      for (const file of Object.values(pdf))
        expect(readFileSync(file).subarray(0, 5).toString()).to.equal('%PDF-');
    });

    it('gives the same pairs (ids and answers) from each PDF as from its text', async () => {
      for (const [name, file] of Object.entries(overviews)) {
        const fromPdf = await readPdf(readFileSync(pdf[name]));
        expect(pairsOf(fromPdf.text), name).to.deep.equal(pairsOf(readFileSync(file, 'utf8')));
        expect(fromPdf.text, name).to.include('Page ');
      }
    });

    it("with Imnovid's curation, the PDF reproduces the committed kb.json byte for byte", async () => {
      const { text } = await readPdf(readFileSync(pdf.imnovid));
      const kb = buildKnowledgeBase(text, template, readJson<Curation>(imnovid.curation));
      expect(serialise(kb)).to.equal(readFileSync(imnovid.kb, 'utf8'));
    });

    it('keeps the characters a Unicode PDF carries (’ ● © •)', async () => {
      const { text } = await readPdf(readFileSync(pdf.imnovid));
      for (const c of ['’', '●', '©']) expect(text).to.include(c);
      if (pdf.corvalin) expect((await readPdf(readFileSync(pdf.corvalin))).text).to.match(/^• /m);
    });
  });

  describe('kb:add', () => {
    it('writes the medicine folder from its PDF and prints what it found', async () => {
      const root = freshRoot();
      const { code, out, err } = await run(addMain, [pdf.imnovid, '--root', root]);
      expect(err).to.deep.equal([]);
      expect(code).to.equal(0);
      const printed = out.join('\n');
      expect(out[0]).to.equal(`Read ${pdf.imnovid} (PDF, 4 pages)`);
      expect(printed).to.match(/medicine +Imnovid$/m);
      expect(printed).to.match(/active substance +pomalidomide$/m);
      expect(printed).to.match(/document +EMA\/240195\/2019 \(EMEA\/H\/C\/002682\)$/m);
      expect(printed).to.match(/last updated +04-2019 \(April 2019\)$/m);
      expect(printed).to.match(
        /sections +8: what \(6\), use \(7\), work \(3\), benefits \(5\), risks \(7\), authorised \(3\), measures \(10\), other \(3\)$/m,
      );
      expect(printed).to.match(/pairs +27$/m);
      expect(printed).to.match(/^ +risks +risks\.common-side-effects \(1\), .*risks\.pregnancy \(3\)/m);
      expect(printed).to.match(/footnotes +Previously known as Pomalidomide Celgene\.$/m);
      expect(printed).to.match(/not placed +nothing$/m);
      expect(out[out.length - 1]).to.equal(
        `Wrote ${join(root, 'imnovid')}: overview.txt, ATTRIBUTION.md, kb.json; curation.json (empty)`,
      );

      expect(readdirSync(root)).to.deep.equal(['imnovid']);
      expect(medicineIds(root)).to.deep.equal(['imnovid']);
      const files = medicinePaths('imnovid', root);
      expect(readdirSync(files.dir).sort()).to.deep.equal([
        'ATTRIBUTION.md',
        'curation.json',
        'kb.json',
        'overview.txt',
      ]);
      expect(readFileSync(files.source, 'utf8')).to.equal((await readPdf(readFileSync(pdf.imnovid))).text);
      const curation = readJson<Curation>(files.curation);
      expect({ ...curation, $comment: undefined }).to.deep.equal({ ...emptyCuration(), $comment: undefined });
      const kb = readJson<KnowledgeBase>(files.kb);
      expect(kb.pairs.map((p) => ({ id: p.id, answer: p.answer }))).to.deep.equal(
        pairsOf(readFileSync(imnovid.source, 'utf8')),
      );
      expect(kb.vocabulary.names).to.deep.equal(['imnovid', 'pomalidomide']);
      const attribution = readFileSync(files.attribution, 'utf8');
      for (const part of [
        'EMA/240195/2019',
        '"An overview of Imnovid and why it is authorised in the EU"',
        'last updated April 2019',
        'the PDF `imnovid.pdf`',
        'https://www.ema.europa.eu/en/medicines/human/EPAR/imnovid-previously-pomalidomide-celgene',
        '© European Medicines Agency, 2019. Reproduction is authorised provided the source is acknowledged.',
      ])
        expect(attribution).to.include(part);
      expect((statSync(files.dir).mode & 0o077) !== 0, 'readable like any folder').to.equal(true);
    });

    it('adds every overview at hand side by side, each under its lower-cased brand name', async () => {
      const root = freshRoot();
      for (const name of Object.keys(pdf)) {
        const { code, out } = await run(addMain, [pdf[name], '--root', root]);
        expect(code, name).to.equal(0);
        const kb = readJson<KnowledgeBase>(medicinePaths(name, root).kb);
        expect(out.join('\n'), name).to.match(new RegExp(`pairs +${kb.pairs.length}$`, 'm'));
        expect(out.join('\n'), name).to.match(/not placed +nothing$/m);
        expect(kb.vocabulary.names, name).to.deep.equal([
          kb.medicine.toLowerCase(),
          kb.activeSubstance.toLowerCase(),
        ]);
      }
      expect(medicineIds(root)).to.deep.equal(Object.keys(pdf).sort());
      if (pdf.velostra) {
        const out = readJson<KnowledgeBase>(medicinePaths('velostra', root).kb).pairs.map((p) => p.id);
        expect(out).to.include.members(['authorised.conditional', 'awaited.overview']);
      }
    });

    it('takes a .txt overview too, keeping it as received', async () => {
      const root = freshRoot();
      const { code, out } = await run(addMain, [overviews.zentravo, '--root', root]);
      expect(code).to.equal(0);
      expect(out[0]).to.equal(`Read ${overviews.zentravo} (text)`);
      expect(readFileSync(medicinePaths('zentravo', root).source, 'utf8')).to.equal(
        readFileSync(overviews.zentravo, 'utf8'),
      );
      expect(readFileSync(medicinePaths('zentravo', root).attribution, 'utf8')).to.include(
        'as text given in `zentravo-overview.txt`',
      );
    });

    it('makes the id from the brand name, or takes --id', async () => {
      expect(medicineIdOf('Imnovid')).to.equal('imnovid');
      expect(medicineIdOf('Xeljanz Plus 5')).to.equal('xeljanz-plus-5');
      expect(medicineIdOf('Rivaroxaban Accord')).to.equal('rivaroxaban-accord');
      expect(medicineIdOf('Évolvé')).to.equal('evolve');
      const root = freshRoot();
      expect((await run(addMain, [pdf.zentravo, '--root', root, '--id', 'zentravo-test'])).code).to.equal(0);
      expect(medicineIds(root)).to.deep.equal(['zentravo-test']);
      const twice = await run(addMain, [pdf.zentravo, '--root', root]);
      expect(twice.code).to.equal(1);
      expect(twice.err).to.deep.equal([
        'kb:add: Zentravo (EMEA/H/C/009999) is already there as zentravo-test: to overwrite it, add --id zentravo-test --replace',
      ]);
      expect(medicineIds(root)).to.deep.equal(['zentravo-test']);
      const badId = await run(addMain, [pdf.zentravo, '--root', root, '--id', 'Not An Id']);
      expect(badId.code).to.equal(1);
      expect(badId.err).to.deep.equal([
        'kb:add: "Zentravo" gives no usable folder name ("Not An Id"): name one with --id',
      ]);
    });

    it('--replace overwrites the medicine and keeps its hand-written files', async () => {
      const root = freshRoot();
      expect((await run(addMain, [pdf.imnovid, '--root', root])).code).to.equal(0);
      const files = medicinePaths('imnovid', root);
      cpSync(imnovid.curation, files.curation);
      writeFileSync(files.profile, '{"note":"hand-written"}\n');
      const again = await run(addMain, [pdf.imnovid, '--root', root]);
      expect(again.code).to.equal(1);
      expect(again.err).to.deep.equal([
        `kb:add: Imnovid is already there (${files.dir}): add --replace to overwrite it`,
      ]);
      const { code, out } = await run(addMain, [pdf.imnovid, '--root', root, '--replace']);
      expect(code).to.equal(0);
      expect(out[out.length - 1]).to.equal(
        `Replaced ${files.dir}: overview.txt, ATTRIBUTION.md, kb.json; kept curation.json, medicine.json`,
      );
      // The kept curation is applied: the same knowledge base as committed.
      expect(readFileSync(files.kb, 'utf8')).to.equal(readFileSync(imnovid.kb, 'utf8'));
      expect(readFileSync(files.curation, 'utf8')).to.equal(readFileSync(imnovid.curation, 'utf8'));
      expect(readFileSync(files.profile, 'utf8')).to.equal('{"note":"hand-written"}\n');
      expect(readdirSync(root)).to.deep.equal(['imnovid']);
    });

    it('on bad input says why in one line, exits 1 and writes nothing', async () => {
      const root = freshRoot();
      expect((await run(addMain, [pdf.zentravo, '--root', root])).code).to.equal(0);
      const before = snapshot(root);
      const cases: [string[], RegExp][] = [
        [[bad.other], /^kb:add: not an EMA medicine overview: document id or title line not found$/],
        [[bad.scan], /^kb:add: the PDF has no text to read \(1 page\(s\) of images: a scan\?\)$/],
        [[bad.truncated], /^kb:add: damaged PDF file: it has no end-of-file marker \(cut short\?\)$/],
        [[bad.garbage], /^kb:add: not a PDF file \(it has no %PDF header\)$/],
        [[join(tmp, 'in', 'nowhere.pdf')], /^kb:add: no such file: .*nowhere\.pdf$/],
        [[pdf.zentravo], /^kb:add: Zentravo is already there \(.*zentravo\): add --replace to overwrite it$/],
        [
          [pdf.imnovid, '--id', 'zentravo', '--replace'],
          /^kb:add: the overview is of Imnovid \(EMEA\/H\/C\/002682\), not of Zentravo/,
        ],
        [[], /^kb:add: usage: npm run kb:add -- <overview\.pdf\|\.txt>/],
        [[pdf.zentravo, '--force'], /^kb:add: Unknown option '--force'/],
      ];
      for (const [args, message] of cases) {
        const { code, out, err } = await run(addMain, [...args, '--root', root]);
        const label = args.map((a) => basename(a)).join(' ');
        expect(code, label).to.equal(1);
        expect(out, label).to.deep.equal([]);
        expect(err, label).to.have.length(1);
        expect(err[0], label).to.match(message);
        expect(snapshot(root), label).to.deep.equal(before);
      }
      // Into a medicines folder that is not there yet: it is not even made.
      const missing = join(tmp, 'not-made');
      expect((await run(addMain, [bad.scan, '--root', missing])).code).to.equal(1);
      expect(existsSync(missing)).to.equal(false);
    });

    it('leaves nothing when the kept curation no longer fits, and says to look at kb:diff', async () => {
      const root = freshRoot();
      cpSync(imnovid.dir, join(root, 'imnovid'), { recursive: true });
      const before = snapshot(root);
      const newer = join(tmp, 'in', 'imnovid-changed.txt');
      writeFileSync(
        newer,
        readFileSync(imnovid.source, 'utf8').replace('first 2 weeks of 3-week', 'first 3 weeks of 4-week'),
      );
      const { code, err } = await run(addMain, [newer, '--root', root, '--replace']);
      expect(code).to.equal(1);
      expect(err).to.have.length(1);
      expect(err[0]).to.match(
        /^kb:add: the kept curation\.json does not fit this overview \(Curated pair use\.schedule-bortezomib: not found verbatim .*\): see npm run kb:diff -- imnovid /,
      );
      expect(snapshot(root)).to.deep.equal(before);
    });

    it('a failure half-way through writing leaves the medicines folder as it was', () => {
      const root = freshRoot();
      installFolder(root, 'zentravo', [{ name: 'kb.json', text: 'first\n' }]);
      const before = snapshot(root);
      expect(before).to.deep.equal({ zentravo: '<dir>', [join('zentravo', 'kb.json')]: 'Zmlyc3QK' });
      // The second file cannot be made: the first is already written, in the temporary folder only.
      expect(() =>
        installFolder(root, 'zentravo', [
          { name: 'kb.json', text: 'second\n' },
          { name: 'curation.json', copyOf: join(tmp, 'in', 'no-such-file.json') },
        ]),
      ).to.throw(/no such file/);
      expect(snapshot(root)).to.deep.equal(before);
      installFolder(root, 'zentravo', [{ name: 'kb.json', text: 'second\n' }]);
      expect(readFileSync(join(root, 'zentravo', 'kb.json'), 'utf8')).to.equal('second\n');
      expect(readdirSync(root)).to.deep.equal(['zentravo']);
    });

    it('runs as a script with its exit codes (npm run kb:add runs this file)', () => {
      const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as {
        scripts: Record<string, string>;
      };
      expect(pkg.scripts['kb:add']).to.equal('tsx knowledge/build/add-cli.ts');
      expect(pkg.scripts['kb:diff']).to.equal('tsx knowledge/build/diff-cli.ts');
      const root = freshRoot();
      const script = (...args: string[]) =>
        spawnSync(
          process.execPath,
          ['--require', 'tsx/cjs', join(repo, 'knowledge', 'build', 'add-cli.ts'), ...args],
          {
            cwd: repo,
            encoding: 'utf8',
          },
        );
      const ok = script(pdf.zentravo, '--root', root);
      expect(ok.status, ok.stderr).to.equal(0);
      expect(ok.stderr).to.equal('');
      expect(ok.stdout).to.match(/^Read .*\.pdf \(PDF, \d+ pages\)\n/);
      expect(ok.stdout).to.match(
        /\nWrote .*: overview\.txt, ATTRIBUTION\.md, kb\.json; curation\.json \(empty\)\n$/,
      );
      const fail = script(bad.scan, '--root', root);
      expect(fail.status).to.equal(1);
      expect(fail.stdout).to.equal('');
      expect(fail.stderr).to.match(/^kb:add: the PDF has no text to read .*\n$/);
    });
  });

  describe('kb:diff', () => {
    let root: string;
    let newer: string;

    before(async () => {
      root = freshRoot();
      cpSync(imnovid.dir, join(root, 'imnovid'), { recursive: true });
      // A newer overview: a changed dose, a conditional authorisation, the men's paragraph gone, a
      // changed schedule that a curated span quoted, and a new date.
      const text = readFileSync(imnovid.source, 'utf8')
        .replace('recommended starting dose is 4 mg', 'recommended starting dose is 3 mg')
        .replace('first 2 weeks of 3-week', 'first 3 weeks of 4-week')
        .replace(
          'As the medicine can pass into semen, the medicine must also not be used in men who are unable to',
          '',
        )
        .replace('comply with the required contraceptive measures.', '')
        .replace(
          'this type. \n',
          'this type. \nImnovid has been given ‘conditional authorisation’. This means that there is more evidence to come. \n',
        )
        .replace('last updated in 04-2019', 'last updated in 06-2024');
      newer = join(tmp, 'in', 'imnovid-newer.pdf');
      writeFileSync(newer, await overviewPdf(text));
    });

    it('finds nothing to change against the same overview', async () => {
      const { code, out } = await run(diffMain, ['imnovid', pdf.imnovid, '--root', root]);
      expect(code).to.equal(0);
      const printed = out.join('\n');
      expect(printed).to.match(/last updated +04-2019 \(April 2019\) → 04-2019 \(April 2019\)$/m);
      for (const title of [
        'answers that change',
        'pairs that appear',
        'pairs that go',
        'curated spans no longer in the source',
      ])
        expect(printed).to.include(`${title} (0): none`);
    });

    it('shows the answers that change, the pairs that come and go, stale curation and the new date; writes nothing', async () => {
      const before = snapshot(root);
      const { code, out, err } = await run(diffMain, ['imnovid', newer, '--root', root]);
      expect(err).to.deep.equal([]);
      expect(code).to.equal(0);
      const printed = out.join('\n');
      expect(printed).to.match(/last updated +04-2019 \(April 2019\) → 06-2024 \(June 2024\)$/m);
      expect(printed).to.include(
        [
          '  use.dose',
          '    - The recommended starting dose is 4 mg once a day, taken at the same time each day.',
          '    + The recommended starting dose is 3 mg once a day, taken at the same time each day.',
        ].join('\n'),
      );
      expect(printed).to.include('  other.last-updated\n    - This overview was last updated in 04-2019.');
      expect(printed).to.include(
        [
          'pairs that appear (1)',
          '  authorised.conditional',
          '    + Imnovid has been given ‘conditional authorisation’.',
          '    + This means that there is more evidence to come.',
        ].join('\n'),
      );
      expect(printed).to.match(/^pairs that go \(2\)$/m);
      expect(printed).to.match(/^ {2}risks\.men\n {4}- As the medicine can pass into semen/m);
      expect(printed).to.include(
        '  use.schedule-bortezomib (a curated pair whose spans are no longer in the source)',
      );
      expect(printed).to.match(
        /^curated spans no longer in the source \(1\)\n {2}Curated pair use\.schedule-bortezomib: not found verbatim in one sentence: "/m,
      );
      expect(printed).to.include(
        'curated phrasings for pairs that no longer exist (1)\n  Curation alternates names a pair the source does not give: risks.men',
      );
      expect(out[out.length - 1]).to.equal(
        `Nothing written. To apply: fix imnovid/curation.json, then npm run kb:add -- ${newer} --replace`,
      );
      expect(snapshot(root)).to.deep.equal(before);
    });

    it('says in one line what is wrong with its input', async () => {
      const cases: [string[], RegExp][] = [
        [['nothing-here', pdf.imnovid], /^kb:diff: no medicine "nothing-here" \(.*kb\.json not found\)$/],
        [
          ['imnovid', pdf.zentravo],
          /^kb:diff: the overview is of Zentravo \(EMEA\/H\/C\/009999\), not of Imnovid/,
        ],
        [['imnovid', bad.scan], /^kb:diff: the PDF has no text to read/],
        [['imnovid'], /^kb:diff: usage: npm run kb:diff -- <id> <newer-overview\.pdf\|\.txt>/],
      ];
      for (const [args, message] of cases) {
        const { code, out, err } = await run(diffMain, [...args, '--root', root]);
        expect(code, args.join(' ')).to.equal(1);
        expect(out).to.deep.equal([]);
        expect(err).to.have.length(1);
        expect(err[0]).to.match(message);
      }
    });
  });
});
