// agent-hook: what a coding agent's own hook system calls (Claude Code's and Codex's PreToolUse
// and SessionStart; the other agents' equivalents, agents/registry.ts). Before a file-writing tool
// runs, the write is judged by the lane's rules and refused the way that agent documents (Claude
// Code and Codex: exit 2, the reason on stderr, which the agent reads); at session start the lane
// brief becomes the model's context (for those two: on stdout).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { realPath as real } from '../util/real-path.js';
import { adapterOf, readAgentPayload, type HookAgent } from '../agents/registry.js';
import { lanePolicy } from '../lanes/policy.js';
import { gitMaybe } from '../git/exec.js';
import { currentWorktree, headRefFromFile, listWorktrees } from '../git/repo.js';
import { laneOf } from '../lanes/facts.js';
import { agentWrite, type WriteTarget } from '../policy/agent-write.js';
import { formatViolation } from '../policy/format.js';
import { scopeOf } from '../policy/scope.js';
import type { Context } from '../policy/types.js';
import { laneBrief } from './brief.js';
import { noteRefusals } from './verdict.js';
import { rebaseNotice } from './rebase-notice.js';

/** Exit codes of the agents' contract: 0 lets the tool run, 2 blocks it and shows stderr. */
export const AGENT_ALLOW = 0;
export const AGENT_BLOCK = 2;

export function agentHook(agent: HookAgent, input: string): number {
  const event = readAgentPayload(agent, input);
  const refuse = (message: string) => answer(agent, 'block', message);
  if (event.kind === 'other') return AGENT_ALLOW;
  const cwd = event.cwd ?? process.cwd();
  // Outside a git repository there is no lane, and nothing of ours to protect.
  if (!existsSync(cwd) || gitMaybe(['rev-parse', '--git-dir'], { cwd }) === null) {
    if (event.kind === 'unreadable')
      return refuse(`lanes-hooks: ${event.why}: refused, to stay safe.`);
    return AGENT_ALLOW;
  }
  const wt = currentWorktree(cwd);
  const { config } = lanePolicy(wt);
  const ctx: Context = { config, lane: laneOf(wt, config) };
  if (event.kind === 'session-start' || event.kind === 'prompt') {
    const brief = event.kind === 'session-start' ? laneBrief(ctx, wt) : null;
    return answer(agent, 'context', (brief?.text ?? '') + rebaseNotice(ctx, wt, brief));
  }
  if (event.kind === 'unreadable')
    return refuse(
      `lanes-hooks: cannot tell what this tool would write (${event.why}): refused, to stay safe.\n  fix:  retry the edit; lanes-hooks brief shows what this lane may change`,
    );
  const targets = event.paths.map((p) => target(path.resolve(cwd, p), wt.top, cwd));
  const violations = agentWrite(
    ctx,
    scopeOf(config, ctx.lane),
    headRefFromFile(wt.gitDir),
    event.tool,
    targets,
  );
  if (!violations.length) return AGENT_ALLOW;
  noteRefusals(ctx, violations, cwd, `agent-hook (${agent})`);
  return refuse(
    violations.map((v) => formatViolation(v).replace(/\n {2}override: .*$/, '')).join('\n\n'),
  );
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
