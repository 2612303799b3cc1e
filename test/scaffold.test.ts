// init --scaffold: the lane model's own command lines, typed verbatim, in order, in a sandbox —
// setup, launch, tick, claim, push, the review refresh, the merge sequence, promotion and the CI
// guard with its deliberate temporary override — through the wrappers it writes.
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { referenceConfigText } from '../src/config/schema.js';
import { CLI, commit } from './helpers/world.js';
import { coordinatorSandbox } from './helpers/template.js';

const sb = coordinatorSandbox();
const C = sb.coordinator;
// zellij stands in for itself: the launcher must hand it a layout, not start a terminal UI here.
const bin = path.join(sb.root, 'bin');
mkdirSync(bin);
const zellijLog = path.join(sb.root, 'zellij.log');
writeFileSync(path.join(bin, 'zellij'), `#!/bin/sh\necho "$@" >> '${zellijLog}'\n`);
chmodSync(path.join(bin, 'zellij'), 0o755);
const PATH = `${bin}:${process.env.PATH}`;
/** A seed line, typed into a shell in `dir`. */
const type = (dir: string, line: string, env: NodeJS.ProcessEnv = {}) =>
  sb.run(dir, 'sh', ['-c', line], { PATH, ...env });

describe('init --scaffold', () => {
  it('writes the entry points, includes lanes.mk from a new Makefile, and a second run changes nothing', () => {
    const first = sb.cli(C, 'init', '--scaffold');
    expect(first.status).toBe(0);
    expect(first.stdout).toContain('wrote scripts/ops/setup_agent_lanes.sh');
    expect(readFileSync(path.join(C, 'Makefile'), 'utf8')).toBe('include lanes.mk\n');
    const again = sb.cli(C, 'init', '--scaffold');
    expect(again.stdout).not.toContain('wrote');
    expect(again.stdout).toContain('Makefile: already includes lanes.mk');
    sb.must(C, 'add', '-A');
    sb.must(C, 'commit', '-q', '-m', 'the lane model entry points');
    sb.must(C, 'push', '-q', 'origin', 'master');
  });

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

describe('the reference configuration', () => {
  it('ships at the repository root as the same document init writes', () => {
    const shipped = JSON.parse(readFileSync('.lanesrc.json', 'utf8'));
    const written = JSON.parse(referenceConfigText());
    expect(shipped.$schema).toBe('./schema/lanesrc.schema.json');
    expect(written.$schema).toBe('./node_modules/lanes-hooks/schema/lanesrc.schema.json');
    expect({ ...shipped, $schema: null }).toEqual({ ...written, $schema: null });
  });
});

describe('status --watch and the control room', () => {
  it('prints plain repeated refreshes off a terminal and stops cleanly on Ctrl-C (SIGINT)', async () => {
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, [CLI, 'status', '--watch', '--interval', '0.2'], {
      cwd: C,
      env: sb.env,
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const code = await new Promise<number | null>((resolve) => {
      const poll = setInterval(() => {
        if (out.split('lanes-hooks status --watch').length > 2) {
          clearInterval(poll);
          child.kill('SIGINT');
        }
      }, 50);
      child.on('exit', (c) => resolve(c));
    });
    expect(code).toBe(0);
    expect(out).not.toContain('\u001b[2J'); // no screen clearing into a pipe
    expect(out.split('lanes-hooks status --watch').length).toBeGreaterThan(2);
    expect(out).toContain('A-backend');
  });

  it('starts the coordinator pane with status --watch (zellij and tmux)', () => {
    const kdl = sb.mustCli(C, 'launch', '--print');
    expect(kdl).toMatch(
      /pane name="COORDINATOR" cwd=".*" command="sh" \{\n\s+args "-c" ".*status --watch/,
    );
    const tmux = sb.mustCli(C, 'launch', '--multiplexer', 'tmux', '--print');
    expect(tmux.split('\n')[0]).toContain('status --watch');
  });
});
