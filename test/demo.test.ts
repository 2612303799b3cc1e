import { describe, expect, it } from 'vitest';
import { Sandbox } from '../src/demo/sandbox.js';
import { CLI, tmpDir } from './helpers/world.js';

describe('demo', () => {
  it(
    'walks the sandbox tour and every step behaves as the policy says',
    { timeout: 180_000 },
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
      expect(r.stdout).toContain('every step behaved as the policy says');
    },
  );
});
