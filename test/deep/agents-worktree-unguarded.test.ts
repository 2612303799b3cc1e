// The route around Claude Code's WorktreeCreate entry where no worktree's own entry runs, with the
// real binaries: a session started in a SUBFOLDER of a lane (`cd backend && claude`), and managed
// mode (`install --managed`: allowManagedHooksOnly, so only the managed entry runs, and it carries
// no WorktreeCreate: agents/claude-worktree.ts says why).
//
// Which settings files each release reads there, recorded with `--debug-file` (and read in the
// binaries' settings code: 2.1.197 resolves project and local settings against the session's cwd
// alone; 2.1.328 resolves project settings against the cwd and local settings against the
// canonical git root, which for a linked worktree is the main checkout):
// - 2.1.197: `<lane>/backend/.claude/settings.json` and `settings.local.json` (absent), the
//   user's and the managed file. No lane entry runs at all: a sub-agent with
//   `isolation: "worktree"` gets its worktree (under the main checkout's `.claude/worktrees/`, on a
//   new branch `worktree-agent-…`). The route stays open with this release; what holds instead is
//   that the worktree is unassigned: every commit there is refused (lane-unassigned), so nothing
//   made in it can be pushed or land.
// - 2.1.328: the same, plus the MAIN CHECKOUT's `.claude/settings.local.json`: the coordinator's
//   entry runs, judging for the lane the session started in (agents/session.ts). It used to stay
//   silent on the brief and on WorktreeCreate (it yielded to the lane's own entry, which does not
//   run from a subfolder): creation failed only as "returned no worktree path" and the session got
//   no brief. It now speaks where the session's own entry is not loaded: refused with the rule and
//   the fix, once, and the brief reaches the model.
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { timeout } from '../helpers/tier.js';
import { Sandbox } from '../../src/demo/sandbox.js';
import {
  agentBins,
  bwrapEtc,
  CLAUDE_VERSIONS,
  claudeResults,
  sentBack,
} from '../helpers/agent-bins.js';
import { needs } from '../helpers/system-deps.js';
import { isolatedSubagent, json, MARK, type Msg } from '../helpers/claude-isolation.js';
import { CLI, tmpDir } from '../helpers/world.js';

const sb = new Sandbox(tmpDir(), CLI);
const bins = agentBins(sb);
sb.createCoordinator();
sb.mustCli(sb.coordinator, 'setup', '--agent', 'all');
const A = sb.lane('A-backend');
const sub = path.join(A, 'backend');
mkdirSync(sub, { recursive: true });
afterAll(() => bins.close());

const worktrees = () =>
  sb
    .git(sb.coordinator, 'worktree', 'list', '--porcelain')
    .stdout.split('\n')
    .filter((l) => l.startsWith('worktree '))
    .map((l) => l.slice('worktree '.length));
const branches = () =>
  sb.git(sb.coordinator, 'for-each-ref', '--format=%(refname)', 'refs/heads/').stdout;

/** The settings files a session looked for or watched, from its `--debug-file`. */
function settingsRead(log: string): string[] {
  const text = readFileSync(log, 'utf8');
  const files = [
    ...text.matchAll(/settings\.json at path: (\S+)/g),
    ...text.matchAll(/Watching for changes in setting files (.*?)\.\.\./g),
  ].flatMap((m) => m[1]!.split(', '));
  return [...new Set(files)];
}

/** The isolated worktree's commit is refused (lane-unassigned); the worktree is removed. */
function unassigned(wt: string) {
  sb.write(wt, 'backend/isolated.ts', 'x\n');
  sb.must(wt, 'add', '-A');
  const c = sb.git(wt, 'commit', '-qm', 'from the isolated sub-agent');
  expect(c.status).not.toBe(0);
  expect(c.stderr).toContain('refused by lane-unassigned');
  sb.must(sb.coordinator, 'worktree', 'remove', '--force', wt);
}
const subagentRan = (r: { requests: Record<string, unknown>[] }) =>
  r.requests.some((q) => json((q.messages as Msg[])?.[0]?.content).includes(MARK));

