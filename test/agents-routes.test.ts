// release-branch-commit at the agent hook (issue 27's coverage map cell): a file tool's write in a
// worktree on the release branch, through the hook command install wrote, run by hand in a real
// repository. The routes around the agent layer (the compiled facts, the sub-agent records) are
// in test/deep/agents-routes-hooks.test.ts.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { routesWorld } from './helpers/agent-routes.js';

// A copy of the run's `setup --agent all` template (helpers/agent-routes.ts).
const { sb, C, write } = routesWorld({ allAgents: true });

describe('release-branch-commit at the agent hook (a file tool’s write on the release branch)', () => {
  it('refused in a worktree on the release branch, with the rule and the fix; the coordinator’s write on its own branch passes', () => {
    expect(sb.must(C, 'status', '--porcelain')).toBe('');
    // The coordinator may write anywhere on its own branch (no scope): the light entry allows.
    expect(write(C, 'backend/coordinator.ts')).toMatchObject({ status: 0, stderr: '' });
    sb.must(C, 'switch', '-q', 'release/platform-control');
    for (const file of ['docs/hotfix.md']) {
      const r = write(C, file);
      expect(r.status, file).toBe(2);
      expect(r.stderr).toMatch(/^lanes-hooks: refused by release-branch-commit/);
      expect(r.stderr).toContain(`Write of ${file}`);
      expect(r.stderr).toContain('release/platform-control is moved only by promotion');
      expect(r.stderr).toContain('fix:  git switch master');
      expect(existsSync(path.join(C, file))).toBe(false);
    }
    sb.must(C, 'switch', '-q', 'master');
    expect(write(C, 'backend/coordinator.ts')).toMatchObject({ status: 0, stderr: '' });
  });
});
