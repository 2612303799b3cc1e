// launch, status and the review flow, with real worktrees (and a real tmux): each command's main
// path. setup's is the demo tour's (test/demo.test.ts: every lane made, its role recorded); setup's
// second run, dry run, repairs and refusals, launch --dashboard, a refused refresh, a review that
// falls behind its delivery branch: test/deep/lifecycle.test.ts (issue 29).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Sandbox } from '../src/demo/sandbox.js';
import { claim, CLI, clean, commit, head, tmpDir } from './helpers/world.js';
import { coordinatorSandbox } from './helpers/template.js';
import { needs, TMUX } from './helpers/system-deps.js';
import { useInProcessCli } from './helpers/in-process.js';

// The CLI steps run in this process (helpers/in-process.ts); hooks and pushes stay real processes.
useInProcessCli();

// Without tmux the real-session check fails in CI and is noted in the summary here.
const hasTmux = needs('a real tmux session (test/lifecycle.test.ts)', TMUX);

const ROLES = ['A-backend', 'B-ui', 'C-ops', 'D-arch', 'E-governance'];

const statusJson = (sb: Sandbox, dir = sb.coordinator) =>
  JSON.parse(sb.mustCli(dir, 'status', '--json'));
const row = (s: { lanes: { role: string }[] }, role: string) =>
  s.lanes.find((l) => l.role === role) as Record<string, unknown>;

describe('launch', () => {
  const sb = coordinatorSandbox({ setup: true });

  it('--print gives a zellij layout with every lane, by default', () => {
    const kdl = sb.mustCli(sb.coordinator, 'launch', '--print');
    expect(kdl).toContain(`pane name="COORDINATOR" cwd=${JSON.stringify(sb.coordinator)}`);
    for (const r of ROLES)
      expect(kdl).toContain(`pane name="${r}" cwd=${JSON.stringify(sb.lane(r))}`);
  });

  it('--print --multiplexer tmux gives the commands', () => {
    const cmds = sb.mustCli(sb.coordinator, 'launch', '--print', '--multiplexer', 'tmux');
    for (const r of ROLES) expect(cmds).toContain(`-c ${sb.lane(r)}`);
  });

  it.runIf(hasTmux)(
    'starts a real tmux session with one pane per lane, each in its worktree',
    () => {
      const env = { TMUX_TMPDIR: tmpDir('lanes-tmux-'), TMUX: '' };
      const r = sb.run(
        sb.coordinator,
        process.execPath,
        [CLI, 'launch', '--multiplexer', 'tmux'],
        env,
      );
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      try {
        const panes = sb
          .run(
            sb.coordinator,
            'tmux',
            [
              'list-panes',
              '-t',
              'lanes-coordinator:lanes',
              '-F',
              '#{pane_current_path}|#{pane_title}',
            ],
            env,
          )
          .stdout.trim()
          .split('\n');
        expect(panes.map((p) => p.split('|')[0]).sort()).toEqual(
          [sb.coordinator, ...ROLES.map((x) => sb.lane(x))].sort(),
        );
        expect(panes.map((p) => p.split('|')[1]).sort()).toEqual(['COORDINATOR', ...ROLES].sort());
        expect(
          sb.run(sb.coordinator, process.execPath, [CLI, 'launch', '--multiplexer', 'tmux'], env)
            .stdout,
        ).toContain('already running');
      } finally {
        sb.run(sb.coordinator, 'tmux', ['kill-server'], env);
      }
    },
  );
});

describe('status and the review flow', () => {
  const sb = coordinatorSandbox({ setup: true });
  const A = sb.lane('A-backend');
  const D = sb.lane('D-arch');

  it('counts ahead, behind and dirty after real commits and edits', () => {
    commit(sb, A, ['backend/1.ts']);
    commit(sb, A, ['backend/2.ts']);
    sb.write(sb.lane('B-ui'), 'web/dirty-1.tsx');
    sb.write(sb.lane('B-ui'), 'web/index.html', 'edited\n');
    commit(sb, sb.coordinator, ['docs/moved.md']);
    sb.must(sb.coordinator, 'push', '-q', 'origin', 'master');
    const s = statusJson(sb, A);
    expect(row(s, 'A-backend')).toMatchObject({
      kind: 'delivery',
      branch: 'agent/A-backend',
      ahead: 2,
      behind: 1,
      dirty: 0,
      claim: null,
      hooks: 'ok',
    });
    expect(row(s, 'B-ui')).toMatchObject({ ahead: 0, behind: 1, dirty: 2 });
    expect(row(s, 'coordinator')).toMatchObject({ kind: 'coordinator', ahead: 0, behind: 0 });
    expect(row(s, 'A-backend').head).toBe(sb.must(A, 'rev-parse', 'HEAD'));
    expect(s.actions.join('\n')).toContain('A-backend: 1 commit behind origin/master');
    sb.must(sb.lane('B-ui'), 'checkout', '--', '.');
    sb.must(sb.lane('B-ui'), 'clean', '-qfd');
  });

  it('refresh twice ends on review/A-backend at the delivery tip with the lane branch rebased', () => {
    sb.must(A, 'rebase', '-q', 'origin/master');
    claim(sb, A, 'A-backend', 'agent-a');
    sb.must(A, 'push', '-q', 'origin', 'agent/A-backend');
    for (let i = 0; i < 2; i++) {
      const r = sb.cli(D, 'review', 'refresh', 'A-backend');
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(head(sb, D)).toBe('review/A-backend');
      expect(sb.must(D, 'rev-parse', 'HEAD')).toBe(
        sb.must(D, 'rev-parse', 'origin/agent/A-backend'),
      );
      expect(sb.must(D, 'merge-base', '--is-ancestor', 'origin/master', 'agent/D-arch')).toBe('');
    }
  });

  it('records findings and sign-offs against the reviewed SHA, shows them in status, and leaves the lane clean', () => {
    expect(
      sb.cli(D, 'review', 'finding', 'A-backend', 'naming is off', '--severity', 'minor').status,
    ).toBe(0);
    expect(sb.cli(D, 'review', 'signoff', 'A-backend').status).toBe(0);
    expect(clean(sb, D)).toBe(true);
    const tip = sb.must(A, 'rev-parse', 'HEAD');
    const s = statusJson(sb);
    expect(row(s, 'A-backend').signoffs).toEqual([{ role: 'D-arch', sha: tip }]);
    expect(s.actions.join('\n')).toContain('→ lanes-hooks land (in the coordinator');
    expect(sb.must(D, 'log', '--format=%s', 'refs/lanes/reviews')).toContain(
      'signoff: D-arch signs off A-backend',
    );
  });

  it('exports the findings as Markdown under reviews.dir', () => {
    const out = sb.mustCli(D, 'review', 'export');
    const file = path.join(D, 'doc/governance/reviews/A-backend.md');
    expect(out).toContain(file);
    const md = readFileSync(file, 'utf8');
    expect(md).toContain('minor: naming is off');
    expect(md).toContain('**signed off**');
  });
});
