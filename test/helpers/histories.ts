// Random histories for the differential suites, written with `git fast-import` (one process per
// history) from a model that knows every commit's full tree. The model is the oracle: the paths a
// commit changes are those whose entry (mode and object id) differs from every parent's, a root
// commit against the empty tree; and the history's net effect, the paths where its tip's tree
// differs from the tree of its merge base with integration (found by walking the model's own
// parents over the linear integration chain), or from integration's tip when it has none. It never
// asks git's diff or merge-base machinery, so it cannot share their bugs.
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

/** A tree entry: mode and object id (a gitlink's id is the commit it names). */
export interface Entry {
  mode: '100644' | '100755' | '120000' | '160000';
  id: string;
  /** Blob content (absent for a gitlink). */
  data?: string;
}
export type Tree = Map<string, Entry>;

/**
 * A parent: an index into the history's commits, 'base' (integration's tip, where histories
 * usually start), or an older integration commit (an index into the chain below the tip, oldest
 * first: `older[k]`'s parent is `older[k - 1]`, and the last one's child is base).
 */
export type Parent = number | 'base' | { older: number };

export interface ModelCommit {
  parents: Parent[];
  tree: Tree;
}

/** mulberry32: a small seeded generator, so a failing history can be replayed from its seed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const blobId = (data: string) => {
  const buf = Buffer.from(data, 'utf8');
  return createHash('sha1')
    .update(Buffer.concat([Buffer.from(`blob ${buf.length}\0`), buf]))
    .digest('hex');
};

/**
 * Paths the suites draw from: no path is a directory of another (fast-import would replace one
 * by the other), and the scope test is a plain prefix check. Names with spaces, newlines, quotes,
 * backslashes, unicode and look-alike prefixes; the base tree's own files are modified too.
 */
export const IN_SCOPE = [
  'backend/app.ts',
  'backend/a.ts',
  'backend/dir with space/b c.ts',
  'backend/new\nline.ts',
  'backend/"quoted" \\ name.ts',
  'services/ünïcødé/ñ.ts',
  'contracts/api.json',
  'workers/run.sh',
  'backend/link',
  'backend/vendor/mod',
  'services/deep/er/path/x.ts',
];
export const OUT_OF_SCOPE = [
  'web/index.html',
  'web/a.tsx',
  'web/new\nline.tsx',
  'ops/deploy.sh',
  'README.md',
  '.lanesrc.json',
  'backendx/look-alike.ts',
  'web/vendor/mod',
  'web/link',
  ' leading space/x',
  'ünï/top.ts',
];
export const SCOPE_PREFIXES = ['backend/', 'services/', 'contracts/', 'workers/'];
export const inScope = (p: string) => SCOPE_PREFIXES.some((s) => p.startsWith(s));

/** How often the generator reaches for the cases a configuration can hide. */
export interface Bias {
  /** Chance that one change touches a path outside the scope. */
  outRate: number;
  /** Chance that a step starts another root commit. */
  roots: number;
  /** Chance that a new entry is a gitlink. */
  gitlinks: number;
}
const DEFAULT_BIAS: Bias = { outRate: 0.05, roots: 0.09, gitlinks: 0.06 };

function randomEntry(r: () => number, p: string, salt: string, bias: Bias): Entry {
  const k = r();
  if (p.endsWith('/mod') || (k < bias.gitlinks && !p.endsWith('link')))
    return { mode: '160000', id: createHash('sha1').update(salt).digest('hex') };
  if (p.endsWith('link') || k < bias.gitlinks + 0.06) {
    const data = `target-${salt}`;
    return { mode: '120000', id: blobId(data), data };
  }
  const data = `${p} ${salt}\n`;
  return { mode: k < bias.gitlinks + 0.19 ? '100755' : '100644', id: blobId(data), data };
}

/** One change to a tree: add or modify, delete, or flip a file's executable bit. */
function mutate(r: () => number, tree: Tree, salt: string, bias: Bias): void {
  const pool = r() < bias.outRate ? OUT_OF_SCOPE : IN_SCOPE;
  const p = pool[Math.floor(r() * pool.length)]!;
  const cur = tree.get(p);
  const k = r();
  if (cur && k < 0.2) tree.delete(p);
  else if (cur && k < 0.35 && (cur.mode === '100644' || cur.mode === '100755'))
    tree.set(p, { ...cur, mode: cur.mode === '100644' ? '100755' : '100644' });
  else tree.set(p, randomEntry(r, p, salt, bias));
}