describe('Claude Code pinned (2.1.197, real binary): a session started in a lane’s subfolder', () => {
  it(
    'runs no lane entry: the isolated sub-agent gets a worktree, which is unassigned (its commit is refused)',
    { timeout: timeout(240_000) },
    async () => {
      const before = worktrees();
      const log = path.join(sb.root, 'debug-pinned.txt');
      const r = await bins.claude(sub, isolatedSubagent(), {
        tools: 'Write,Edit,Bash,Agent,Task',
        release: 'pinned',
        extra: ['--debug-file', log],
      });
      expect(r.status, r.stderr).toBe(0);
      // The settings it looked for: the subfolder's, none of the lane's top or the main checkout's.
      const read = settingsRead(log);
      expect(read).toContain(path.join(sub, '.claude', 'settings.local.json'));
      expect(read.filter((f) => f.startsWith(path.join(A, '.claude')))).toEqual([]);
      expect(read.filter((f) => f.startsWith(sb.coordinator))).toEqual([]);
      // Not refused: pinned as it is (docs/agents.md, "Not covered").
      const made = worktrees().filter((w) => !before.includes(w));
      expect(made).toHaveLength(1);
      expect(made[0]).toContain(path.join('.claude', 'worktrees', 'agent-'));
      expect(branches()).toMatch(/refs\/heads\/worktree-agent-/);
      expect(subagentRan(r)).toBe(true);
      // What holds instead: lanes-hooks governs every worktree of the repository, and this one
      // matches no role's path: its commits are refused.
      unassigned(made[0]!);
    },
  );
});

describe('Claude Code latest (2.1.328, real binary): a session started in a lane’s subfolder', () => {
  it(
    "runs the main checkout's entry, which refuses the worktree for the lane and gives the brief",
    { timeout: timeout(240_000) },
    async () => {
      const before = { worktrees: worktrees(), branches: branches() };
      const log = path.join(sb.root, 'debug-latest.txt');
      const r = await bins.claude(sub, isolatedSubagent(), {
        tools: 'Write,Edit,Bash,Agent,Task',
        release: 'latest',
        extra: ['--debug-file', log],
      });
      expect(r.status, r.stderr).toBe(0);
      // It watches the main checkout's local settings, not the lane top's.
      const watched = readFileSync(log, 'utf8');
      expect(watched).toContain(path.join(sb.coordinator, '.claude', 'settings.local.json'));
      expect(watched).not.toContain(path.join(A, '.claude', 'settings.local.json'));
      expect(watched).toContain(`--lane '${sb.coordinator}'`);
      expect({ worktrees: worktrees(), branches: branches() }).toEqual(before);
      expect(subagentRan(r)).toBe(false);
      const result = claudeResults(r).join('\n');
      expect(result).toContain('WorktreeCreate hook failed');
      expect(result).toContain('refused by path-scope');
      expect(result).toContain('A-backend lane');
      expect(result.split('refused by path-scope').length - 1).toBe(1);
      expect(sentBack(r)).toContain('this worktree is the A-backend lane');
    },
  );
});

describe.each(Object.keys(CLAUDE_VERSIONS) as (keyof typeof CLAUDE_VERSIONS)[])(
  'Claude Code %s (real binary): managed mode (allowManagedHooksOnly)',
  (release) => {
    it(
      'runs no worktree entry: the isolated sub-agent gets a worktree, which is unassigned',
      { timeout: timeout(240_000) },
      async () => {
        needs('bwrap');
        const root = path.join(sb.root, 'image'); // --managed-root: /etc as the binary sees it
        const r0 = sb.run(A, process.execPath, [
          CLI,
          'install',
          '--agent',
          'claude',
          '--managed',
          '--managed-root',
          root,
        ]);
        expect(r0.status, r0.stderr).toBe(0);
        bins.setWrap(bwrapEtc({ 'claude-code': path.join(root, 'etc', 'claude-code') }));
        try {
          const before = worktrees();
          const r = await bins.claude(A, isolatedSubagent(), {
            tools: 'Write,Edit,Bash,Agent,Task',
            release,
          });
          expect(r.status, r.stderr).toBe(0);
          // The managed entry did run (the brief), and nothing refused the worktree.
          expect(sentBack(r)).toContain('this worktree is the A-backend lane');
          const made = worktrees().filter((w) => !before.includes(w));
          expect(made).toHaveLength(1);
          expect(subagentRan(r)).toBe(true);
          unassigned(made[0]!);
        } finally {
          bins.setWrap([]);
        }
      },
    );
  },
);
