// Routes 13 and 14: where the local hooks are installed. A bare repository (a hub) is refused
// untouched; a repository moved to another folder, whose absolute core.hooksPath then names a
// directory that no longer exists (git runs no hook at all: fail open), is flagged by doctor and
// status and repaired by `doctor --repair`.
import { readFileSync, renameSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Sandbox } from '../../../src/demo/sandbox.js';
import { CLI, commit, world } from '../../helpers/world.js';
import { timeout } from '../../helpers/tier.js';

describe('route 13: install in a bare repository', () => {
  it(
    'route 13: `install` in a bare hub refuses (exit 2), changes nothing, points to guard pre-receive',
    () => {
      const sb = world();
      const config = path.join(sb.remote, 'config');
      const before = readFileSync(config, 'utf8');
      for (const args of [['install'], ['install', '--role', 'A-backend']]) {
        const r = sb.cli(sb.remote, ...args);
        expect(r.status).toBe(2);
        expect(r.stderr).toContain('is a bare repository');
        expect(r.stderr).toContain('guard pre-receive');
        expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
      }
      expect(readFileSync(config, 'utf8')).toBe(before);
      expect(sb.must(sb.remote, 'config', '--bool', 'core.bare')).toBe('true');
      expect(sb.git(sb.remote, 'config', 'core.hooksPath').stdout).toBe('');
      expect(sb.git(sb.remote, 'rev-parse', '--git-path', 'lanes-hooks').status).toBe(0);
    },
    timeout(180_000),
  );
});

describe('route 14: a repository moved to another folder', () => {
  it(
    'route 14: doctor and status flag the stale hooks path (git runs no hook: fail open), doctor --repair restores the rules',
    () => {
      const old = world(['A-backend']);
      const root = `${old.root}-moved`;
      renameSync(old.root, root);
      const sb = new Sandbox(root, CLI);
      const C = sb.coordinator;
      const A = sb.lane('A-backend');
      sb.must(C, 'worktree', 'repair', A);
      const stale = sb.must(C, 'config', 'core.hooksPath');
      expect(stale.startsWith(old.root + '/')).toBe(true);

      // doctor names the problem and the fix; status says the lane's hooks are not ok
      const d = sb.cli(A, 'doctor');
      expect(d.status).toBe(1);
      expect(d.stdout).toContain('which does not exist, outside this repository');
      expect(d.stdout).toMatch(/lanes-hooks'? doctor --repair/);
      // The printed command (the shim beside the hooks) runs in the moved repository too.
      const shim = /'([^']+\/bin\/lanes-hooks)' doctor --repair/.exec(d.stdout)![1]!;
      expect(shim.startsWith(root + '/')).toBe(true);
      expect(sb.run(A, shim, ['--version']).status).toBe(0);
      const lanes = JSON.parse(sb.mustCli(C, 'status', '--json')).lanes;
      const a = lanes.find((l: { role: string }) => l.role === 'A-backend');
      expect(a.hooks).toContain('doctor --repair');

      // the fact doctor guards against: with the hooks path gone, git runs no hook (fail open)
      const outOfScope = commit(sb, A, ['web/sneaky.html']);
      expect(outOfScope.status).toBe(0);
      sb.must(A, 'reset', '-q', '--hard', 'HEAD~1');

      const repaired = sb.cli(C, 'doctor', '--repair');
      expect(repaired.stdout).toContain('repaired the hooks of a moved repository');
      expect(sb.must(C, 'config', 'core.hooksPath')).toBe(
        path.join(
          sb.must(C, 'rev-parse', '--path-format=absolute', '--git-common-dir'),
          'lanes-hooks',
          'hooks',
        ),
      );
      expect(sb.cli(A, 'doctor').status).toBe(0);
      const r = commit(sb, A, ['web/sneaky.html']);
      expect(r.status).not.toBe(0);
      expect(r.stderr).toContain('refused by path-scope');
      sb.must(A, 'reset', '-q'); // the refused commit left the index as it was
      expect(commit(sb, A, ['backend/fine.ts']).status).toBe(0);
    },
    timeout(180_000),
  );
});
