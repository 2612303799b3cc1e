// Routes around the notes the shims keep in a lane's own git directory so that what they checked
// once is not checked again (src/hooks/shims.ts, src/hooks/compile.ts):
// - `lanes-hooks.claim-seen`: "<version> <queue sha> <branch> <owner>", pre-push's claim check
//   answered for that value of the queue ref;
// - `lanes-hooks.task-seen`: "<version> <queue sha> <branch> <task>", prepare-commit-msg's Task:;
// - `lanes-hooks.policy-seen`: "<ref> <sha>" lines, integration values found to hold the policy
//   the compiled fast path was made from.
// A lane writes them like any file of its git directory (a shell command, an agent's Bash). Each
// note says only what the lane could also say by writing the ref it stands for, or by
// `--no-verify`: the local hook IS fooled (each test shows it, no Node started), and the hub,
// which reads its own queue and its own integration's policy, is the barrier.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { nodeStartsIn } from '../../helpers/fast-path.js';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hub, refusedBy, SLOW, tip } from '../../attacks/hub.js';

/** A hub (config edited by `edit`), its coordinator, a B-ui lane, and what the tests read of it. */
function lane(edit: (cfg: Record<string, any>) => void) {
  const sb = hub(edit);
  const B = sb.addLane('B-ui');
  const C = sb.coordinator;
  const gd = sb.must(B, 'rev-parse', '--absolute-git-dir');
  const common = path.resolve(B, sb.must(B, 'rev-parse', '--git-common-dir'));
  const trace = path.join(sb.root, 'trace');
  /** A shell variable of the lane's compiled policy (what the shims key their notes with). */
  const compiled = (name: string) => {
    const text = readFileSync(path.join(gd, 'lanes-hooks.compiled.sh'), 'utf8');
    const m = new RegExp(`^${name}=(.*)$`, 'm').exec(text);
    if (!m) throw new Error(`no ${name} in the compiled policy`);
    return m[1]!.replace(/^'(.*)'$/, '$1');
  };
  /** The queue ref's value from its loose file, as lanes_queue_sha reads it. */
  const queueSha = () => readFileSync(path.join(common, 'refs/lanes/queue'), 'utf8').trim();
  const nodeStarts = () => nodeStartsIn(trace);
  const traced = (dir: string, args: string[]) => {
    rmSync(trace, { force: true });
    return sb.run(dir, 'git', args, { LANES_HOOKS_TRACE: trace, LANES_AGENT: '' });
  };
  const push = () => traced(B, ['push', '-q', 'origin', 'agent/B-ui']);
  const commitB = (file: string) => {
    sb.write(B, file);
    sb.must(B, 'add', '--', file);
    return traced(B, ['commit', '-q', '-m', `add ${file}`]);
  };

  /** B-ui claims `task` on its branch and syncs the claim to the hub. */
  const claimB = (task: string) => {
    sb.mustCli(
      B,
      'queue',
      'claim',
      '--role',
      'B-ui',
      '--owner',
      'agent-b',
      '--branch',
      'agent/B-ui',
      '--task',
      task,
    );
    sb.mustCli(B, 'sync');
  };

  return { sb, B, C, gd, compiled, queueSha, nodeStarts, push, commitB, claimB };
}

