// Queue operations as the CLI and the hooks use them: validate the request, then hand the
// operation to the store (compare-and-swap, retried through the reducer).
import { EXIT, UserError } from '../util/errors.js';
import { globLimitProblem, MAX_TASK_GLOBS } from '../config/glob-limits.js';
import {
  claimProblem,
  claimScopeProblem,
  endProblem,
  overlapProblem,
  type Claimant,
} from '../policy/claim-required.js';
import { formatViolation } from '../policy/format.js';
import type { Violation } from '../policy/types.js';
import type { LanesConfig } from '../config/schema.js';
import { gitMaybe } from '../git/exec.js';
import { gitUser } from '../store/audit.js';
import { commitOp, readStore } from '../store/store.js';
import { activeClaims, queueStore, type Claim, type QueueState } from './model.js';

export interface Actor {
  lane: string;
  cwd?: string;
  /** The lane's kind and owner (lanes.owner, else the role's owner): who may claim and end what. */
  kind?: Claimant['kind'];
  owner?: string | null;
}

/** The actor as the claim rules see it; `lane: 'coordinator'` (merge, land) is the coordinator. */
const claimant = (a: Actor): Claimant => ({
  kind: a.kind ?? (a.lane === 'coordinator' ? 'coordinator' : 'unassigned'),
  role: a.lane === 'unassigned' ? null : a.lane,
  owner: a.owner ?? null,
});

const refused = (v: Violation) => new UserError(formatViolation(v), EXIT.refused);

const MAX_TITLE = 10_000;
const MAX_NAME = 200;

const CONTROL = /[\u0000-\u001f\u007f]/;

function name(kind: string, value: string | undefined): string {
  if (value === undefined || !value.trim()) throw new UserError(`queue: --${kind} is required`);
  if (value.length > MAX_NAME || CONTROL.test(value))
    throw new UserError(`queue: --${kind} must be one line of at most ${MAX_NAME} characters`);
  return value;
}

function role(config: LanesConfig, value: string | undefined): string {
  const r = name('role', value);
  if (!config.roles[r])
    throw new UserError(
      `queue: no role ${JSON.stringify(r)} in the config (roles: ${Object.keys(config.roles).join(', ')})`,
    );
  return r;
}

function branch(value: string | undefined, cwd?: string): string {
  const b = name('branch', value);
  if (b.startsWith('-') || gitMaybe(['check-ref-format', '--branch', b], { cwd }) === null)
    throw new UserError(`queue: ${JSON.stringify(b)} is not a valid branch name`);
  return b.replace(/^refs\/heads\//, '');
}

const stamp = (a: Actor) => ({ at: new Date().toISOString(), by: gitUser(a.cwd), lane: a.lane });

export function addTask(
  config: LanesConfig,
  a: Actor,
  title: string | undefined,
  forRole?: string,
  paths: string[] = [],
): string {
  if (title === undefined || !title.trim()) throw new UserError('queue add: a title is required');
  if (title.length > MAX_TITLE)
    throw new UserError(`queue add: the title is longer than ${MAX_TITLE} characters`);
  const r = forRole === undefined ? null : role(config, forRole);
  for (const g of paths)
    if (!g.trim() || g.startsWith('/') || g.split('/').includes('..') || CONTROL.test(g))
      throw new UserError(
        `queue add: --paths ${JSON.stringify(g)}: expected a glob relative to the repository (no leading "/", no "..")`,
      );
  if (paths.length > MAX_TASK_GLOBS)
    throw new UserError(`queue add: at most ${MAX_TASK_GLOBS} --paths (got ${paths.length})`);
  for (const g of paths) {
    const limit = globLimitProblem(g);
    if (limit)
      throw new UserError(
        `queue add: --paths ${JSON.stringify(g.length > 80 ? `${g.slice(0, 80)}…` : g)}: the glob is ${limit}: name the paths with a shorter glob, or several`,
      );
  }
  const op = {
    op: 'add' as const,
    title,
    role: r,
    ...(paths.length ? { paths } : {}),
    ...stamp(a),
  };
  const { state } = commitOp(queueStore, op, a.cwd);
  return state.tasks.at(-1)!.id;
}

export function claimWork(
  config: LanesConfig,
  a: Actor,
  req: { role?: string; owner?: string; branch?: string; task?: string },
): Claim {
  const op = {
    op: 'claim' as const,
    role: role(config, req.role),
    owner: name('owner', req.owner),
    branch: branch(req.branch, a.cwd),
    task: req.task ?? null,
    ...stamp(a),
  };
  const problem = claimProblem(config, claimant(a), op);
  if (problem) throw refused(problem);
  // The store's reducer holds the same rule (a race or a sync re-checks it); asked first here for
  // the whole message. Like a task held by someone else, a conflict: exit 3.
  const read = readStore(queueStore, a.cwd);
  const before = read.state;
  const outside = claimScopeProblem(config, before.tasks, op);
  if (outside) throw refused(outside);
  const overlap = overlapProblem(before.tasks, activeClaims(before), op);
  if (overlap) throw new UserError(formatViolation(overlap), EXIT.conflict);
  const { state } = commitOp(queueStore, op, a.cwd, read);
  return state.claims.find(
    (c) => c.state === 'active' && c.branch === op.branch && c.owner === op.owner,
  )!;
}

export function endClaim(
  a: Actor,
  end: 'released' | 'done',
  req: { task?: string; branch?: string },
): Claim {
  if ((req.task === undefined) === (req.branch === undefined))
    throw new UserError(
      `queue ${end === 'done' ? 'done' : 'release'}: give exactly one of --task <id> or --branch <branch>`,
    );
  const op = {
    op: 'end' as const,
    end,
    task: req.task ?? null,
    branch: req.branch === undefined ? null : branch(req.branch, a.cwd),
    ...stamp(a),
  };
  const read = readStore(queueStore, a.cwd);
  const target = read.state.claims.find(
    (c) => c.state === 'active' && (op.task !== null ? c.task === op.task : c.branch === op.branch),
  );
  const problem = target && endProblem(claimant(a), target, end);
  if (problem) throw refused(problem);
  commitOp(queueStore, op, a.cwd, read);
  return { ...target!, state: end };
}

/** `at`: the store's tip when the caller already looked it up (null: no store yet). */
export const readQueue = (cwd?: string, at?: string | null): QueueState =>
  readStore(queueStore, cwd, at).state;
