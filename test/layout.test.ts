// The folder rule of the README's "How it works": no folder imports from a folder that imports it back,
// however long the way round. shared/ holds what server/ and channels/ both need (logger, client
// address, rate limits, origin policy) and imports none of our folders; server/ mounts channels/, and
// channels/ never imports server/.
//
// At every depth a folder and its own subfolder count as two folders too: a subfolder may read its
// parent folder's modules, and a folder may use its subfolder, but not both. knowledge/load.ts builds
// the matcher of knowledge/match, so the shapes that the matcher, the builder and load.ts all read live
// in a leaf of their own, knowledge/types/, rather than in knowledge/ itself.
import { expect } from 'chai';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

const ROOT = resolve(__dirname, '..');
const SKIP = new Set(['node_modules', 'dist', '.git', 'public']);
const IMPORT = /(?:\bfrom\s+|\bimport\s+|\brequire\()\s*'(\.{1,2}\/[^']*)'/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return SKIP.has(name) ? [] : sourceFiles(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

/** The module file an import names: a file (.ts, .json) or a folder's index.ts. */
function target(from: string, specifier: string): string {
  const base = resolve(dirname(from), specifier);
  for (const candidate of [base, `${base}.ts`, join(base, 'index.ts')]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  throw new Error(`${relative(ROOT, from)}: cannot resolve ${specifier}`);
}

/** A file's node at one granularity: its folder (whole, or top level only); a root file is its own node. */
function nodeOf(file: string, topLevelOnly: boolean): string {
  const parts = relative(ROOT, file).split(sep);
  if (parts.length === 1) return parts[0];
  return topLevelOnly ? parts[0] : parts.slice(0, -1).join('/');
}

function edges(topLevelOnly: boolean): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const file of sourceFiles(ROOT)) {
    const from = nodeOf(file, topLevelOnly);
    for (const [, specifier] of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const to = nodeOf(target(file, specifier), topLevelOnly);
      if (to === from) continue;
      if (!graph.has(from)) graph.set(from, new Set());
      graph.get(from)!.add(to);
    }
  }
  return graph;
}

/** The first cycle found, as the folders along it, or undefined. */
function findCycle(graph: Map<string, Set<string>>): string[] | undefined {
  const done = new Set<string>();
  const path: string[] = [];
  const visit = (node: string): string[] | undefined => {
    const at = path.indexOf(node);
    if (at >= 0) return [...path.slice(at), node];
    if (done.has(node)) return undefined;
    path.push(node);
    for (const next of graph.get(node) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    path.pop();
    done.add(node);
    return undefined;
  };
  for (const node of graph.keys()) {
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return undefined;
}

describe('source layout', () => {
  it('has no import cycle between top-level folders', () => {
    expect(findCycle(edges(true))?.join(' → ')).to.equal(undefined);
  });

  it('has no import cycle between folders at any depth, a folder and its own subfolders included', () => {
    expect(findCycle(edges(false))?.join(' → ')).to.equal(undefined);
  });

  it('keeps shared/ a leaf (only config.ts) and channels/ off server/', () => {
    const graph = edges(true);
    expect([...(graph.get('shared') ?? [])]).to.deep.equal(['config.ts']);
    expect([...(graph.get('channels') ?? [])]).to.not.include('server');
  });

  it('sees imports at all (the scan itself works)', () => {
    expect([...(edges(true).get('server') ?? [])]).to.include.members(['shared', 'channels', 'config.ts']);
    // A folder's imports of its own subfolders are edges too (knowledge/load.ts builds the matcher).
    expect([...(edges(false).get('knowledge') ?? [])]).to.include.members([
      'knowledge/match',
      'knowledge/types',
    ]);
  });
});