describe('forged claim-seen and policy-seen notes: the lane’s own hooks are fooled, the hub is not', () => {
  const { sb, B, C, gd, compiled, queueSha, nodeStarts, push, commitB, claimB } = lane(
    (cfg) => (cfg.reviews.policy = []),
  );
  // A queue exists (the loose ref the notes are keyed with); nothing in it is B-ui's.
  const task1 = sb.mustCli(C, 'queue', 'add', 'The B-ui form', '--role', 'B-ui').trim();
  sb.mustCli(C, 'sync');

  it(
    'claim-seen: a lane with no claim notes one; pre-push takes it, the hub refuses claim-required',
    SLOW,
    () => {
      expect(commitB('web/no-claim.tsx').status).toBe(0);
      // Honest first: without the note, the lane's pre-push asks Node, which refuses.
      let r = push();
      expect(refusedBy(r, 'claim-required', 'local')).toBeNull();
      expect(nodeStarts()).toContain('pre-push');
      // The forgery: the key lanes_claimed compares, for the queue as it is now.
      const owner = compiled('lanes_owner');
      writeFileSync(
        path.join(gd, 'lanes-hooks.claim-seen'),
        `${compiled('lanes_c_version')} ${queueSha()} agent/B-ui ${owner}\n`,
      );
      r = push();
      // The local hook is fooled: the shell took the push as claimed and started no Node…
      expect(nodeStarts()).toEqual([]);
      expect(r.stderr).not.toMatch(/^lanes-hooks: refused/m);
      // …and the hub, reading its own refs/lanes/queue, refuses it.
      expect(refusedBy(r, 'claim-required', 'hub')).toBeNull();
      expect(r.stderr).toContain('agent/B-ui');
      expect(tip(sb, 'refs/heads/agent/B-ui')).toBe('');
    },
  );

  it(
    'claim-seen after the claim ended: the note names the queue as it is after the release',
    SLOW,
    () => {
      claimB(task1);
      expect(push().status).toBe(0); // claimed: allowed, and noted
      const pushed = tip(sb, 'refs/heads/agent/B-ui');
      expect(pushed).toBe(sb.must(B, 'rev-parse', 'HEAD'));
      sb.mustCli(B, 'queue', 'release', '--branch', 'agent/B-ui');
      sb.mustCli(B, 'sync');
      expect(commitB('web/after-release.tsx').status).toBe(0);
      let r = push();
      expect(refusedBy(r, 'claim-required', 'local')).toBeNull(); // the queue moved: read again
      writeFileSync(
        path.join(gd, 'lanes-hooks.claim-seen'),
        `${compiled('lanes_c_version')} ${queueSha()} agent/B-ui ${compiled('lanes_owner')}\n`,
      );
      r = push();
      expect(nodeStarts()).toEqual([]); // fooled locally
      expect(refusedBy(r, 'claim-required', 'hub')).toBeNull();
      expect(tip(sb, 'refs/heads/agent/B-ui')).toBe(pushed);
      // Put the lane back under a claim for the next cases.
      claimB(task1);
      expect(push().status).toBe(0);
    },
  );

  it(
    'policy-seen: integration narrows the scope; the lane notes the new value as the old policy, commits and pushes out of scope; the hub refuses path-scope',
    SLOW,
    () => {
      // The coordinator takes e2e/** from B-ui and pushes the policy.
      const cfgFile = path.join(C, '.lanesrc.json');
      const cfg = JSON.parse(readFileSync(cfgFile, 'utf8'));
      cfg.roles['B-ui'].paths = ['web/**'];
      writeFileSync(cfgFile, JSON.stringify(cfg, null, 2));
      sb.must(C, 'commit', '-qam', 'B-ui: web only');
      sb.must(C, 'push', '-q', 'origin', 'master');
      const integration = sb.must(C, 'rev-parse', 'master');
      // The lane's compiled policy names the integration refs it was made from (lanes_ref lines).
      const refs = [
        ...readFileSync(path.join(gd, 'lanes-hooks.compiled.sh'), 'utf8').matchAll(
          /^ {2}lanes_ref '([^']+)' '[0-9a-f]*' \|\| lanes_same_policy/gm,
        ),
      ].map((m) => m[1]!);
      expect(refs.length).toBeGreaterThan(0);
      writeFileSync(
        path.join(gd, 'lanes-hooks.policy-seen'),
        refs.map((ref) => `${ref} ${sb.must(B, 'rev-parse', ref)}\n`).join(''),
      );
      expect(refs.map((ref) => sb.must(B, 'rev-parse', ref))).toContain(integration);
      // Fooled locally: the old scope (e2e/** still B-ui's) decides in sh, no Node.
      expect(commitB('e2e/narrowed-away.spec.ts').status).toBe(0);
      expect(nodeStarts()).toEqual([]);
      const before = tip(sb, 'refs/heads/agent/B-ui');
      const r = push();
      expect(nodeStarts()).toEqual([]);
      expect(refusedBy(r, 'path-scope', 'hub')).toBeNull();
      expect(r.stderr).toContain('e2e/narrowed-away.spec.ts');
      expect(tip(sb, 'refs/heads/agent/B-ui')).toBe(before);
      // Without the note the lane's own hooks read the new policy and refuse.
      sb.must(B, 'reset', '-q', '--hard', 'HEAD~1');
      rmSync(path.join(gd, 'lanes-hooks.policy-seen'));
      const honest = commitB('e2e/narrowed-away.spec.ts');
      expect(refusedBy(honest, 'path-scope', 'local')).toBeNull();
      expect(nodeStarts()).toContain('pre-commit');
    },
  );
});

