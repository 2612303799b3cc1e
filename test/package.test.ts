// The published shape: `npm pack`, installed as a devDependency elsewhere, used through npx.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Sandbox } from '../src/demo/sandbox.js';
import { CLI, commit, tmpDir } from './helpers/world.js';

describe('npm pack', () => {
  it('installs offline into another repository and governs lanes that have no node_modules', () => {
    const sb = new Sandbox(tmpDir(), CLI);
    const packDir = tmpDir('lanes-pack-');
    const pack = sb.run(process.cwd(), 'npm', [
      'pack',
      '--ignore-scripts',
      '--pack-destination',
      packDir,
    ]);
    expect(pack.status, pack.stderr).toBe(0);
    const tgz = readdirSync(packDir).find((f) => f.endsWith('.tgz'))!;

    const repo = path.join(sb.root, 'app');
    sb.must(sb.root, 'init', '-q', repo);
    sb.write(
      repo,
      'package.json',
      JSON.stringify({ name: 'app', version: '1.0.0', private: true }),
    );
    const i = sb.run(repo, 'npm', [
      'install',
      '--no-audit',
      '--no-fund',
      '--offline',
      '-D',
      path.join(packDir, tgz),
    ]);
    expect(i.status, i.stderr).toBe(0);
    const bin = path.join(repo, 'node_modules/.bin/lanes-hooks');
    expect(sb.run(repo, bin, ['init']).status).toBe(0);
    sb.write(repo, 'web/index.html');
    sb.write(repo, '.gitignore', 'node_modules/\n');
    sb.must(repo, 'add', '-A');
    sb.must(repo, 'commit', '-q', '-m', 'initial');
    const inst = sb.run(repo, 'npx', ['--no-install', 'lanes-hooks', 'install']);
    expect(inst.status, inst.stderr).toBe(0);

    const lane = path.join(sb.root, 'gpuas-B-ui');
    sb.must(repo, 'worktree', 'add', '-q', '-b', 'agent/B-ui', lane);
    expect(existsSync(path.join(lane, 'node_modules'))).toBe(false);
    expect(sb.run(lane, bin, ['install', '--role', 'B-ui']).status).toBe(0);
    expect(commit(sb, lane, ['web/a.tsx']).status).toBe(0);
    expect(commit(sb, lane, ['backend/a.ts']).stderr).toContain('refused by path-scope');
  });
});
