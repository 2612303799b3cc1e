// install --managed's files, in process (src/agents/managed.ts): what each agent's
// administrator-level file holds after the merge, when it is present, stale or absent, and where
// the machine-wide entry stays idle. The real binaries reading them: test/deep/agents-managed.test.ts.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  managedCommand,
  managedFile,
  managedPath,
  managedState,
  renderManaged,
} from '../src/agents/managed.js';
import { hookArgs } from '../src/agents/payload.js';
import { managedHookIdle } from '../src/agents/session.js';
import { isOurCommand } from '../src/agents/adapter.js';
import { tmpDir } from './helpers/world.js';

const dir = tmpDir('lanes-managed-');
const cmd = (agent: 'claude' | 'codex' | 'gemini') =>
  managedCommand('/usr/bin/node', '/r/.git/lanes-hooks', agent, "/r it's/.git");

describe('managed files', () => {
  it('Claude Code: merged into an administrator file, keys kept, allowManagedHooksOnly on; our entry recognised', () => {
    const admin = { permissions: { deny: ['Read(./.env)'] }, hooks: { Stop: [{ hooks: [] }] } };
    const out = JSON.parse(renderManaged('claude', 'f', JSON.stringify(admin), cmd('claude')));
    expect(out.permissions).toEqual(admin.permissions);
    expect(out.hooks.Stop).toEqual(admin.hooks.Stop);
    expect(out.allowManagedHooksOnly).toBe(true);
    const c = out.hooks.PreToolUse[0].hooks[0].command as string;
    // `exec`: sh replaces itself with Node, one process per hook run (Claude Code runs the
    // command through /bin/sh -c).
    expect(c).toBe(
      `exec '/usr/bin/node' '/r/.git/lanes-hooks/agent-hook.cjs' claude --managed '/r it'\\''s/.git'`,
    );
    expect(isOurCommand(c, 'claude')).toBe(true);
    expect(hookArgs(['claude', '--managed', "/r it's/.git"]).managed).toBe("/r it's/.git");
    // A second render of its own output changes nothing (install is idempotent).
    const text = renderManaged('claude', 'f', JSON.stringify(admin), cmd('claude'));
    expect(renderManaged('claude', 'f', text, cmd('claude'))).toBe(text);
  });

  it('Gemini CLI: hooksConfig.enabled forced true, its other keys kept; a file that is not JSON is refused', () => {
    const out = JSON.parse(
      renderManaged(
        'gemini',
        'f',
        JSON.stringify({ hooksConfig: { enabled: false, notifications: false } }),
        cmd('gemini'),
      ),
    );
    expect(out.hooksConfig).toEqual({ enabled: true, notifications: false });
    expect(out.hooks.BeforeTool[0].hooks[0].command).toContain(' gemini --managed ');
    expect(() => renderManaged('gemini', 'f', '[1]', cmd('gemini'))).toThrow('not a JSON object');
  });

  it('Codex: its own TOML file, commands as TOML strings; a requirements.toml someone else wrote is refused', () => {
    const text = renderManaged('codex', 'f', null, cmd('codex'));
    expect(text).toContain('[features]\nhooks = true\n');
    expect(text).toContain(`command = ${JSON.stringify(cmd('codex'))}`);
    expect(renderManaged('codex', 'f', text, cmd('codex'))).toBe(text);
    expect(() =>
      renderManaged('codex', 'f', 'allow_managed_hooks_only = true\n', cmd('codex')),
    ).toThrow('was not written by lanes-hooks');
  });

  it('present / stale / absent; the system paths, or under --managed-root', () => {
    const file = path.join(dir, 'settings.json');
    expect(managedState('gemini', file, cmd('gemini'))).toBe('absent');
    writeFileSync(file, renderManaged('gemini', file, null, cmd('gemini')));
    expect(managedState('gemini', file, cmd('gemini'))).toBe('present');
    writeFileSync(file, JSON.stringify({ hooksConfig: { enabled: false } }));
    expect(managedState('gemini', file, cmd('gemini'))).toBe('stale');
    writeFileSync(file, 'not json');
    expect(managedState('gemini', file, cmd('gemini'))).toBe('stale');
    if (process.platform === 'linux') {
      expect(managedPath('claude')).toBe('/etc/claude-code/managed-settings.json');
      expect(managedPath('gemini', {})).toBe('/etc/gemini-cli/settings.json');
      expect(managedPath('gemini', { GEMINI_CLI_SYSTEM_SETTINGS_PATH: '/x/s.json' })).toBe(
        '/x/s.json',
      );
      expect(managedFile('codex', '/img')).toBe('/img/etc/codex/requirements.toml');
    }
  });

  it('the machine-wide entry is idle outside git, in another repository, and where lanes-hooks is not installed', () => {
    const repo = path.join(dir, 'repo');
    mkdirSync(path.join(repo, '.git', 'lanes-hooks'), { recursive: true });
    const other = path.join(dir, 'other');
    mkdirSync(path.join(other, '.git'), { recursive: true });
    const common = path.join(repo, '.git');
    expect(managedHookIdle('/', common)).toBe(true);
    expect(managedHookIdle(other, common)).toBe(true);
    expect(managedHookIdle(repo, common)).toBe(true); // no install.json yet
    writeFileSync(path.join(common, 'lanes-hooks', 'install.json'), '{}');
    expect(managedHookIdle(repo, common)).toBe(false);
    mkdirSync(path.join(repo, 'sub'));
    expect(managedHookIdle(path.join(repo, 'sub'), common)).toBe(false);
  });
});
