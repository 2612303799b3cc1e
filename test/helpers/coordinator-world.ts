// coordinator.test.ts's worlds, shared by its fast half (test/coordinator.test.ts) and its deep half
// (test/deep/coordinator.test.ts, issue 29).
import { chmodSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Sandbox } from '../../src/demo/sandbox.js';
import { commit, HOOK_CLI } from './world.js';
import { hubWorld } from '../attacks/hub.js';
import type { TestSandbox } from './in-process.js';

/** Coordinator with lanes by setup; D-arch sign-off required. */
export function coordinated(): TestSandbox {
  // A copy of a template built once per run (helpers/template.ts): the one the hub-judges attacks
  // start from too (test/attacks/hub-judges.test.ts, there with the hub's guard written after).
  return hubWorld(
    (cfg) => {
      cfg.reviews = { ...cfg.reviews, required: ['D-arch'] };
    },
    { setup: true },
  );
}
export const remoteSha = (sb: Sandbox, ref: string) =>
  sb.git(sb.remote, 'rev-parse', '-q', '--verify', ref).stdout.trim();

/** merge: A-backend with a commit of its own, D-arch's sign-off required. */
export function mergeWorld() {
  const sb = coordinated();
  const A = sb.lane('A-backend');
  const D = sb.lane('D-arch');
  commit(sb, A, ['backend/feature.ts']);
  const merge = (dir = sb.coordinator) => sb.cli(dir, 'merge', 'A-backend');
  return { sb, A, D, merge };
}

/** guard release: release moved (by a push that skipped the hooks) to a commit off integration. */
export function strayRelease(sb: Sandbox): void {
  sb.must(sb.coordinator, 'switch', '-q', '-c', 'hotfix');
  commit(sb, sb.coordinator, ['hotfix.txt']);
  sb.must(
    sb.coordinator,
    '-c',
    'core.hooksPath=/dev/null',
    'push',
    '-q',
    '-f',
    'origin',
    'hotfix:release/platform-control',
  );
  sb.must(sb.coordinator, 'switch', '-q', 'master');
  sb.must(sb.coordinator, 'fetch', '-q', 'origin');
}

/** guard pre-receive: the hub runs the guard; `rogue` is a clone with no local hooks at all. */
export function preReceiveWorld() {
  const sb = coordinated();
  const hook = path.join(sb.remote, 'hooks', 'pre-receive');
  writeFileSync(
    hook,
    `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(HOOK_CLI)} guard pre-receive\n`,
  );
  chmodSync(hook, 0o755);
  // A clone with no local hooks at all: only the server stands in the way.
  const rogue = path.join(sb.root, 'rogue');
  sb.must(sb.root, 'clone', '-q', sb.remote, rogue);
  const push = (...args: string[]) => sb.git(rogue, 'push', '-q', 'origin', ...args);

  return { sb, rogue, push };
}
