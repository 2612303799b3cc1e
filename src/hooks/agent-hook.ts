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
import { claudeBlock, claudeContext, claudeEventName } from '../agents/claude-reply.js';
import { managedHookIdle, sessionDir, userHookIdle, yieldsContext } from '../agents/session.js';
import { lanePolicy } from '../lanes/policy.js';
import { gitMaybe } from '../git/exec.js';
import {
  currentWorktree,
  detachesOnItsOwn,
  headBranch,
  headRefFromFile,
  listWorktrees,
  transientState,
  worktreeChanges,
} from '../git/repo.js';
import { headCommitsBeyond } from '../git/history.js';
import { integrationRef, remoteRef, shortBranch } from '../lanes/names.js';
import { agentShellCommits, type ShellCommits } from '../policy/agent-commits.js';
import { hookScriptFiles, repairHookScripts, repairInstallNode } from './hook-scripts.js';
import { compiledAsChecked, noteShellChecked } from '../agents/shell-checked.js';
import { laneOf } from '../lanes/facts.js';
import {
  agentEnterWorktree,
  agentShellChanges,
  agentWrite,
  type WriteTarget,
} from '../policy/agent-write.js';
import { agentWorktreeCreate } from '../policy/agent-worktree.js';
import { shellQuote } from '../util/sh.js';
import { cliCommand, runnable } from './cli-command.js';
import { formatViolation } from '../policy/format.js';
import { scopeOf } from '../policy/scope.js';
import type { Context, Violation } from '../policy/types.js';
import { laneBrief } from './brief.js';
import { noteRefusals } from './verdict.js';
import { rebaseNotice } from './rebase-notice.js';
import {
  agentTitle,
  disablesAllHooks,
  recordedSettings,
  restoreDrift,
  settingsDrift,
} from '../agents/guard.js';
import {
  hookIntegrityCompiled,
  hookIntegrityConfig,
  hookIntegrityScripts,
  hookIntegrityShell,
  hookIntegritySwitches,
  type SwitchFound,
  hookIntegrityWrite,
  type GuardedWrite,
  type SettingsRepair,
} from '../policy/hook-integrity.js';
import { hooksBase, readInstallState, rootCheckout } from './install.js';
import { claudeUserSettings, codexHome, installedAgents } from '../agents/settings.js';
import {
  clearSwitch,
  findSwitches,
  switchPlaces,
  type FoundSwitch,
} from '../agents/off-switches.js';
import type { Worktree } from '../git/repo.js';
import { repairCompiled, writeCompiled } from './compile.js';
import { newSinceLastReport } from './shell-seen.js';
import {
  noteSubagentStart,
  noteSubagentStop,
  subagentReportFile,
  takeSubagentReports,
} from '../agents/subagent-runs.js';
import { showText } from '../util/text.js';
import { VERSION } from '../version.js';

/** Exit codes of the agents' contract: 0 lets the tool run, 2 blocks it and shows stderr. */
export const AGENT_ALLOW = 0;
export const AGENT_BLOCK = 2;

export interface AgentHookOptions {
  /** The lane's worktree, baked into the command by install (`--lane`). */
  lane?: string | null;
  /** The opt-in user-level hook (`--user`): idle outside governed repositories. */
  user?: boolean;
  /** install --managed's machine-wide entry: idle outside this common git dir's repository. */
  managed?: string | null;
}

