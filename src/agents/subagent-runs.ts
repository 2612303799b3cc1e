// What a Claude Code sub-agent changed outside the lane, kept for the session that started it.
// The sub-agent's own Bash is checked after every command (agent-hook, PostToolUse), but that
// report goes to the sub-agent: the parent session hears only its final answer ("done"). Claude
// Code's hooks reference (code.claude.com/docs/en/hooks; both binaries' hook tables, 2.1.197 and
// 2.1.328): SubagentStart fires when a sub-agent (Agent tool call) begins, SubagentStop "right
// before a subagent concludes its response" (exit 0: nothing shown; exit 2 would keep the
// SUB-agent running, not tell the parent). So:
// - at SubagentStart, how every path outside the scope stands is noted (per `agent_id`);
// - at SubagentStop, the paths outside the scope that are new or changed since are kept as a
//   report for the parent;
// - the parent hears it at the next of its own events that reaches its model: PostToolUse of the
//   Agent tool when the sub-agent ran in the foreground (2.1.197 always; 2.1.328 with
//   `run_in_background: false`), or UserPromptSubmit, which 2.1.328 fires when a background
//   sub-agent's completion notice is handed to the parent (recorded from the binary with
//   `--debug-file`, test/deep/agents-subagents.test.ts); its plain stdout joins the context.
// The shell-seen record (hooks/shell-seen.ts) cannot serve: the sub-agent's own check already marked
// the file as told, and the parent was not the one told.
//
// Who could write these records: anything in the lane's session that writes to the git dir (a
// shell command can; file tools are refused there, hook-integrity). Forging or deleting them
// silences only this advisory report to the parent: git's pre-commit still refuses the file.
import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Worktree } from '../git/repo.js';
import { subagentReportFile } from './subagent-report-file.js';

const DIR = 'lanes-hooks.subagents';

/** One sub-agent's report for its parent: its type as the client named it, and the paths. */
export interface SubagentReport {
  type: string;
  paths: string[];
}

function stamp(top: string, rel: string): string {
  try {
    const s = lstatSync(path.join(top, rel));
    return `${s.isSymbolicLink() ? 'l' : s.isDirectory() ? 'd' : 'f'}:${s.size}:${s.ctimeMs}:${s.mtimeMs}`;
  } catch {
    return 'gone';
  }
}

/** The record's file name for a client-given id: never a path (the id is the client's text). */
const runFile = (wt: Worktree, id: string) =>
  path.join(
    wt.gitDir,
    DIR,
    `${/^[A-Za-z0-9_-]{1,80}$/.test(id) ? id : createHash('sha256').update(id).digest('hex')}.json`,
  );

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch {
    return null;
  }
}

/** SubagentStart: how every path outside the scope stands as the sub-agent begins. */
export function noteSubagentStart(wt: Worktree, id: string, outside: string[]): void {
  if (!wt.top) return;
  const top = wt.top;
  try {
    mkdirSync(path.join(wt.gitDir, DIR), { recursive: true });
    writeFileSync(
      runFile(wt, id),
      JSON.stringify(Object.fromEntries(outside.map((p) => [p, stamp(top, p)]))),
    );
  } catch {
    /* an unwritable git dir: the parent is not told, the commit still refuses */
  }
}

/**
 * SubagentStop: the paths outside the scope new or changed since the sub-agent began, added to
 * the report for the parent. Without a start record (another entry of the same session took it
 * first, or the sub-agent began before install), nothing is added: blaming the sub-agent for
 * files it did not write would be wrong, and the parent's own checks still name them.
 */
export function noteSubagentStop(wt: Worktree, id: string, type: string, outside: string[]): void {
  if (!wt.top) return;
  const file = runFile(wt, id);
  const before = readJson(file);
  if (!before || typeof before !== 'object' || Array.isArray(before)) return;
  rmSync(file, { force: true });
  const was = before as Record<string, unknown>;
  const top = wt.top;
  const paths = outside.filter((p) => was[p] !== stamp(top, p));
  if (!paths.length) return;
  const pending = subagentReportFile(wt.gitDir);
  const reports = readReports(pending);
  reports.push({ type, paths });
  try {
    writeFileSync(pending, JSON.stringify(reports));
  } catch {
    /* as above */
  }
}

function readReports(file: string): SubagentReport[] {
  const v = readJson(file);
  return Array.isArray(v)
    ? v.filter(
        (r): r is SubagentReport =>
          !!r &&
          typeof r === 'object' &&
          typeof (r as SubagentReport).type === 'string' &&
          Array.isArray((r as SubagentReport).paths) &&
          (r as SubagentReport).paths.every((p) => typeof p === 'string'),
      )
    : [];
}

/**
 * The reports waiting for the parent, taken (so one entry of the session tells them, once:
 * Claude Code 2.1.328 runs the coordinator's entry beside the lane's, and the rename is atomic).
 */
export function takeSubagentReports(wt: Worktree): SubagentReport[] {
  const pending = subagentReportFile(wt.gitDir);
  const taken = `${pending}.${process.pid}`;
  try {
    renameSync(pending, taken);
  } catch {
    return [];
  }
  const reports = readReports(taken);
  rmSync(taken, { force: true });
  // Two entries of one session (2.1.328) may both have kept the same stop: told once.
  const seen = new Set<string>();
  return reports.filter((r) => {
    const key = JSON.stringify([r.type, [...r.paths].sort()]);
    return !seen.has(key) && !!seen.add(key);
  });
}

/** Whether a report waits (the light entry then leaves the prompt to the full CLI). */
export { subagentReportFile };
