// Provenance: a commit made in a lane carries Lane:, Task: (the active claim's task) and Agent:
// (when an agent session is known), added by prepare-commit-msg from the shell without touching
// the user's text; where the config requires them, pre-push and the hub refuse commits without.
// The two cells of the coverage map (docs/testing.md); the author's trailers never replaced, the
// editor's forms, and status, merge and land showing them: test/deep/provenance.test.ts.
import { chmodSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hubWorld, refusedBy, SLOW, tip } from './attacks/hub.js';
import { HOOK_CLI } from './helpers/world.js';
import { useInProcessCli } from './helpers/in-process.js';

// The CLI steps run in this process (helpers/in-process.ts): the queue and sync around the
// trailers; the hooks that write and judge them, and the hub's guard, stay real processes started
// by git.
useInProcessCli();

describe('provenance trailers', () => {
  // The hub's guard is written once the world is built (issue 29): the world's three syncs would
  // each start it (~0.7 CPU-s a push) to judge what no test here asks about. guard pre-receive only
  // judges (it writes nothing on the hub), so the hub's refs are what they would be with it.
  const sb = hubWorld((cfg) => (cfg.trailers = { require: true }));
  const A = sb.addLane('A-backend');
  const C = sb.coordinator;
  const trace = path.join(sb.root, 'trace');
  const task = sb.mustCli(C, 'queue', 'add', 'Build the API', '--role', 'A-backend').trim();
  // The coordinator shares its task: a lane's sync carries only the lane's own entries (route a,
  // c354905), so a claim on an unshared task would wait behind it, off the hub.
  sb.mustCli(C, 'sync');
  sb.mustCli(
    A,
    'queue',
    'claim',
    '--role',
    'A-backend',
    '--owner',
    'agent-a',
    '--branch',
    'agent/A-backend',
    '--task',
    task,
  );
  sb.mustCli(A, 'sync');
  const guard = path.join(sb.remote, 'hooks', 'pre-receive');
  writeFileSync(
    guard,
    `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(HOOK_CLI)} guard pre-receive\n`,
  );
  chmodSync(guard, 0o755);
  /** No agent session inherited from whoever runs the tests. */
  const quiet: NodeJS.ProcessEnv = Object.fromEntries(
    Object.keys(process.env)
      .filter((k) => k.startsWith('CODEX_'))
      .concat(['CLAUDECODE', 'LANES_AGENT', 'GEMINI_CLI'])
      .map((k) => [k, '']),
  );
  const message = () => sb.must(A, 'log', '-1', '--format=%B');
  const commitIn = (file: string, msg: string, env: NodeJS.ProcessEnv = {}, ...flags: string[]) => {
    sb.write(A, file);
    sb.must(A, 'add', '--', file);
    return sb.run(A, 'git', ['commit', '-q', ...flags, '-m', msg], { ...quiet, ...env });
  };

  it('are added to a lane commit, after the untouched text, without starting Node', SLOW, () => {
    rmSync(trace, { force: true });
    const text =
      'feat: the API\n\nA body paragraph, kept as written:\n  an indented line,   spaces and all.';
    const r = commitIn('backend/api.ts', text, { CLAUDECODE: '1', LANES_HOOKS_TRACE: trace });
    expect(r.status, r.stderr).toBe(0);
    expect(message()).toBe(`${text}\n\nLane: A-backend\nTask: ${task}\nAgent: claude-code`);
    expect(existsSync(trace) ? readFileSync(trace, 'utf8') : '').toBe('');
  });

  it(
    'are required at pre-push and at the hub: a commit without them is refused by commit-trailers',
    SLOW,
    () => {
      const first = sb.git(A, 'push', '-q', 'origin', 'agent/A-backend');
      expect(first.status, first.stderr).toBe(0);
      const good = sb.must(A, 'rev-parse', 'HEAD');
      // A commit made with the hooks switched off carries no trailers.
      sb.write(A, 'backend/bare.ts');
      sb.must(A, 'add', '-A');
      sb.must(A, '-c', 'core.hooksPath=/dev/null', 'commit', '-q', '-m', 'bare');
      expect(message()).toBe('bare');
      let r = sb.git(A, 'push', '-q', 'origin', 'agent/A-backend');
      expect(refusedBy(r, 'commit-trailers', 'local')).toBe(null);
      expect(r.stderr).toContain(`Lane: A-backend and Task: <task>`);
      r = sb.git(A, 'push', '-q', '--no-verify', 'origin', 'agent/A-backend');
      expect(refusedBy(r, 'commit-trailers', 'hub')).toBe(null);
      expect(tip(sb, 'refs/heads/agent/A-backend')).toBe(good);
      sb.must(A, 'reset', '-q', '--hard', good);
    },
  );
});
