// queue add | claim | release | done | list
import { lanePolicy } from '../../lanes/policy.js';
import { currentWorktree, type Worktree } from '../../git/repo.js';
import { laneOf } from '../../lanes/facts.js';
import type { Lane } from '../../lanes/resolve.js';
import { showName } from '../../policy/format.js';
import { addTask, claimWork, endClaim, readQueue, type Actor } from '../../queue/queue.js';
import { parse } from '../args.js';
import { EXIT, UserError } from '../../util/errors.js';
import { jsonText } from '../../util/text.js';
import type { LanesConfig } from '../../config/schema.js';
import { gitMaybe } from '../../git/exec.js';
import { cliCommand } from '../../hooks/cli-command.js';
import { queueStore } from '../../queue/model.js';
import { syncStores, type SyncSpec } from '../../store/sync.js';
import { storeVouch } from '../../lifecycle/vouch.js';

function here() {
  const wt = currentWorktree();
  const { config } = lanePolicy(wt);
  const lane = laneOf(wt, config);
  const actor: Actor = { lane: lane.role ?? 'unassigned', kind: lane.kind, owner: lane.owner };
  return { wt, config, actor, lane };
}

/**
 * A claim or its end is shared with the hub at once, where the config's remote exists: the hub's
 * guard reads only its own queue (claim-required), and a claim that stayed local made a lane's
 * first push refused and its user claim twice (issue 30). Offline, the claim stands locally and
 * the message says how to share it later. The report goes to stderr: stdout stays the command's.
 */
async function share(config: LanesConfig, wt: Worktree, lane: Lane): Promise<number> {
  if (gitMaybe(['config', '--get', `remote.${config.remote}.url`]) === null) return EXIT.ok;
  // The worktree here() read: asked of git once per command, not once per use (issue 29).
  const later = () => `share it when the remote answers: ${cliCommand(wt)} sync`;
  let reports;
  try {
    reports = await syncStores(
      [queueStore as SyncSpec<unknown, unknown>],
      config.remote,
      undefined,
      storeVouch(wt, config, lane),
      { remoteChecked: true },
    );
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    // The whole reason on one line: a refused push names its ref and the server's words below
    // its first line.
    const why = e.message
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .join('; ')
      .replace(/:; /g, ': ');
    console.error(
      `queue: recorded here, not yet on ${showName(config.remote)} (${why}); ${later()}`,
    );
    return EXIT.ok;
  }
  for (const w of reports.flatMap((r) => r.withheld ?? []))
    console.error(`queue: not shared (store-integrity): ${showName(w)}`);
  const lost = reports.flatMap((r) => r.lost);
  for (const l of lost) console.error(`  LOST: ${showName(l)}`);
  if (lost.length) {
    console.error(
      `queue: ${showName(config.remote)}'s queue stands; the change above was lost to it`,
    );
    return EXIT.conflict;
  }
  // Route a (lifecycle/vouch.ts): this worktree pushes its own entries only up to the first one
  // another worktree wrote and has not shared (a task the coordinator added without a sync). The
  // change then stands here, behind it, and is not on the hub yet: say so, and who shares it.
  const held = reports.flatMap((r) => r.notes.filter((n) => n.startsWith('held back: ')));
  if (held.length) {
    for (const h of held) console.error(`  ${showName(h)}`);
    console.error(
      `queue: recorded here, not yet on ${showName(config.remote)}: it comes after the entries above, which their own worktree's sync shares (a task the coordinator added: sync in the coordinator's worktree); then ${cliCommand(wt)} sync here`,
    );
    return EXIT.ok;
  }
  console.error(
    `queue: shared with ${showName(config.remote)} (the hub's guard reads its own queue)`,
  );
  return EXIT.ok;
}

export async function queueCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  switch (sub) {
    case 'add': {
      const { values, positionals } = parse('queue add', rest);
      if (positionals.length !== 1)
        throw new UserError('queue add: give the title as one argument (quote it)');
      const { config, actor } = here();
      console.log(addTask(config, actor, positionals[0], values.role, values.paths ?? []));
      return EXIT.ok;
    }
    case 'claim': {
      const { values } = parse('queue claim', rest);
      const { wt, config, actor, lane } = here();
      const c = claimWork(config, actor, values);
      console.log(
        `${c.id}: ${showName(c.owner)} (${c.role}) holds ${c.task ? `${c.task} on ` : ''}${c.branch}`,
      );
      return share(config, wt, lane);
    }
    case 'release':
    case 'done': {
      const { values } = parse(`queue ${sub}`, rest);
      const { wt, config, actor, lane } = here();
      const c = endClaim(actor, sub === 'done' ? 'done' : 'released', values);
      console.log(`${c.id}: ${sub === 'done' ? 'done' : 'released'} (${c.task ?? c.branch})`);
      return share(config, wt, lane);
    }
    case 'list': {
      const { values } = parse('queue list', rest);
      const q = readQueue();
      if (values.json) {
        console.log(jsonText({ tasks: q.tasks, claims: q.claims }));
        return EXIT.ok;
      }
      console.log(q.tasks.length ? 'tasks:' : 'no tasks');
      for (const t of q.tasks)
        console.log(
          `  ${showName(t.id).padEnd(5)} ${t.state.padEnd(8)} ${showName(t.role ?? '-').padEnd(14)} ${showName(t.title)}${t.paths?.length ? `  [${t.paths.map(showName).join(', ')}]` : ''}`,
        );
      console.log(q.claims.length ? 'claims:' : 'no claims');
      for (const c of q.claims)
        console.log(
          `  ${showName(c.id).padEnd(5)} ${c.state.padEnd(8)} ${showName(c.role).padEnd(14)} ${showName(c.owner)} on ${showName(c.branch)}${c.task ? ` for ${showName(c.task)}` : ''} since ${showName(c.at)}`,
        );
      return EXIT.ok;
    }
    default:
      throw new UserError(
        'queue: use one of add, claim, release, done, list (see lanes-hooks queue --help)',
      );
  }
}
