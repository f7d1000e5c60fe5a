// Sums a .cpuprofile's self time by function and by file, to find where a turn spends its time.
// npm run bench:http -- --only bot --profile /tmp/prof && tsx bench/profile-summary.ts /tmp/prof/bot.cpuprofile
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  children?: number[];
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [file, topArg, pattern] = process.argv.slice(2);
if (!file) throw new Error('usage: tsx bench/profile-summary.ts FILE.cpuprofile [TOP [REGEX]]');
// Functions (by name or file) whose inclusive time to list besides this project's own, e.g. 'runDialog|zod'.
const extra = pattern ? new RegExp(pattern) : undefined;
const top = Number(topArg ?? 25);
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parentOf = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parentOf.set(c, n.id);

// Paths shortened to what tells them apart: the package, or the file in this project.
const shortUrl = (url: string): string => {
  const mod = url.lastIndexOf('node_modules/');
  if (mod >= 0) return url.slice(mod + 'node_modules/'.length);
  return url.replace(/^file:\/\//, '').replace(process.cwd() + '/', '') || '(native)';
};

const nameOf = (node: ProfileNode): string => {
  const { functionName, url, lineNumber } = node.callFrame;
  return `${functionName || '(anonymous)'}  ${shortUrl(url)}${url ? `:${lineNumber + 1}` : ''}`;
};
const ours = (node: ProfileNode): boolean =>
  node.callFrame.url.startsWith('file://') && !node.callFrame.url.includes('node_modules');

const byFunction = new Map<string, number>();
const byFile = new Map<string, number>();
// Time with the function anywhere on the stack, for this project's functions: what a turn's steps cost.
const inclusive = new Map<string, number>();
let total = 0;
profile.samples.forEach((id, i) => {
  const us = profile.timeDeltas[i] ?? 0;
  const node = byId.get(id)!;
  byFunction.set(nameOf(node), (byFunction.get(nameOf(node)) ?? 0) + us);
  const where = shortUrl(node.callFrame.url);
  byFile.set(where, (byFile.get(where) ?? 0) + us);
  const onStack = new Set<string>();
  for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
    const frame = byId.get(at)!;
    if (ours(frame) || extra?.test(nameOf(frame))) onStack.add(nameOf(frame));
  }
  for (const key of onStack) inclusive.set(key, (inclusive.get(key) ?? 0) + us);
  total += us;
});

const print = (title: string, table: Map<string, number>): void => {
  console.log(`\n${title} (total ${(total / 1e6).toFixed(1)} s)`);
  for (const [key, us] of [...table].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(
      `${((100 * us) / total).toFixed(1).padStart(5)} %  ${(us / 1000).toFixed(0).padStart(7)} ms  ${key}`,
    );
  }
};
print('Self time by function', byFunction);
print('Self time by file', byFile);
print(`Inclusive time of this project's functions${extra ? ` and of ${extra}` : ''}`, inclusive);
