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
