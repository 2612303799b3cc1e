// OpenCode (anomalyco/opencode, formerly sst/opencode: packages/web/src/content/docs/plugins.mdx;
// tool parameters in packages/opencode/src/tool/{write,edit,multiedit,apply_patch}.ts).
//
// OpenCode has no command hooks: it loads plugins, JavaScript modules in `.opencode/plugins/`
// (project) and `~/.config/opencode/plugins/` (global), each exporting async functions that return
// hooks. `tool.execute.before(input: { tool, sessionID, callID }, output: { args })` runs before
// every tool; a plugin blocks the call by throwing, and the error's message is what the model
// reads as the tool's result. `experimental.chat.system.transform(input: { sessionID?, model },
// output: { system: string[] })` (packages/plugin/src/index.ts, the `Hooks` interface) runs
// before every model request and lets a plugin add to the system prompt: the lane brief goes there,
// asked for once per session. `experimental.session.compacting(input, output: { context })` keeps
// it in a compacted session's context.
//
// What turns the plugin off: `opencode run --pure` and OPENCODE_PURE=1 load no external plugin
// (the project's .opencode/plugins included; verified with the 1.18.33 binary in
// test/deep/agents-more-real.test.ts), and OPENCODE_DISABLE_PROJECT_CONFIG skips the project's
// config folders. Both are a process's flags, not a file: doctor names them, nothing can check them.
//
// lanes-hooks writes its own plugin, `.opencode/plugins/lanes-hooks.js`, which runs the same
// agent-hook command as every other agent, with this payload on stdin (lanes-hooks' own shape):
//   { "hook_event_name": "tool.execute.before", "tool", "sessionID", "callID", "args", "cwd" }
//   { "hook_event_name": "experimental.session.compacting", "sessionID", "cwd" }
//   { "hook_event_name": "experimental.chat.system.transform", "sessionID", "cwd" }
// and throws agent-hook's stderr when it exits 2. The file tools: `write` {filePath, content},
// `edit` {filePath, oldString, newString}, `multiedit` {filePath, edits}, `apply_patch` and the
// older `patch` {patchText} (the `*** Add File:` / `*** Update File:` / `*** Move to:` /
// `*** Delete File:` envelope Codex uses).
import { objectOf, oneFile, reply, type AgentAdapter } from './adapter.js';
import { patchPaths } from './payload.js';

const FILE_TOOLS = ['write', 'edit', 'multiedit'];
const PATCH_TOOLS = ['apply_patch', 'patch'];
const MARK = '// lanes-hooks: OpenCode plugin';

/** The plugin module: everything it needs is in it (it runs inside OpenCode, under Bun). */
export function pluginSource(command: string): string {
  return `${MARK} (written by \`lanes-hooks install --agent opencode\`; \`lanes-hooks uninstall\` removes it).
// Before a file-writing tool runs, it asks lanes-hooks agent-hook whether this lane may write there,
// and refuses the call with the reason when not; it gives the model the lane brief in the system
// prompt (asked once per session), and keeps it in context on compaction.
import { spawnSync } from 'node:child_process';

const COMMAND = ${JSON.stringify(command)};
const WRITE_TOOLS = ${JSON.stringify([...FILE_TOOLS, ...PATCH_TOOLS])};
const briefs = new Map();

function agentHook(payload) {
  return spawnSync('/bin/sh', ['-c', COMMAND], { input: JSON.stringify(payload), encoding: 'utf8' });
}

export const LanesHooks = async ({ directory }) => ({
  'experimental.chat.system.transform': async (input, output) => {
    const key = input.sessionID ?? '';
    if (!briefs.has(key)) {
      const r = agentHook({
        hook_event_name: 'experimental.chat.system.transform',
        sessionID: input.sessionID,
        cwd: directory,
      });
      briefs.set(key, r.status === 0 ? r.stdout.trim() : '');
    }
    if (briefs.get(key)) output.system.push(briefs.get(key));
  },
  'tool.execute.before': async (input, output) => {
    if (!WRITE_TOOLS.includes(input.tool)) return;
    const r = agentHook({
      hook_event_name: 'tool.execute.before',
      tool: input.tool,
      sessionID: input.sessionID,
      callID: input.callID,
      args: output.args,
      cwd: directory,
    });
    if (r.status === 2) throw new Error(r.stderr.trim() || 'lanes-hooks refused this write');
  },
  'experimental.session.compacting': async (input, output) => {
    const r = agentHook({
      hook_event_name: 'experimental.session.compacting',
      sessionID: input.sessionID,
      cwd: directory,
    });
    if (r.status === 0 && r.stdout.trim()) output.context.push(r.stdout);
  },
});
`;
}

export const opencode: AgentAdapter = {
  title: 'OpenCode',
  read(p) {
    const cwd = typeof p.cwd === 'string' && p.cwd ? p.cwd : null;
    if (
      p.hook_event_name === 'experimental.session.compacting' ||
      p.hook_event_name === 'experimental.chat.system.transform'
    )
      return { kind: 'session-start', cwd };
    if (p.hook_event_name !== 'tool.execute.before') return { kind: 'other' };
    const tool = typeof p.tool === 'string' ? p.tool : '';
    const args = objectOf(p.args);
    if (FILE_TOOLS.includes(tool)) return oneFile(cwd, tool, args, ['filePath'], 'args');
    if (!PATCH_TOOLS.includes(tool)) return { kind: 'other' };
    const patch = args?.patchText;
    if (typeof patch !== 'string')
      return { kind: 'unreadable', cwd, why: `${tool}: args.patchText holds no patch` };
    const paths = patchPaths(patch);
    if (!paths.length) return { kind: 'unreadable', cwd, why: `${tool}: the patch names no file` };
    return { kind: 'write', cwd, tool, paths };
  },
  block: (reason) => reply(2, '', reason),
  context: (brief) => reply(0, brief),
  settings: {
    kind: 'owned',
    file: '.opencode/plugins/lanes-hooks.js',
    render: pluginSource,
    isOurs: (text) => text.startsWith(MARK),
  },
};
