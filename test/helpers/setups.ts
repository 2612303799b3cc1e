// Setup shared by a fast-tier file and its deep-tier half (issue 29: a file split between
// test/x.test.ts and test/deep/x.test.ts builds the same world in both, from here).
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Sandbox } from '../../src/demo/sandbox.js';
import { coordinatorSandbox } from './template.js';
import { claim, commit, world } from './world.js';

/** A coordinator with the first commit and no lanes-hooks installed (install.test.ts). */
export const bareCoordinator = (): Sandbox => coordinatorSandbox({ install: false });

/** The repository's local config, to compare before install and after uninstall. */
export const localConfig = (sb: Sandbox) => sb.must(sb.coordinator, 'config', '--local', '--list');

/**
 * scaffold.test.ts: a coordinator whose PATH has a zellij that only logs its arguments (the
 * launcher must hand it a layout, not start a terminal UI here), and `type` for a seed line.
 */
export function scaffoldWorld() {
  const sb = coordinatorSandbox();
  const bin = path.join(sb.root, 'bin');
  mkdirSync(bin);
  const zellijLog = path.join(sb.root, 'zellij.log');
  writeFileSync(path.join(bin, 'zellij'), `#!/bin/sh\necho "$@" >> '${zellijLog}'\n`);
  chmodSync(path.join(bin, 'zellij'), 0o755);
  const PATH = `${bin}:${process.env.PATH}`;
  /** A seed line, typed into a shell in `dir`. */
  const type = (dir: string, line: string, env: NodeJS.ProcessEnv = {}) =>
    sb.run(dir, 'sh', ['-c', line], { PATH, ...env });
  return { sb, C: sb.coordinator, zellijLog, type };
}

/** deep/queue.test.ts, claim-required: a lane, its push of agent/A-backend, and its own claim. */
export function claimRequiredWorld() {
  const w = world(['A-backend']);
  const A = () => w.lanes['A-backend']!;
  const push = () => w.git(A(), 'push', '-q', 'origin', 'agent/A-backend');
  const claim = (owner: string) =>
    w.mustCli(
      A(),
      'queue',
      'claim',
      '--role',
      'A-backend',
      '--owner',
      owner,
      '--branch',
      'agent/A-backend',
    );
  return { w, A, push, claim };
}

/**
 * review-lane.test.ts: lanes A-backend and D-arch with something to review (agent/A-backend claimed
 * and pushed) and master moved on since.
 */
export function reviewWorld() {
  const w = world(['A-backend', 'D-arch']);
  commit(w, w.lanes['A-backend']!, ['backend/feature.ts']);
  claim(w, w.coordinator, 'A-backend', 'agent-a');
  w.must(w.lanes['A-backend']!, 'push', '-q', 'origin', 'agent/A-backend');
  commit(w, w.coordinator, ['docs/master-moved.md']);
  w.must(w.coordinator, 'push', '-q', 'origin', 'master');
  return { w, D: () => w.lanes['D-arch']! };
}

/** The seed's review refresh, by hand: D-arch ends on review/A-backend at the delivery tip. */
export const SEED_REFRESH: string[][] = [
  ['fetch', '-q', 'origin'],
  ['rebase', '-q', 'origin/master'],
  ['fetch', '-q', 'origin', 'agent/A-backend'],
  ['branch', '-f', 'review/A-backend', 'origin/agent/A-backend'],
  ['switch', '-q', 'review/A-backend'],
];

/** Ways a user detaches HEAD in a review lane (the first in the fast tier, the rest deep). */
export const DETACHES: [string, string[][]][] = [
  ['git checkout <sha>', [['checkout', '-q', 'HEAD~1']]],
  [
    'git checkout FETCH_HEAD',
    [
      ['fetch', '-q', 'origin', 'master'],
      ['checkout', '-q', 'FETCH_HEAD'],
    ],
  ],
  ['git switch --detach', [['switch', '-q', '--detach']]],
  ['git checkout --detach origin/master', [['checkout', '-q', '--detach', 'origin/master']]],
];

/** Names a path-scope check must read exactly (commit-rules.test.ts). */
export const HOSTILE_NAMES = [
  'with space.ts',
  'new\nline.ts',
  `quo"te's.ts`,
  'ünïcødé-ÄÖ.ts',
  'glob[*]?{a,b}!.ts',
  '-leading-dash.ts',
  '.dotfile',
  'tab\there.ts',
  'back\\slash.ts',
  'zero\u200bwidth.ts',
];
