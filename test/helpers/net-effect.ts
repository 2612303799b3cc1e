// The world of the net-effect routes (test/attacks/net-effect.test.ts keeps route 1, the fast
// cell of path-scope at the hub by net effect; test/deep/attacks/net-effect.test.ts holds the other
// routes): a bare hub running guard pre-receive, a coordinator and every lane by setup, and the
// tree and commit builders the routes forge their merges with.
import { spawnSync } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Sandbox } from '../../src/demo/sandbox.js';
import { claim, commit, tmpDir, HOOK_CLI } from './world.js';
import { coordinatorSandbox, fromTemplate } from './template.js';

const PRE_RECEIVE = `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(HOOK_CLI)} guard pre-receive\n`;

/** A hub with guard pre-receive, a coordinator and every lane by setup. */
export function hub(): Sandbox {
  // A copy of a template built once per run (helpers/template.ts).
  return fromTemplate(
    'net-effect hub',
    (sb) => {
      sb.createCoordinator();
      const hook = path.join(sb.remote, 'hooks', 'pre-receive');
      writeFileSync(hook, PRE_RECEIVE);
      chmodSync(hook, 0o755);
      sb.mustCli(sb.coordinator, 'setup');
    },
    tmpDir('lanes-net-'),
  );
}

export const tip = (sb: Sandbox, ref: string) =>
  sb.git(sb.remote, 'rev-parse', '-q', '--verify', ref).stdout.trim();

/** A tree made by hand (mktree does not check names): `files` maps a path to its content. */
export function mkTree(sb: Sandbox, dir: string, files: Record<string, string>): string {
  const here = new Map<string, string>();
  const sub = new Map<string, Record<string, string>>();
  for (const [p, text] of Object.entries(files)) {
    const at = p.indexOf('/');
    if (at < 0) here.set(p, text);
    else {
      const d = p.slice(0, at);
      sub.set(d, { ...(sub.get(d) ?? {}), [p.slice(at + 1)]: text });
    }
  }
  const entries: string[] = [];
  for (const [name, text] of here) {
    const r = spawnSync('git', ['hash-object', '-w', '--stdin'], {
      cwd: dir,
      env: sb.env,
      input: text,
    });
    entries.push(`100644 blob ${r.stdout.toString().trim()}\t${name}\n`);
  }
  for (const [name, inner] of sub) entries.push(`040000 tree ${mkTree(sb, dir, inner)}\t${name}\n`);
  const r = spawnSync('git', ['mktree'], { cwd: dir, env: sb.env, input: entries.join('') });
  if (r.status !== 0) throw new Error(`mktree: ${r.stderr}`);
  return r.stdout.toString().trim();
}

/** `base`'s tree with some paths set to the given revision's version, written or removed (null). */
export function treeFrom(
  sb: Sandbox,
  dir: string,
  base: string,
  changes: Record<string, { from: string } | string | null>,
): string {
  const env = {
    GIT_INDEX_FILE: path.join(sb.root, `index-${Math.random().toString(36).slice(2)}`),
  };
  const g = (...args: string[]) => {
    const r = sb.run(dir, 'git', args, env);
    if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
    return r.stdout.trim();
  };
  g('read-tree', base);
  for (const [p, c] of Object.entries(changes)) {
    if (c === null) g('update-index', '--force-remove', '--', p);
    else {
      const blob =
        typeof c === 'string'
          ? spawnSync('git', ['hash-object', '-w', '--stdin'], { cwd: dir, env: sb.env, input: c })
              .stdout.toString()
              .trim()
          : g('rev-parse', `${c.from}:${p}`);
      g('update-index', '--add', '--cacheinfo', `100644,${blob},${p}`);
    }
  }
  return g('write-tree');
}

export const commitTree = (
  sb: Sandbox,
  dir: string,
  tree: string,
  parents: string[],
  msg: string,
) => sb.must(dir, 'commit-tree', tree, ...parents.flatMap((p) => ['-p', p]), '-m', msg);

/**
 * The first describe's world: both lanes claimed, B-ui's fix merged into master (the file another
 * lane will try to revert), A-backend on the new master with one honest commit, not yet pushed.
 */
export function netEffectWorld() {
  // The run's setup template (helpers/template.ts; test/lifecycle.test.ts and
  // test/dashboard.test.ts copy it too), and the hub's guard written once the world is built
  // (hub() writes it before setup): the world's claims, sync, push and merge would each start it
  // (~0.7 CPU-s a push) to judge steps no test here is about. guard pre-receive only judges (it
  // writes nothing on the hub), so the hub's refs are what they would be with it (issue 29).
  const sb = coordinatorSandbox({ setup: true }, tmpDir('lanes-net-'));
  const A = sb.lane('A-backend');
  const B = sb.lane('B-ui');
  const C = sb.coordinator;
  const push = (dir: string, ...args: string[]) => sb.git(dir, 'push', '-q', ...args);
  const initial = sb.must(C, 'rev-parse', 'master');
  claim(sb, A, 'A-backend', 'agent-a');
  claim(sb, B, 'B-ui', 'agent-b');
  sb.mustCli(C, 'sync');
  sb.write(B, 'web/index.html', 'the B-ui fix\n');
  sb.must(B, 'commit', '-qam', 'B-ui: fix the page');
  sb.must(B, 'push', '-q', 'origin', 'agent/B-ui');
  sb.mustCli(C, 'merge', 'B-ui');
  const fixed = sb.must(C, 'rev-parse', 'master');
  sb.must(A, 'fetch', '-q', 'origin');
  sb.must(A, 'merge', '-q', '--ff-only', 'origin/master');
  commit(sb, A, ['backend/feature.ts']);
  const honest = sb.must(A, 'rev-parse', 'HEAD');
  /** Point the lane's branch (checked out in A) at `sha`. */
  const setA = (sha: string) => sb.must(A, 'reset', '-q', '--hard', sha);
  const hook = path.join(sb.remote, 'hooks', 'pre-receive');
  writeFileSync(hook, PRE_RECEIVE);
  chmodSync(hook, 0o755);
  return { sb, A, B, C, push, initial, fixed, honest, setA };
}
