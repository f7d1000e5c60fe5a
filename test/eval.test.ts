// The matcher evaluation as a regression floor: the tuning set (questions.json) and the patient-style
// dev set (dev.json) must stay at the measured quality, the held-out and fresh sets must not start
// answering wrongly (their floors come from aggregate rows only), and the matcher must beat both
// baselines. Floors sit a little under the values `npm run eval` measured when the thresholds were fixed.
import { loadMedicine } from '../knowledge/load';
import { createFormulary } from '../dialogs/formulary';
import { expect } from 'chai';
import kbJson from '../knowledge/medicines/imnovid/kb.json';
import type { KnowledgeBase } from '../knowledge/types';
import { createMatcher } from '../knowledge/match/matcher';
import { fuseBaseline, miniSearchBaseline } from './eval/baselines';
import {
  classify,
  loadQuestions,
  matcherPredictor,
  NONE,
  score,
  type EvalItem,
  type Predictor,
  type Report,
} from './eval/metrics';
import { loadConversations, recogniserPredictor, scoreConversations } from './eval/conversations';
import { createRecogniser } from '../dialogs/recogniser';
import { createSafetyGate, medicineNamesOf } from '../safety/gate';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const kb = kbJson as KnowledgeBase;
const ids = new Set(kb.pairs.map((p) => p.id));

describe('evaluation scoring', () => {
  const inScope: EvalItem = { q: 'dose?', expect: 'use.dose' };
  const outOfScope: EvalItem = { q: 'weather?', expect: NONE };

  it('classifies in-scope outcomes', () => {
    expect(classify(inScope, { kind: 'answer', id: 'use.dose' })).to.equal('answered-correct');
    expect(classify(inScope, { kind: 'answer', id: 'use.forms' })).to.equal('wrong');
    expect(classify(inScope, { kind: 'suggest', ids: ['use.forms', 'use.dose'] })).to.equal(
      'suggested-correct',
    );
    expect(classify(inScope, { kind: 'suggest', ids: ['use.forms'] })).to.equal('fallback');
    expect(classify(inScope, { kind: 'none' })).to.equal('fallback');
  });

  it('counts any answer to an out-of-scope question as wrong, and suggestions apart from the fallback', () => {
    expect(classify(outOfScope, { kind: 'answer', id: 'use.dose' })).to.equal('wrong');
    expect(classify(outOfScope, { kind: 'suggest', ids: ['use.dose'] })).to.equal('suggested');
    expect(classify(outOfScope, { kind: 'none' })).to.equal('fallback');
  });

  it('computes rates over the right denominators', () => {
    const answers: Record<string, ReturnType<Predictor>> = {
      a: { kind: 'answer', id: 'x' },
      b: { kind: 'answer', id: 'x' },
      c: { kind: 'suggest', ids: ['y'] },
      d: { kind: 'answer', id: 'x' },
      e: { kind: 'suggest', ids: ['x'] },
      f: { kind: 'none' },
    };
    const items: EvalItem[] = [
      { q: 'a', expect: 'x' },
      { q: 'b', expect: 'y' },
      { q: 'c', expect: 'y' },
      { q: 'd', expect: NONE },
      { q: 'e', expect: NONE },
      { q: 'f', expect: NONE },
    ];
    const r = score(items, (q) => answers[q]);
    expect(r.accuracy).to.be.closeTo(1 / 3, 1e-9);
    expect(r.suggestedCorrect).to.be.closeTo(1 / 3, 1e-9);
    expect(r.inScopeWrong).to.be.closeTo(1 / 3, 1e-9);
    expect(r.correctFallback).to.be.closeTo(1 / 3, 1e-9);
    expect(r.outOfScopeSuggested).to.be.closeTo(1 / 3, 1e-9);
    expect(r.wrongRate).to.be.closeTo(2 / 6, 1e-9);
    expect(r.failures.map((f) => f.q)).to.deep.equal(['b', 'c', 'd', 'e']);
  });
});

