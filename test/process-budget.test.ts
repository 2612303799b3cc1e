// The process budget (docs/speed.md, "Process budget"): how many programs each hook may start in
// the common cases, counted with strace over real git commands in a real lane. A change that adds
// a process fails here until the budget (and the doc's table) says so. One case per hook here;
// the policy read after integration moves, a fetch and a rebase: test/deep/process-budget.test.ts.
import { readFileSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUDGET, budgetWorld } from './helpers/process-budget.js';
import type { HookCount } from './helpers/proc-count.js';
import { needs, STRACE_PKG } from './helpers/system-deps.js';
import { useInProcessCli } from './helpers/in-process.js';

// The world's and the tests' own lanes-hooks steps (queue, claim, sync) run in this process
// (helpers/in-process.ts): what is counted is the hooks git starts, under strace, which stay
// processes.
useInProcessCli();

describe.runIf(needs('the process budget', STRACE_PKG))('the process budget of each hook', () => {
  const { sb, C, A, count, commit } = budgetWorld();

  it('an in-scope commit in a lane: git’s own processes only, no Node', () => {
    commit('backend/warm.ts'); // the first run after setup may read the policy once
    expect(commit('backend/one.ts')).toEqual(BUDGET['in-scope commit']);
    expect(sb.must(A, 'log', '-1', '--format=%(trailers:key=Task,valueonly)')).toBe('T1');
  });

  it('a push of the lane branch under its claim', () => {
    sb.mustCli(C, 'sync');
    // A warm-up: the first push may compile in Node what the next ones read (in the deep tier,
    // after the policy went back, it recompiles it).
    count(A, 'push', '-q', 'origin', 'agent/A-backend');
    const prePush = (git: number): HookCount => ({ runs: 1, git, node: 0, other: [] });
    // The warm-up noted the claims index: a push lists the range and nothing else…
    commit('backend/five.ts');
    expect(count(A, 'push', '-q', 'origin', 'agent/A-backend')).toEqual(
      BUDGET['push of the lane branch'],
    );
    // …until the queue moves: the claims index is read once more (a second git), and noted.
    sb.mustCli(C, 'queue', 'add', 'yet more work', '--role', 'A-backend');
    commit('backend/six.ts');
    expect(count(A, 'push', '-q', 'origin', 'agent/A-backend')['pre-push']).toEqual(prePush(2));
    commit('backend/seven.ts');
    expect(count(A, 'push', '-q', 'origin', 'agent/A-backend')).toEqual(
      BUDGET['push of the lane branch'],
    );
  });

  // The fresh note (docs/speed.md, "The fresh note"): the first hook of a git command to find the
  // compiled policy fresh writes git's pid, and that command's later hooks skip comparing the
  // config files. How a stale policy could slip through it, each made a route here: a note left by
  // another command, and a config file written after the note within the same command.
  it('the fresh note is one git command’s: never another’s, nor taken after a config write', () => {
    const gd = sb.must(A, 'rev-parse', '--absolute-git-dir');
    const common = sb.must(A, 'rev-parse', '--path-format=absolute', '--git-common-dir');
    const wtConfig = path.join(gd, 'config.worktree');
    const before = readFileSync(wtConfig, 'utf8');
    const note = path.join(gd, 'lanes-hooks.fresh');
    commit('backend/noted.ts');
    expect(readFileSync(note, 'utf8')).toMatch(/^\d+\n$/);
    const future = new Date(Date.now() + 60_000);
    const past = new Date(Date.now() - 60_000);
    // Another command's note (pid 1), newer than everything: the worktree's config changes under
    // it with an old mtime, and the pre-commit still compares, finds the policy stale: Node.
    writeFileSync(note, '1\n');
    utimesSync(note, future, future);
    writeFileSync(wtConfig, `${before}# changed\n`);
    utimesSync(wtConfig, past, past);
    expect(commit('backend/other-command.ts')['pre-commit']).toMatchObject({ node: 1 });
    // Within one command: the hook chained after the lanes pre-commit (.git/hooks/pre-commit)
    // writes the worktree's config after the note; prepare-commit-msg compares again: Node.
    const chained = path.join(common, 'hooks', 'pre-commit');
    writeFileSync(
      chained,
      `#!/bin/sh\nprintf '# chained\\n' >> '${wtConfig}'\ntouch -d '+1 minute' '${wtConfig}'\n`,
      { mode: 0o755 },
    );
    try {
      const hooks = commit('backend/same-command.ts');
      expect(hooks['pre-commit']).toMatchObject({ node: 0 });
      expect(hooks['prepare-commit-msg']).toMatchObject({ node: 1 });
      // The limit the note states, and that it is one command's: the same write put back with an
      // old mtime is not seen by that command's later hooks (every hook of a commit is git's child:
      // the same $PPID), so prepare-commit-msg takes the note and starts no Node.
      writeFileSync(
        chained,
        `#!/bin/sh\nprintf '# chained again\\n' >> '${wtConfig}'\ntouch -d '-1 minute' '${wtConfig}'\n`,
        { mode: 0o755 },
      );
      const taken = commit('backend/same-command-old-mtime.ts');
      expect(taken['prepare-commit-msg']).toMatchObject({ node: 0 });
    } finally {
      writeFileSync(chained, '#!/bin/sh\nexit 0\n', { mode: 0o755 });
      writeFileSync(wtConfig, before);
    }
    expect(sb.must(A, 'log', '-1', '--format=%(trailers:key=Lane,valueonly)')).toBe('A-backend');
  });
});
