// prepare-commit-msg: provenance trailers on every commit made in a lane — `Lane: <role>`,
// `Task: <id>` (the task of the lane's active claim, where it names one) and `Agent: <name>` when
// an agent session is known (agents/session.ts). Appended with `git interpret-trailers
// --if-exists doNothing`: the user's text is never rewritten, a trailer already there is kept.
// git runs this hook even under --no-verify. It never refuses a commit (trailers.require is
// enforced where a commit leaves the lane: pre-push and the hub).
import { agentSession } from '../agents/session.js';
import { addTrailers } from '../git/trailers.js';
import { shortBranch } from '../lanes/names.js';
import { readQueue } from '../queue/queue.js';
import { hookContext } from './context.js';

/** The trailers a commit in this lane carries now. */
export function laneTrailers(): [string, string][] {
  const { lane } = hookContext();
  if ((lane.kind !== 'delivery' && lane.kind !== 'review') || !lane.role) return [];
  const out: [string, string][] = [['Lane', lane.role]];
  try {
    const branch = lane.ownBranch ? shortBranch(lane.ownBranch) : null;
    const claim = readQueue().claims.find((c) => c.state === 'active' && c.branch === branch);
    if (claim?.task) out.push(['Task', claim.task]);
  } catch {
    // an unreadable queue: no Task trailer (pre-push says what is wrong with the queue)
  }
  const agent = agentSession(process.env);
  if (agent) out.push(['Agent', agent]);
  return out;
}

export function prepareCommitMsg(file: string, source: string): number {
  // A merge's or squash's message is git's; an amend (or -c) keeps the trailers it has.
  if (!file || ['merge', 'squash', 'commit'].includes(source)) return 0;
  try {
    if (!addTrailers(file, laneTrailers()))
      process.stderr.write('lanes-hooks: could not add the provenance trailers (Lane:, Task:)\n');
  } catch (e) {
    process.stderr.write(
      `lanes-hooks: could not add the provenance trailers: ${(e as Error).message.split('\n')[0]}\n`,
    );
  }
  return 0;
}
