// How many fetches the commands that share the stores make (issues 29 and 31), counted from an
// strace of the real CLI: one per command. Before, a sync fetched each store alone (three), land
// fetched the branches and then the queue and the reviews (three), promote the branches and then
// the audit log (two). A budget is exact: a fetch added to any of them fails here.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hub } from '../attacks/hub.js';
import { traced } from '../helpers/proc-count.js';
import { needs, STRACE_PKG } from '../helpers/system-deps.js';
import { CLI, claimArgs, commit } from '../helpers/world.js';

describe.runIf(needs('the fetch budget', STRACE_PKG))('one fetch per command', () => {
  const sb = hub((cfg) => (cfg.reviews.required = ['D-arch']), { setup: true });
  const C = sb.coordinator;
  const A = sb.lane('A-backend');
  const D = sb.lane('D-arch');
  /** The git subcommands `lanes-hooks <args>` ran in `dir` itself (not its hooks nor the hub's). */
  const gitRuns = (dir: string, ...args: string[]) => {
    const { out, r } = traced(dir, process.execPath, [CLI, ...args], sb.env);
    expect(r.status, r.stderr).toBe(0);
    return readFileSync(out, 'utf8')
      .split('\n')
      .filter((l) => l.endsWith(' = 0') && l.includes('execve("/usr/bin/git"'))
      .map((l) => {
        const argv = [...l.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]!).slice(2);
        let i = 0;
        while (i < argv.length && argv[i]!.startsWith('-')) i += argv[i] === '-c' ? 2 : 1;
        return argv.slice(i).join(' ');
      });
  };
  const fetches = (runs: string[]) => runs.filter((c) => c.startsWith('fetch ')).length;

  it('sync of three stores (the hub has the queue only, then more), queue claim, land, promote', () => {
    sb.mustCli(C, 'queue', 'add', 'work', '--role', 'A-backend');
    expect(fetches(gitRuns(C, 'sync'))).toBe(1);
    expect(fetches(gitRuns(A, ...claimArgs('A-backend', 'alice', 'agent/A-backend', 'T1')))).toBe(
      1,
    );
    commit(sb, A, ['backend/api.ts']);
    sb.must(A, 'push', '-q', 'origin', 'agent/A-backend');
    sb.mustCli(D, 'review', 'refresh', 'A-backend');
    sb.mustCli(D, 'review', 'signoff', 'A-backend');
    const sync = gitRuns(D, 'sync');
    expect(fetches(sync)).toBe(1);
    // No store's tracking ref is read alone any more: one for-each-ref reads them all.
    expect(sync.filter((c) => c.startsWith('rev-parse') && c.includes('refs/lanes'))).toEqual([]);
    const land = gitRuns(C, 'land');
    expect(fetches(land)).toBe(1);
    expect(sb.must(sb.remote, 'rev-parse', 'master')).toBe(sb.must(A, 'rev-parse', 'HEAD'));
    expect(fetches(gitRuns(C, 'promote'))).toBe(1);
  });
});
