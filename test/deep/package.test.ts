// The published shape: `npm pack`, installed as a devDependency elsewhere, used through npx.
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Sandbox } from '../../src/demo/sandbox.js';
import { CLI, commit, tmpDir } from '../helpers/world.js';
import { coordinatorSandbox } from '../helpers/template.js';

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
    // init proposes roles from the repository's own folders; this test's lane is the reference
    // model's B-ui, at the path the config names (a role counts only at its configured path).
    const cfgFile = path.join(repo, '.lanesrc.json');
    const cfg = JSON.parse(readFileSync(cfgFile, 'utf8'));
    cfg.worktrees = '../gpuas-{role}';
    cfg.roles = { 'B-ui': { kind: 'delivery', paths: ['web/**'] } };
    writeFileSync(cfgFile, JSON.stringify(cfg, null, 2) + '\n');
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

describe('the package as npm packs it', () => {
  it('builds on prepack, ships LICENSE and the bundled packages’ notices, and no prepare script', () => {
    // A copy of the sources without dist/: `npm pack` alone must build.
    const src = tmpDir('lanes-src-');
    for (const p of ['src', 'scripts', 'schema', 'docs', 'examples'])
      cpSync(p, path.join(src, p), { recursive: true });
    for (const f of ['package.json', 'README.md', 'LICENSE', 'tsconfig.json'])
      cpSync(f, path.join(src, f));
    symlinkSync(path.resolve('node_modules'), path.join(src, 'node_modules'));
    const before = readFileSync(path.join(src, 'package.json'));
    const out = tmpDir('lanes-pack-');
    const pack = spawnSync('npm', ['pack', '--pack-destination', out], {
      cwd: src,
      encoding: 'utf8',
    });
    expect(pack.status, pack.stderr).toBe(0);
    // postpack put package.json back, byte for byte.
    expect(readFileSync(path.join(src, 'package.json')).equals(before)).toBe(true);
    expect(existsSync(path.join(src, '.package.json.prepack'))).toBe(false);

    const tgz = readdirSync(out).find((f) => f.endsWith('.tgz'))!;
    const files = spawnSync('tar', ['tzf', path.join(out, tgz)], { encoding: 'utf8' })
      .stdout.split('\n')
      .filter(Boolean);
    for (const f of [
      'dist/lanes-hooks.mjs',
      'dist/lanes-hooks-hook.mjs',
      'dist/agent-hook.mjs',
      'dist/agent-hook.cjs',
      'LICENSE',
      'THIRD-PARTY-NOTICES',
    ])
      expect(files).toContain(`package/${f}`);
    expect(files.filter((f) => f.includes('.package.json.prepack'))).toEqual([]);
    const read = (f: string) =>
      spawnSync('tar', ['xzf', path.join(out, tgz), '-O', `package/${f}`], { encoding: 'utf8' })
        .stdout;
    const pkg = JSON.parse(read('package.json'));
    expect(pkg.scripts.prepare).toBeUndefined();
    expect(pkg.files).toEqual(expect.arrayContaining(['LICENSE', 'THIRD-PARTY-NOTICES']));
    expect(read('LICENSE')).toContain('Copyright (c) 2026 the lanes-hooks authors');
    const notices = read('THIRD-PARTY-NOTICES');
    // Every package the bundle contains, with its license text.
    for (const name of ['zod', 'picomatch', 'cosmiconfig', 'js-yaml'])
      expect(notices).toMatch(
        new RegExp(
          `^${name}@\\d+\\.\\d+\\.\\d+ \\(MIT\\)\\n\\n.*(MIT|Permission is hereby granted)`,
          'ms',
        ),
      );
    expect(notices).not.toContain('simple-git');
  });

  it('a pack that failed half-way leaves package.json restorable by the next step', () => {
    const dir = tmpDir('lanes-src-');
    cpSync('scripts', path.join(dir, 'scripts'), { recursive: true });
    writeFileSync(path.join(dir, 'package.json'), '{ "stripped": true }\n');
    writeFileSync(path.join(dir, '.package.json.prepack'), '{ "original": true }\n');
    const r = spawnSync(process.execPath, ['scripts/pack.mjs', 'postpack'], { cwd: dir });
    expect(r.status).toBe(0);
    expect(readFileSync(path.join(dir, 'package.json'), 'utf8')).toBe('{ "original": true }\n');
    expect(existsSync(path.join(dir, '.package.json.prepack'))).toBe(false);
  });
});

describe('install says what it did', () => {
  it('"already current" when nothing changed; the coordinator named once', () => {
    const sb = coordinatorSandbox({ install: false });
    const first = sb.cli(sb.coordinator, 'install', '--role', 'coordinator');
    expect(first.stdout).toContain('lanes-hooks: hooks installed in');
    expect(first.stdout).toContain('  this worktree: coordinator\n');
    expect(first.stdout).not.toContain('coordinator (coordinator)');
    const again = sb.cli(sb.coordinator, 'install');
    expect(again.status).toBe(0);
    expect(again.stdout).toContain('lanes-hooks: hooks already current in');
    rmSync(path.join(sb.coordinator, '.git', 'lanes-hooks', 'hooks', 'pre-push'));
    expect(sb.cli(sb.coordinator, 'install').stdout).toContain('lanes-hooks: hooks updated in');
  });
});
