// Where `guard pre-receive` reads its policy: never from the pushed tree or the pusher's
// environment (docs/server.md, threat model). In order:
// 1. `--config <file>`, or the hub's own `lanes.config` (a file the admin keeps);
// 2. the config committed on the integration branch: the hub's own `lanes.integration`, else the
//    branch its HEAD names (what clones check out), followed once if that config names another;
// 3. integration there but its config missing or broken: the last good config in its
//    first-parent history judges ONE thing, the coordinators' repair push of integration; every
//    other push is refused until the repair lands;
// 4. an empty hub: its first push, creating that branch, brings the policy (nothing to protect yet);
// 5. otherwise nothing is readable, and every push is refused with how to bootstrap.
// The hub's config is read with `git config --file`: on a push over a local path the pusher's
// environment reaches the hook, and GIT_CONFIG_PARAMETERS / GIT_CONFIG_COUNT would inject values
// into a plain `git config` (docs/git-facts.md).
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { loadConfigFiles } from '../config/load.js';
import type { LanesConfig } from '../config/schema.js';
import { gitMaybe, isZeroSha } from '../git/exec.js';
import { refTips } from '../git/tree-files.js';
import { ownRepoConfig, type OwnRepoConfig } from '../git/repo.js';
import {
  committedConfig,
  integrationPolicy,
  INTEGRATION_PIN,
  lastGoodPolicy,
} from '../lanes/policy.js';
import type { RefUpdate } from '../policy/types.js';
import { EXIT, UserError } from '../util/errors.js';

export interface HubPolicy {
  config: LanesConfig;
  source: string;
}

/** A config file the admin names: read like a committed one, its format by its extension. */
function pinnedFile(file: string): HubPolicy {
  let content: Buffer;
  try {
    content = readFileSync(file);
  } catch (e) {
    throw new UserError(`guard: cannot read the policy ${file}: ${(e as Error).message}`);
  }
  const base = path.basename(file);
  const ext = path.extname(base);
  const place =
    base === 'package.json' ? base : ext && ext !== '.lanesrc' ? `.lanesrc${ext}` : '.lanesrc';
  // The admin pinned this file on the hub: the one place a JS or TS config is honoured.
  const loaded = loadConfigFiles([{ place, content }], file, { code: true });
  if (!loaded) throw new UserError(`guard: ${file} holds no lanes config`);
  return { config: loaded.config, source: file };
}

const bootstrap = (name: string) =>
  `  bootstrap: commit the lanes config (.lanesrc.json) on ${name} and push it before installing this hook, or let the admin pin one on the hub: git config lanes.config <file>   (or: git config ${INTEGRATION_PIN} <branch>)`;

/**
 * `hub`: the hub repository's own lanes.* config and whether it is bare (ownRepoConfig), where the
 * caller read it already for the identity pin and the override (guard pre-receive reads it once
 * per push).
 */
export function hubPolicy(
  configFile: string | undefined,
  updates: RefUpdate[],
  hub: OwnRepoConfig = ownRepoConfig(),
): HubPolicy {
  const own = hub.values;
  const pin = own.get(INTEGRATION_PIN.toLowerCase())?.trim() || null;
  const pinned = configFile ?? (own.get('lanes.config')?.trim() || null);
  if (pinned) return pinnedFile(pinned);
  const head = gitMaybe(['symbolic-ref', '-q', 'HEAD']);
  const name =
    pin ?? (head?.startsWith('refs/heads/') ? head.slice('refs/heads/'.length) : 'master');
  // A CI clone holds integration as a remote-tracking branch; a hub only as its own branch (on a
  // hub any pusher may create refs/remotes/…, so those are never read there).
  const remotes = hub.bare ? [] : ['origin'];
  let broken: string;
  try {
    const found = integrationPolicy(name, remotes);
    if (found) return found;
    broken = 'it holds no lanes config';
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    broken = e.message.split('\n')[0]!;
  }
  const ref = `refs/heads/${name}`;
  const tip = refTips([ref, ...remotes.map((r) => `refs/remotes/${r}/${name}`)]);
  const at = tip.get(ref) ?? [...tip.values()][0];
  if (at) {
    const good = lastGoodPolicy(at, name);
    const others = updates.filter((u) => u.ref !== ref);
    if (good && !others.length) {
      process.stderr.write(
        `lanes-hooks: the policy on ${name} is unreadable (${broken}); this push of ${name} is judged by the last good one, ${good.source}\n`,
      );
      return good;
    }
    throw new UserError(
      `lanes-hooks: refused: the hub's policy on ${name} is unreadable (${broken}), so nothing is allowed here until it is repaired.\n` +
        (good
          ? `  fix: a coordinator pushes the repaired config on ${name} alone (it is judged by the last good policy, ${good.source})`
          : bootstrap(name)),
      EXIT.refused,
    );
  }
  // An empty hub has nothing to protect: its first push, creating integration, brings the policy.
  const creating = updates.find((u) => u.ref === ref && isZeroSha(u.old) && !isZeroSha(u.new));
  if (creating && !gitMaybe(['for-each-ref', '--count=1', '--format=x'])) {
    const loaded = committedConfig(creating.new, name);
    if (loaded) return { config: loaded.config, source: `${loaded.file} (the first push)` };
  }
  throw new UserError(
    `lanes-hooks: refused: no lanes policy on this hub: ${name} (${head ? 'its HEAD' : 'the default'}${pin ? `, pinned by ${INTEGRATION_PIN}` : ''}) does not exist here.\n` +
      bootstrap(name),
    EXIT.refused,
  );
}
