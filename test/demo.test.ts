import { describe, expect, it } from 'vitest';
import { Sandbox } from '../src/demo/sandbox.js';
import { CLI, tmpDir } from './helpers/world.js';

describe('demo', () => {
  it(
    'walks the sandbox tour and every step behaves as the policy says',
    { timeout: 300_000 },
    () => {
      const sb = new Sandbox(tmpDir(), CLI);
      const r = sb.cli(sb.root, 'demo', `${sb.root}/tour`);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(r.stdout).not.toContain('✘');
      for (const rule of [
        'path-scope',
        'integration-ff-only',
        'release-branch-commit',
        'review-detached-head',
        'lane-branch',
        'lane-unassigned',
      ]) {
        expect(r.stdout).toContain(rule);
      }
      // The coordinator's day: an overlapping claim refused, the radar, land, the carry-over.
      const day = r.stdout.slice(r.stdout.indexOf("the coordinator's day"));
      expect(day).toContain('T1 is claimed by agent-a on agent/A-backend');
      expect(day).toContain('conflicts with C-ops on shared/theme.json');
      expect(day).toContain('B-ui and C-ops conflict on shared/theme.json');
      expect(day).toMatch(/waits: B-ui: .*rebase requested/);
      expect(day).toMatch(/waits: C-ops: .*rebase requested/);
      expect(day).toMatch(/D-arch's sign-off of \w+ carried over to \w+/);
      expect(day).toMatch(/waits: C-ops: no sign-off from D-arch for \w+/);
      for (const role of ['A-backend', 'B-ui', 'C-ops']) expect(day).toContain(`landed ${role} at`);
      expect(r.stdout).toContain('every step behaved as the policy says');
    },
  );
});
