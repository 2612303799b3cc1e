// Test worlds: real repositories, real worktrees, hooks installed by the built CLI.
import { existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Sandbox } from '../../src/demo/sandbox.js';
import { configSchema, type LanesConfig } from '../../src/config/schema.js';
import type { Lane } from '../../src/lanes/resolve.js';
import { resolveLane } from '../../src/lanes/resolve.js';
import { COORDINATOR, fromLayer, type Layer } from './template.js';
import type { TestSandbox } from './in-process.js';

export const CLI = path.resolve('dist/lanes-hooks.mjs');
if (!existsSync(CLI))
  throw new Error('dist/lanes-hooks.mjs is missing: run `npm run build` (npm test does)');
/** The hook entry (scripts/build.mjs): what a hub's pre-receive runs, as hub install writes it. */
export const HOOK_CLI = path.resolve('dist/lanes-hooks-hook.mjs');

export function tmpDir(prefix = 'lanes-test-'): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * world(roles)'s template: the bare coordinator (COORDINATOR), then each lane added in order, each
 * layer on the one before (world(['A-backend', 'B-ui']) is world(['A-backend'])'s plus B-ui).
 */
export function worldLayer(roles: string[]): Layer {
  if (!roles.length)
    return { key: `world ${JSON.stringify(roles)}`, build: () => {}, base: COORDINATOR };
  const last = roles.at(-1)!;
  return {
    key: `world ${JSON.stringify(roles)}`,
    build: (t) => void t.addLane(last),
    base: worldLayer(roles.slice(0, -1)),
  };
}

/**
 * A coordinator with the default config and hooks, plus the named lanes (each added by
 * Sandbox.addLane, in order). A copy of a template built once per run (helpers/template.ts).
 */
export function world(roles: string[] = []): TestSandbox & { lanes: Record<string, string> } {
  const sb = fromLayer(worldLayer(roles)) as TestSandbox & { lanes: Record<string, string> };
  sb.lanes = {};
  for (const r of roles) sb.lanes[r] = sb.lane(r);
  return sb;
}

export const defaults = (over: Record<string, unknown> = {}): LanesConfig =>
  configSchema.parse(over);

export function laneFor(role: string | null, config = defaults(), isMain = false): Lane {
  return resolveLane(
    {
      worktreeId: 'wt',
      // The coordinator is the main worktree alone; any other role is bound to its path.
      isMain: isMain || role === 'coordinator',
      recordedRole: role,
      recordedFor: 'wt',
      recordedOwner: null,
      roleByPath: isMain || role === 'coordinator' ? null : role,
    },
    config,
  );
}

type Sb = Sandbox;

/** Stage `files` (written with their own names as content) and commit them. */
export function commit(
  sb: Sb,
  dir: string,
  files: string[],
  opts: { env?: NodeJS.ProcessEnv; flags?: string[] } = {},
) {
  for (const f of files) sb.write(dir, f);
  sb.must(dir, 'add', '--', ...files);
  return sb.run(
    dir,
    'git',
    ['commit', '-q', ...(opts.flags ?? []), '-m', `change ${files.length} files`],
    opts.env ?? {},
  );
}

/** Every ref and HEAD, and the index: what a refused operation must leave exactly as it was. */
export function snapshot(sb: Sb, dir: string): string {
  return [
    sb.must(dir, 'for-each-ref', '--format=%(refname) %(objectname)'),
    sb.git(dir, 'rev-parse', 'HEAD').stdout,
    sb.git(dir, 'symbolic-ref', '-q', 'HEAD').stdout,
    sb.must(dir, 'ls-files', '-s'),
  ].join('\n');
}

export const head = (sb: Sb, dir: string) =>
  sb.git(dir, 'symbolic-ref', '-q', '--short', 'HEAD').stdout.trim() || null;
export const clean = (sb: Sb, dir: string) => sb.must(dir, 'status', '--porcelain') === '';

/** Claim a lane branch in the queue (the precondition of every push of agent/<role>). */
export function claim(
  sb: Sb,
  dir: string,
  role = 'A-backend',
  owner = 'agent-a',
  branch = `agent/${role}`,
): string {
  return sb.mustCli(dir, ...claimArgs(role, owner, branch));
}

/** `queue claim`'s arguments for a lane's usual claim (claim() runs them), with a task if given. */
export function claimArgs(
  role = 'A-backend',
  owner = 'agent-a',
  branch = `agent/${role}`,
  task?: string,
): string[] {
  const args = ['queue', 'claim', '--role', role, '--owner', owner, '--branch', branch];
  return task === undefined ? args : [...args, '--task', task];
}
