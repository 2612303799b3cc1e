// Reading Claude Code's JSON hook decisions back in exit-code terms, for tests of agent-hook.
/**
 * Claude Code's JSON decision (agents/claude-reply.ts) read back into the exit-code terms Codex
 * uses, so that one assertion reads for both: a deny or block is status 2 with the reason as
 * stderr, additionalContext is stdout. Only a well-formed decision on exit 0 is translated; the
 * raw shape itself is asserted in test/agents.test.ts, 'answers Claude Code in its documented decision shape'.
 */
export function claudeTerms(r: { status: number | null; stdout: string; stderr: string }) {
  if (r.status !== 0 || !r.stdout.startsWith('{')) return r;
  const out = JSON.parse(r.stdout) as {
    decision?: string;
    reason?: string;
    hookSpecificOutput?: {
      permissionDecision?: string;
      permissionDecisionReason?: string;
      additionalContext?: string;
    };
  };
  const h = out.hookSpecificOutput;
  if (h?.permissionDecision === 'deny')
    return { ...r, status: 2, stdout: '', stderr: h.permissionDecisionReason ?? '' };
  if (out.decision === 'block') return { ...r, status: 2, stdout: '', stderr: out.reason ?? '' };
  if (typeof h?.additionalContext === 'string') return { ...r, stdout: h.additionalContext };
  return r;
}
