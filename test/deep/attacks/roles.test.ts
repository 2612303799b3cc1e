// Route 1: a lane makes itself the coordinator. One ordinary command in the lane
// (`git config --worktree lanes.role coordinator`) used to make every local layer treat it as the
// coordinator. A role is now bound to where the committed config puts it (LANES-SPEC §3): the
// coordinator is the main worktree alone, and a recorded role counts only at its `worktrees` path.
// Each way a lane could forge that binding (its worktree config, a copied config.worktree, a role
// of another lane, GIT_DIR/GIT_WORK_TREE, an uncommitted .lanesrc.json) is a case here.
import { claudeTerms } from '../../helpers/claude-terms.js';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, commit } from '../../helpers/world.js';
import { hub, local, refusedBy, SLOW } from '../../attacks/hub.js';

describe('a lane cannot grant itself a role', () => {
  const sb = hub(undefined, { setup: true });
  const C = sb.coordinator;
  const B = sb.lane('B-ui');
  const brief = (dir: string) => JSON.parse(sb.mustCli(dir, 'brief', '--json')) as { role: string };
  const status = () =>
    (JSON.parse(sb.mustCli(C, 'status', '--json')) as { lanes: { role: string; path: string }[] })
      .lanes;
  const claudeWrite = (dir: string, file: string) => {
    const payload = path.join(sb.root, `payload-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(
      payload,
      JSON.stringify({
        session_id: 's',
        transcript_path: '/dev/null',
        cwd: dir,
        hook_event_name: 'PreToolUse',
        tool_name: 'Write',
        tool_input: { file_path: path.join(dir, file), content: '{}' },
        tool_use_id: 't',
      }),
    );
    // Claude Code's entry answers in its JSON decision shape: read back as exit-code terms.
    return claudeTerms(
      sb.run(dir, 'sh', [
        '-c',
        `${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} agent-hook claude < ${JSON.stringify(payload)}`,
      ]),
    );
  };

  it('route 1: lanes.role=coordinator in a lane counts for nothing, at every layer', SLOW, () => {
    sb.must(B, 'config', '--worktree', 'lanes.role', 'coordinator');
    try {
      expect(brief(B).role).toBe('B-ui');
      const doctor = sb.cli(B, 'doctor');
      expect(doctor.stdout + doctor.stderr).toContain(
        'lanes.role="coordinator" is recorded in a linked worktree: the coordinator is the main worktree alone: ignored',
      );
      // The agent hook (the compiled fast path and the full CLI) keeps the lane's scope.
      expect(claudeWrite(B, '.lanesrc.json').status).toBe(2);
      // pre-commit: the widened config is out of B-ui's scope.
      const cfg = JSON.parse(sb.must(C, 'show', 'master:.lanesrc.json'));
      cfg.roles['B-ui'].paths.push('**');
      sb.write(B, '.lanesrc.json', JSON.stringify(cfg, null, 2));
      sb.must(B, 'add', '.lanesrc.json');
      expect(refusedBy(sb.git(B, 'commit', '-qm', 'widen'), 'path-scope', 'local')).toBeNull();
      // reference-transaction: even a commit made past pre-commit cannot become master.
      sb.must(B, 'commit', '-q', '--no-verify', '-m', 'widen');
      const master = local(sb, C, 'refs/heads/master');
      const moved = sb.git(B, 'update-ref', 'refs/heads/master', 'HEAD');
      expect(refusedBy(moved, 'integration-ff-only', 'local')).toBeNull();
      expect(local(sb, C, 'refs/heads/master')).toBe(master);
      // The coordinator's status sees the B-ui lane, not a second coordinator.
      expect(status().filter((l) => l.role === 'coordinator')).toHaveLength(1);
      sb.must(B, 'reset', '-q', '--hard', 'HEAD~1');
    } finally {
      sb.must(B, 'config', '--worktree', 'lanes.role', 'B-ui');
    }
  });

  it(
    'install --role refuses a role the worktree is not bound to (exit 2, with the fix)',
    SLOW,
    () => {
      for (const role of ['coordinator', 'A-backend']) {
        const r = sb.cli(B, 'install', '--role', role);
        expect(r.status, role).toBe(2);
        expect(r.stderr).not.toMatch(/\n\s+at /);
        expect(r.stderr, role).toMatch(role === 'coordinator' ? /main worktree alone/ : /setup/);
      }
      expect(sb.must(B, 'config', '--worktree', '--get', 'lanes.role')).toBe('B-ui');
      const inMain = sb.cli(C, 'install', '--role', 'B-ui');
      expect(inMain.status).toBe(2);
      expect(inMain.stderr).toContain('the main worktree (the coordinator)');
      expect(sb.cli(B, 'install', '--role', 'B-ui').status).toBe(0);
    },
  );

  it('a role recorded for a worktree outside its configured path makes it no lane', SLOW, () => {
    // Forge the binding by hand: lanes.role plus the worktree's own id in lanes.worktree.
    const stray = path.join(sb.root, 'stray');
    sb.must(C, 'worktree', 'add', '-q', '-b', 'stray', stray, 'master');
    const id = path.basename(sb.must(stray, 'rev-parse', '--git-dir'));
    sb.must(stray, 'config', '--worktree', 'lanes.role', 'A-backend');
    sb.must(stray, 'config', '--worktree', 'lanes.worktree', id);
    expect(brief(stray).role).toBeNull();
    expect(refusedBy(commit(sb, stray, ['backend/x.ts']), 'lane-unassigned', 'local')).toBeNull();
    sb.must(stray, 'config', '--worktree', 'lanes.role', 'coordinator');
    expect(refusedBy(commit(sb, stray, ['backend/y.ts']), 'lane-unassigned', 'local')).toBeNull();
    expect(status().find((l) => l.path.endsWith('/stray'))?.role).toBe('unassigned');
  });

  it('GIT_DIR=<coordinator>/.git with the lane as work tree is not the coordinator', SLOW, () => {
    const env = { GIT_DIR: path.join(C, '.git'), GIT_WORK_TREE: B };
    const master = local(sb, C, 'refs/heads/master');
    sb.write(B, 'web/borrowed.tsx');
    expect(sb.run(B, 'git', ['add', 'web/borrowed.tsx'], env).status).toBe(0);
    const r = sb.run(B, 'git', ['commit', '-qm', 'borrowed'], env);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/refused by (lane-branch|integration-ff-only)/);
    expect(local(sb, C, 'refs/heads/master')).toBe(master);
    sb.must(C, 'reset', '-q');
  });
});
