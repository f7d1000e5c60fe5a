// Sums a .cpuprofile's self time by function and by file, to find where a turn spends its time.
// npm run bench:http -- --only bot --profile /tmp/prof && tsx bench/profile-summary.ts /tmp/prof/bot.cpuprofile
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [file, topArg] = process.argv.slice(2);
if (!file) throw new Error('usage: tsx bench/profile-summary.ts FILE.cpuprofile [TOP]');
const top = Number(topArg ?? 25);
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));

// Paths shortened to what tells them apart: the package, or the file in this project.
const shortUrl = (url: string): string => {
  const mod = url.lastIndexOf('node_modules/');
  if (mod >= 0) return url.slice(mod + 'node_modules/'.length);
  return url.replace(/^file:\/\//, '').replace(process.cwd() + '/', '') || '(native)';
};

const byFunction = new Map<string, number>();
const byFile = new Map<string, number>();
let total = 0;
profile.samples.forEach((id, i) => {
  const us = profile.timeDeltas[i] ?? 0;
  const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
  const where = shortUrl(url);
  const fn = `${functionName || '(anonymous)'}  ${where}${url ? `:${lineNumber + 1}` : ''}`;
  byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
  byFile.set(where, (byFile.get(where) ?? 0) + us);
  total += us;
});

const print = (title: string, table: Map<string, number>): void => {
  console.log(`\n${title} (self time, total ${(total / 1e6).toFixed(1)} s)`);
  for (const [key, us] of [...table].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(
      `${((100 * us) / total).toFixed(1).padStart(5)} %  ${(us / 1000).toFixed(0).padStart(7)} ms  ${key}`,
    );
  }
};
print('By function', byFunction);
print('By file', byFile);
