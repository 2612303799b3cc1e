// The rebase request in a coding agent's context: when integration moves past a delivery lane,
// its agent is told at the next prompt (Claude Code's UserPromptSubmit, whose stdout joins the
// context) — once per integration commit, so a lane that stays behind is not told at every prompt.
// The session-start brief says it too, and counts as telling.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { resolveCommit, type Worktree } from '../git/repo.js';
import { rebaseNeed, somePaths, type RebaseNeed } from '../lanes/radar.js';
import type { Context } from '../policy/types.js';
import { writeFileAtomic } from '../util/fs.js';
import type { Brief } from './brief.js';

/** Where the last integration commit the agent was told about is kept (the worktree's git dir). */
export const noticeFile = (wt: Worktree) => path.join(wt.gitDir, 'lanes-hooks.rebase-notice');

/** The notice to add to the agent's context ('' when there is nothing new to say). */
export function rebaseNotice(ctx: Context, wt: Worktree, brief: Brief | null): string {
  if (ctx.lane.kind !== 'delivery') return '';
  const need = brief
    ? brief.rebase
    : rebaseNeed(ctx.config, resolveCommit('HEAD', wt.top ?? wt.gitDir), wt.commonDir);
  if (!need) return '';
  let told = '';
  try {
    told = readFileSync(noticeFile(wt), 'utf8').trim();
  } catch {
    /* never told */
  }
  if (told === need.sha) return '';
  try {
    writeFileAtomic(noticeFile(wt), need.sha + '\n');
  } catch {
    /* a read-only git dir: the agent is told again next time */
  }
  return brief ? '' : noticeText(ctx, need);
}

export function noticeText(ctx: Context, need: RebaseNeed): string {
  const { remote } = ctx.config;
  const lines = [
    `lanes-hooks: integration moved to ${need.sha.slice(0, 7)} (${need.onto}, ${need.behind} new): rebase onto it before you push:`,
    `  ${need.remote ? `git fetch ${remote} && ` : ''}git rebase ${need.onto}`,
  ];
  if (need.conflicts.length)
    lines.push(
      `  it will conflict on ${somePaths(need.conflicts)}: resolve each, git add it, git rebase --continue`,
    );
  return lines.join('\n') + '\n';
}
