// install / uninstall / doctor with real repositories, beyond each command's main path (the deep
// tier, issue 29; the main paths are test/install.test.ts): husky, idempotence, an unknown role,
// a GUI PATH without node, fail closed without the hook entry (and the hooks decide without the
// CLI's copy: they start the entry), an install from before the entry, a shadowed hooksPath, and
// Node started only when a decision needs it.
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, commit, head, HOOK_CLI, tmpDir, world } from '../helpers/world.js';
import {
  bareCoordinator,
  DETACHES,
  localConfig,
  reviewWorld,
  SEED_REFRESH,
} from '../helpers/setups.js';
import { HOOK_ENTRY, RUNTIME } from '../../src/bundle-files.js';

const HUSKY = path.resolve('node_modules/husky/bin.js');

describe('coexisting with hooks that were there before', () => {
  it("runs husky's hooks too, governs a fresh worktree where .husky/_ is missing, and gives husky back its hooksPath", () => {
    const sb = bareCoordinator();
    const marker = path.join(sb.root, 'husky-marker');
    const h = sb.run(sb.coordinator, process.execPath, [HUSKY]);
    expect(h.status).toBe(0);
    expect(sb.must(sb.coordinator, 'config', 'core.hooksPath')).toBe('.husky/_');
    sb.write(sb.coordinator, '.husky/pre-commit', `echo husky >> '${marker}'\n`);

    sb.mustCli(sb.coordinator, 'install');
    expect(commit(sb, sb.coordinator, ['docs/x.md']).status).toBe(0);
    expect(readFileSync(marker, 'utf8')).toBe('husky\n');

    const lane = sb.addLane('A-backend');
    expect(existsSync(path.join(lane, '.husky/_'))).toBe(false);
    expect(commit(sb, lane, ['web/x.tsx']).stderr).toContain('refused by path-scope');

    sb.mustCli(sb.coordinator, 'uninstall');
    expect(sb.must(sb.coordinator, 'config', 'core.hooksPath')).toBe('.husky/_');
    expect(commit(sb, sb.coordinator, ['docs/y.md']).status).toBe(0);
    expect(readFileSync(marker, 'utf8')).toBe('husky\nhusky\n');
  });

  it('is idempotent and never chains to itself', () => {
    const w = world();
    const state = () =>
      readFileSync(path.join(w.coordinator, '.git/lanes-hooks/install.json'), 'utf8');
    const shim = () =>
      readFileSync(path.join(w.coordinator, '.git/lanes-hooks/hooks/pre-commit'), 'utf8');
    const [s1, h1] = [state(), shim()];
    w.mustCli(w.coordinator, 'install');
    w.mustCli(w.coordinator, 'install');
    expect(state()).toBe(s1);
    expect(shim()).toBe(h1);
    expect(JSON.parse(s1).previousHooks).toBe(path.join(w.coordinator, '.git/hooks'));
  });

  it('refuses an unknown role, changing nothing', () => {
    const sb = bareCoordinator();
    const before = localConfig(sb);
    const r = sb.cli(sb.coordinator, 'install', '--role', 'Z-nobody');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('not a role of the config');
    expect(localConfig(sb)).toBe(before);
  });
});

