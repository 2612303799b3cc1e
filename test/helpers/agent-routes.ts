// The world of the agent-layer routes (issue 27), shared by their fast case
// (test/agents-routes.test.ts: release-branch-commit at the agent hook) and the routes themselves
// (test/deep/agents-routes-hooks.test.ts): a coordinator with its lanes and Claude Code's hook
// settings from `setup --agent claude`; each payload goes through the hook command install wrote
// into the worktree's .claude/settings.local.json, run by hand (the shape Claude Code documents,
// code.claude.com/docs/en/hooks).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { coordinatorSandbox } from './template.js';
import { claudeTerms } from './claude-terms.js';

/**
 * With `allAgents`, the world is a copy of the run's `setup --agent all` template (every agent's
 * hooks, Claude Code's among them; shared with test/agents-real.test.ts and the other agent
 * files, so built once per run): the fast file's world. Without, `setup --agent claude` alone.
 */
export function routesWorld(opts: { allAgents?: boolean } = {}) {
  const sb = opts.allAgents
    ? coordinatorSandbox({ setup: true, agent: 'all' })
    : coordinatorSandbox({ setup: true });
  if (!opts.allAgents) sb.mustCli(sb.coordinator, 'setup', '--agent', 'claude');
  const A = sb.lane('A-backend'); // scope backend/**
  const C = sb.coordinator;
  const trace = path.join(sb.root, 'node-starts');
  const fullStarts = () =>
    existsSync(trace) ? readFileSync(trace, 'utf8').split('\n').filter(Boolean).length : 0;
  const gitDir = (dir: string) => sb.must(dir, 'rev-parse', '--absolute-git-dir');

  /** The command install wrote for `event` into the worktree's Claude Code settings. */
  const command = function command(dir: string, event: string): string {
    const s = JSON.parse(readFileSync(path.join(dir, '.claude', 'settings.local.json'), 'utf8'));
    return s.hooks[event][0].hooks[0].command as string;
  };

  let n = 0;
  /** Run the installed hook command of `event` with `payload` on stdin, in `dir`. */
  const hook = function hook(dir: string, event: string, payload: Record<string, unknown>) {
    const file = path.join(sb.root, `payload-${n++}.json`);
    writeFileSync(
      file,
      JSON.stringify({ session_id: 's', cwd: dir, hook_event_name: event, ...payload }),
    );
    return claudeTerms(
      sb.run(dir, 'sh', ['-c', `${command(dir, event)} < '${file}'`], { LANES_HOOKS_TRACE: trace }),
    );
  };
  const write = (dir: string, file: string) =>
    hook(dir, 'PreToolUse', {
      tool_name: 'Write',
      tool_input: { file_path: path.join(dir, file), content: 'x' },
    });
  const afterBash = (dir: string) =>
    hook(dir, 'PostToolUse', {
      tool_name: 'Bash',
      tool_input: { command: 'make' },
      tool_response: {},
    });
  const sessionStart = (dir: string) => hook(dir, 'SessionStart', { source: 'startup' });
  return { sb, A, C, trace, fullStarts, gitDir, hook, write, afterBash, sessionStart };
}
