// review refresh | finding | signoff | resolve | export, run in a review lane.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { EXIT, UserError } from '../util/errors.js';
import { git, gitMaybe, gitRun } from '../git/exec.js';
import { fetchRemote } from '../git/remote.js';
import { resolveCommit, resolveRef } from '../git/repo.js';
import { configBlobs, policyBlob } from '../lanes/policy.js';
import { POLICY_TARGET } from '../policy/merge-requirements.js';
import { hookContext, type HookContext } from '../hooks/context.js';
import { remoteRef, reviewBranch, roleBranch, shortBranch } from '../lanes/names.js';
import { gitUser } from '../store/audit.js';
import { commitOp } from '../store/store.js';
import { writeFileAtomic } from '../util/fs.js';
import {
  numberedFindings,
  readReviews,
  reviewStore,
  SEVERITIES,
  type ReviewEntry,
} from '../reviews/model.js';

function reviewLane(
  command: string,
  target: string | undefined,
): { ctx: HookContext; target: string } {
  const ctx = hookContext();
  if (ctx.lane.kind !== 'review')
    throw new UserError(
      `review ${command}: run it in a review lane (this is ${ctx.lane.role ?? 'an unassigned worktree'})`,
    );
  if (!target) throw new UserError(`review ${command}: name the delivery role to review`);
  const role = ctx.config.roles[target];
  if (!role || role.kind !== 'delivery')
    throw new UserError(
      `review ${command}: ${JSON.stringify(target)} is not a delivery role (delivery roles: ${Object.entries(
        ctx.config.roles,
      )
        .filter(([, r]) => r.kind === 'delivery')
        .map(([n]) => n)
        .join(', ')})`,
    );
  return { ctx, target };
}

/** Run a git step for the user to see; a failure stops the flow with git's own words. */
function step(log: (s: string) => void, what: string, args: string[]): void {
  log(`review: ${what}`);
  const r = gitRun(args);
  if (!r.ok)
    throw new UserError(`review: ${what} failed:\n${(r.stderr || r.stdout).trim()}`, EXIT.refused);
}

/**
 * The seed's refresh done right: fetch; rebase the lane's own branch onto the remote's integration
 * (stopping on a conflict, git's rebase state left for the user); point review/<role> at the
 * remote's delivery branch and switch to it with `switch -C` (safe while already on it).
 */
export async function refresh(
  target: string | undefined,
  log: (s: string) => void,
): Promise<number> {
  const { ctx, target: role } = reviewLane('refresh', target);
  const { config } = ctx;
  if (git(['status', '--porcelain']) !== '')
    throw new UserError(
      'review refresh: the lane has uncommitted changes; commit or stash them first (git stash)',
      EXIT.refused,
    );
  const integration = `${config.remote}/${config.integration}`;
  const delivery = `${config.remote}/${roleBranch(config, role)}`;
  log(`review: fetch ${config.remote}`);
  await fetchRemote(config.remote, [], { what: 'review refresh' });
  // Checked before anything moves: a delivery lane that never pushed has nothing to review, and
  // the rebase below would otherwise be done for nothing.
  if (!resolveRef(remoteRef(config.remote, roleBranch(config, role))))
    throw new UserError(
      `review refresh: ${delivery} does not exist: the ${role} lane has not pushed its branch yet (there: git push ${config.remote} ${roleBranch(config, role)}, under a claim). Nothing was changed here.`,
      EXIT.refused,
    );
  const own = shortBranch(ctx.lane.ownBranch!);
  if (gitMaybe(['symbolic-ref', '-q', 'HEAD']) !== ctx.lane.ownBranch)
    step(log, `switch to ${own}`, ['switch', '--quiet', own]);
  const r = gitRun(['rebase', '--quiet', integration]);
  if (!r.ok) {
    throw new UserError(
      `review refresh: rebasing ${own} onto ${integration} stopped on a conflict:\n${(r.stderr || r.stdout).trim()}\nResolve it and run git rebase --continue (or git rebase --abort), then refresh again.`,
      EXIT.refused,
    );
  }
  log(`review: rebased ${own} onto ${integration}`);
  const mirror = reviewBranch(config, role);
  step(log, `${mirror} -> ${delivery} (${git(['rev-parse', '--short', delivery])})`, [
    'switch',
    '--quiet',
    '-C',
    mirror,
    delivery,
  ]);
  log(`review: on ${mirror}, reviewing ${git(['rev-parse', 'HEAD'])}`);
  return EXIT.ok;
}

/** The SHA under review: the tip of review/<target> in this lane. */
function reviewedSha(ctx: HookContext, target: string): string {
  const mirror = reviewBranch(ctx.config, target);
  const sha = resolveRef(`refs/heads/${mirror}`);
  if (!sha)
    throw new UserError(
      `review: no ${mirror} branch here yet: lanes-hooks review refresh ${target}`,
    );
  return sha;
}

