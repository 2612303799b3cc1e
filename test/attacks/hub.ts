// A bare hub running guard pre-receive, with a coordinator; `edit` changes the committed config.
import { chmodSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { Sandbox, type RunResult } from '../../src/demo/sandbox.js';
import { HOOK_CLI } from '../helpers/world.js';
import type { TestSandbox } from '../helpers/in-process.js';
import { committedDefault, editedConfig, fromTemplate } from '../helpers/template.js';

const PRE_RECEIVE = `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(HOOK_CLI)} guard pre-receive\n`;

export function hub(
  edit: (cfg: Record<string, any>) => void = () => {},
  opts: { hook?: boolean; setup?: boolean } = {},
): TestSandbox {
  if (opts.hook === false) return hubWorld(edit); // a host without server hooks (GitHub)
  const sb = hubWorld(edit, { setup: opts.setup });
  guard(sb);
  return sb;
}

/**
 * Install guard pre-receive as the hub's hook. Written after the copy, not in the template: one
 * template serves guarded and unguarded hubs alike (test/helpers/coordinator-world.ts). A hook is
 * a file: writing it runs nothing.
 */
export function guard(sb: Sandbox): void {
  const hook = path.join(sb.remote, 'hooks', 'pre-receive');
  writeFileSync(hook, PRE_RECEIVE);
  chmodSync(hook, 0o755);
}

/**
 * Run `steps` with the hub's guard set aside (and put back after): state a test needs on the hub
 * whose passage through the guard is another test's subject. A guarded push costs about 0.7 CPU-s
 * (a Node start and some 19 git processes, issue 29).
 */
export function unguarded<T>(sb: Sandbox, steps: () => T): T {
  const hook = path.join(sb.remote, 'hooks', 'pre-receive');
  renameSync(hook, `${hook}.off`);
  try {
    return steps();
  } finally {
    renameSync(`${hook}.off`, hook);
  }
}

/** Git's own `-c core.hooksPath=/dev/null`: no lanes-hooks hook runs for this one git command. */
export const NO_HOOKS = ['-c', 'core.hooksPath=/dev/null'];

/**
 * The environment that turns every hook off for all the git commands a CLI step runs
 * (GIT_CONFIG_COUNT, git-config(1) "ENVIRONMENT"): for setup steps whose hooks are not the subject.
 */
export const NO_HOOKS_ENV = {
  GIT_CONFIG_COUNT: '1',
  GIT_CONFIG_KEY_0: 'core.hooksPath',
  GIT_CONFIG_VALUE_0: '/dev/null',
};

/**
 * The hub's world with no pre-receive hook: a coordinator whose committed config `edit` changed
 * (commit "server config", pushed), and with `setup`, every lane of that config by setup.
 * (hub() with `hook: false` never ran setup: the deep files that ask for both get none, as before.)
 */
export function hubWorld(
  edit: (cfg: Record<string, any>) => void = () => {},
  opts: { setup?: boolean } = {},
): TestSandbox {
  // A copy of a template (helpers/template.ts) keyed by the edited config and the options.
  const cfg = editedConfig(edit);
  const key = `attacks hub ${JSON.stringify(cfg)} setup=${!!opts.setup}`;
  return fromTemplate(key, (sb) => {
    sb.createCoordinator();
    committedDefault(sb);
    sb.write(sb.coordinator, '.lanesrc.json', JSON.stringify(cfg, null, 2));
    sb.must(sb.coordinator, 'commit', '-qam', 'server config');
    sb.must(sb.coordinator, 'push', '-q', 'origin', 'master');
    if (opts.setup) sb.mustCli(sb.coordinator, 'setup');
  });
}

/** Slow machines (git and Node per step): every attack test gets room. */
export const SLOW = { timeout: 240_000 };

/** A ref's value on the hub ('' when absent). */
export const tip = (sb: Sandbox, ref: string) =>
  sb.git(sb.remote, 'rev-parse', '-q', '--verify', ref).stdout.trim();

/** A ref's value in the local repository ('' when absent). */
export const local = (sb: Sandbox, dir: string, ref: string) =>
  sb.git(dir, 'rev-parse', '-q', '--verify', ref).stdout.trim();

/** `git push` as `user` (the identity an ssh forced command would set; null: none). */
export const pushAs = (sb: Sandbox, user: string | null, dir: string, ...args: string[]) =>
  sb.run(dir, 'git', ['push', '-q', ...args], user ? { LANES_PUSHER: user } : {});

/** A store commit made by hand (what a forger would push): `files` on top of `parent`. */
export function forge(
  sb: Sandbox,
  dir: string,
  parent: string | null,
  files: Record<string, string>,
): string {
  const entries = Object.entries(files).map(([name, text]) => {
    const file = path.join(sb.root, `blob-${Math.random().toString(36).slice(2)}`);
    writeFileSync(file, text);
    return `100644 blob ${sb.must(dir, 'hash-object', '-w', file)}\t${name}\n`;
  });
  const r = spawnSync('git', ['mktree'], { cwd: dir, env: sb.env, input: entries.join('') });
  return sb.must(
    dir,
    'commit-tree',
    r.stdout.toString().trim(),
    ...(parent ? ['-p', parent] : []),
    '-m',
    'forged',
  );
}

/** Refused by `rule`, in the lane's own hooks (`local`) or by the hub (`remote: `). */
export function refusedBy(r: RunResult, rule: string, where: 'local' | 'hub'): string | null {
  if (r.status === 0) return 'it succeeded';
  const line =
    where === 'hub' ? `remote: lanes-hooks: refused by ${rule}` : `lanes-hooks: refused by ${rule}`;
  if (!r.stderr.includes(line)) return `no "${line}" in: ${r.stderr}`;
  if (where === 'local' && /^remote: /m.test(r.stderr))
    return `the hub refused it, not the lane: ${r.stderr}`;
  return null;
}
