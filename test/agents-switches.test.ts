// hook-integrity covers every switch an agent documents that turns its hooks off
// (src/agents/off-switches.ts): Codex's `[features] hooks = false` in a lane's .codex/config.toml,
// Copilot CLI's `disableAllHooks` in .github/copilot/settings.json — taken out after the shell
// command that set them, the model told; the user's own files (Gemini CLI's hooksConfig.enabled,
// Codex's config.toml) reported, left alone, and cleared by `doctor --repair`; file tools refused
// on all of them. The fast cell here (file tools refused on every such file); the switches taken
// out, the user's files and real Codex (the route) in test/deep/agents-switches.test.ts.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { switchesWorld } from './helpers/agent-switches.js';

// The world is a copy of the run's `setup --agent all` template (helpers/agent-switches.ts).
const { bins, A, hook } = switchesWorld({ template: true });

describe('off switches in the lane: taken out after the shell command', () => {
  it('a file tool is refused on every such file, the user’s included', () => {
    for (const file of [
      path.join(A, '.codex', 'config.toml'),
      path.join(A, '.github', 'copilot', 'settings.json'),
      path.join(bins.HOME, '.gemini', 'settings.json'),
      path.join(bins.HOME, '.copilot', 'settings.json'),
    ]) {
      const r = hook('PreToolUse', {
        tool_name: 'Write',
        tool_input: { file_path: file, content: '{"disableAllHooks":true}' },
      });
      expect(r.status, file).toBe(2);
      expect(r.stderr).toContain('refused by hook-integrity');
      expect(r.stderr).toContain('a switch there turns its hooks off');
    }
  });
});
