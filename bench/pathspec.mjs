// npm run bench:pathspec: the staged paths pre-commit judges, listed two ways (hooks/pre-commit.ts
// judgedPaths): everything, matched by picomatch in Node, or only what git's exclusion pathspecs
// leave plus the forbidden-name candidates. Measured side by side (interleaved rounds, medians)
// for a small commit in a small and in a large repository, and a 10,000-file in-scope commit.
// The code measured is the source itself, bundled for Node by esbuild. Prints a Markdown table and
// writes bench/pathspec.md. Speed is measured here, never asserted in tests.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const root = mkdtempSync(path.join(os.tmpdir(), 'lanes-bench-pathspec-'));
const entry = path.join(root, 'entry.mjs');
await build({
  stdin: {
    contents: `export { judgedPaths, LARGE_INDEX_BYTES } from './src/hooks/staged-set.ts';
export { globMatcher } from './src/policy/scope.ts';`,
    resolveDir: process.cwd(),
    loader: 'ts',
  },
  bundle: true,
  platform: 'node',
  format: 'esm',
  outfile: entry,
  logLevel: 'error',
});
const { judgedPaths, LARGE_INDEX_BYTES, globMatcher } = await import(pathToFileURL(entry).href);

const gitconfig = path.join(root, '.gitconfig');
writeFileSync(gitconfig, '[user]\n\tname = B\n\temail = b@example.com\n[gc]\n\tauto = 0\n');
const env = { ...process.env, GIT_CONFIG_GLOBAL: gitconfig, GIT_CONFIG_NOSYSTEM: '1' };
for (const k of Object.keys(env)) if (/^GIT_/.test(k) && !/^GIT_CONFIG/.test(k)) delete env[k];
Object.assign(process.env, { GIT_CONFIG_GLOBAL: gitconfig, GIT_CONFIG_NOSYSTEM: '1' });
const git = (cwd, args, input) =>
  execFileSync('git', args, { cwd, env, input, maxBuffer: 1 << 28 })
    .toString()
    .trim();

/** A repository with `tracked` committed files (half in scope), then `staged` new in-scope files. */
function repo(name, tracked, staged) {
  const dir = path.join(root, name);
  git(root, ['init', '-q', dir]);
  const blob = git(dir, ['hash-object', '-w', '--stdin'], 'x\n');
  const info = (names) => names.map((p) => `100644 ${blob}\t${p}\0`).join('');
  const names = Array.from({ length: tracked }, (_, i) =>
    i % 2 ? `backend/mod${i % 40}/file-${i}.ts` : `web/page${i % 40}/file-${i}.ts`,
  );
  git(dir, ['update-index', '-z', '--index-info'], info(names));
  git(dir, ['commit', '-q', '-m', 'base']);
  const news = Array.from({ length: staged }, (_, i) => `backend/new${i % 50}/added-${i}.ts`);
  git(dir, ['update-index', '-z', '--index-info'], info(news));
  return {
    dir,
    gitDir: path.join(dir, '.git'),
    index: statSync(path.join(dir, '.git/index')).size,
  };
}

const globs = ['backend/**', 'services/**', 'contracts/**', 'workers/**', 'docs/shared/**'];
const scope = { globs, allows: globMatcher(globs) };
const cases = [
  ['small commit (3 files), 200 tracked', repo('small', 200, 3)],
  ['small commit (3 files), 12,000 tracked', repo('large-small', 12_000, 3)],
  ['10,000-file in-scope commit, 12,000 tracked', repo('large-large', 12_000, 10_000)],
];
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
// The machine may be shared: wall time is what a user waits for, CPU time (this process and its
// git children, from bash's `times`) what the route costs whatever else runs.
const child = path.join(root, 'child.mjs');
writeFileSync(
  child,
  `const { judgedPaths, LARGE_INDEX_BYTES, globMatcher } = await import(${JSON.stringify(pathToFileURL(entry).href)});
const [gitDir, dir, route, n] = process.argv.slice(2);
const globs = ${JSON.stringify(globs)};
const allows = globMatcher(globs);
for (let i = 0; i < Number(n); i++)
  if (route !== 'none') judgedPaths(gitDir, { globs, allows }, route === 'pathspecs' ? LARGE_INDEX_BYTES : 0, dir).filter((p) => !allows(p));
`,
);
const secs = (t) => {
  const [, m, s] = /(\d+)m([\d.]+)s/.exec(t);
  return Number(m) * 60 + Number(s);
};
/** Wall and CPU ms per listing: N runs in one child, less the same child doing nothing. */
function measure(r, route, n) {
  const run = (rt) => {
    const t = process.hrtime.bigint();
    const out = execFileSync(
      'bash',
      ['-c', `node ${child} "$@"; times`, 'x', r.gitDir, r.dir, rt, String(n)],
      { env: process.env },
    ).toString();
    const wall = Number(process.hrtime.bigint() - t) / 1e6;
    const [, kids] = out.trim().split('\n');
    const [u, s] = kids.split(' ');
    return [wall, (secs(u) + secs(s)) * 1000];
  };
  const [w0, c0] = run('none');
  const [w, c] = run(route);
  return [(w - w0) / n, (c - c0) / n];
}
const rows = [];
const N = 5;
for (const [name, r] of cases) {
  const res = { everything: [[], []], pathspecs: [[], []] };
  for (let i = 0; i < ROUNDS; i++)
    for (const route of ['everything', 'pathspecs']) {
      const [w, c] = measure(r, route, N);
      res[route][0].push(w);
      res[route][1].push(c);
    }
  const chosen = r.index >= LARGE_INDEX_BYTES ? 'pathspecs' : 'everything';
  rows.push([
    name,
    r.index,
    ...[res.everything, res.pathspecs].flatMap(([w, c]) => [median(w), median(c)]),
    chosen,
  ]);
}
const table = [
  `| staged set (median of ${ROUNDS} × ${N}) | index | everything: wall | CPU | exclusion pathspecs: wall | CPU | taken (index ≥ ${LARGE_INDEX_BYTES / 1024} KiB) |`,
  '|---|---|---|---|---|---|---|',
  ...rows.map(
    ([n, idx, aw, ac, bw, bc, c]) =>
      `| ${n} | ${(idx / 1024).toFixed(0)} KiB | ${aw.toFixed(1)} ms | ${ac.toFixed(1)} ms | ${bw.toFixed(1)} ms | ${bc.toFixed(1)} ms | ${c} |`,
  ),
].join('\n');
console.log(table);
writeFileSync(
  'bench/pathspec.md',
  `# pre-commit's listing of the staged set (${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(1)})\n\n${table}\n`,
);
