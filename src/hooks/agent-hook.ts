// agent-hook: what a coding agent's own hook system calls (Claude Code's and Codex's PreToolUse,
// PostToolUse, SessionStart and UserPromptSubmit; the other agents' equivalents,
// agents/registry.ts). Before a file-writing tool runs, the write is judged by the lane's rules and
// refused the way that agent documents (Claude Code and Codex: exit 2, the reason on stderr, which
// the agent reads); after a shell tool ran, what it changed outside the lane's paths is reported to
// the model at once (exit 2 on PostToolUse: the tool has run, stderr becomes feedback); at session
// start the lane brief becomes the model's context (for those two: on stdout).
//
// The lane is the session's (agents/session.ts): the worktree named in the installed command, not
// the payload's cwd, which follows the agent into another lane's worktree.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { realPath as real } from '../util/real-path.js';
import { adapterOf, readAgentPayload, type HookAgent } from '../agents/registry.js';
import { sessionDir, userHookIdle } from '../agents/session.js';
import { lanePolicy } from '../lanes/policy.js';
import { gitMaybe } from '../git/exec.js';
import { currentWorktree, headRefFromFile, listWorktrees, worktreeChanges } from '../git/repo.js';
import { laneOf } from '../lanes/facts.js';
import {
  agentEnterWorktree,
  agentShellChanges,
  agentWrite,
  type WriteTarget,
} from '../policy/agent-write.js';
import { shellQuote } from '../util/sh.js';
import { cliCommand, runnable } from './cli-command.js';
import { formatViolation } from '../policy/format.js';
import { scopeOf } from '../policy/scope.js';
import type { Context, Violation } from '../policy/types.js';
import { laneBrief } from './brief.js';
import { noteRefusals } from './verdict.js';
import { rebaseNotice } from './rebase-notice.js';
import { writeCompiled } from './compile.js';
import { VERSION } from '../version.js';

/** Exit codes of the agents' contract: 0 lets the tool run, 2 blocks it and shows stderr. */
export const AGENT_ALLOW = 0;
export const AGENT_BLOCK = 2;

export interface AgentHookOptions {
  /** The lane's worktree, baked into the command by install (`--lane`). */
  lane?: string | null;
  /** The opt-in user-level hook (`--user`): idle outside governed repositories. */
  user?: boolean;
}

export function agentHook(agent: HookAgent, input: string, opts: AgentHookOptions = {}): number {
  const event = readAgentPayload(agent, input);
  const refuse = (message: string) => answer(agent, 'block', message);
  if (event.kind === 'other') return AGENT_ALLOW;
  const home = sessionDir(agent, opts.lane ?? null, event.cwd);
  if (opts.user && userHookIdle(home)) return AGENT_ALLOW;
  // Outside a git repository there is no lane, and nothing of ours to protect.
  if (!existsSync(home) || gitMaybe(['rev-parse', '--git-dir'], { cwd: home }) === null) {
    if (event.kind === 'unreadable')
      return refuse(`lanes-hooks: ${event.why}: refused, to stay safe.`);
    return AGENT_ALLOW;
  }
  const cwd = event.cwd ?? home;
  const wt = currentWorktree(home);
  const policy = lanePolicy(wt);
  const { config } = policy;
  const ctx: Context = { config, lane: laneOf(wt, config) };
  const cli = cliCommand(wt);
  const report = (violations: Violation[]) => {
    if (!violations.length) return AGENT_ALLOW;
    noteRefusals(ctx, violations, cwd, `agent-hook (${agent})`);
    return refuse(
      runnable(
        violations.map((v) => formatViolation(v).replace(/\n {2}override: .*$/, '')).join('\n\n'),
        cli,
      ),
    );
  };
  if (event.kind === 'session-start' || event.kind === 'prompt') {
    // Keep the light entry's compiled facts current, as git's hooks do (hooks/context.ts): the
    // next prompt with nothing new to say is answered there, without loading this CLI.
    writeCompiled(wt, policy, ctx.lane, VERSION);
    const brief = event.kind === 'session-start' ? laneBrief(ctx, wt) : null;
    return answer(agent, 'context', (brief?.text ?? '') + rebaseNotice(ctx, wt, brief));
  }
  if (event.kind === 'unreadable')
    return refuse(
      `lanes-hooks: cannot tell what this tool would write (${event.why}): refused, to stay safe.\n  fix:  retry the edit; ${cli} brief shows what this lane may change`,
    );
  if (event.kind === 'enter-worktree') {
    const to = event.path === null ? null : path.resolve(cwd, event.path);
    const own = to !== null && wt.top !== null && real(to) === real(wt.top);
    const other = to && !own ? laneAt(to, home) : null;
    return report(agentEnterWorktree(ctx, to, own, other));
  }
  if (event.kind === 'after-shell') {
    if (!wt.top) return AGENT_ALLOW;
    const { tracked, untracked } = worktreeChanges(wt.top);
    return report(
      agentShellChanges(ctx, scopeOf(config, ctx.lane), event.tool, tracked, untracked, shellQuote),
    );
  }
  const targets = event.paths.map((p) => target(path.resolve(cwd, p), wt.top, home));
  const violations = agentWrite(
    ctx,
    scopeOf(config, ctx.lane),
    headRefFromFile(wt.gitDir),
    event.tool,
    targets,
  );
  return report(violations);
}

/**
 * Refuse the tool call ('block') or give the brief ('context') the way `agent` documents it: for
 * Claude Code and Codex exit 2 with the reason on stderr, and the brief as plain stdout; for the
 * others their adapter's reply (agents/registry.ts).
 */
function answer(agent: HookAgent, what: 'block' | 'context', text: string): number {
  const adapter = adapterOf(agent);
  if (what === 'block') text = text.endsWith('\n') ? text : text + '\n';
  if (adapter) {
    const r = what === 'block' ? adapter.block(text) : adapter.context(text);
    process.stdout.write(r.stdout);
    process.stderr.write(r.stderr);
    return r.code;
  }
  if (what === 'context') {
    process.stdout.write(text);
    return AGENT_ALLOW;
  }
  process.stderr.write(text);
  return AGENT_BLOCK;
}

const inside = (dir: string, p: string) => {
  const rel = path.relative(dir, p);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : null;
};

/** The role of the worktree whose top is `dir`, if it is one of this repository's. */
function laneAt(dir: string, cwd: string): string | null {
  for (const w of listWorktrees(cwd)) {
    if (w.bare || real(w.path) !== real(dir)) continue;
    const other = currentWorktree(w.path);
    return laneOf(other, lanePolicy(other).config).role ?? 'an unassigned worktree';
  }
  return null;
}

function target(abs: string, top: string | null, cwd: string): WriteTarget {
  const file = real(abs);
  const rel = top ? inside(real(top), file) : null;
  if (rel !== null) return { given: abs, rel: rel.split(path.sep).join('/'), otherLane: null };
  // Another worktree of this repository is another lane's: name it (only on this rare path).
  for (const w of listWorktrees(cwd)) {
    if (w.bare || !inside(real(w.path), file)) continue;
    const other = currentWorktree(w.path);
    const { config } = lanePolicy(other);
    return {
      given: abs,
      rel: null,
      otherLane: laneOf(other, config).role ?? 'an unassigned worktree',
    };
  }
  return { given: abs, rel: null, otherLane: null };
}
