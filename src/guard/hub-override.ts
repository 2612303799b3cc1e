// Overrides on the hub (guard pre-receive). Never from the environment: on a hub reached over a
// local path the pusher's own environment reaches the hook, and LANES_OVERRIDE there would let a
// pusher waive every rule. The hub's admin sets them in the hub repository's own config file
// (lanes.override, lanes.overrideUntil, lanes.overrideRef; ownRepoConfig reads nothing else), and
// each use is appended to <gitdir>/lanes-hooks/overrides.log and printed to the pusher.
//
// Why a file and not refs/lanes/audit: pre-receive runs in git's quarantine, where every ref
// update is refused ("ref updates forbidden inside quarantine environment", git-receive-pack(1)
// QUARANTINE ENVIRONMENT; pinned by test/deep/attacks/hub-overrides.test.ts).
import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { OwnRepoConfig } from '../git/repo.js';
import { hubOverride, type HubOverride } from '../policy/ci-override.js';
import type { RefUpdate, Violation } from '../policy/types.js';
import { who, type Pusher } from './identity.js';

export const OVERRIDE_LOG = path.join('lanes-hooks', 'overrides.log');

/** From the hub repository's own config, as ownRepoConfig read it once for this push. */
export function readHubOverride(
  updates: RefUpdate[],
  { values }: OwnRepoConfig,
  now = new Date(),
): HubOverride {
  return hubOverride(
    {
      override: values.get('lanes.override'),
      overrideUntil: values.get('lanes.overrideuntil'),
      overrideRef: values.get('lanes.overrideref'),
    },
    now.toISOString().slice(0, 10),
    [...new Set(updates.map((u) => u.ref))],
  );
}

/**
 * Record each waived violation (JSON lines, append-only) before the push is let through; a log that
 * cannot be written lets nothing through. Returns the log's path.
 */
export function recordHubOverride(
  o: Extract<HubOverride, { state: 'valid' }>,
  updates: RefUpdate[],
  violations: Violation[],
  pusher: Pusher | null,
  { gitDir }: OwnRepoConfig,
  now = new Date(),
): string {
  const file = path.join(gitDir, OVERRIDE_LOG);
  mkdirSync(path.dirname(file), { recursive: true });
  const refs = updates.map((u) => `${u.ref} ${u.old} -> ${u.new}`);
  appendFileSync(
    file,
    violations
      .map(
        (v) =>
          JSON.stringify({
            at: now.toISOString(),
            pusher: pusher ? pusher.name : null,
            source: pusher ? pusher.source : null,
            refs,
            rule: v.rule,
            object: v.object,
            reason: o.reason,
            until: o.until,
          }) + '\n',
      )
      .join(''),
  );
  return file;
}

export const overrideBanner = (
  o: { reason: string; until: string },
  pusher: Pusher | null,
  log: string,
) =>
  `\n!!! lanes-hooks: OVERRIDDEN by the hub's configuration until ${o.until}: ${JSON.stringify(o.reason)}\n!!! pushed by ${who(pusher)}; recorded in ${log}. The admin removes lanes.override once fixed.\n`;