describe('hooks run where node is not on PATH, and fail closed without their runtime', () => {
  it('enforces from a GUI-like PATH that has git but no node', () => {
    const w = world(['A-backend']);
    const bin = path.join(w.root, 'gui-bin');
    mkdirSync(bin);
    symlinkSync('/usr/bin/git', path.join(bin, 'git'));
    const gui = { PATH: bin };
    w.write(w.lanes['A-backend']!, 'web/gui.tsx');
    w.must(w.lanes['A-backend']!, 'add', '-A');
    const r = w.run(
      w.lanes['A-backend']!,
      '/usr/bin/git',
      ['commit', '-q', '-m', 'from a GUI'],
      gui,
    );
    expect(r.stderr).toContain('refused by path-scope');
    w.must(w.lanes['A-backend']!, 'reset', '-q', '--hard');
    w.write(w.lanes['A-backend']!, 'backend/gui.ts');
    w.must(w.lanes['A-backend']!, 'add', '-A');
    expect(
      w.run(w.lanes['A-backend']!, '/usr/bin/git', ['commit', '-q', '-m', 'from a GUI'], gui)
        .status,
    ).toBe(0);
  });

  it('with Node gone, allows only what the compiled policy decides, refuses the rest, and uninstall still works', () => {
    const w = world(['A-backend']);
    const A = w.lanes['A-backend']!;
    // Node uninstalled: the recorded binary is gone, and PATH has git but no node.
    const hooks = path.join(w.coordinator, '.git/lanes-hooks/hooks');
    for (const h of readdirSync(hooks)) {
      const file = path.join(hooks, h);
      writeFileSync(
        file,
        readFileSync(file, 'utf8').replace(/^node=.*$/m, "node='/gone/bin/node'"),
      );
    }
    const bin = path.join(w.root, 'no-node-bin');
    mkdirSync(bin);
    symlinkSync('/usr/bin/git', path.join(bin, 'git'));
    const noNode = { env: { PATH: bin } };

    expect(commit(w, A, ['backend/decided-in-shell.ts'], noNode).status).toBe(0);
    const before = w.must(A, 'rev-parse', 'HEAD');
    const r = commit(w, A, ['web/needs-node.tsx'], noNode);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('Node.js (not found)');
    expect(r.stderr).toContain('Repair: npx lanes-hooks install');
    expect(r.stderr).toContain('npx lanes-hooks uninstall');
    expect(w.must(A, 'rev-parse', 'HEAD')).toBe(before);
    const push = w.run(A, 'git', ['push', '-q', 'origin', 'agent/A-backend'], { PATH: bin });
    expect(push.status).not.toBe(0); // no claim: only Node could say so, and Node is gone
    expect(push.stderr).toContain('Refused, to stay safe');

    w.mustCli(w.coordinator, 'uninstall');
    expect(w.git(w.coordinator, 'config', '--get', 'core.hooksPath').status).toBe(1);
    expect(w.run(A, 'git', ['commit', '-q', '-m', 'no hooks now'], { PATH: bin }).status).toBe(0);
  });

  it('refuses governed operations when the hook entry is gone or empty, names it, doctor says so, install repairs', () => {
    const w = world(['A-backend']);
    const A = w.lanes['A-backend']!;
    const entry = path.join(w.coordinator, '.git/lanes-hooks', HOOK_ENTRY);
    // Gone, and cut short (Node would run an empty file as a no-op, exit 0: an allow).
    for (const [i, breakIt] of [() => rmSync(entry), () => writeFileSync(entry, '')].entries()) {
      breakIt();
      // In scope: the compiled policy would allow it in sh, but without the file Node runs
      // nothing is decided in sh either (lanes_fast), and the shim names the file it runs.
      const before = w.must(A, 'rev-parse', 'HEAD');
      const r = commit(w, A, [`backend/ok-${i}.ts`]);
      expect(r.status).not.toBe(0);
      expect(r.stderr).toContain(`or ${entry} is missing.`);
      expect(w.must(A, 'rev-parse', 'HEAD')).toBe(before);
      expect(r.stderr).toContain('Refused, to stay safe');
      expect(r.stderr).toContain('npx lanes-hooks install');
      const d = w.cli(A, 'doctor');
      expect(d.status).toBe(1);
      expect(d.stdout).toContain(
        `the hook entry, which the git hooks start when a decision needs Node, ${entry} is`,
      );
      w.mustCli(A, 'install', '--role', 'A-backend');
      expect(readFileSync(entry).equals(readFileSync(HOOK_CLI))).toBe(true);
      expect(w.git(A, 'commit', '-q', '-m', 'now').status).toBe(0);
      expect(w.must(A, 'rev-parse', 'HEAD')).not.toBe(before);
    }
  });
});