/**
 * A random history above `base`: commits on several heads, clean and evil merges (two parents and
 * octopus), criss-cross merges, extra root commits; at the end every head is merged into one tip.
 */
export function randomHistory(
  seed: number,
  baseTree: Tree,
  bias = DEFAULT_BIAS,
  older: Tree[] = [],
): ModelCommit[] {
  const r = rng(seed);
  const commits: ModelCommit[] = [];
  const treeOf = (h: Parent) => parentTree(h, commits, baseTree, older);
  const add = (parents: Parent[], tree: Tree) => commits.push({ parents, tree }) - 1;
  let salt = 0;
  const s = () => `${seed}.${salt++}`;
  const olderOne = (): Parent => ({ older: Math.floor(r() * older.length) });
  // Most lanes start from integration's tip; some from an older integration commit (never
  // rebased), some from nothing (an unrelated root).
  const start = r();
  const heads: Parent[] =
    start < 0.15 && older.length
      ? [olderOne()]
      : start < 0.2
        ? [add([], new Map([[IN_SCOPE[0]!, randomEntry(r, IN_SCOPE[0]!, s(), bias)]]))]
        : ['base'];
  const pick = () => heads[Math.floor(r() * heads.length)]!;

  /** A merge's tree: the first parent's, with each path that differs taken from a random side. */
  const mergeTree = (parents: Parent[]) => {
    const tree = new Map(treeOf(parents[0]!));
    for (const other of parents.slice(1))
      for (const p of new Set([...tree.keys(), ...treeOf(other).keys()]))
        if (r() < 0.5) {
          const e = treeOf(other).get(p);
          if (e) tree.set(p, e);
          else tree.delete(p);
        }
    if (r() < 0.35) for (let i = 1 + Math.floor(r() * 2); i > 0; i--) mutate(r, tree, s(), bias); // an evil merge
    return tree;
  };

  const steps = 2 + Math.floor(r() * 7);
  for (let i = 0; i < steps; i++) {
    const k = r();
    if (older.length && r() < 0.07) {
      // A merge with an integration commit (older, or the tip) that takes a random side of every
      // path where they differ: the revert that no single parent shows.
      const h = pick();
      const other = r() < 0.7 ? olderOne() : 'base';
      heads[heads.indexOf(h)] = add([h, other], mergeTree([h, other]));
    } else if (k < 0.55 || heads.length < 2) {
      const h = pick();
      const tree = new Map(treeOf(h));
      for (let m = 1 + Math.floor(r() * 3); m > 0; m--) mutate(r, tree, s(), bias);
      heads[heads.indexOf(h)] = add([h], tree);
      if (k < 0.15) heads.push(h); // the old head stays a head: a fork
    } else if (k < 0.75) {
      const n = heads.length > 2 && r() < 0.4 ? 3 : 2;
      const parents = [...heads].sort(() => r() - 0.5).slice(0, n);
      const m = add(parents, mergeTree(parents));
      for (const p of parents) heads.splice(heads.indexOf(p), 1);
      heads.push(m);
    } else if (k < 1 - bias.roots) {
      // criss-cross: each side merges the other
      const [a, b] = [...heads].sort(() => r() - 0.5) as [Parent, Parent];
      const m1 = add([a, b], mergeTree([a, b]));
      const m2 = add([b, a], mergeTree([b, a]));
      heads.splice(heads.indexOf(a), 1);
      heads.splice(heads.indexOf(b), 1);
      heads.push(m1, m2);
    } else {
      // another root: an orphan line, usually inside the scope
      const tree: Tree = new Map();
      for (let m = 1 + Math.floor(r() * 3); m > 0; m--) mutate(r, tree, s(), bias);
      if (!tree.size) tree.set(IN_SCOPE[1]!, randomEntry(r, IN_SCOPE[1]!, s(), bias));
      heads.push(add([], tree));
    }
  }
  if (heads.length > 1 || typeof heads[0] !== 'number' || !commits.length) {
    const parents = heads.length > 1 ? heads : [heads[0]!];
    const tree = parents.length > 1 ? mergeTree(parents) : new Map(treeOf(parents[0]!));
    if (parents.length === 1) mutate(r, tree, s(), bias);
    add(parents, tree);
  }
  return commits;
}

function parentTree(p: Parent, commits: ModelCommit[], baseTree: Tree, older: Tree[]): Tree {
  return p === 'base' ? baseTree : typeof p === 'number' ? commits[p]!.tree : older[p.older]!;
}

