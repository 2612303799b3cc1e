// The CLI surface: init and the schema it points to. Config errors (exit 2, one line each, no
// stack), other config formats and usage errors are in the deep tier (test/deep/cli.test.ts).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Sandbox } from '../src/demo/sandbox.js';
import { CLI, tmpDir } from './helpers/world.js';

describe('init and usage', () => {
  it('init writes the documented default and refuses to overwrite it', () => {
    const sb = new Sandbox(tmpDir(), CLI);
    sb.must(sb.root, 'init', '-q', 'repo');
    const dir = path.join(sb.root, 'repo');
    expect(sb.cli(dir, 'init').status).toBe(0);
    const written = JSON.parse(readFileSync(path.join(dir, '.lanesrc.json'), 'utf8'));
    expect(written).toMatchObject({
      integration: 'master',
      release: 'release/platform-control',
      remote: 'origin',
      worktrees: '../repo-{role}', // named after the repository
      branches: { role: 'agent/{role}', review: 'review/{role}' },
      shared: [],
      reviews: { dir: 'doc/governance/reviews', required: [] },
      queue: { requireClaim: true },
    });
    expect(Object.keys(written.roles)).toEqual([
      'A-backend',
      'B-ui',
      'C-ops',
      'D-arch',
      'E-governance',
    ]);
    expect(written.$schema).toContain('schema/lanesrc.schema.json');
    const again = sb.cli(dir, 'init');
    expect(again.status).toBe(2);
    expect(again.stderr).toContain('already exists');
  });

  it('the JSON Schema ships and knows every top-level key', () => {
    const schema = JSON.parse(readFileSync('schema/lanesrc.schema.json', 'utf8'));
    expect(Object.keys(schema.properties).sort()).toEqual([
      '$schema',
      'branches',
      'checks',
      'integration',
      'queue',
      'release',
      'remote',
      'reviews',
      'roles',
      'server',
      'shared',
      'trailers',
      'worktrees',
    ]);
    expect(schema.additionalProperties).toBe(false);
  });
});
