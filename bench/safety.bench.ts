// Speed of the safety gate, which runs on every message: checks per second and latency percentiles of
// gate.check over every phrasing the tests use (safety examples, buttons, knowledge-base phrasings).
// The first round shows a cold start (code not yet optimised by the JIT), the rest the steady state.
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import examples from '../test/safety-examples.json';
import { flowsFor } from '../dialogs/intents';
import { loadMedicines } from '../knowledge/load';
import texts from '../render/texts.json';
import { createSafetyGate, medicineNamesOf } from '../safety/gate';

// npm run bench:safety -- --rounds 200
const ROUNDS = Number(parseArgs({ options: { rounds: { type: 'string', default: '50' } } }).values.rounds);
const medicines = loadMedicines();

// The first medicine served: its flows' labels and its pairs' phrasings are the ordinary messages.
const [{ kb, howToTake }] = loadMedicines() as [ReturnType<typeof loadMedicines>[number]];
const flows = flowsFor(kb, howToTake);

const phrasings = [
  ...examples.caught.map((e) => e.text),
  ...examples.notCaught,
  ...[flows.howToTake, flows.risk].flatMap((f) => [
    ...f.options.map((o) => o.title),
    ...f.followUps.flatMap((b) => [b.title, b.value]),
  ]),
  ...texts.menuButtons.flatMap((b) => [b.title, b.value]),
  ...medicines.flatMap(({ kb }) => kb.pairs.flatMap((p) => [p.question, ...p.alternates, ...p.keywords])),
];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

interface Result {
  perSecond: number;
  micros: number[];
}

/** Times gate.check on each text, `rounds` times over, with a new gate. */
function run(inputs: string[], rounds: number): Result {
  const gate = createSafetyGate({ medicineNames: medicineNamesOf(medicines) });
  const micros: number[] = [];
  const start = performance.now();
  for (let r = 0; r < rounds; r++) {
    for (const text of inputs) {
      const t0 = performance.now();
      gate.check(text);
      micros.push((performance.now() - t0) * 1000);
    }
  }
  const seconds = (performance.now() - start) / 1000;
  return { perSecond: micros.length / seconds, micros: micros.sort((a, b) => a - b) };
}

function report(label: string, { micros, perSecond }: Result): void {
  const us = (p: number): string => `${p === 100 ? 'max' : `p${p}`} ${percentile(micros, p).toFixed(1)} µs`;
  console.log(
    [
      label.padEnd(24),
      `${micros.length} checks`.padEnd(14),
      `${Math.round(perSecond)} checks/s`.padEnd(18),
      [50, 95, 99, 100].map(us).join('  '),
    ].join(' '),
  );
}

console.log(`safety gate over ${phrasings.length} phrasings (${examples.caught.length} of them to catch)`);
report('cold (1 round)', run(phrasings, 1));
report(`steady (${ROUNDS} rounds)`, run(phrasings, ROUNDS));
// The whole message is checked (typos are corrected in its first 300 words only): a 4,300-character
// message, and the largest the HTTP endpoint accepts (256 KB).
report('4,300 char messages', run(['what are the side effects of this medicine '.repeat(100)], 200));
report('256 KB messages', run(['what are the side effects of this medicine '.repeat(6100)], 10));
