// The several-medicines evaluation through the real bot, on its tuned set (medicines-dev.json): floors
// that keep what the tuning reached. The blind set (medicines-blind.json) is not run here: it was run once,
// with `npm run eval:medicines`, and its figures are in the README.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runSet } from './eval/medicines-run';
import { testMedicinesDir } from './fixtures/medicines';

describe('several medicines: the tuned evaluation set', function () {
  this.timeout(120_000);
  type Tallies = Awaited<ReturnType<typeof runSet>>;
  let byKind: Tallies;

  before(async () => {
    await testMedicinesDir();
    byKind = await runSet(JSON.parse(readFileSync(join(__dirname, 'eval', 'medicines-dev.json'), 'utf8')));
  });

  const total = (pick: (k: string) => boolean, which: 'answerable' | 'fallback', outcome?: string) => {
    let n = 0;
    let of = 0;
    for (const [kind, t] of byKind)
      if (pick(kind)) {
        of += t[which].turns;
        n += outcome
          ? (t[which].outcomes[outcome] ?? 0)
          : Object.entries(t[which].outcomes)
              .filter(([o]) => o.startsWith('wrong'))
              .reduce((a, [, v]) => a + v, 0);
      }
    return of === 0 ? NaN : n / of;
  };
  const notPlain = (k: string) => !k.startsWith('plain:');

  it('answers from the right medicine with the right pair for at least 90% of questions, wrong for at most 3%', () => {
    expect(total(notPlain, 'answerable', 'right')).to.be.at.least(0.9);
    expect(total(notPlain, 'answerable')).to.be.at.most(0.03);
  });

  it('gives the honest fallback where an overview does not answer', () => {
    expect(total(notPlain, 'fallback', 'correct-fallback')).to.equal(1);
  });

  it('finds the right pair for at least 80% of plain questions about each medicine added with no curation', () => {
    const plain = [...byKind.keys()].filter((k) => k.startsWith('plain:'));
    expect(plain).to.have.length.at.least(3);
    for (const kind of plain)
      expect(
        total((k) => k === kind, 'answerable', 'right'),
        kind,
      ).to.be.at.least(0.8);
  });
});