describe('matcher evaluation', () => {
  const questions = loadQuestions('questions.json', ids);
  const dev = loadQuestions('dev.json', ids);
  const heldout = loadQuestions('heldout.json', ids);
  const fresh = loadQuestions('fresh.json', ids);
  const matcher = createMatcher(kb);
  const ours = {
    questions: score(questions, matcherPredictor(matcher)),
    dev: score(dev, matcherPredictor(matcher)),
    heldout: score(heldout, matcherPredictor(matcher)),
    fresh: score(fresh, matcherPredictor(matcher)),
  };

  it('has question sets of the agreed size and mix', () => {
    const noneShare = (items: EvalItem[]): number =>
      items.filter((i) => i.expect === NONE).length / items.length;
    expect(questions.length).to.be.at.least(170);
    expect(noneShare(questions)).to.be.at.least(0.35);
    expect(dev.length).to.be.at.least(120);
    expect(noneShare(dev)).to.be.within(0.35, 0.4);
    expect(heldout.length).to.be.at.least(60);
  });

  it('has no question twice, neither within a set nor in any two sets', () => {
    // Questions count as the same when they differ only in case, accents, spacing or punctuation.
    const key = (q: string): string =>
      q
        .normalize('NFKD')
        .replace(/[\u0300-\u036f]/g, '')
        .toLowerCase()
        .replace(/['’`]/g, '')
        .replace(/[^a-z0-9]+/g, ' ')
        .trim();
    // The blind set's scored messages: the first turn of a follow-up is only its context.
    const understanding = loadConversations('understanding.json', ids).map((c) => ({
      q: c.turns[c.turns.length - 1]!,
    }));
    const sets = { questions, dev, heldout, fresh, understanding };
    const seen = new Map<string, string>();
    const repeats: string[] = [];
    for (const [name, items] of Object.entries(sets))
      for (const item of items) {
        const k = key(item.q);
        const first = seen.get(k);
        if (first) repeats.push(`"${item.q}" in ${name}, already in ${first}`);
        else seen.set(k, name);
      }
    expect(repeats).to.deep.equal([]);
  });

  it("meets the issue's floors on the tuning set (top-1 ≥ 90%, wrong ≤ 3%)", () => {
    expect(ours.questions.accuracy).to.be.at.least(0.9);
    expect(ours.questions.wrongRate).to.be.at.most(0.03);
  });

  it('answers in-scope questions of the tuning set correctly (top-1 ≥ 94%)', () => {
    expect(ours.questions.accuracy).to.be.at.least(0.94);
  });

  it('rarely answers wrongly on the tuning set (≤ 1.5% of all questions)', () => {
    expect(ours.questions.wrongRate).to.be.at.most(0.015);
  });

  it('gives out-of-scope questions of the tuning set the honest fallback, not "Did you mean"', () => {
    expect(ours.questions.correctFallback).to.be.at.least(0.92);
    expect(ours.questions.outOfScopeSuggested).to.be.at.most(0.07);
  });

  it('answers the patient-style dev set without wrong answers', () => {
    expect(ours.dev.accuracy).to.be.at.least(0.8);
    expect(ours.dev.accuracy + ours.dev.suggestedCorrect).to.be.at.least(0.92);
    expect(ours.dev.wrongRate).to.be.at.most(0.015);
    expect(ours.dev.correctFallback).to.be.at.least(0.9);
    expect(ours.dev.outOfScopeSuggested).to.be.at.most(0.1);
  });

  it('generalises to the held-out set without many wrong answers', () => {
    expect(ours.heldout.wrongRate).to.be.at.most(0.02);
    expect(ours.heldout.accuracy).to.be.at.least(0.94);
    expect(ours.heldout.correctFallback).to.be.at.least(0.9);
  });

  it('does not lose ground on the blind fresh set', () => {
    // Aggregate row only: the set is never read question by question.
    expect(ours.fresh.accuracy).to.be.at.least(0.68);
    expect(ours.fresh.wrongRate).to.be.at.most(0.06);
  });

  it('computes both baselines on the same questions', () => {
    const reports: Report[] = [];
    for (const items of [questions, dev, heldout, fresh])
      for (const baseline of [fuseBaseline(kb), miniSearchBaseline(kb)]) reports.push(score(items, baseline));
    for (const r of reports)
      for (const x of [
        r.accuracy,
        r.suggestedCorrect,
        r.inScopeFallback,
        r.inScopeWrong,
        r.correctFallback,
        r.outOfScopeSuggested,
        r.wrongRate,
      ])
        expect(x).to.be.within(0, 1);
    // Neither baseline suggests, so their in-scope outcomes add up without that share.
    for (const r of reports) expect(r.accuracy + r.inScopeFallback + r.inScopeWrong).to.be.closeTo(1, 1e-9);
  });

  it('answers wrongly less often than both baselines on every set, and correctly at least as often as fuse.js', () => {
    const sets = { questions, dev, heldout, fresh };
    for (const [name, items] of Object.entries(sets)) {
      const mine = ours[name as keyof typeof ours];
      const fuse = score(items, fuseBaseline(kb));
      const mini = score(items, miniSearchBaseline(kb));
      expect(mine.wrongRate, `${name}: wrong rate vs fuse.js`).to.be.below(fuse.wrongRate);
      expect(mine.wrongRate, `${name}: wrong rate vs MiniSearch`).to.be.below(mini.wrongRate);
      expect(mine.accuracy, `${name}: accuracy vs fuse.js`).to.be.at.least(fuse.accuracy);
    }
  });
});

describe('recogniser evaluation (the bot as a patient meets it: parts, follow-ups, flows)', () => {
  const recogniser = createRecogniser({
    formulary: createFormulary([{ ...loadMedicine('imnovid'), matcher: createMatcher(kb) }]),
    safety: createSafetyGate({ medicineNames: medicineNamesOf([{ kb }]) }),
  });
  const run = (file: string) =>
    scoreConversations(loadConversations(file, ids), recogniserPredictor(recogniser, kb));
  const questions = run('questions.json');
  const dev = run('dev.json');
  const heldout = run('heldout.json');
  const fresh = run('fresh.json');

  it('meets the understanding targets on the tuning set (top-1 ≥ 97%, wrong ≤ 1%, fallback ≥ 95%)', () => {
    expect(questions.accuracy).to.be.at.least(0.97);
    expect(questions.wrongRate).to.be.at.most(0.01);
    expect(questions.correctFallback).to.be.at.least(0.95);
  });

  it('keeps the patient-style dev set at its measured level', () => {
    expect(dev.accuracy).to.be.at.least(0.96);
    expect(dev.wrongRate).to.be.at.most(0.015);
    expect(dev.correctFallback).to.be.at.least(0.9);
  });

  it('generalises to the held-out and fresh sets (aggregate rows only)', () => {
    expect(heldout.accuracy).to.be.at.least(0.95);
    expect(heldout.wrongRate).to.be.at.most(0.02);
    expect(fresh.accuracy).to.be.at.least(0.8);
    expect(fresh.wrongRate).to.be.at.most(0.04);
  });

  it('does not lose ground on the blind understanding set (floors from its one run, not tuned on)', () => {
    const blind = run('understanding.json');
    expect(blind.accuracy).to.be.at.least(0.72);
    expect(blind.wrongRate).to.be.at.most(0.055);
    expect(blind.correctFallback).to.be.at.least(0.75);
  });

  it('keeps the blind understanding set blind, big enough and mixed as agreed', () => {
    const raw = JSON.parse(readFileSync(join(__dirname, 'eval', 'understanding.json'), 'utf8')) as {
      blind?: boolean;
    };
    expect(raw.blind).to.equal(true);
    const items = loadConversations('understanding.json', ids);
    expect(items.length).to.be.at.least(200);
    const labels = items.flatMap((i) => i.expect);
    expect(labels.filter((l) => l === NONE).length / labels.length).to.be.within(0.28, 0.4);
    expect(items.filter((i) => i.turns.length > 1).length).to.be.at.least(20);
    expect(items.filter((i) => i.expect.length > 1).length).to.be.at.least(20);
  });
});
