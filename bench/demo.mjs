// node bench/demo.mjs [--strace] [--cli <bundle>]: the demo tour's cost (issue 29: the fast
// tier's largest file). Runs `lanes-hooks demo` once and prints its CPU time (user + sys of the
// tour and every process under it) and the load; with --strace, also every process the tour
// starts, read from `strace -f` (execve and the clones that link each process to its parent):
// git and Node processes in all, per lanes-hooks command the tour runs as a process (the Node
// start and the git under it), per hook git runs (its sh runs, and the git and Node under them),
// and the git the tour itself runs. Under strace the times are inflated: take CPU from a run
// without it. Measured here, never asserted in tests (bench/demo.md holds the numbers).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const args = process.argv.slice(2);
const STRACE = args.includes('--strace');
const cliAt = args.indexOf('--cli');
const CLI = path.resolve(cliAt >= 0 ? args[cliAt + 1] : 'dist/lanes-hooks.mjs');

const root = mkdtempSync(path.join(os.tmpdir(), 'lanes-bench-demo-'));
const trace = path.join(root, 'trace');
const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

const before = load();
const cmd = STRACE
  ? [
      'strace',
      '-f',
      '-qq',
      '-s',
      '120',
      '-e',
      'trace=execve,clone,clone3,fork,vfork',
      '-e',
      'signal=none',
      '-o',
      trace,
      process.execPath,
      CLI,
      'demo',
      path.join(root, 'tour'),
    ]
  : [process.execPath, CLI, 'demo', path.join(root, 'tour')];
const t0 = process.hrtime.bigint();
const r = spawnSync('/usr/bin/time', ['-f', '%U %S', ...cmd], { encoding: 'utf8' });
const wall = Number(process.hrtime.bigint() - t0) / 1e9;
const [user, sys] = (r.stderr.trim().split('\n').at(-1) ?? '0 0').split(' ').map(Number);
const ok = r.stdout.includes('every step behaved as the policy says');
console.log(
  `demo: exit ${r.status}${ok ? '' : ' (SOME STEPS FAILED)'}; ${(user + sys).toFixed(1)} CPU-s ` +
    `(${user.toFixed(1)} user + ${sys.toFixed(1)} sys), ${wall.toFixed(1)} s wall; ` +
    `load ${before} before, ${load()} after${STRACE ? ' (under strace: times inflated)' : ''}`,
);

if (STRACE) report(readTrace(trace));
rmSync(root, { recursive: true, force: true });

/** pid → { parent, execs: [{ file, argv }] } from the trace. */
function readTrace(file) {
  const procs = new Map();
  const get = (pid) => {
    let p = procs.get(pid);
    if (!p) procs.set(pid, (p = { pid, parent: null, execs: [] }));
    return p;
  };
  const pending = new Map();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^(\d+)\s+(.*)$/.exec(line);
    if (!m) continue;
    const pid = Number(m[1]);
    const rest = m[2];
    get(pid);
    const clone =
      /^(?:clone3?|v?fork)\(.*\)\s+=\s+(\d+)/.exec(rest) ??
      /^<\.\.\. (?:clone3?|v?fork) resumed>.*=\s+(\d+)/.exec(rest);
    if (clone) {
      const child = get(Number(clone[1]));
      // A thread (CLONE_THREAD) is no process of its own: it counts as its parent.
      child.parent = pid;
      child.thread = /CLONE_THREAD/.test(rest);
      continue;
    }
    const ex = /^execve\("([^"]+)", (\[.*?\])/.exec(rest);
    if (ex) {
      const e = { file: ex[1], argv: ex[2] };
      if (/<unfinished \.\.\.>$/.test(rest)) pending.set(pid, e);
      else if (/=\s+0$/.test(rest)) get(pid).execs.push(e);
      continue;
    }
    if (/^<\.\.\. execve resumed>/.test(rest) && pending.has(pid)) {
      if (/=\s+0$/.test(rest)) get(pid).execs.push(pending.get(pid));
      pending.delete(pid);
    }
  }
  return procs;
}

