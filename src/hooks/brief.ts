// The lane brief: a lane's rules in plain words, for the agent working in it (printed at session
// start by agent-hook) and for a person (`lanes-hooks brief`). Built from the same config and
// resolution as the hooks, so it says exactly what they will refuse.
import { showName } from '../policy/format.js';
import { headRefFromFile, resolveCommit, resolveRef, type Worktree } from '../git/repo.js';
import { rebaseNeed, rebaseRequest, type RebaseNeed } from '../lanes/radar.js';
import { remoteRef, shortBranch } from '../lanes/names.js';
import { pendingRebase, readAudit } from '../store/audit.js';
import { scopeGlobs } from '../policy/scope.js';
import type { Context } from '../policy/types.js';
import type { Claim, Task } from '../queue/model.js';
import { readQueue } from '../queue/queue.js';
import { cliCommand, runnable } from './cli-command.js';

/** A task title in double quotes, escaped by the one quoting function where it needs to be. */
const quotedTitle = (t: string) => (showName(t) === t ? `"${t}"` : showName(t));

export interface Brief {
  role: string | null;
  kind: string;
  branch: string | null;
  head: string | null;
  /** Globs the lane may change; null: unrestricted (the coordinator). */
  paths: string[] | null;
  refused: { rule: string; what: string }[];
  claim: { owner: string; branch: string; task: string | null } | null;
  task: { id: string; title: string } | null;
  /** A rebase `land` asked of this lane's pushed tip, still pending. */
  landRebase: { sha: string; at: string } | null;
  flow: string[];
  /** Integration moved past this lane: rebase onto it (with the files that will conflict). */
  rebase: RebaseNeed | null;
  text: string;
}

