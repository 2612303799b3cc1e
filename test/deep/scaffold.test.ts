// init --scaffold beyond its main path (the deep tier, issue 29; the main path is
// test/scaffold.test.ts): the lane model's own command lines, typed verbatim, in order, in a
// sandbox — setup, launch, tick, claim, push, the review refresh, the merge sequence, promotion and
// the CI guard with its deliberate temporary override — through the wrappers it writes; a file
// that differs is never overwritten; the coordinator pane runs status --watch.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { commit } from '../helpers/world.js';
import { scaffoldWorld } from '../helpers/setups.js';

const { sb, C, zellijLog, type } = scaffoldWorld();
// What the main path (test/scaffold.test.ts) writes and commits: the scaffold's entry points.
sb.mustCli(C, 'init', '--scaffold');
sb.must(C, 'add', '-A');
sb.must(C, 'commit', '-q', '-m', 'the lane model entry points');
sb.must(C, 'push', '-q', 'origin', 'master');

describe('init --scaffold', () => {
  it('never overwrites a file that differs, says which, exits non-zero and writes nothing', () => {
    const other = path.join(sb.root, 'other');
    sb.must(sb.root, 'init', '-q', other);
    mkdirSync(path.join(other, 'scripts/ops'), { recursive: true });
    writeFileSync(path.join(other, 'scripts/ops/setup_agent_lanes.sh'), '#!/bin/sh\necho ours\n');
    const r = sb.cli(other, 'init', '--scaffold');
    expect(r.status).toBe(3);
    expect(r.stderr).toContain('scripts/ops/setup_agent_lanes.sh');
    expect(readFileSync(path.join(other, 'scripts/ops/setup_agent_lanes.sh'), 'utf8')).toBe(
      '#!/bin/sh\necho ours\n',
    );
    expect(sb.git(other, 'status', '--porcelain', '--untracked-files=all').stdout).not.toContain(
      'lanes.mk',
    );
  });

  it("runs the seed's command lines verbatim, in order", () => {
    const ok = (dir: string, line: string, env: NodeJS.ProcessEnv = {}) => {
      const r = type(dir, line, env);
      expect(r.status, `${line}\n${r.stderr}${r.stdout}`).toBe(0);
      return r;
    };
    // 4. Setup and launch helpers
    ok(C, 'bash scripts/ops/setup_agent_lanes.sh');
    const A = sb.lane('A-backend');
    const D = sb.lane('D-arch');
    // zellij needs a terminal: the line is typed into one (script(1) gives it a pty).
    ok(C, "script -qec 'bash scripts/ops/launch_agent_lanes.sh' /dev/null");
    expect(readFileSync(zellijLog, 'utf8')).toMatch(/--layout/);
    // 5.1 Delivery
    expect(ok(C, 'make orchestrator-tick').stdout).toContain('A-backend');
    ok(C, 'make queue-claim ROLE=A-backend OWNER=agent-a BRANCH=agent/A-backend');
    commit(sb, A, ['backend/feature.ts']);
    ok(A, 'git push -u origin agent/A-backend');
    // 5.2 Review, inside a review lane
    for (const line of [
      'git fetch origin',
      'git rebase origin/master',
      'git fetch origin agent/A-backend',
      'git branch -f review/A-backend origin/agent/A-backend',
      'git switch review/A-backend',
    ])
      ok(D, line);
    expect(sb.must(D, 'symbolic-ref', '--short', 'HEAD')).toBe('review/A-backend');
    // 5.4 Merge and promotion, in the coordinator
    for (const line of [
      'git checkout master',
      'git pull --ff-only origin master',
      'git merge --ff-only agent/A-backend',
      'git push origin master',
    ])
      ok(C, line);
    ok(C, 'scripts/ci/platform_control_promote_release_branch.sh origin/master');
    const master = sb.must(sb.remote, 'rev-parse', 'master');
    expect(sb.must(sb.remote, 'rev-parse', 'release/platform-control')).toBe(master);
    // The CI guard passes; a stray release fails it, unless a deliberate temporary override.
    ok(C, 'scripts/ci/platform_control_release_branch_guard.sh');
    sb.must(C, 'switch', '-q', '-c', 'hotfix');
    commit(sb, C, ['docs/hotfix.md']);
    sb.must(
      C,
      '-c',
      'core.hooksPath=/dev/null',
      'push',
      '-q',
      '-f',
      'origin',
      'hotfix:release/platform-control',
    );
    sb.must(C, 'fetch', '-q', 'origin');
    const guard =
      'scripts/ci/platform_control_release_branch_guard.sh --branch origin/release/platform-control';
    expect(type(C, guard).status).toBe(1);
    const until = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    ok(C, guard, { LANES_OVERRIDE: 'incident INC-1 rollback', LANES_OVERRIDE_UNTIL: until });
  });

  it('the make targets say what is missing', () => {
    const r = type(C, 'make queue-claim ROLE=A-backend');
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('OWNER= is required');
  });
});

describe('status --watch and the control room', () => {
  it('starts the coordinator pane with status --watch (zellij and tmux)', () => {
    const kdl = sb.mustCli(C, 'launch', '--print');
    expect(kdl).toMatch(
      /pane name="COORDINATOR" cwd=".*" command="sh" \{\n\s+args "-c" ".*status --watch/,
    );
    const tmux = sb.mustCli(C, 'launch', '--multiplexer', 'tmux', '--print');
    expect(tmux.split('\n')[0]).toContain('status --watch');
  });
});