describe('the hooks start the hook entry, not the whole CLI', () => {
  it("decide a refusal and undo a review lane's detached HEAD with the CLI's copy gone; doctor names the copy", () => {
    const { w, D } = reviewWorld();
    const A = w.lanes['A-backend']!;
    const runtime = path.join(w.coordinator, '.git/lanes-hooks', RUNTIME);
    rmSync(runtime);
    const r = commit(w, A, ['web/x.tsx']);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('refused by path-scope');
    w.must(A, 'reset', '-q', '--hard');
    // post-checkout: Node undoes the detach (the first of DETACHES needs the review branch).
    for (const args of SEED_REFRESH) w.must(D(), ...args);
    let last = { status: 0, stderr: '' };
    for (const c of DETACHES[0]![1]) last = w.git(D(), ...c);
    expect(last.stderr).toContain('review-detached-head');
    expect(head(w, D())).toBe('review/A-backend');
    // bin/lanes-hooks and the agents' hook commands still run the CLI's copy: doctor says it is gone.
    const d = w.cli(A, 'doctor');
    expect(d.status).toBe(1);
    expect(d.stdout).toContain(`the hooks' runtime ${runtime} is missing`);
    w.mustCli(A, 'install', '--role', 'A-backend');
    expect(existsSync(runtime)).toBe(true);
  });

  // The route around it: the entry lives in the common git dir, which a lane writes. A lane that
  // puts a no-op there passes its own hooks (as with the CLI's copy before); doctor, run from the
  // package, names the changed copy, and the hub's guard never runs a lane's files
  // (test/server.test.ts: a push with the local hooks skipped is judged there all the same).
  it('a hook entry replaced by a lane passes its own hooks; doctor names the other build', () => {
    const w = world(['A-backend']);
    const A = w.lanes['A-backend']!;
    const entry = path.join(w.coordinator, '.git/lanes-hooks', HOOK_ENTRY);
    writeFileSync(entry, 'process.exit(0);\n');
    expect(commit(w, A, ['web/through.tsx']).status).toBe(0);
    const d = w.cli(A, 'doctor');
    expect(d.status).toBe(1);
    expect(d.stdout).toContain('the hooks run another build of lanes-hooks than this one');
  });

  it('install refuses a CLI without its hook entry beside it, changing nothing', () => {
    const sb = bareCoordinator();
    const before = localConfig(sb);
    const lone = path.join(tmpDir(), RUNTIME);
    copyFileSync(CLI, lone);
    const r = sb.run(sb.coordinator, process.execPath, [lone, 'install']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(
      `the hook entry ${JSON.stringify(path.join(path.dirname(lone), HOOK_ENTRY))} is missing beside the CLI`,
    );
    expect(r.stderr).toContain('Nothing was changed');
    expect(localConfig(sb)).toBe(before);
    expect(existsSync(path.join(sb.coordinator, '.git/lanes-hooks'))).toBe(false);
  });

  it('an install that predates the hook entry keeps working on the CLI, and install moves it over', () => {
    const w = world(['A-backend']);
    const A = w.lanes['A-backend']!;
    const base = path.join(w.coordinator, '.git/lanes-hooks');
    // What such an install left: shims that start lanes-hooks.mjs, and no hook entry beside it.
    const hooks = path.join(base, 'hooks');
    for (const h of readdirSync(hooks)) {
      const file = path.join(hooks, h);
      writeFileSync(file, readFileSync(file, 'utf8').replaceAll(HOOK_ENTRY, RUNTIME));
    }
    rmSync(path.join(base, HOOK_ENTRY));
    // The full CLI still runs `hook <name>`: its shims decide as before.
    expect(commit(w, A, ['backend/sh.ts']).status).toBe(0);
    const r = commit(w, A, ['web/x.tsx']);
    expect(r.stderr).toContain('refused by path-scope');
    w.must(A, 'reset', '-q', '--hard');
    // doctor tells which, and the fix (install) writes the entry and the shims that name it.
    const d = w.cli(A, 'doctor');
    expect(d.status).toBe(1);
    expect(d.stdout).toContain('was changed by hand');
    expect(d.stdout).toContain(`${path.join(base, HOOK_ENTRY)} is missing`);
    w.mustCli(A, 'install', '--role', 'A-backend');
    expect(readFileSync(path.join(base, 'hooks/pre-commit'), 'utf8')).toContain(
      `"$base/${HOOK_ENTRY}" hook "$hook"`,
    );
    expect(w.cli(A, 'doctor').status).toBe(0);
    expect(commit(w, A, ['web/y.tsx']).stderr).toContain('refused by path-scope');
  });
});

describe('doctor', () => {
  const w = world(['A-backend', 'D-arch']);

  it('notices when another tool set core.hooksPath after install (shadowed), and install chains it', () => {
    w.must(w.coordinator, 'config', 'core.hooksPath', '.husky/_');
    const r = w.cli(w.lanes['D-arch']!, 'doctor');
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('core.hooksPath was set to ".husky/_" in .git/config after install');
    expect(w.must(w.coordinator, 'rev-parse', '--git-path', 'hooks')).toBe(
      path.join(w.coordinator, '.git/lanes-hooks/hooks'),
    );
    w.mustCli(w.coordinator, 'install');
    expect(w.cli(w.lanes['D-arch']!, 'doctor').status).toBe(0);
  });

  it('flags an unassigned worktree', () => {
    const dir = path.join(w.root, 'loose');
    w.must(w.coordinator, 'worktree', 'add', '-q', dir);
    const r = w.cli(dir, 'doctor');
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('no lane role');
  });
});

describe('Node starts only when a decision needs it', () => {
  it('a 30-commit rebase in a lane and a fetch of many refs start no Node at all', () => {
    const w = world(['A-backend']);
    const A = w.lanes['A-backend']!;
    for (let i = 0; i < 30; i++) {
      w.write(A, `backend/f${i}.ts`);
      w.must(A, '-c', 'core.hooksPath=/dev/null', 'add', '-A');
      w.must(A, '-c', 'core.hooksPath=/dev/null', 'commit', '-q', '-m', `c${i}`);
    }
    commit(w, w.coordinator, ['docs/moved.md']);
    const trace = path.join(w.root, 'trace');
    const r = w.run(A, 'git', ['rebase', '-q', 'master'], { LANES_HOOKS_TRACE: trace });
    expect(r.status).toBe(0);
    // Picks are HEAD-only moves of a rebase in progress, and the final move of agent/A-backend is
    // the lane's own branch, which the compiled policy allows in shell.
    expect(existsSync(trace)).toBe(false);

    const master = w.must(w.coordinator, 'rev-parse', 'master');
    const creates = Array.from(
      { length: 50 },
      (_, i) => `create refs/heads/topic/${i} ${master}\n`,
    ).join('');
    w.run(w.coordinator, 'sh', ['-c', `printf '${creates}' | git update-ref --stdin`]);
    w.must(w.coordinator, 'push', '-q', 'origin', 'refs/heads/topic/*:refs/heads/topic/*');
    expect(w.run(A, 'git', ['fetch', '-q', 'origin'], { LANES_HOOKS_TRACE: trace }).status).toBe(0);
    expect(existsSync(trace)).toBe(false);
  });
});