export function laneBrief(ctx: Context, wt: Worktree): Brief {
  const { config, lane } = ctx;
  const branch = lane.ownBranch ? shortBranch(lane.ownBranch) : null;
  const headRef = headRefFromFile(wt.gitDir);
  const head = headRef && shortBranch(headRef);
  const paths = scopeGlobs(config, lane);
  let claim: Claim | undefined;
  let task: Task | undefined;
  try {
    const q = readQueue(wt.top ?? wt.gitDir);
    claim = q.claims.find((c) => c.state === 'active' && c.branch === branch);
    task = claim?.task ? q.tasks.find((t) => t.id === claim!.task) : undefined;
  } catch {
    /* an unreadable queue: the brief says there is no claim, and pre-push will say why */
  }
  // A delivery lane behind integration is asked to rebase, first thing (status asks the same).
  const rebase =
    lane.kind === 'delivery'
      ? rebaseNeed(config, resolveCommit('HEAD', wt.top ?? wt.gitDir), wt.commonDir)
      : null;
  let landRebase: Brief['landRebase'] = null;
  try {
    const cwd = wt.top ?? wt.gitDir;
    const e =
      branch &&
      pendingRebase(readAudit(cwd), branch, resolveRef(remoteRef(config.remote, branch), cwd));
    if (e) landRebase = { sha: e.object.slice(`${branch} at `.length), at: e.at };
  } catch {
    /* an unreadable audit log: no request shown */
  }
  const refused: Brief['refused'] = [];
  const flow: string[] = [];
  const owner = lane.owner ?? '<owner>';
  if (lane.kind === 'delivery' || lane.kind === 'review') {
    refused.push(
      {
        rule: 'path-scope',
        what: `writing, committing or pushing any file outside ${paths!.join(', ') || '(no paths)'}`,
      },
      {
        rule: 'lane-branch',
        what: `committing anywhere but ${branch}, pushing any other lane's branch, writing on a review/… mirror`,
      },
      { rule: 'claim-required', what: `pushing ${branch} without an active queue claim on it` },
      ...(config.trailers.require
        ? [
            {
              rule: 'commit-trailers',
              what: `pushing commits without the Lane:/Task: trailers (prepare-commit-msg adds them)`,
            },
          ]
        : []),
      {
        rule: 'integration-ff-only',
        what: `moving ${config.integration} (only the coordinator merges)`,
      },
      {
        rule: 'release-branch-commit',
        what: `anything on ${config.release} (only promotion moves it)`,
      },
      {
        rule: 'hook-integrity',
        what: "editing an agent's hook settings or anything in the git directory (a shell edit is put back)",
      },
    );
    if (lane.kind === 'review')
      refused.push({
        rule: 'review-detached-head',
        what: 'resting on a detached HEAD (it is undone)',
      });
  }
  if (lane.kind === 'delivery') {
    flow.push(
      `lanes-hooks queue claim --role ${lane.role} --owner ${owner} --branch ${branch}${task ? ` --task ${task.id}` : ''}`,
      `git add <files inside the paths> && git commit -m "<what and why>"`,
      `git fetch ${config.remote} && git rebase ${config.remote}/${config.integration}   (stay current)`,
      `git push ${config.remote} ${branch}`,
      'lanes-hooks sync   (the claim counts once it is on the hub: land decides on the hub)',
      'then the coordinator lands it: lanes-hooks land (checks, then fast-forward)',
    );
  } else if (lane.kind === 'review') {
    const target = '<delivery-role>';
    flow.push(
      `lanes-hooks review refresh ${target}   (fetches, then switches to ${config.branches.review.replace('{role}', target)}: a read-only mirror)`,
      `lanes-hooks review finding ${target} "<finding>" --severity info|minor|major|blocker`,
      `lanes-hooks review signoff ${target}`,
      'lanes-hooks sync   (share findings and sign-offs)',
      `git switch ${branch}   (to write under ${config.reviews.dir}/ and commit there)`,
    );
  } else if (lane.kind === 'coordinator') {
    flow.push(
      'lanes-hooks status   (every lane, and the next actions)',
      'lanes-hooks queue add "<task>" --role <role>',
      'lanes-hooks land   (every ready lane in queue order: claim and sign-offs on the hub, checks, fast-forward; merge <role> for one)',
      'lanes-hooks promote [<sha>]   (release := a SHA already on integration)',
    );
  } else {
    flow.push(
      'npx lanes-hooks install --role <role>   (or lanes-hooks setup from the coordinator)',
    );
  }
  // Every command is printed the way it runs here, in a fresh lane too (hooks/cli-command.ts).
  const cli = cliCommand(wt);
  flow.splice(0, flow.length, ...flow.map((f) => runnable(f, cli)));
  const where = lane.role ? `the ${lane.role} lane (${lane.kind})` : 'an unassigned worktree';
  const lines = [`lanes-hooks: this worktree is ${where}.`];
  if (lane.kind === 'unassigned')
    lines.push(
      '  Nothing may be committed or pushed here until it has a role.',
      ...lane.notes.map((n) => `  note: ${n}`),
    );
  if (branch)
    lines.push(`  branch: ${branch}${head && head !== branch ? ` (HEAD is on ${head})` : ''}`);
  lines.push(
    `  paths:  ${paths === null ? 'any (the coordinator is unrestricted)' : paths.join(', ') || '(none)'}`,
  );
  if (lane.kind === 'delivery' || lane.kind === 'review')
    lines.push(
      `  claim:  ${claim ? `${showName(claim.branch)} held by ${showName(claim.owner)}${task ? ` for ${showName(task.id)} ${quotedTitle(task.title)}` : ''}` : 'none: claim before you push'}`,
    );
  if (rebase)
    lines.push(
      `  rebase: ${rebaseRequest({ name: rebase.onto, head: rebase.sha }, config.remote, rebase.conflicts)}`,
    );
  if (landRebase)
    lines.push(
      `  rebase: requested by land at ${landRebase.at}: ${landRebase.sha.slice(0, 12)} no longer fast-forwards ${config.integration} → git fetch && git rebase ${config.remote}/${config.integration} && git push --force-with-lease`,
    );
  if (refused.length) {
    lines.push('  refused (rule: what):');
    for (const r of refused) lines.push(`    ${r.rule}: ${r.what}`);
  }
  lines.push('  flow:');
  for (const f of flow) lines.push(`    ${f}`);
  return {
    role: lane.role,
    kind: lane.kind,
    branch,
    head,
    paths,
    refused,
    claim: claim ? { owner: claim.owner, branch: claim.branch, task: claim.task } : null,
    task: task ? { id: task.id, title: task.title } : null,
    landRebase,
    flow,
    rebase,
    text: lines.join('\n') + '\n',
  };
}
