// A governed world for replaying histories: a bare hub whose pre-receive runs `guard pre-receive`
// (so pushes are really quarantined), a coordinator, and an A-backend lane with hooks installed by
// the built CLI. Each history is pushed twice: `--dry-run` with the lane's hooks (the pre-push
// verdict), then `--no-verify` into the hub (the server's verdict).
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { world, HOOK_CLI } from './world.js';
import {
  modelOffences,
  randomHistory,
  readTree,
  writeHistory,
  type Bias,
  type ModelCommit,
  type Tree,
} from './histories.js';

export type Replay = ReturnType<typeof world> & {
  laneDir: string;
  baseSha: string;
  baseTree: Tree;
  /** Integration's older commits (oldest first, a chain up to base) and their trees. */
  olderShas: string[];
  olderTrees: Tree[];
  /** Extra environment for every git command of the replay (hostile configuration). */
  extraEnv: NodeJS.ProcessEnv;
  /** Options in front of every git command of the replay (`-c key=value`). */
  gitOpts: string[];
};

export function replayWorld(extraEnv: NodeJS.ProcessEnv = {}, gitOpts: string[] = []): Replay {
  const w = world(['A-backend']) as Replay;
  w.extraEnv = extraEnv;
  w.gitOpts = gitOpts;
  // Older integration commits that differ from the tip inside and outside the scope: what a merge
  // with one of them can take back.
  w.write(w.coordinator, 'README.md', 'an older readme\n');
  w.write(w.coordinator, 'backend/app.ts', 'an older app\n');
  w.must(w.coordinator, 'commit', '-q', '-am', 'older integration 1');
  w.write(w.coordinator, 'web/index.html', 'a newer page\n');
  w.write(w.coordinator, 'web/a.tsx', 'a\n');
  w.write(w.coordinator, 'ops/deploy.sh', 'newer deploy\n');
  w.must(w.coordinator, 'add', '-A');
  w.must(w.coordinator, 'commit', '-q', '-m', 'older integration 2');
  // No claims in this suite: every verdict is path-scope's.
  const cfg = JSON.parse(w.must(w.coordinator, 'show', 'HEAD:.lanesrc.json'));
  cfg.queue = { requireClaim: false };
  w.write(w.coordinator, '.lanesrc.json', JSON.stringify(cfg, null, 2) + '\n');
  w.must(w.coordinator, 'commit', '-q', '-am', 'no claims in the differential suite');
  w.must(w.coordinator, 'push', '-q', 'origin', 'master');
  w.must(w.lanes['A-backend']!, 'fetch', '-q', 'origin');
  w.must(w.lanes['A-backend']!, 'merge', '-q', '--ff-only', 'origin/master');
  const hook = path.join(w.remote, 'hooks', 'pre-receive');
  writeFileSync(
    hook,
    `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(HOOK_CLI)} guard pre-receive\n`,
  );
  chmodSync(hook, 0o755);
  w.laneDir = w.lanes['A-backend']!;
  w.baseSha = w.must(w.laneDir, 'rev-parse', 'origin/master');
  w.baseTree = readTree(w.laneDir, w.baseSha, w.env);
  w.olderShas = w
    .must(w.laneDir, 'rev-list', '--reverse', '--first-parent', `${w.baseSha}~1`)
    .split('\n')
    .slice(-3);
  w.olderTrees = w.olderShas.map((sha) => readTree(w.laneDir, sha, w.env));
  return w;
}

export interface Outcome {
  seed: number;
  commits: number;
  merges: number;
  roots: number;
  oracle: boolean;
  /** Refused by the net effect alone: every commit in scope, the whole not. */
  netOnly: boolean;
  prePush: boolean;
  server: boolean;
}

/** Generate, write and push one history; the three verdicts (true: allowed). */
export function replayOne(w: Replay, seed: number, bias?: Bias): Outcome {
  return replayCommits(w, randomHistory(seed, w.baseTree, bias, w.olderTrees), seed);
}

/** Write and push a given history (a random one, or a scenario built by hand). */
export function replayCommits(w: Replay, commits: ModelCommit[], seed: number): Outcome {
  const shas = writeHistory(
    w.laneDir,
    commits,
    w.baseSha,
    'refs/fixtures/tip',
    {
      ...w.env,
      ...w.extraEnv,
    },
    seed,
    w.olderShas,
  );
  const offences = modelOffences(commits, w.baseTree, w.olderTrees);
  const refspec = '+refs/fixtures/tip:refs/heads/agent/A-backend';
  const git = (...args: string[]) =>
    w.run(w.laneDir, 'git', [...w.gitOpts, ...args], { LANES_OVERRIDE: '', ...w.extraEnv });
  const where = `seed ${seed}: oracle offences ${JSON.stringify(offences)}, commits ${JSON.stringify(shas)}`;
  // One push with the lane's hooks: refused by pre-push, or it reaches the hub and the hub decides.
  // Where pre-push refused, a second push without it (`--no-verify`) asks the hub alone.
  const first = git('push', '-q', 'origin', refspec);
  let prePush = true;
  let server = first.status === 0;
  let hub = first;
  if (first.status !== 0 && !first.stderr.includes('pre-receive hook declined')) {
    prePush = false;
    expect(first.stderr, `pre-push ${where}`).toContain('refused by path-scope');
    hub = git('push', '-q', '--no-verify', 'origin', refspec);
    server = hub.status === 0;
  }
  // A refusal must be path-scope's (not a crash, not another rule).
  if (!server)
    expect(hub.stderr, `server ${where}`).toContain('remote: lanes-hooks: refused by path-scope');
  else expect(hub.stderr, `server ${where}`).not.toContain('lanes-hooks');
  return {
    seed,
    commits: commits.length,
    merges: commits.filter((c) => c.parents.length > 1).length,
    roots: commits.filter((c) => !c.parents.length).length,
    oracle: offences.length === 0,
    netOnly: offences.length > 0 && offences.every((o) => o.startsWith('net ')),
    prePush,
    server,
  };
}

/**
 * CPU seconds used so far by this process and the children it has waited for (every git, hook and
 * Node process a replay starts): /proc/self/stat's utime, stime, cutime and cstime, in clock ticks
 * (100 per second on Linux). The suites print it per history, so that a costlier verdict path is
 * seen when it arrives whatever the machine's load (wall time says little on a shared machine).
 * null where /proc is absent.
 */
export function cpuSeconds(): number | null {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) / 100;
  } catch {
    return null;
  }
}

/** "1.23 CPU-s per history" over `n` histories since `start` (cpuSeconds()), or ''. */
export function cpuPerHistory(start: number | null, n: number): string {
  const now = cpuSeconds();
  return start === null || now === null || !n
    ? ''
    : `, ${((now - start) / n).toFixed(2)} CPU-s per history`;
}