const same = (a?: Entry, b?: Entry) => (a ? !!b && a.mode === b.mode && a.id === b.id : !b);

/** The paths a model commit changes: differs from every parent; a root against the empty tree. */
export function modelPaths(
  c: ModelCommit,
  commits: ModelCommit[],
  baseTree: Tree,
  older: Tree[] = [],
): string[] {
  const parents = c.parents.map((p) => parentTree(p, commits, baseTree, older));
  if (!parents.length) return [...c.tree.keys()];
  const all = new Set([...c.tree.keys(), ...parents.flatMap((t) => [...t.keys()])]);
  return [...all].filter((p) => parents.every((t) => !same(c.tree.get(p), t.get(p))));
}

/**
 * The history's net effect: where the tip (the last commit) differs from its merge base with
 * integration. Integration is a chain (older[0] … older[n-1], base), so the merge base is the
 * newest integration commit the tip reaches; none reached: integration's tip itself.
 */
export function modelNetPaths(
  commits: ModelCommit[],
  baseTree: Tree,
  older: Tree[] = [],
): string[] {
  let newest = -1; // older.length stands for base
  const seen = new Set<number>();
  const stack: Parent[] = [commits.length - 1];
  while (stack.length) {
    const p = stack.pop()!;
    if (p === 'base') newest = older.length;
    else if (typeof p !== 'number') newest = Math.max(newest, p.older);
    else if (!seen.has(p)) {
      seen.add(p);
      stack.push(...commits[p]!.parents);
    }
  }
  const from = newest < 0 || newest === older.length ? baseTree : older[newest]!;
  const tip = commits.at(-1)!.tree;
  return [...new Set([...tip.keys(), ...from.keys()])].filter(
    (p) => !same(tip.get(p), from.get(p)),
  );
}

/** The oracle's verdict: offending (commit index or "net", path) pairs; none: the push is allowed. */
export function modelOffences(
  commits: ModelCommit[],
  baseTree: Tree,
  older: Tree[] = [],
): string[] {
  return [
    ...commits.flatMap((c, i) =>
      modelPaths(c, commits, baseTree, older)
        .filter((p) => !inScope(p))
        .map((p) => `${i} ${JSON.stringify(p)}`),
    ),
    ...modelNetPaths(commits, baseTree, older)
      .filter((p) => !inScope(p))
      .map((p) => `net ${JSON.stringify(p)}`),
  ];
}

/** fast-import's C-style path quoting: always quoted, so newlines and quotes survive. */
const quote = (p: string) =>
  '"' + p.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n') + '"';

/**
 * Write the history into `repo` with one `git fast-import` (hooks off: these are fixtures) and
 * point `ref` at its tip. Returns each commit's SHA.
 */
export function writeHistory(
  repo: string,
  commits: ModelCommit[],
  baseSha: string,
  ref: string,
  env: NodeJS.ProcessEnv,
  seed: number,
  olderShas: string[] = [],
): string[] {
  const marks = path.join(repo, `.git-marks-${process.pid}`);
  const parts: Buffer[] = [];
  const w = (s: string) => parts.push(Buffer.from(s, 'utf8'));
  const p = (x: Parent) =>
    x === 'base' ? baseSha : typeof x === 'number' ? `:${x + 1}` : olderShas[x.older]!;
  commits.forEach((c, i) => {
    w(`reset refs/fixtures/work\n`);
    w(`commit refs/fixtures/work\nmark :${i + 1}\n`);
    w(`committer Fixture <f@example.com> ${1700000000 + i} +0000\n`);
    const msg = `history ${seed} commit ${i}\n`;
    w(`data ${Buffer.byteLength(msg)}\n${msg}`);
    if (c.parents.length) w(`from ${p(c.parents[0]!)}\n`);
    for (const q of c.parents.slice(1)) w(`merge ${p(q)}\n`);
    w('deleteall\n');
    for (const [path, e] of c.tree) {
      // A gitlink names its commit; an entry read from the base tree names its existing blob.
      if (e.mode === '160000' || e.data === undefined) w(`M ${e.mode} ${e.id} ${quote(path)}\n`);
      else {
        const data = Buffer.from(e.data!, 'utf8');
        w(`M ${e.mode} inline ${quote(path)}\ndata ${data.length}\n`);
        parts.push(data);
        w('\n');
      }
    }
    w('\n');
  });
  w(`reset ${ref}\nfrom :${commits.length}\n\n`);
  const r = spawnSync(
    'git',
    [
      '-c',
      'core.hooksPath=/dev/null',
      'fast-import',
      '--quiet',
      '--force',
      `--export-marks=${marks}`,
    ],
    { cwd: repo, input: Buffer.concat(parts), env },
  );
  if (r.status !== 0) throw new Error(`fast-import failed: ${r.stderr}`);
  const shas: string[] = [];
  for (const line of readFileSync(marks, 'utf8').split('\n')) {
    const m = /^:(\d+) ([0-9a-f]+)$/.exec(line);
    if (m) shas[Number(m[1]) - 1] = m[2]!;
  }
  rmSync(marks, { force: true });
  return shas;
}

