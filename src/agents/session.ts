// Which worktree an agent's session belongs to: decided by where its settings were installed,
// never by the payload's cwd alone (Claude Code's EnterWorktree moves the cwd into another lane's
// worktree while the session's settings, and its lane, stay). Shared by agent-hook's light entry
// and the full CLI; file reads only, no git.
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * The directory that fixes the session's lane:
 * - `--lane <worktree>` baked into the command by install (Claude Code's per-lane settings);
 * - Claude Code without it (the user-level hook, older installs): CLAUDE_PROJECT_DIR, the
 *   directory the session started in, which Claude Code sets for every hook and keeps when the
 *   session enters another worktree;
 * - Codex: the payload's cwd. Codex reads one hooks.json for every worktree (the root
 *   checkout's), so the command cannot name the lane; its cwd is the session's, fixed at start.
 */
export function sessionDir(
  agent: string,
  lane: string | null,
  payloadCwd: string | null,
  env: NodeJS.ProcessEnv = process.env,
): string {
  if (lane) return lane;
  if (agent === 'claude' && env.CLAUDE_PROJECT_DIR) return env.CLAUDE_PROJECT_DIR;
  return payloadCwd ?? process.cwd();
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
    return /agent-hook\.mjs'? claude --lane /.test(text);
  } catch {
    return false;
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
