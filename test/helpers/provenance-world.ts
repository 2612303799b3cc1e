// The provenance trailers' world, one for both tiers (test/provenance.test.ts holds the coverage
// map's two cells, test/deep/provenance.test.ts the whole sequence): a hub with trailers required,
// lane A-backend holding a claim on one task, shared on the hub; the hub's guard written once the
// world is built (issue 29: the world's syncs would each start it to judge what no test here asks
// about; guard pre-receive only judges, so the hub's refs are what they would be with it).
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { guard, hubWorld, refusedBy, tip } from '../attacks/hub.js';
import { claimArgs } from './world.js';

export type ProvenanceWorld = ReturnType<typeof provenanceWorld>;

export function provenanceWorld() {
  const sb = hubWorld((cfg) => (cfg.trailers = { require: true }));
  const A = sb.addLane('A-backend');
  const C = sb.coordinator;
  const trace = path.join(sb.root, 'trace');
  const task = sb.mustCli(C, 'queue', 'add', 'Build the API', '--role', 'A-backend').trim();
  // The coordinator shares its task: a lane's sync carries only the lane's own entries (route a,
  // c354905), so a claim on an unshared task would wait behind it, off the hub.
  sb.mustCli(C, 'sync');
  sb.mustCli(A, ...claimArgs('A-backend', 'agent-a', 'agent/A-backend', task));
  sb.mustCli(A, 'sync');
  guard(sb);
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
  return { sb, A, C, trace, task, quiet, message, commitIn };
}

// The coverage map's two cells, run by both tiers' files (the deep file's later tests count the
// commits these make).

/** "are added to a lane commit, after the untouched text, without starting Node" */
export function trailersAdded({ trace, task, message, commitIn }: ProvenanceWorld): void {
  rmSync(trace, { force: true });
  const text =
    'feat: the API\n\nA body paragraph, kept as written:\n  an indented line,   spaces and all.';
  const r = commitIn('backend/api.ts', text, { CLAUDECODE: '1', LANES_HOOKS_TRACE: trace });
  expect(r.status, r.stderr).toBe(0);
  expect(message()).toBe(`${text}\n\nLane: A-backend\nTask: ${task}\nAgent: claude-code`);
  expect(existsSync(trace) ? readFileSync(trace, 'utf8') : '').toBe('');
}

/** "are required at pre-push and at the hub: a commit without them is refused by commit-trailers" */
export function trailersRequired({ sb, A, message }: ProvenanceWorld): void {
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
}
