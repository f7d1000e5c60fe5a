// npm run eval:safety — the safety gate on its tuned set (safety.json) and its blind set (safety-blind.json:
// written apart and run once at the end of issue 12's first pass on 2026-11-28, shown since; its misses are
// never listed). --failures lists the tuned set's misses only.
import { createSafetyGate, medicineNamesOf } from '../../safety/gate';
import { loadMedicines } from '../../knowledge/load';
import { englishMessages, loadSafetySet, scoreSafety, type SafetyReport } from './safety';

// The eval sets are about the medicine served today; the gate looks for every medicine served, as in the bot.
const gate = createSafetyGate({ medicineNames: medicineNamesOf(loadMedicines()) });
const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
const sets: [string, string][] = [
  ['tuned', 'safety.json'],
  ['extra', 'safety-extra.json'],
  ['extra2', 'safety-extra2.json'],
  ['blind', 'safety-blind.json'],
];

const reports: [string, SafetyReport, number][] = sets.map(([name, file]) => {
  const items = loadSafetySet(file);
  return [name, scoreSafety(items, gate), items.length];
});

console.log(
  'Red flags (emergency + urgent): recall = escalated at all, right level = exactly the expected one.',
);
console.log('False escalation: ordinary and information messages given a red flag or a deferral.\n');
for (const [name, r, n] of reports) {
  console.log(
    `${name.padEnd(6)} ${n} messages: red-flag recall ${pct(r.recall)} of ${r.flags}, right level ${pct(r.rightLevel)}, ` +
      `emergencies given less ${r.emergencyMissed}, deferral recall ${pct(r.deferRecall)}, ` +
      `false escalation ${pct(r.falseEscalation)}, information line ${pct(r.infoLine)}, ` +
      `language notice on ordinary non-English ${pct(r.noticeRecall)}`,
  );
  console.log(
    `       by language (red flags caught): ${Object.entries(r.byLanguage)
      .map(([l, x]) => `${l} ${x.caught}/${x.flags}`)
      .join(', ')}`,
  );
}

const english = englishMessages();
const notices = english.filter((t) => gate.check(t)?.level === 'notice');
console.log(
  `\nLanguage notice on English messages of every evaluation set: ${notices.length} of ${english.length}`,
);

if (process.argv.includes('--failures')) {
  // The tuned sets only: the blind set's misses are never listed.
  for (const name of ['tuned', 'extra', 'extra2']) {
    const report = reports.find(([n]) => n === name)![1];
    console.log(`\nmisses on the ${name} set:`);
    for (const f of report.failures) console.log(`  ${f.expect.padEnd(9)} ← ${f.got.padEnd(28)} ${f.text}`);
  }
}
