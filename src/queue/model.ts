// The work queue (docs/reference.md, "The work queue") as a pure reducer: operations in, the next
// state or a conflict out. The store replays the same operations to retry a lost race and to merge
// two machines' histories in `sync`, so every rule about claims lives here and only here.
import * as z from 'zod';
import { inertString } from '../util/text.js';
import type { Applied } from '../store/store.js';
import type { Replayed, SyncSpec } from '../store/sync.js';
import { overlapProblem } from '../policy/claim-required.js';

const actor = { at: inertString(), by: inertString(), lane: inertString() };

const taskSchema = z.object({
  id: inertString(),
  title: inertString(),
  role: inertString().nullable(),
  state: z.enum(['open', 'claimed', 'done']),
  at: inertString(),
  /** The paths (globs) the task touches, where it names them: no two active claims overlap. */
  paths: z.array(inertString()).optional(),
});
const claimSchema = z.object({
  id: inertString(),
  task: inertString().nullable(),
  role: inertString(),
  owner: inertString(),
  branch: inertString(),
  state: z.enum(['active', 'released', 'done']),
  at: inertString(),
  by: inertString(),
  lane: inertString(),
  endedAt: inertString().nullable(),
});
const stateSchema = z.object({
  nextTask: z.number().int(),
  nextClaim: z.number().int(),
  tasks: z.array(taskSchema),
  claims: z.array(claimSchema),
});

const opSchema = z.discriminatedUnion('op', [
  z.object({
    op: z.literal('add'),
    title: inertString(),
    role: inertString().nullable(),
    paths: z.array(inertString()).optional(),
    ...actor,
  }),
  z.object({
    op: z.literal('claim'),
    role: inertString(),
    owner: inertString(),
    branch: inertString(),
    task: inertString().nullable(),
    ...actor,
  }),
  z.object({
    op: z.literal('end'),
    end: z.enum(['released', 'done']),
    task: inertString().nullable(),
    branch: inertString().nullable(),
    ...actor,
  }),
]);

export type Task = z.infer<typeof taskSchema>;
export type Claim = z.infer<typeof claimSchema>;
export type QueueState = z.infer<typeof stateSchema>;
export type QueueOp = z.infer<typeof opSchema>;

export const QUEUE_REF = 'refs/lanes/queue';

export const emptyQueue = (): QueueState => ({ nextTask: 1, nextClaim: 1, tasks: [], claims: [] });

export const activeClaims = (s: QueueState) => s.claims.filter((c) => c.state === 'active');

export function applyQueueOp(s: QueueState, op: QueueOp): Applied<QueueState> {
  switch (op.op) {
    case 'add': {
      const task: Task = {
        id: `T${s.nextTask}`,
        title: op.title,
        role: op.role,
        state: 'open',
        at: op.at,
        ...(op.paths?.length ? { paths: op.paths } : {}),
      };
      return { state: { ...s, nextTask: s.nextTask + 1, tasks: [...s.tasks, task] } };
    }
    case 'claim':
      return claim(s, op);
    case 'end':
      return end(s, op);
  }
}

function claim(s: QueueState, op: Extract<QueueOp, { op: 'claim' }>): Applied<QueueState> {
  const active = activeClaims(s);
  const task = op.task === null ? null : s.tasks.find((t) => t.id === op.task);
  if (op.task !== null && !task)
    return { conflict: `queue claim: no task ${op.task}`, usage: true };
  if (task?.state === 'done') return { conflict: `queue claim: task ${task.id} is done` };
  const sameTask = task ? active.find((c) => c.task === task.id) : undefined;
  const sameBranch = active.find((c) => c.branch === op.branch);
  const mine = (c: Claim) =>
    c.owner === op.owner && c.branch === op.branch && c.role === op.role && c.task === op.task;
  // Claiming again what one already holds is a no-op, so a retried command converges.
  if (sameTask && mine(sameTask)) return { state: s };
  if (!sameTask && sameBranch && mine(sameBranch)) return { state: s };
  if (sameTask)
    return {
      conflict: `queue claim: task ${sameTask.task} is already claimed by ${sameTask.owner} on ${sameTask.branch} (claim ${sameTask.id})`,
    };
  if (sameBranch)
    return {
      conflict: `queue claim: branch ${op.branch} is already claimed by ${sameBranch.owner}${sameBranch.task ? ` for ${sameBranch.task}` : ''} (claim ${sameBranch.id})`,
    };
  const overlap = overlapProblem(s.tasks, active, op);
  if (overlap) return { conflict: `queue claim: refused by claim-required: ${overlap.why}` };
  const c: Claim = {
    id: `C${s.nextClaim}`,
    task: op.task,
    role: op.role,
    owner: op.owner,
    branch: op.branch,
    state: 'active',
    at: op.at,
    by: op.by,
    lane: op.lane,
    endedAt: null,
  };
  return {
    state: {
      ...s,
      nextClaim: s.nextClaim + 1,
      claims: [...s.claims, c],
      tasks: s.tasks.map((t) => (t.id === op.task ? { ...t, state: 'claimed' as const } : t)),
    },
  };
}