export function agentHook(agent: HookAgent, input: string, opts: AgentHookOptions = {}): number {
  const event = readAgentPayload(agent, input);
  const hookEvent = agent === 'claude' ? claudeEventName(input) : null;
  const refuse = (message: string) => answer(agent, 'block', message, hookEvent);
  if (event.kind === 'other') return AGENT_ALLOW;
  const home = sessionDir(agent, opts.lane ?? null, event.cwd);
  if (opts.user && userHookIdle(home)) return AGENT_ALLOW;
  if (opts.managed && managedHookIdle(home, opts.managed)) return AGENT_ALLOW;
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
  if (event.kind === 'subagent-stop') {
    // Kept for the parent session (subagent-runs.ts); nothing is shown here (exit 0).
    if (wt.top) noteSubagentStop(wt, event.id, event.type, outsideScope(wt, ctx));
    return AGENT_ALLOW;
  }
  if (event.kind === 'subagent-start' && wt.top)
    noteSubagentStart(wt, event.id, outsideScope(wt, ctx));
  if (
    event.kind === 'session-start' ||
    event.kind === 'subagent-start' ||
    event.kind === 'prompt'
  ) {
    if (wt.top && yieldsContext(agent, opts.lane ?? null, wt.top, home)) return AGENT_ALLOW;
    // Keep the light entry's compiled facts current, as git's hooks do (hooks/context.ts): the
    // next prompt with nothing new to say is answered there, without loading this CLI.
    writeCompiled(wt, policy, ctx.lane, VERSION);
    // The light entry may answer the first shell command alone once HEAD's commits and git's
    // hooks are found clean here (as the after-shell check would find them).
    if (event.kind === 'session-start' && wt.top) {
      const scope = scopeOf(config, ctx.lane);
      if (
        !repairHookScripts(wt, false).length &&
        !agentShellCommits(ctx, scope, 'session', laneCommits(wt, ctx)).length
      )
        noteShellChecked(wt.gitDir, wt.commonDir, hookScriptFiles(wt));
    }
    const brief = event.kind !== 'prompt' ? laneBrief(ctx, wt) : null;
    // A background sub-agent's report reaches the parent at the prompt its completion notice
    // raises (subagent-runs.ts).
    const told = event.kind === 'prompt' ? subagentReport(wt, ctx) : '';
    return answer(
      agent,
      'context',
      told + (brief?.text ?? '') + rebaseNotice(ctx, wt, brief),
      hookEvent,
    );
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
  if (event.kind === 'worktree-create') {
    // Claude Code would make a worktree on a new branch: refused, so it makes none (exit 2, the
    // reason on stderr: agents/claude-worktree.ts has the contract). Another worktree's entry that
    // 2.1.328 also runs here exits 0 with no path where the session's own entry speaks: creation
    // still fails (no hook gave a path) and Claude Code reports only the failing entry's reason,
    // so the model reads it once.
    if (wt.top && yieldsContext(agent, opts.lane ?? null, wt.top, home, true)) return AGENT_ALLOW;
    return report(agentWorktreeCreate(ctx, event.name));
  }
  if (event.kind === 'config-change') {
    // Claude Code applies a changed settings file to the running session unless this blocks it.
    // Nothing is written here: the after-shell check that follows a shell command restores the
    // file and tells the model, so that the report does not depend on which of the two runs first.
    const file = event.file ? real(path.resolve(cwd, event.file)) : null;
    const state = readInstallState(wt);
    const drifted =
      file !== null &&
      state !== null &&
      settingsDrift(hooksBase(wt), state.node).some((d) => real(d.file) === file);
    return report(
      hookIntegrityConfig(event.file ?? '', drifted, file !== null && disablesAllHooks(file)),
    );
  }
  if (event.kind === 'after-shell') {
    // The agents' settings files are ignored by git: checked (and put back) on their own; so are
    // git's hooks, which a shell command could have rewritten or pointed elsewhere.
    // The install record first: both repairs compute from it (hook-scripts.ts repairInstallNode).
    const record = repairInstallNode(wt);
    const repairs = repairAgentSettings(wt);
    const scripts = [...record, ...repairHookScripts(wt)];
    // The compiled policy the light entry and the shims decide from: a shell command is the only
    // way to rewrite it, and this check follows every one (agents/shell-checked.ts). Compiled
    // again to compare (git's ls-tree and config) only when the files are not those verified last.
    const compiled = compiledAsChecked(wt.gitDir)
      ? []
      : repairCompiled(wt, policy, ctx.lane, VERSION);
    const integrity = [
      ...hookIntegrityShell(event.tool, repairs),
      ...hookIntegrityScripts(event.tool, scripts),
      ...hookIntegrityCompiled(event.tool, compiled),
      ...hookIntegritySwitches(event.tool, clearOffSwitches(wt)),
    ];
    if (!wt.top) return report(integrity);
    const { tracked, untracked } = worktreeChanges(wt.top);
    const scope = scopeOf(config, ctx.lane);
    // Only what this command changed: a file an earlier command left (and the model was told
    // about) is not blamed on this one (shell-seen.ts).
    const outside = scope ? [...tracked, ...untracked].filter((p) => !scope.allows(p)) : [];
    const fresh = newSinceLastReport(wt, outside);
    const isNew = (p: string) => !scope || scope.allows(p) || fresh.has(p);
    // The Agent tool returned: what its sub-agent changed is told to this (the parent) session,
    // even where the sub-agent's own check already told the sub-agent (subagent-runs.ts).
    const sub = SUBAGENT_TOOLS.has(event.tool) ? subagentChanges(wt, ctx, tracked, untracked) : [];
    const subPaths = new Set(sub.flatMap((v) => v.paths ?? []));
    const isOwn = (p: string) => isNew(p) && !subPaths.has(p);
    const violations = [
      ...integrity,
      ...agentShellCommits(ctx, scope, event.tool, laneCommits(wt, ctx)),
      ...sub,
      ...agentShellChanges(
        ctx,
        scope,
        event.tool,
        tracked.filter(isOwn),
        untracked.filter(isOwn),
        shellQuote,
      ),
    ];
    // The light entry may answer the next shell command alone only from a state found clean (a
    // file left outside the scope, even one already reported, is not clean).
    if (!violations.length && !outside.length)
      noteShellChecked(wt.gitDir, wt.commonDir, hookScriptFiles(wt));
    return report(violations);
  }
  const abs = event.paths.map((p) => path.resolve(cwd, p));
  const guarded = guardedWrites(wt, abs);
  if (guarded.length) return report(hookIntegrityWrite(event.tool, guarded));
  const targets = abs.map((p) => target(p, wt.top, home));
  const violations = agentWrite(
    ctx,
    scopeOf(config, ctx.lane),
    headRefFromFile(wt.gitDir),
    event.tool,
    targets,
  );
  return report(violations);
}

/** Claude Code's sub-agent tool: Agent (Task before 2.1). */
const SUBAGENT_TOOLS = new Set(['Agent', 'Task']);

/** The paths outside the lane's scope that the worktree holds changed or new now. */
function outsideScope(wt: Worktree, ctx: Context): string[] {
  const scope = scopeOf(ctx.config, ctx.lane);
  if (!wt.top || !scope) return [];
  const { tracked, untracked } = worktreeChanges(wt.top);
  return [...tracked, ...untracked].filter((p) => !scope.allows(p));
}

/**
 * The sub-agents' reports waiting for the parent (subagent-runs.ts), each as path-scope
 * violations naming the sub-agent, for the paths that still stand outside the scope.
 */
function subagentChanges(
  wt: Worktree,
  ctx: Context,
  tracked: string[],
  untracked: string[],
): Violation[] {
  const scope = scopeOf(ctx.config, ctx.lane);
  const t = new Set(tracked);
  const u = new Set(untracked);
  return takeSubagentReports(wt).flatMap((r) =>
    agentShellChanges(
      ctx,
      scope,
      `the sub-agent ${showText(r.type || 'unnamed')} (Agent tool)`,
      r.paths.filter((p) => t.has(p)),
      r.paths.filter((p) => u.has(p)),
      shellQuote,
    ),
  );
}

/** At a prompt: the sub-agents' reports as the text that joins the parent's context, or ''. */
function subagentReport(wt: Worktree, ctx: Context): string {
  if (!wt.top || !existsSync(subagentReportFile(wt.gitDir))) return '';
  const { tracked, untracked } = worktreeChanges(wt.top);
  const found = subagentChanges(wt, ctx, tracked, untracked);
  if (!found.length) return '';
  noteRefusals(ctx, found, wt.top, 'agent-hook (claude)');
  return (
    runnable(
      found.map((v) => formatViolation(v).replace(/\n {2}override: .*$/, '')).join('\n\n'),
      cliCommand(wt),
    ) + '\n'
  );
}

/**
 * The commits on HEAD that no hook may have judged: beyond integration (local and as fetched) and
 * beyond what the lane's branch already holds on the remote (judged by pre-push and the hub).
 */
function laneCommits(wt: Worktree, ctx: Context): ShellCommits {
  const { config, lane } = ctx;
  const top = wt.top!;
  const exclude = [integrationRef(config), remoteRef(config.remote, config.integration)];
  if (lane.ownBranch) exclude.push(remoteRef(config.remote, shortBranch(lane.ownBranch)));
  return {
    branch: headBranch(top),
    transient: detachesOnItsOwn(transientState(wt.gitDir)),
    commits: headCommitsBeyond(exclude, top),
  };
}

/**
 * The switches that turn an installed agent's hooks off, beyond the files install recorded
 * (agents/guard.ts puts those back): a project file's switch is taken out, a user's is reported.
 */
function offSwitches(wt: Worktree): FoundSwitch[] {
  if (!wt.top) return [];
  const base = hooksBase(wt);
  const recorded = new Set(recordedSettings(base).map((r) => real(r.file)));
  return findSwitches(switchPlaces(installedAgents(base), wt.top, rootCheckout(wt.top))).filter(
    (s) => !recorded.has(real(s.file)),
  );
}

function clearOffSwitches(wt: Worktree): SwitchFound[] {
  return offSwitches(wt).map((s) => ({
    title: agentTitle(s.agent),
    file: s.file,
    level: s.level,
    what: s.what,
    cleared: s.level === 'project' && clearSwitch(s),
  }));
}

/** Every recorded agent settings file that lost lanes-hooks' entry, put back (agents/guard.ts). */
function repairAgentSettings(wt: Worktree): SettingsRepair[] {
  const state = readInstallState(wt);
  if (!state) return [];
  return settingsDrift(hooksBase(wt), state.node).map((d) => ({
    title: agentTitle(d.agent),
    agent: d.agent,
    file: d.file,
    state: d.state,
    restored: d.state !== 'unreadable' && restoreDrift(d),
  }));
}

/**
 * The paths among `abs` where a file tool would change the hooks that check this lane: an agent's
 * hook settings (what install wrote, Claude Code's project and user settings, Codex's
 * config.toml), the repository's git directory (git's hooks, lanes-hooks' folder, the config that
 * names core.hooksPath) and core.hooksPath wherever it points.
 */
function guardedWrites(wt: Worktree, abs: string[]): GuardedWrite[] {
  const files = new Map<string, string>();
  const base = hooksBase(wt);
  const recorded = recordedSettings(base);
  for (const r of recorded) files.set(real(r.file), `${agentTitle(r.agent)}'s hook settings`);
  const agents = new Set(recorded.map((r) => r.agent));
  if (agents.has('claude')) {
    if (wt.top)
      files.set(
        real(path.join(wt.top, '.claude', 'settings.json')),
        "Claude Code's project settings (`disableAllHooks` there turns every hook off)",
      );
    files.set(real(claudeUserSettings()), "Claude Code's user settings");
  }
  if (agents.has('codex'))
    files.set(real(path.join(codexHome(), 'config.toml')), "Codex's config (hook trust, features)");
  // Every file where an installed agent reads a switch that turns its hooks off.
  if (wt.top)
    for (const p of switchPlaces([...agents], wt.top, rootCheckout(wt.top)))
      if (!files.has(real(p.file)))
        files.set(
          real(p.file),
          `${p.level === 'project' ? 'a project' : p.level === 'user' ? "the user's" : 'the system'} settings file of ${agentTitle(p.agent)} (a switch there turns its hooks off)`,
        );
  const dirs: [string, string][] = [
    [real(wt.commonDir), "the repository's git directory (git's hooks, lanes-hooks' own files)"],
  ];
  const hooksPath = gitMaybe(['config', '--get', 'core.hooksPath'], { cwd: wt.top ?? wt.gitDir });
  if (hooksPath)
    dirs.push([real(path.resolve(wt.top ?? wt.gitDir, hooksPath)), "git's hooks (core.hooksPath)"]);
  const out: GuardedWrite[] = [];
  for (const given of abs) {
    const file = real(given);
    const what =
      files.get(file) ?? dirs.find(([d]) => file === d || inside(d, file) !== null)?.[1] ?? null;
    if (what) out.push({ given, what });
  }
  return out;
}

/**
 * Refuse the tool call ('block') or give the brief ('context') the way `agent` documents it: for
 * the entries of Claude Code's settings its JSON decision (agents/claude-reply.ts; `event` is the
 * payload's hook_event_name), for Codex exit 2 with the reason on stderr and the brief as plain
 * stdout, for the others their adapter's reply (agents/registry.ts).
 */
function answer(
  agent: HookAgent,
  what: 'block' | 'context',
  text: string,
  event: string | null,
): number {
  const adapter = adapterOf(agent);
  if (what === 'block') text = text.endsWith('\n') ? text : text + '\n';
  const r =
    agent === 'claude'
      ? what === 'block'
        ? claudeBlock(event, text)
        : claudeContext(event, text)
      : adapter
        ? what === 'block'
          ? adapter.block(text)
          : adapter.context(text)
        : null;
  if (r) {
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
