// Which programs a git command's hooks start, read from `strace -f` (execve and the clones that
// link each process to its parent): every successful execve under one of our hook shims counts
// for that hook, as the shim itself, git, node, or another program.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const STRACE = ['/usr/bin/strace', '/bin/strace'].find((p) => existsSync(p)) ?? null;

/** Run `cmd` under `strace -f`, tracing execs and the clones that link a process to its parent. */
export function traced(cwd: string, cmd: string, args: string[], env: NodeJS.ProcessEnv) {
  const out = path.join(mkdtempSync(path.join(tmpdir(), 'lanes-strace-')), 'trace');
  const r = spawnSync(
    STRACE!,
    [
      '-f',
      '-qq',
      '-e',
      'trace=execve,clone,clone3,fork,vfork',
      '-e',
      'signal=none',
      '-o',
      out,
      cmd,
      ...args,
    ],
    { cwd, env, encoding: 'utf8' },
  );
  return { out, r };
}

export interface HookCount {
  /** Times git ran the hook (its shim). */
  runs: number;
  git: number;
  node: number;
  /** Programs that are neither git nor node (grep, awk, env …), by name. */
  other: string[];
}

export function countHookProcesses(
  cwd: string,
  cmd: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): { status: number; stderr: string; hooks: Record<string, HookCount> } {
  const { out, r } = traced(cwd, cmd, args, env);
  const parent = new Map<number, number>();
  const exe = new Map<number, string>(); // the program a pid runs now
  const pending = new Map<number, string>(); // an execve not yet resumed
  const hooks: Record<string, HookCount> = {};
  const shimOf = (pid: number): string | null => {
    for (let p: number | undefined = pid; p !== undefined; p = parent.get(p)) {
      const e = exe.get(p);
      if (e && /\/lanes-hooks\/hooks\/[^/]+$/.test(e)) return path.basename(e);
    }
    return null;
  };
  const record = (pid: number, file: string) => {
    // The shim's own exec counts as a run of its hook; what runs under it counts for that hook.
    const before = shimOf(pid);
    exe.set(pid, file);
    const hook = /\/lanes-hooks\/hooks\/([^/]+)$/.exec(file)?.[1] ?? before;
    if (!hook) return;
    const h = (hooks[hook] ??= { runs: 0, git: 0, node: 0, other: [] });
    const name = path.basename(file);
    if (file.includes('/lanes-hooks/hooks/') && name === hook) h.runs++;
    else if (name === 'git' || file.startsWith('/usr/lib/git-core/')) h.git++;
    else if (name === 'node' || file === process.execPath) h.node++;
    else h.other.push(name);
  };
  const lines = readFileSync(out, 'utf8').split('\n');
  // Every parent link first: under load a child's execve can be written before its parent's
  // clone returns (strace prints the `clone(...) = <pid>` line only when the parent resumes), and
  // a child read before its link would count for no hook.
  for (const line of lines) {
    const m = /^(\d+)\s+(.*)$/.exec(line);
    const clone = m
      ? (/^(?:clone3?|v?fork)\(.*\)\s+=\s+(\d+)/.exec(m[2]!) ??
        /^<\.\.\. (?:clone3?|v?fork) resumed>.*=\s+(\d+)/.exec(m[2]!))
      : null;
    if (clone) parent.set(Number(clone[1]), Number(m![1]));
  }
  for (const line of lines) {
    const m = /^(\d+)\s+(.*)$/.exec(line);
    if (!m) continue;
    const pid = Number(m[1]);
    const rest = m[2]!;
    const ex = /^execve\("([^"]+)"/.exec(rest);
    if (ex) {
      if (/<unfinished \.\.\.>$/.test(rest)) pending.set(pid, ex[1]!);
      else if (/=\s+0$/.test(rest)) record(pid, ex[1]!);
      continue;
    }
    if (/^<\.\.\. execve resumed>/.test(rest) && pending.has(pid)) {
      if (/=\s+0$/.test(rest)) record(pid, pending.get(pid)!);
      pending.delete(pid);
    }
  }
  return { status: r.status ?? 1, stderr: r.stderr ?? '', hooks };
}

/** One process of an `strace -f` trace: its parent and every program it ran, in order. */
export interface TracedProcess {
  pid: number;
  parent: number | null;
  /** Each successful execve: the file and its arguments (as strace prints them, maybe cut). */
  execs: { file: string; argv: string }[];
}

/** Every process of a trace written by `strace -f -e trace=execve,clone,clone3,fork,vfork`. */
export function readTrace(file: string): Map<number, TracedProcess> {
  const procs = new Map<number, TracedProcess>();
  const get = (pid: number) => {
    let p = procs.get(pid);
    if (!p) procs.set(pid, (p = { pid, parent: null, execs: [] }));
    return p;
  };
  const pending = new Map<number, { file: string; argv: string }>();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^(\d+)\s+(.*)$/.exec(line);
    if (!m) continue;
    const pid = Number(m[1]);
    const rest = m[2]!;
    get(pid);
    const clone =
      /^(?:clone3?|v?fork)\(.*\)\s+=\s+(\d+)/.exec(rest) ??
      /^<\.\.\. (?:clone3?|v?fork) resumed>.*=\s+(\d+)/.exec(rest);
    if (clone) {
      get(Number(clone[1])).parent = pid;
      continue;
    }
    const ex = /^execve\("([^"]+)", (\[.*?\])/.exec(rest);
    if (ex) {
      const e = { file: ex[1]!, argv: ex[2]! };
      if (/<unfinished \.\.\.>$/.test(rest)) pending.set(pid, e);
      else if (/=\s+0$/.test(rest)) get(pid).execs.push(e);
      continue;
    }
    if (/^<\.\.\. execve resumed>/.test(rest) && pending.has(pid)) {
      if (/=\s+0$/.test(rest)) get(pid).execs.push(pending.get(pid)!);
      pending.delete(pid);
    }
  }
  return procs;
}

/**
 * The processes the hub's `guard pre-receive` starts for one push: `git <args>` run in `cwd` under
 * strace, and every program started under the Node process whose arguments hold
 * `guard pre-receive` (the hub's hook), counted by name ("git" for git and git-core programs).
 */
export function countGuardProcesses(
  cwd: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): { status: number; stderr: string; guards: number; programs: Record<string, number> } {
  const { out, r } = traced(cwd, 'git', args, env);
  const procs = readTrace(out);
  const isGuard = (p: TracedProcess) =>
    p.execs.some((e) => path.basename(e.file) === 'node' && /"guard", "pre-receive"/.test(e.argv));
  const underGuard = (p: TracedProcess): boolean => {
    for (let q = p.parent; q !== null; q = procs.get(q)?.parent ?? null)
      if (isGuard(procs.get(q)!)) return true;
    return false;
  };
  const programs: Record<string, number> = {};
  let guards = 0;
  for (const p of procs.values()) {
    if (isGuard(p)) guards++;
    if (!underGuard(p)) continue;
    for (const e of p.execs) {
      const name =
        path.basename(e.file) === 'git' || e.file.startsWith('/usr/lib/git-core/')
          ? 'git'
          : path.basename(e.file);
      programs[name] = (programs[name] ?? 0) + 1;
    }
  }
  return { status: r.status ?? 1, stderr: r.stderr ?? '', guards, programs };
}
