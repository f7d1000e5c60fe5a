// npm run bench:matcher — throughput and latency of matcher.match over the evaluation questions,
// and the time to build the matcher's index. Prints numbers only; nothing is asserted.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KnowledgeBase } from '../knowledge/types';
import { createMatcher } from '../knowledge/match/matcher';
import { medicineIds, medicinePaths } from '../knowledge/medicines';

// The evaluation questions are about the first medicine; its kb is read as a file, so that building the
// matcher is timed from cold below.
const kb = JSON.parse(readFileSync(medicinePaths(medicineIds()[0]!).kb, 'utf8')) as KnowledgeBase;
const questions = ['questions.json', 'dev.json', 'heldout.json'].flatMap((file) =>
  (JSON.parse(readFileSync(join(__dirname, '..', 'test', 'eval', file), 'utf8')) as Array<{ q: string }>).map(
    (i) => i.q,
  ),
);

const ms = (from: bigint): number => Number(process.hrtime.bigint() - from) / 1e6;
const pct = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];

// Index build: the first build pays for module warm-up, so it is reported apart.
let start = process.hrtime.bigint();
createMatcher(kb);
const firstBuild = ms(start);
const BUILDS = 20;
start = process.hrtime.bigint();
for (let i = 0; i < BUILDS; i++) createMatcher(kb);
const buildMean = ms(start) / BUILDS;

const matcher = createMatcher(kb);
const WARM_UP = 1000;
for (let i = 0; i < WARM_UP; i++) matcher.match(questions[i % questions.length]);

const ITERATIONS = 10000;
const times: number[] = [];
const all = process.hrtime.bigint();
for (let i = 0; i < ITERATIONS; i++) {
  const t = process.hrtime.bigint();
  matcher.match(questions[i % questions.length]);
  times.push(ms(t));
}
const total = ms(all);
times.sort((a, b) => a - b);

console.log(`questions            ${questions.length} (cycled)`);
console.log(`index build, first   ${firstBuild.toFixed(2)} ms`);
console.log(`index build, mean    ${buildMean.toFixed(2)} ms over ${BUILDS}`);
console.log(`match calls          ${ITERATIONS} after ${WARM_UP} warm-up`);
console.log(`queries/second       ${Math.round((ITERATIONS / total) * 1000)}`);
console.log(`latency p50          ${pct(times, 50).toFixed(3)} ms`);
console.log(`latency p95          ${pct(times, 95).toFixed(3)} ms`);
console.log(`latency p99          ${pct(times, 99).toFixed(3)} ms`);
console.log(`latency max          ${times[times.length - 1].toFixed(3)} ms`);
