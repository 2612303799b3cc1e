// setup, launch and review refresh beyond each command's main path (the deep tier, issue 29; the
// main paths are test/lifecycle.test.ts, setup's the demo tour's, test/demo.test.ts): setup's
// second run, its dry run, the lanes it makes enforcing their roles, a repair, its refusals;
// launch --dashboard; a refused review refresh; a review that falls behind its delivery branch.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Sandbox } from '../../src/demo/sandbox.js';
import { claim, commit, head } from '../helpers/world.js';
import { coordinatorSandbox } from '../helpers/template.js';
import { useInProcessCli } from '../helpers/in-process.js';

// The CLI steps run in this process (helpers/in-process.ts); hooks and pushes stay real processes.
useInProcessCli();

const ROLES = ['A-backend', 'B-ui', 'C-ops', 'D-arch', 'E-governance'];

function coordinatorOnly(): Sandbox {
  const sb = coordinatorSandbox();
  return sb;
}
const worktrees = (sb: Sandbox) => sb.must(sb.coordinator, 'worktree', 'list', '--porcelain');
const statusJson = (sb: Sandbox, dir = sb.coordinator) =>
  JSON.parse(sb.mustCli(dir, 'status', '--json'));
const row = (s: { lanes: { role: string }[] }, role: string) =>
  s.lanes.find((l) => l.role === role) as Record<string, unknown>;

// setup's main path and its second run, moved whole from test/lifecycle.test.ts once the demo tour
// held setup's cell (test/demo.test.ts, issue 29); its own world, as there.
describe('setup', () => {
  const sb = coordinatorOnly();

  it('creates every lane, and a second run changes nothing and says so', () => {
    const out = sb.mustCli(sb.coordinator, 'setup');
    expect(out).toContain('5 changed');
    const after = worktrees(sb);
    for (const r of ROLES) expect(after).toContain(`branch refs/heads/agent/${r}`);
    const again = sb.mustCli(sb.coordinator, 'setup');
    expect(again).toContain('0 changed');
    expect(again.match(/nothing to do/g)).toHaveLength(5);
    expect(worktrees(sb)).toBe(after);
  });
});

describe('setup', () => {
  const sb = coordinatorOnly();

  it('--dry-run plans every lane and changes nothing', () => {
    const before = worktrees(sb);
    const out = sb.mustCli(sb.coordinator, 'setup', '--dry-run');
    for (const r of ROLES)
      expect(out).toMatch(new RegExp(`${r} .*would: create branch, add worktree, record role`));
    expect(worktrees(sb)).toBe(before);
  });

  describe('after setup made every lane', () => {
    beforeAll(() => {
      sb.mustCli(sb.coordinator, 'setup');
    });

    it('makes lanes that enforce their roles', () => {
      expect(commit(sb, sb.lane('B-ui'), ['web/ok.tsx']).status).toBe(0);
      expect(commit(sb, sb.lane('B-ui'), ['backend/no.ts']).stderr).toContain(
        'refused by path-scope',
      );
      sb.must(sb.lane('B-ui'), 'reset', '-q');
      sb.git(sb.lane('D-arch'), 'checkout', '-q', '--detach');
      expect(head(sb, sb.lane('D-arch'))).toBe('agent/D-arch');
    });

    it('repairs a lane whose directory was deleted', () => {
      rmSync(sb.lane('C-ops'), { recursive: true, force: true });
      const out = sb.mustCli(sb.coordinator, 'setup');
      expect(out).toMatch(
        /C-ops .*pruned the stale worktree entry.*added the worktree, recorded role C-ops/,
      );
      expect(out).toContain('1 changed');
      expect(commit(sb, sb.lane('C-ops'), ['ops/x.sh']).status).toBe(0);
    });

    it('refuses to run anywhere but the coordinator', () => {
      const r = sb.cli(sb.lane('A-backend'), 'setup');
      expect(r.status).toBe(2);
      expect(r.stderr).toContain('run it from the coordinator');
    });
  });

  it('never touches a path occupied by something else', () => {
    const other = coordinatorOnly();
    mkdirSync(other.lane('C-ops'));
    writeFileSync(path.join(other.lane('C-ops'), 'precious.txt'), 'mine\n');
    const r = other.cli(other.coordinator, 'setup');
    expect(r.status).toBe(2);
    expect(r.stdout).toMatch(/C-ops .*ERROR: .*is not this lane's worktree/);
    expect(readFileSync(path.join(other.lane('C-ops'), 'precious.txt'), 'utf8')).toBe('mine\n');
    expect(existsSync(path.join(other.lane('B-ui'), '.git'))).toBe(true);
  });
});

describe('launch', () => {
  const sb = coordinatorSandbox({ setup: true });

  it('--dashboard adds a pane that serves the dashboard without opening a browser', () => {
    const kdl = sb.mustCli(sb.coordinator, 'launch', '--print', '--dashboard');
    expect(kdl).toMatch(
      /pane name="DASHBOARD" cwd="[^"]+" command="sh" \{\n\s+args "-c" ".*dashboard --no-open;/,
    );
    expect(sb.mustCli(sb.coordinator, 'launch', '--print')).not.toContain('DASHBOARD');
    const tmux = sb.mustCli(
      sb.coordinator,
      'launch',
      '--print',
      '--multiplexer',
      'tmux',
      '--dashboard',
    );
    expect(tmux).toMatch(/tmux split-window -t \S+ -c \S+ 'sh -c .*dashboard --no-open;/);
  });
});

describe('status and the review flow', () => {
  const sb = coordinatorSandbox({ setup: true });
  const A = sb.lane('A-backend');
  const D = sb.lane('D-arch');

  it('refuses to refresh a dirty lane, or from a lane that is not a review lane', () => {
    sb.write(D, 'doc/governance/reviews/wip.md');
    const r = sb.cli(D, 'review', 'refresh', 'A-backend');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('uncommitted changes');
    rmSync(path.join(D, 'doc'), { recursive: true });
    expect(sb.cli(A, 'review', 'refresh', 'A-backend').stderr).toContain('run it in a review lane');
  });

  describe('after a review signed off (where test/lifecycle.test.ts’s review flow leaves it)', () => {
    beforeAll(() => {
      commit(sb, A, ['backend/1.ts']);
      claim(sb, A, 'A-backend', 'agent-a');
      sb.must(A, 'push', '-q', 'origin', 'agent/A-backend');
      sb.mustCli(D, 'review', 'refresh', 'A-backend');
      sb.mustCli(D, 'review', 'signoff', 'A-backend');
    });

    it('a new commit on the delivery branch is not signed off, and the review shows as behind', () => {
      commit(sb, A, ['backend/3.ts']);
      sb.must(A, 'push', '-q', 'origin', 'agent/A-backend');
      sb.must(D, 'fetch', '-q', 'origin');
      const s = statusJson(sb);
      expect(row(s, 'A-backend').signoffs).toEqual([]);
      expect(row(s, 'D-arch').reviewing).toEqual({ role: 'A-backend', behind: 1 });
      expect(s.actions.join('\n')).toContain('D-arch: review of A-backend is 1 commit behind');
    });
  });
});
