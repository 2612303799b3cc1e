// Which worktree an agent's session belongs to: decided by the session, never by which settings
// file holds the hook entry. Claude Code 2.1.197 runs the hooks of the lane's own
// `.claude/settings.json` and `.claude/settings.local.json`; 2.1.328, started in a linked
// worktree, ALSO runs those of the main checkout's `.claude/settings.local.json` (recorded from
// both binaries, test/deep/agents-clients.test.ts), so an entry installed for the coordinator runs in
// every lane's session. Copilot CLI runs the `.claude/` entries of the worktree it started in.
// Shared by agent-hook's light entry and the full CLI; file reads only, no git.
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { realPath as real } from '../util/real-path.js';

/**
 * The directory that fixes the session's lane:
 * - an entry of Claude Code's settings: CLAUDE_PROJECT_DIR, the directory the session started in.
 *   Claude Code (both releases) and Copilot CLI set it for every hook, and Claude Code keeps it
 *   when EnterWorktree moves the session (the payload's cwd follows the move), so neither a
 *   coordinator's entry running in a lane's session nor a session that changed worktree decides
 *   by the wrong lane. Without it (another client reading Claude Code's settings), the payload's
 *   cwd: the entry's `--lane` says where it was installed, not where the session runs;
 * - the other agents read their settings only in the worktree they started in: `--lane`, baked
 *   into the command by install, is the session's worktree whatever cwd a payload names later;
 * - Codex: the payload's cwd. Codex reads one hooks.json for every worktree (the root
 *   checkout's), so the command cannot name the lane; its cwd is the session's, fixed at start.
 */
export function sessionDir(
  agent: string,
  lane: string | null,
  payloadCwd: string | null,
  env: NodeJS.ProcessEnv = process.env,
): string {
  if (agent === 'claude') return env.CLAUDE_PROJECT_DIR || payloadCwd || lane || process.cwd();
  return lane ?? payloadCwd ?? process.cwd();
}

/**
 * An entry installed for another worktree (`--lane`) that runs in this session because the
 * client also loads that worktree's settings (Claude Code 2.1.328 loads the main checkout's): it
 * stays silent where only one voice is wanted — the brief at session start and at a prompt, and
 * the refusal of WorktreeCreate — when an entry that says it runs too: the session's own
 * worktree entry, which Claude Code loads only where the session STARTED (`startDir`: both
 * releases read `.claude/settings{,.local}.json` of that folder alone, besides 2.1.328's main
 * checkout; test/deep/agents-worktree-unguarded.test.ts records it with `--debug-file`), or else
 * the user-level hook (`--user-hook`), which speaks for a session started in a subfolder. In a
 * subfolder session with neither, this entry is the only one: it speaks. Tool decisions are never
 * left to the other entry: both judge by the session's lane and agree.
 */
export function yieldsContext(
  agent: string,
  lane: string | null,
  sessionTop: string,
  startDir: string = sessionTop,
  /** WorktreeCreate: the user-level hook has no entry for it (agents/claude-worktree.ts). */
  worktreeCreate = false,
  env: NodeJS.ProcessEnv = process.env,
): boolean {
  if (agent !== 'claude' || !lane) return false;
  if (real(lane) === real(sessionTop)) return false;
  if (hasEntry(path.join(startDir, '.claude', 'settings.local.json'), LANE_ENTRY)) return true;
  // Started in a subfolder: no worktree entry of the session's own runs; the user hook may.
  if (worktreeCreate || real(startDir) === real(sessionTop)) return false;
  const home = env.CLAUDE_CONFIG_DIR || (env.HOME && path.join(env.HOME, '.claude'));
  return !!home && hasEntry(path.join(home, 'settings.json'), USER_ENTRY);
}

/** lanes-hooks' command in a worktree's own settings (`--lane`) and in the user's (`--user`). */
const LANE_ENTRY = /agent-hook\.[cm]js'? claude --lane /;
const USER_ENTRY = /agent-hook\.[cm]js'? claude --user/;

/** Whether a Claude Code settings file holds a lanes-hooks entry that `entry` matches. */
function hasEntry(file: string, entry: RegExp): boolean {
  try {
    return entry.test(readFileSync(file, 'utf8'));
  } catch {
    return false;
  }
}

/** The worktree holding `dir`: its top, its own git dir and the common dir, found without git. */
export function findWorktree(
  dir: string,
): { top: string; gitDir: string; commonDir: string } | null {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    const dotGit = path.join(d, '.git');
    try {
      if (statSync(dotGit).isDirectory()) return { top: d, gitDir: dotGit, commonDir: dotGit };
      const m = /^gitdir: (.+)$/m.exec(readFileSync(dotGit, 'utf8'));
      if (!m) return null;
      const gitDir = path.resolve(d, m[1]!.trim());
      let commonDir = gitDir;
      try {
        commonDir = path.resolve(
          gitDir,
          readFileSync(path.join(gitDir, 'commondir'), 'utf8').trim(),
        );
      } catch {
        /* not a linked worktree */
      }
      return { top: d, gitDir, commonDir };
    } catch {
      if (path.dirname(d) === d) return null;
    }
  }
}

/**
 * For the opt-in user-level hook (`install --agent claude --user-hook`): is there nothing for it
 * to do? Outside a repository with lanes-hooks installed it is a no-op, and where the session's
 * start directory holds lanes-hooks' project settings, the project hook already runs.
 */
export function userHookIdle(startDir: string): boolean {
  const wt = findWorktree(startDir);
  if (!wt) return true;
  try {
    statSync(path.join(wt.commonDir, 'lanes-hooks', 'install.json'));
  } catch {
    return true;
  }
  try {
    const text = readFileSync(path.join(startDir, '.claude', 'settings.local.json'), 'utf8');
    return /agent-hook\.[cm]js'? claude --lane /.test(text);
  } catch {
    return false;
  }
}

/**
 * For install --managed's machine-wide entry (agents/managed.ts): idle outside the repository it
 * was installed from (`common`, its common git dir) and where lanes-hooks is not installed, so
 * that every other folder of the machine sees no hook at all.
 */
export function managedHookIdle(startDir: string, common: string): boolean {
  const wt = findWorktree(startDir);
  if (!wt || real(wt.commonDir) !== real(common)) return true;
  try {
    statSync(path.join(wt.commonDir, 'lanes-hooks', 'install.json'));
    return false;
  } catch {
    return true;
  }
}

// Which coding agent's session a git command runs in, from the environment the agent gives its
// shell commands: the Agent: trailer (docs/agents.md, "Provenance"). LANES_AGENT names it
// explicitly (any agent, or a person's tool); otherwise the agents' own markers.
export function agentSession(env: NodeJS.ProcessEnv): string | null {
  const explicit = env.LANES_AGENT?.trim();
  if (explicit) return explicit.replace(/[\r\n]+/g, ' ').slice(0, 200);
  if (env.CLAUDECODE === '1') return 'claude-code';
  if (Object.keys(env).some((k) => k.startsWith('CODEX_') && env[k])) return 'codex';
  if (env.GEMINI_CLI === '1') return 'gemini-cli';
  return null;
}