function report(procs) {
  const kind = (e) => {
    const name = path.basename(e.file);
    if (/\/lanes-hooks\/hooks\/[^/]+$/.test(e.file)) return `hook ${name}`;
    if (name === 'git' || e.file.startsWith('/usr/lib/git-core/')) return 'git';
    if (name === 'node' || e.file === process.execPath) return 'node';
    return name;
  };
  // The argv strings of a node exec: ["node", "/…/lanes-hooks.mjs", "queue", "claim", …] (a git
  // hook's Node runs the hook entry, lanes-hooks-hook.mjs)
  const command = (e) => {
    const parts = [...e.argv.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]);
    const at = parts.findIndex((p) => /lanes-hooks(-hook)?\.mjs$|agent-hook\.(c|m)js$/.test(p));
    if (at < 0) return parts.slice(1, 3).join(' ');
    const rest = parts.slice(at + 1);
    const sub = ['queue', 'review', 'guard', 'hub', 'store', 'hook'].includes(rest[0]);
    return (
      (/agent-hook/.test(parts[at]) ? 'agent-hook(light) ' : '') +
      rest.slice(0, sub ? 2 : 1).join(' ')
    );
  };
  const tour = [...procs.values()].find((p) => p.execs.some((e) => /"demo"/.test(e.argv)));
  const isHookNode = (e) => /"hook"/.test(e.argv);
  // What a process is charged to: the nearest hook shim at or above it, named with the
  // lanes-hooks command whose git ran that hook, if any; else the nearest lanes-hooks command
  // other than the tour; else the tour itself.
  const owner = (p) => {
    let hook = null;
    for (let q = p; q; q = procs.get(q.parent)) {
      const e = q.execs.at(-1);
      if (!e || q === tour) continue;
      const shim = q.execs.map(kind).find((k) => k.startsWith('hook '));
      if (shim) hook ??= shim;
      if (kind(e) === 'node' && !isHookNode(e))
        return hook ? `${hook} (under ${command(e)})` : `cli ${command(e)}`;
    }
    return hook ?? 'the tour itself';
  };
  const rows = new Map();
  const row = (k) => {
    let x = rows.get(k);
    if (!x) rows.set(k, (x = { runs: 0, git: 0, node: 0, other: 0 }));
    return x;
  };
  let git = 0;
  let node = 0;
  const verbs = new Map();
  for (const p of procs.values()) {
    if (p.thread || !p.execs.length || p === tour) continue;
    const e = p.execs.at(-1);
    const k = kind(e);
    const o = owner(p);
    // A shim may exec node in its own process: a run of the hook and a Node start.
    if (p.execs.some((x) => kind(x).startsWith('hook '))) row(o).runs++;
    if (k === 'node') {
      node++;
      if (o.startsWith('hook ')) row(o).node++;
      else row(o).runs++;
    } else if (k === 'git') {
      git++;
      const words = [...e.argv.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]).slice(1);
      const verb = words.find((w, i) => !w.startsWith('-') && words[i - 1] !== '-c') ?? '?';
      verbs.set(verb, (verbs.get(verb) ?? 0) + 1);
      row(o).git++;
    } else row(o).other++;
  }
  console.log(`processes: ${git} git, ${node} node (besides the tour's own)\n`);
  console.log('| charged to | runs | git | node | other |');
  console.log('|---|--:|--:|--:|--:|');
  for (const [k, x] of [...rows].sort(
    (a, b) => b[1].git + 20 * b[1].node - (a[1].git + 20 * a[1].node),
  ))
    console.log(`| ${k} | ${x.runs || ''} | ${x.git} | ${x.node} | ${x.other || ''} |`);
  const top = [...verbs].sort((a, b) => b[1] - a[1]).slice(0, 20);
  console.log(`\ngit by command: ${top.map(([v, n]) => `${v} ${n}`).join(', ')}`);
}
