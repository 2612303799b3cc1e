// The parent's script shared by the WorktreeCreate tests with the real Claude Code binaries
// (test/deep/agents-worktree-events.test.ts, test/deep/agents-worktree-unguarded.test.ts).
import type { Step } from './model-mocks.js';

/** The sub-agent's prompt: a request whose first message holds it is the sub-agent's. */
export const MARK = 'ISOLATED-lanes-5c1';
export type Msg = { role: string; content: unknown };
export const json = (v: unknown) => JSON.stringify(v ?? '');

/**
 * The parent's script: start a sub-agent with `isolation: "worktree"` through the client's own
 * sub-agent tool (its name and schema read from the tools the client sends); the sub-agent, if it
 * ever runs, writes a file.
 */
export function isolatedSubagent(seen: { schema?: Record<string, unknown> } = {}) {
  return (body: Record<string, unknown>, done: number): Step | undefined => {
    const messages = (body.messages as Msg[]) ?? [];
    if (json(messages[0]?.content).includes(MARK))
      return done === 0
        ? { tool: 'Bash', input: { command: 'echo x > backend/isolated.ts' } }
        : undefined;
    if (done > 0) return undefined;
    const tools = (body.tools as { name: string; input_schema?: Record<string, unknown> }[]) ?? [];
    const t = tools.find((x) => x.name === 'Agent' || x.name === 'Task');
    if (!t) return undefined;
    seen.schema = t.input_schema;
    return {
      tool: t.name,
      input: {
        description: 'work in a worktree',
        prompt: MARK,
        subagent_type: 'general-purpose',
        isolation: 'worktree',
        // Foreground, so that the creation's outcome is the tool's own result in both releases.
        run_in_background: false,
      },
    };
  };
}
