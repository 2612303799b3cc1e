// agent-hook's light entry (dist/agent-hook.cjs): the command the coding agents run before every
// file write. Loading the whole CLI costs more than starting Node, so this file decides the common
// case alone — an edit inside the lane's scope, on the lane's own branch — from the worktree's
// compiled policy (hooks/compile.ts: CompiledFacts, fresh only while every input it was made from
// is unchanged), and like the shell shims it only ever ALLOWS. Anything else, every refusal and
// the session-start brief, goes to the full CLI in the same process. After a shell command it
// checks the worktree with two git commands (fast-shell.ts, loaded only then). At a prompt
// (Claude Code's UserPromptSubmit) it says nothing itself where the full CLI would say nothing:
// outside delivery lanes, and while integration is where the last rebase notice named.
//
// Why CommonJS (bench/agent-hook.md, issue 27): on Node 20 an ES module entry starts Node's ESM
// loader, and importing a builtin from ESM builds its export facade, which runs every lazy getter
// of the module (node:fs's ReadStream loads all of node:stream); `node x.mjs` with an empty file
// already costs more than `node -e 0`. A CommonJS entry whose hot path requires only node:fs and
// node:path costs what `node -e 0` costs plus the decision. The esbuild bundle keeps the modules
// only the after-shell check needs (git's child process, node:crypto, node:os) behind a dynamic
// import, which it turns into a lazy initialiser: an allowed write never runs them.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { realPath as real } from '../util/real-path.js';
import { scopeTest } from '../lanes/scope-regexp.js';
import { COMPILED_JSON, factsTrusted, readText, refIs, type CompiledFacts } from './compiled.js';
import { HOOK_AGENTS, readAgentPayload, type HookAgent } from './registry.js';
import { hookArgs } from './payload.js';
import {
  findWorktree,
  managedHookIdle,
  sessionDir,
  userHookIdle,
  yieldsContext,
} from './session.js';
import { mayBeGuarded } from './guard.js';
import { subagentReportFile } from './subagent-report-file.js';

declare const __LANES_VERSION__: string;
/** This bundle's folder (CommonJS): the full CLI, lanes-hooks.mjs, is installed beside it. */
declare const __dirname: string;

const args = hookArgs(process.argv.slice(2));
// The folder the hook command names this entry in: install's base, as written into every command.
const base = path.dirname(process.argv[1]!);
const input = readFileSync(0, 'utf8');
const decided = allows(args.agent, input);
// An allowed write is decided synchronously: no promise, no further module, exit 0.
if (decided !== true) void Promise.resolve(decided).then((ok) => ok || full());

/** Hands the event to the full CLI in this process (every refusal, the brief, anything unclear). */
function full(): Promise<unknown> {
  // The full CLI reads the payload from here: stdin is already consumed.
  (globalThis as { __lanesAgentInput?: string }).__lanesAgentInput = input;
  const cli = path.join(__dirname, 'lanes-hooks.mjs');
  process.argv = [process.argv[0]!, cli, 'agent-hook', ...process.argv.slice(2)];
  return import('node:url').then((url) => import(url.pathToFileURL(cli).href));
}

/**
 * true: allowed here. false (or a promise of false, after a shell command): the full CLI decides.
 * A throw is a bug here, never an allow: the full CLI decides then too.
 */
function allows(agent: string, input: string): boolean | Promise<boolean> {
  try {
    return decide(agent, input);
  } catch {
    return false;
  }
}

function decide(agent: string, input: string): boolean | Promise<boolean> {
  if (!(HOOK_AGENTS as readonly string[]).includes(agent)) return false;
  const event = readAgentPayload(agent as HookAgent, input);
  if (event.kind === 'other') return true;
  const home = sessionDir(agent, args.lane, 'cwd' in event ? event.cwd : null);
  // The user-level hook is silent outside governed repositories and where a project hook runs.
  if (args.user && userHookIdle(home)) return true;
  if (args.managed && managedHookIdle(home, args.managed)) return true;
  // A prompt: only Claude Code's UserPromptSubmit, whose plain stdout would join the context.
  if (
    event.kind === 'prompt'
      ? agent !== 'claude'
      : event.kind !== 'write' && event.kind !== 'after-shell'
  )
    return false;
  const cwd = event.cwd ?? home;
  const wt = findWorktree(home);
  if (!wt) return false;
  // Another worktree's entry that this client also runs: the session's own entry gives the brief.
  if (event.kind === 'prompt' && yieldsContext(agent, args.lane, wt.top, home)) return true;
  let facts: CompiledFacts | null;
  try {
    facts = JSON.parse(readFileSync(path.join(wt.gitDir, COMPILED_JSON), 'utf8'));
  } catch {
    return false;
  }
  if (!factsTrusted(facts, wt.top, __LANES_VERSION__)) return false;
  // The lane's kind is fresh from here on; the branch does not change what a prompt is told.
  // A sub-agent's report waiting for this session (subagent-runs.ts): the full CLI tells it.
  if (event.kind === 'prompt')
    return !existsSync(subagentReportFile(wt.gitDir)) && nothingToSay(facts, wt.gitDir);
  const head = readText(path.join(wt.gitDir, 'HEAD'))?.trim() ?? '';
  if (!head.startsWith('ref: ')) return false;
  const branch = head.slice(5);
  if (facts.kind === 'coordinator') {
    if (branch === facts.release) return false;
  } else if ((facts.kind !== 'delivery' && facts.kind !== 'review') || branch !== facts.own) {
    return false;
  }
  const top = real(wt.top);
  // The scope as compiled with the facts (no glob library here); without it, the full check.
  if (facts.scope !== null && !Array.isArray(facts.scopeRe)) return false;
  const inScope = facts.scope === null ? () => true : scopeTest(facts.scopeRe!);
  // After a shell command: fast-shell.ts, loaded only now (see the header).
  if (event.kind === 'after-shell')
    return import('./fast-shell.js').then(
      (m) => m.shellAllows(wt, facts!, base, inScope),
      () => false,
    );
  if (event.kind !== 'write') return false;
  return event.paths.every((p) => {
    const rel = path.relative(top, real(path.resolve(cwd, p)));
    const slashed = rel.split(path.sep).join('/');
    return (
      rel !== '' &&
      !rel.startsWith('..') &&
      !path.isAbsolute(rel) &&
      // An agent's hook settings, or git's own folder: the full check decides (hook-integrity).
      !mayBeGuarded(slashed) &&
      inScope(slashed)
    );
  });
}

/**
 * Whether the full CLI would add nothing to the agent's context at this prompt: its rebase notice
 * (hooks/rebase-notice.ts) speaks only in a delivery lane, and only of an integration commit the
 * agent was not told about yet; while both copies of integration still hold the commit in the
 * notice file, what it would name is that commit (or the lane is not behind at all).
 */
function nothingToSay(facts: CompiledFacts, gitDir: string): boolean {
  if (facts.kind !== 'delivery') return true;
  const told = readText(path.join(gitDir, 'lanes-hooks.rebase-notice'))?.trim() ?? '';
  return (
    /^[0-9a-f]{40,64}$/.test(told) &&
    !!facts.integration?.length &&
    facts.integration.every((r) => refIs(facts.common, r, told))
  );
}