describe('a forged task-seen note: a Task: trailer is what its author says', () => {
  const { sb, B, C, gd, compiled, queueSha, nodeStarts, push, commitB, claimB } = lane(
    (cfg) => (cfg.trailers = { require: true }),
  );
  // Two tasks: B-ui's, and another role's.
  const task1 = sb.mustCli(C, 'queue', 'add', 'The B-ui form', '--role', 'B-ui').trim();
  const task2 = sb.mustCli(C, 'queue', 'add', 'Another lane’s work', '--role', 'A-backend').trim();
  sb.mustCli(C, 'sync');
  // B-ui claims task1: its commits carry Task: task1.
  claimB(task1);

  it(
    'task-seen: a note naming another task gives the commit that Task:, as a hand-written trailer would; the hub asks only that there be one',
    SLOW,
    () => {
      expect(commitB('web/honest.tsx').status).toBe(0);
      expect(sb.must(B, 'log', '-1', '--format=%(trailers:key=Task,valueonly)').trim()).toBe(task1);
      writeFileSync(
        path.join(gd, 'lanes-hooks.task-seen'),
        `${compiled('lanes_c_version')} ${queueSha()} agent/B-ui ${task2}\n`,
      );
      expect(commitB('web/other-task.tsx').status).toBe(0);
      expect(nodeStarts()).toEqual([]);
      // The lane's claim is task1; its commit now says task2, another role's task.
      expect(sb.must(B, 'log', '-1', '--format=%(trailers:key=Task,valueonly)').trim()).toBe(task2);
      // The same without any note: an author's own Task: is kept by design (provenance test).
      sb.write(B, 'web/by-hand.tsx');
      sb.must(B, 'add', '--', 'web/by-hand.tsx');
      sb.must(B, 'commit', '-q', '-m', `by hand\n\nTask: ${task2}`);
      expect(sb.must(B, 'log', '-1', '--format=%(trailers:key=Task,valueonly)').trim()).toBe(task2);
      // commit-trailers asks for a Task: while the claim names a task, not for that task's id: a
      // Task: trailer is what its author says, never evidence of a claim (the hub's queue is).
      const r = push();
      expect(r.status, r.stderr).toBe(0);
      expect(tip(sb, 'refs/heads/agent/B-ui')).toBe(sb.must(B, 'rev-parse', 'HEAD'));
      rmSync(path.join(gd, 'lanes-hooks.task-seen'));
    },
  );
});

describe('forged compiled facts in the coordinator’s git directory (the common one, which every lane can write)', () => {
  it(
    'a lane rewrites the reused listing and system-config path: the coordinator’s Node hook still decides from the policy, carries the forgery no further than a forged sh would go, install asks git again, and the hub refuses',
    SLOW,
    () => {
      const sb = hub();
      const B = sb.addLane('B-ui');
      const C = sb.coordinator;
      // The coordinator's git dir is the common one: its compiled facts lie where lanes write.
      const common = path.resolve(B, sb.must(B, 'rev-parse', '--git-common-dir'));
      expect(path.resolve(C, sb.must(C, 'rev-parse', '--git-dir'))).toBe(common);
      const jsonFile = path.join(common, 'lanes-hooks.compiled.json');
      const honest = JSON.parse(readFileSync(jsonFile, 'utf8'));
      const listed = (j: any) =>
        (j.refs as any[]).filter((r) => typeof r.listing === 'string').map((r) => r.listing);
      expect(listed(honest).length).toBeGreaterThan(0);
      expect(honest.sysconfig).toMatch(/^\//);
      // The forgery, a plain file write from the lane (an agent's shell): what compile.ts reuses
      // instead of starting git (the listing of a ref still at the same commit, the system
      // config's path) now says something else.
      const laneConfig = path.join(B, 'lane-owned.gitconfig');
      writeFileSync(laneConfig, '');
      const forged = {
        ...honest,
        refs: honest.refs.map((r: any) =>
          typeof r.listing === 'string'
            ? { ...r, listing: '100644 blob forged\t.lanesrc.json' }
            : r,
        ),
        sysconfig: laneConfig,
      };
      writeFileSync(jsonFile, JSON.stringify(forged) + '\n');

      // A decision Node makes in the coordinator: a commit on the release branch.
      sb.must(C, 'switch', '-q', 'release/platform-control');
      sb.write(C, 'docs/on-release.md');
      sb.must(C, 'add', '--', 'docs/on-release.md');
      const r = sb.git(C, 'commit', '-q', '-m', 'on release');
      expect(refusedBy(r, 'release-branch-commit', 'local')).toBeNull();
      // The hook recompiled with what it reused: the forgery rides on into the coordinator's
      // compiled files, exactly as far as the lane could have written them itself (the sh too
      // lies in the common dir): no Node verdict reads either.
      const after = JSON.parse(readFileSync(jsonFile, 'utf8'));
      expect(after.sysconfig).toBe(laneConfig);
      expect(listed(after)).toContain('100644 blob forged\t.lanesrc.json');
      // Install (as setup and the after-shell check) asks git afresh: the forgery is gone.
      sb.mustCli(C, 'install');
      const repaired = JSON.parse(readFileSync(jsonFile, 'utf8'));
      expect(repaired.sysconfig).toBe(honest.sysconfig);
      expect(listed(repaired)).toEqual(listed(honest));
      expect(readFileSync(path.join(common, 'lanes-hooks.compiled.sh'), 'utf8')).not.toContain(
        'forged',
      );
      // And the hub, which reads none of it: the release commit made with every hook off is
      // refused there.
      const release = tip(sb, 'refs/heads/release/platform-control');
      sb.must(C, '-c', 'core.hooksPath=/dev/null', 'commit', '-q', '-m', 'on release, hooks off');
      const pushed = sb.git(
        C,
        '-c',
        'core.hooksPath=/dev/null',
        'push',
        '-q',
        'origin',
        'release/platform-control',
      );
      expect(refusedBy(pushed, 'release-exact-sha', 'hub')).toBeNull();
      expect(tip(sb, 'refs/heads/release/platform-control')).toBe(release);
    },
  );
});
