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

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);
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
const time = (fn) => {
  const t = process.hrtime.bigint();
  const out = fn();
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  return [ms, out];
};
const rows = [];
for (const [name, r] of cases) {
  const all = [];
  const spec = [];
  for (let i = 0; i < ROUNDS; i++) {
    // Both routes end with the same exact check: the scope's matcher on what was listed.
    const [a] = time(() => judgedPaths(r.gitDir, scope, 0, r.dir).filter((p) => !scope.allows(p)));
    const [b] = time(() =>
      judgedPaths(r.gitDir, scope, LARGE_INDEX_BYTES, r.dir).filter((p) => !scope.allows(p)),
    );
    all.push(a);
    spec.push(b);
  }
  const chosen = r.index >= LARGE_INDEX_BYTES ? 'pathspecs' : 'everything';
  rows.push([name, r.index, median(all), median(spec), chosen]);
}
const table = [
  `| staged set (median of ${ROUNDS}) | index | list everything | exclusion pathspecs | taken (index ≥ ${LARGE_INDEX_BYTES} bytes) |`,
  '|---|---|---|---|---|',
  ...rows.map(
    ([n, idx, a, b, c]) =>
      `| ${n} | ${(idx / 1024).toFixed(0)} KiB | ${a.toFixed(1)} ms | ${b.toFixed(1)} ms | ${c} |`,
  ),
].join('\n');
console.log(table);
writeFileSync(
  'bench/pathspec.md',
  `# pre-commit's listing of the staged set (${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} cores)\n\n${table}\n`,
);
