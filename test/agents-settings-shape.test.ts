// The shape of the Claude-style settings install writes (.claude/settings.local.json), in process.
// Copilot CLI 1.0.102 reads the same file for its Claude-style hooks and drops the WHOLE file when
// one group has `"matcher": ""` ("hooks.subagentStart[0].matcher: matcher cannot be empty" in its
// log): then not even the PostToolUse after-shell check runs under Copilot
// (test/deep/agents-clients.test.ts, real binary). Claude Code's own reference lets a group omit
// the matcher where nothing is matched, so no group carries an empty one.
import { describe, expect, it } from 'vitest';
import { settingsSpec } from '../src/agents/guard.js';
import type { JsonSettings } from '../src/agents/adapter.js';

const spec = settingsSpec('claude') as JsonSettings;
const CMD = "'/usr/bin/node' '/x/agent-hook.mjs' claude --lane '/x/lane'";
type Group = { matcher?: unknown; hooks: { command: string }[] };
const groups = (s: Record<string, unknown>) =>
  Object.entries(s.hooks as Record<string, Group[]>).flatMap(([event, gs]) =>
    gs.map((g) => ({ event, ...g })),
  );

describe('Claude-style settings', () => {
  it('no group of lanes-hooks carries an empty matcher; the unmatched events have none', () => {
    const out = spec.add({}, CMD);
    const all = groups(out);
    expect(all.map((g) => g.event)).toEqual(
      expect.arrayContaining([
        'PreToolUse',
        'PostToolUse',
        'SubagentStart',
        'SubagentStop',
        'UserPromptSubmit',
      ]),
    );
    for (const g of all) expect(g.matcher, g.event).not.toBe('');
    expect(all.find((g) => g.event === 'UserPromptSubmit')).not.toHaveProperty('matcher');
    expect(all.find((g) => g.event === 'SubagentStart')).not.toHaveProperty('matcher');
    expect(all.find((g) => g.event === 'SubagentStop')).not.toHaveProperty('matcher');
    expect(all.find((g) => g.event === 'PostToolUse')?.matcher).toBe('Bash|Agent|Task');
  });

  it('an install that wrote "matcher": "" is rewritten without it, the user\'s groups kept', () => {
    const before = {
      model: 'x',
      hooks: {
        UserPromptSubmit: [
          { matcher: '', hooks: [{ type: 'command', command: CMD }] },
          { hooks: [{ type: 'command', command: 'echo mine' }] },
        ],
      },
    };
    const out = spec.add(before, CMD);
    const ups = (out.hooks as Record<string, Group[]>).UserPromptSubmit!;
    expect(ups).toEqual([
      { hooks: [{ type: 'command', command: CMD }] },
      { hooks: [{ type: 'command', command: 'echo mine' }] },
    ]);
    expect(out.model).toBe('x');
    // Written again: nothing changes (the after-shell check sees no drift in a fresh install).
    expect(spec.add(out, CMD)).toEqual(out);
  });
});
