// lanes-hooks hub install <bare-repo>: a bare repository becomes a lanes hub in one command.
// - the guard's file, the hook entry (dist/lanes-hooks-hook.mjs), is copied into <hub>/lanes-hooks/
//   (the hub keeps the version it was given: no node_modules to vanish under it, nothing a pusher
//   can reach);
// - hooks/pre-receive runs `guard pre-receive` from it; a pre-receive already there (gitolite's
//   or the admin's) is kept as hooks/pre-receive.before-lanes and runs first with the same input;
//   gitolite users keep theirs by installing into the repository's own hooks/ (gitolite leaves a
//   repository's pre-receive alone: only `update` and `post-update` are its own);
// - the policy source and the identity source are pinned in the hub's own config file
//   (lanes.integration or lanes.config; lanes.identitySource), the only config the guard reads;
// - the hub's policy is read once, so a hub that cannot read it is said now, not on a push.
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { envWithoutGitRepo, git, gitMaybe } from '../git/exec.js';
import { INTEGRATION_PIN } from '../lanes/policy.js';
import { shellQuote } from '../util/sh.js';
import { UserError } from '../util/errors.js';
import { writeFileAtomic } from '../util/fs.js';
import type { LanesConfig } from '../config/schema.js';
import { identitiesConfigured, IDENTITY_SOURCES } from './identity.js';
import { hubPolicy } from './policy.js';

export const IDENTITY_PIN = 'lanes.identitySource';
const MARK = '# lanes-hooks hub install';
const CHAINED = 'pre-receive.before-lanes';

export interface HubInstallOptions {
  integration?: string;
  config?: string;
  identity?: string;
}

export interface HubInstallResult {
  hub: string;
  lines: string[];
}

/** `runtime.bundle`: the file the hook runs (the hook entry), copied into the hub. */
export function hubInstall(
  repo: string,
  o: HubInstallOptions,
  runtime: { node: string; bundle: string },
): HubInstallResult {
  const hub = path.resolve(repo);
  const env = envWithoutGitRepo();
  if (gitMaybe(['rev-parse', '--is-bare-repository'], { cwd: hub, env }) !== 'true')
    throw new UserError(
      `hub install: ${hub} is not a bare git repository (a hub is: git init --bare)`,
    );
  if (o.identity && !(IDENTITY_SOURCES as readonly string[]).includes(o.identity))
    throw new UserError(
      `hub install: --identity ${JSON.stringify(o.identity)} is none of ${IDENTITY_SOURCES.join(', ')}`,
    );
  if (o.config && !existsSync(o.config))
    throw new UserError(`hub install: --config ${o.config}: no such file`);
  const lines: string[] = [];
  const dir = path.join(hub, 'lanes-hooks');
  mkdirSync(dir, { recursive: true });
  // The hook entry (dist/lanes-hooks-hook.mjs: guard pre-receive and nothing it does not load), in
  // the same hub-owned folder the whole bundle used to be copied to: no easier to swap than that.
  // Written whole and renamed into place: a push that starts meanwhile runs the old file or the
  // new one, never an empty one (which Node runs as a no-op, exit 0: an allow).
  let code: Buffer;
  try {
    code = readFileSync(runtime.bundle);
  } catch (e) {
    throw new UserError(
      `hub install: cannot read the guard's file ${runtime.bundle} (${(e as Error).message}): reinstall lanes-hooks`,
    );
  }
  if (!code.length)
    throw new UserError(
      `hub install: the guard's file ${runtime.bundle} is empty: reinstall lanes-hooks`,
    );
  const bundle = path.join(dir, path.basename(runtime.bundle));
  writeFileAtomic(bundle, code, 0o644);
  lines.push(`guard: ${bundle}`);

  const hooks = path.join(hub, 'hooks');
  mkdirSync(hooks, { recursive: true });
  const hook = path.join(hooks, 'pre-receive');
  if (existsSync(hook) && !readFileSync(hook, 'utf8').includes(MARK)) {
    renameSync(hook, path.join(hooks, CHAINED));
    lines.push(`kept the pre-receive that was there: hooks/${CHAINED} runs first`);
  }
  // The input is read once and given to both: a pre-receive's stdin is the pushed ref lines.
  writeFileSync(
    hook,
    `#!/bin/sh
${MARK}: the lanes policy on every push (lanes-hooks guard pre-receive).
input=$(cat)
if [ -x "$0.before-lanes" ]; then
  printf '%s\\n' "$input" | "$0.before-lanes" "$@" || exit $?
fi
printf '%s\\n' "$input" | exec ${shellQuote(runtime.node)} ${shellQuote(bundle)} guard pre-receive
`,
  );
  chmodSync(hook, 0o755);
  lines.push(`hooks/pre-receive runs it (node ${runtime.node})`);

  const set = (key: string, value: string) =>
    git(['config', '--file', path.join(hub, 'config'), key, value], { env });
  if (o.config) {
    const file = path.resolve(o.config);
    set('lanes.config', file);
    lines.push(`policy: pinned to ${file}`);
  } else {
    const head = gitMaybe(['symbolic-ref', '-q', '--short', 'HEAD'], { cwd: hub, env });
    const integration = o.integration ?? head ?? 'master';
    set(INTEGRATION_PIN, integration);
    lines.push(`policy: the config committed on ${integration} (${INTEGRATION_PIN})`);
  }
  if (o.identity) {
    set(IDENTITY_PIN, o.identity);
    lines.push(`identity: ${o.identity} names the pusher (${IDENTITY_PIN})`);
  } else
    lines.push(`identity: none pinned: the first of ${IDENTITY_SOURCES.join(', ')} that is set`);
  return { hub, lines };
}