function end(s: QueueState, op: Extract<QueueOp, { op: 'end' }>): Applied<QueueState> {
  const target = activeClaims(s).find((c) =>
    op.task !== null ? c.task === op.task : c.branch === op.branch,
  );
  if (!target)
    return {
      conflict: `queue ${op.end === 'done' ? 'done' : 'release'}: no active claim for ${op.task !== null ? `task ${op.task}` : `branch ${op.branch}`}`,
    };
  const taskState = (t: Task): Task['state'] =>
    t.id !== target.task ? t.state : op.end === 'done' ? 'done' : 'open';
  return {
    state: {
      ...s,
      claims: s.claims.map((c) =>
        c.id === target.id ? { ...c, state: op.end, endedAt: op.at } : c,
      ),
      tasks: s.tasks.map((t) => ({ ...t, state: taskState(t) })),
    },
  };
}

export function describeQueueOp(op: QueueOp): string {
  switch (op.op) {
    case 'add':
      return `add task${op.role ? ` for ${op.role}` : ''}: ${op.title}`;
    case 'claim':
      return `claim ${op.task ?? op.branch} by ${op.owner} (${op.role}) on ${op.branch}`;
    case 'end':
      return `${op.end === 'done' ? 'done' : 'release'} ${op.task ?? op.branch} (by ${op.by}, ${op.lane})`;
  }
}

/**
 * Replay local operations (made on `base`) onto the remote's state. Tasks added here are numbered
 * again on top of the remote's, and later local operations follow them to their new ids.
 */
export function replayQueue(
  base: QueueState,
  onto: QueueState,
  ops: QueueOp[],
): Replayed<QueueState, QueueOp> {
  const out: Replayed<QueueState, QueueOp> = { applied: [], lost: [], notes: [] };
  const ids = new Map<string, string>();
  let mine = base;
  let state = onto;
  for (const op of ops) {
    const localId = `T${mine.nextTask}`;
    const before = applyQueueOp(mine, op);
    if ('state' in before) mine = before.state;
    const mapped =
      op.op === 'add'
        ? op
        : { ...op, task: op.task === null ? null : (ids.get(op.task) ?? op.task) };
    const newId = `T${state.nextTask}`;
    const r = applyQueueOp(state, mapped);
    if ('conflict' in r) {
      out.lost.push({ op: mapped, why: r.conflict });
      continue;
    }
    if (op.op === 'add') {
      ids.set(localId, newId);
      if (localId !== newId) out.notes!.push(`task ${localId} added here is ${newId} now`);
    }
    out.applied.push({ op: mapped, state: (state = r.state) });
  }
  return out;
}

/** The file of a queue commit that lists its active claims for the pre-push shell fast path. */
export const CLAIMS_INDEX = 'claims.txt';

/**
 * One "<branch>\t<owner>" line per active claim. A name with a control character (which could
 * forge a line) is left out: the shell then finds no claim and leaves the decision to Node.
 */
export function claimsIndex(state: QueueState): string {
  const plain = (s: string) => !/[\x00-\x1f\x7f]/.test(s);
  return state.claims
    .filter((c) => c.state === 'active' && plain(c.branch) && plain(c.owner))
    .map((c) => `${c.branch}\t${c.owner}\n`)
    .join('');
}

export const queueStore: SyncSpec<QueueState, QueueOp> = {
  ref: QUEUE_REF,
  snapshot: true,
  index: (state) => [[CLAIMS_INDEX, claimsIndex(state)]],
  empty: emptyQueue,
  apply: applyQueueOp,
  describe: describeQueueOp,
  author: (op) => op.lane,
  parseState: (raw) => stateSchema.parse(raw),
  parseOp: (raw) => opSchema.parse(raw),
  replay: replayQueue,
};