/** A tree as git has it (`ls-tree -r`), in the model's terms. */
export function readTree(repo: string, rev: string, env: NodeJS.ProcessEnv): Tree {
  const out = spawnSync('git', ['ls-tree', '-r', '-z', '--full-tree', rev], { cwd: repo, env });
  const tree: Tree = new Map();
  for (const rec of out.stdout.toString('utf8').split('\0')) {
    const m = /^(\d+) \w+ ([0-9a-f]+)\t([\s\S]*)$/.exec(rec);
    if (m) tree.set(m[3]!, { mode: m[1] as Entry['mode'], id: m[2]! });
  }
  return tree;
}

/**
 * Hand-made histories for the cases a reader gets wrong first: each is out of scope in exactly one
 * way that only an exact reader sees (the name says which), plus one that must pass.
 */
export function scenarios(baseTree: Tree): { name: string; commits: ModelCommit[] }[] {
  const file = (p: string, salt: string, mode: Entry['mode'] = '100644'): [string, Entry] => {
    const data = mode === '120000' ? `target ${salt}` : `${p} ${salt}\n`;
    return [p, { mode, id: blobId(data), data }];
  };
  const gitlink = (p: string, salt: string): [string, Entry] => [
    p,
    { mode: '160000', id: createHash('sha1').update(salt).digest('hex') },
  ];
  const on = (parent: number | 'base', tree: Tree, ...set: [string, Entry][]): ModelCommit => ({
    parents: [parent],
    tree: new Map([...tree, ...set]),
  });
  const base = baseTree;
  const withA = new Map([...base, file('backend/a.ts', 'a')]);
  const withS = new Map([...base, file('services/s.ts', 's')]);
  const withW = new Map([...base, file('workers/w.ts', 'w')]);
  const union = new Map([...withA, ...withS, ...withW]);
  const renamed = new Map(base);
  const moved = renamed.get('web/index.html')!;
  renamed.delete('web/index.html');
  renamed.set('backend/index.html', moved);
  const modeFlip = new Map(base);
  modeFlip.set('ops/deploy.sh', { ...base.get('ops/deploy.sh')!, mode: '100755' });
  return [
    {
      name: 'an orphan root commit pushed as the lane branch',
      commits: [
        { parents: [], tree: new Map([file('backend/a.ts', 'r'), file('web/root.tsx', 'r')]) },
      ],
    },
    {
      name: 'a gitlink outside the scope',
      commits: [on('base', base, gitlink('web/vendor/mod', 'g'))],
    },
    {
      name: 'a symlink outside the scope',
      commits: [on('base', base, file('web/link', 'l', '120000'))],
    },
    {
      name: 'a mode-only change outside the scope',
      commits: [{ parents: ['base'], tree: modeFlip }],
    },
    { name: 'a rename out of the scope into it', commits: [{ parents: ['base'], tree: renamed }] },
    {
      name: 'an evil merge whose own change sorts first',
      commits: [
        on('base', base, file('backend/a.ts', 'a')),
        on('base', base, file('services/s.ts', 's')),
        { parents: [0, 1], tree: new Map([...withA, ...withS, file(' leading space/x', 'e')]) },
      ],
    },
    {
      name: 'an evil octopus merge',
      commits: [
        { parents: ['base'], tree: withA },
        { parents: ['base'], tree: withS },
        { parents: ['base'], tree: withW },
        { parents: [0, 1, 2], tree: new Map([...union, file('web/octopus.tsx', 'o')]) },
      ],
    },
    {
      name: 'a clean merge of in-scope work (allowed)',
      commits: [
        { parents: ['base'], tree: withA },
        { parents: ['base'], tree: withS },
        { parents: [0, 1], tree: new Map([...withA, ...withS]) },
      ],
    },
  ];
}