/**
 * What a hub enforces, as `hub install` and `doctor` in a bare repository say it: whether it reads
 * its policy (ok), which rules its pre-receive applies, and whose pushes it can tell apart.
 */
export function hubReport(hub: string): { ok: boolean; lines: string[] } {
  const env = envWithoutGitRepo();
  const lines: string[] = [];
  const hook = path.join(hub, 'hooks', 'pre-receive');
  const installed = existsSync(hook) && readFileSync(hook, 'utf8').includes('guard pre-receive');
  lines.push(
    installed
      ? '✔ hooks/pre-receive runs guard pre-receive'
      : '✖ hooks/pre-receive does not run guard pre-receive: nothing is enforced here (fix: lanes-hooks hub install <this repository>)',
  );
  const back = process.cwd();
  let config: LanesConfig | null = null;
  try {
    process.chdir(hub);
    const p = hubPolicy(undefined, []);
    config = p.config;
    lines.push(`✔ policy: ${p.source}`);
  } catch (e) {
    lines.push(`✖ policy: ${(e as Error).message.split('\n').join('\n    ')}`);
  } finally {
    process.chdir(back);
  }
  const pinned = gitMaybe(['config', '--file', path.join(hub, 'config'), IDENTITY_PIN], { env });
  if (config) {
    lines.push(
      '  enforced on every push: path-scope, claim-required, lane-branch, integration-ff-only, release-exact-sha, store-integrity' +
        (config.trailers.require ? ', commit-trailers' : ''),
    );
    const named = identitiesConfigured(config);
    lines.push(
      named
        ? `  pushers: the config names coordinators (${config.server.coordinators.join(', ') || 'none'}) and owners; ${pinned ? `${pinned} names the pusher` : `identity source not pinned (the first of ${IDENTITY_SOURCES.join(', ')} that is set)`}; a push naming no one gets no move that needs a name`
        : '  pushers: the config names no coordinators or owners: any pusher may move integration and release (set server.coordinators)',
    );
  }
  lines.push(
    '  not enforced here: what happens in a lane before a push (its own hooks and agent hooks)',
  );
  return { ok: installed && !!config, lines };
}