export function record(
  kind: ReviewEntry['kind'],
  target: string | undefined,
  text: string | undefined,
  severity: string | undefined,
): ReviewEntry {
  const { ctx, target: role } = reviewLane(kind, target);
  if (kind === 'finding' && (!text || !text.trim()))
    throw new UserError('review finding: the finding text is required');
  if (severity !== undefined && !(SEVERITIES as readonly string[]).includes(severity))
    throw new UserError(`review finding: --severity must be one of ${SEVERITIES.join(', ')}`);
  const entry: ReviewEntry = {
    kind,
    reviewer: ctx.lane.role!,
    target: role,
    sha: reviewedSha(ctx, role),
    text: kind === 'finding' ? text! : null,
    severity: kind === 'finding' ? ((severity ?? 'minor') as ReviewEntry['severity']) : null,
    at: new Date().toISOString(),
    by: gitUser(),
  };
  commitOp(reviewStore, entry);
  return entry;
}

/**
 * `review signoff --policy <rev>`: sign off the exact content of the policy file committed at
 * `<rev>` (its blob id), which the hub requires of `reviews.policy` before integration's policy
 * changes (merge-requirements). The coordinator commits the change on its integration branch; the
 * lanes share its git directory, so the reviewer reads it there before it is pushed.
 */
export function recordPolicySignoff(
  rev: string | undefined,
): ReviewEntry & { file: string | null } {
  const ctx = hookContext();
  if (ctx.lane.kind !== 'review')
    throw new UserError(
      `review signoff --policy: run it in a review lane (this is ${ctx.lane.role ?? 'an unassigned worktree'})`,
    );
  const at = rev ?? ctx.config.integration;
  const commit = resolveCommit(at);
  if (!commit)
    throw new UserError(
      `review signoff --policy: ${JSON.stringify(at)} is no commit here (name the coordinator's branch that holds the change, e.g. ${ctx.config.integration})`,
    );
  const { file, blob } = policyBlob(configBlobs(commit));
  const entry: ReviewEntry = {
    kind: 'signoff',
    reviewer: ctx.lane.role!,
    target: POLICY_TARGET,
    sha: blob,
    text: null,
    severity: null,
    at: new Date().toISOString(),
    by: gitUser(),
  };
  commitOp(reviewStore, entry);
  return { ...entry, file };
}

/**
 * `review resolve <delivery-role> <n>`: close finding number n of that lane (as `review list`,
 * `review export` and the dashboard number them). Only the reviewer who wrote a finding resolves
 * it: a sign-off, even at a later SHA, leaves it open ("approve with comments").
 */
export function resolveFinding(target: string | undefined, which: string | undefined): ReviewEntry {
  const { ctx, target: role } = reviewLane('resolve', target);
  const mine = numberedFindings(readReviews()).filter((f) => f.entry.target === role);
  const n = Number(which);
  const found = /^[1-9][0-9]*$/.test(which ?? '') ? mine.find((f) => f.n === n) : undefined;
  if (!found)
    throw new UserError(
      `review resolve: ${JSON.stringify(which ?? '')} is no finding of ${role} (its findings: ${
        mine.length ? mine.map((f) => f.n).join(', ') : 'none'
      }): lanes-hooks review resolve ${role} <number>`,
    );
  const f = found.entry;
  if (f.reviewer !== ctx.lane.role)
    throw new UserError(
      `review resolve: finding ${n} of ${role} is ${JSON.stringify(f.reviewer)}'s: only the reviewer who wrote it resolves it (in that review lane: lanes-hooks review resolve ${role} ${n})`,
    );
  if (found.resolvedBy)
    throw new UserError(
      `review resolve: finding ${n} of ${role} was resolved already (${found.resolvedBy.at})`,
    );
  const entry: ReviewEntry = {
    kind: 'resolve',
    reviewer: f.reviewer,
    target: role,
    sha: f.sha,
    finding: f.at,
    text: null,
    severity: null,
    at: new Date().toISOString(),
    by: gitUser(),
  };
  commitOp(reviewStore, entry);
  return entry;
}

/** Write the findings and sign-offs of each delivery role as Markdown under reviews.dir. */
export function exportMarkdown(): string[] {
  const ctx = hookContext();
  const entries = readReviews();
  const dir = path.join(ctx.wt.top!, ctx.config.reviews.dir);
  mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  for (const target of [...new Set(entries.map((e) => e.target))]) {
    const mine = entries.filter((e) => e.target === target);
    const lines = [
      `# Reviews of ${target}`,
      '',
      '_Exported by `lanes-hooks review export` from refs/lanes/reviews._',
      '',
    ];
    for (const e of mine) {
      const head = `- ${e.at} · ${e.reviewer} · \`${e.sha.slice(0, 12)}\``;
      lines.push(
        e.kind === 'signoff'
          ? `${head} · **signed off**`
          : e.kind === 'resolve'
            ? `${head} · resolved its finding of ${e.finding ?? '?'}`
            : e.kind === 'carryover'
              ? `${head} · sign-off carried over from \`${(e.from ?? '').slice(0, 12)}\``
              : `${head} · ${e.severity}: ${(e.text ?? '').replace(/\n/g, '\n  ')}`,
      );
    }
    // A policy sign-off's target is no role (POLICY_TARGET): its file is named for what it is.
    const file = path.join(dir, `${target === POLICY_TARGET ? 'policy' : target}.md`);
    writeFileAtomic(file, lines.join('\n') + '\n');
    written.push(file);
  }
  return written;
}
