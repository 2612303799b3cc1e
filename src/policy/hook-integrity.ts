// hook-integrity: an agent does not change the hooks that check it. Before a file tool runs, a
// write to an agent's hook settings (the files `install --agent` wrote, Claude Code's project and
// user settings, Codex's config.toml) or into the repository's git directory (git's hooks,
// core.hooksPath, lanes-hooks' own folder) is refused; after a shell tool, lanes-hooks' entry in
// an agent's settings file found missing or changed has been put back (agents/guard.ts), and the
// model is told. Pure: facts in, violations out.
import type { Violation } from './types.js';

export interface GuardedWrite {
  /** The path as the agent gave it. */
  given: string;
  /** What it is, in words: "Claude Code's hook settings", "the repository's git directory". */
  what: string;
}

export function hookIntegrityWrite(tool: string, guarded: GuardedWrite[]): Violation[] {
  if (!guarded.length) return [];
  return [
    {
      rule: 'hook-integrity',
      object: `${tool} of ${guarded.map((g) => g.given).join(', ')}`,
      why: `an agent does not change the hooks that check its lane; ${guarded
        .map((g) => `${g.given} is ${g.what}`)
        .join('; ')}`,
      fix: [
        'leave these files as they are: a person changes them, and `lanes-hooks install --agent <agent>` (or `uninstall`) changes lanes-hooks’ own entries',
        'lanes-hooks brief   shows what this lane may change',
      ],
      paths: guarded.map((g) => g.given),
    },
  ];
}

export interface SettingsRepair {
  /** The agent's name in prose ("Claude Code"). */
  title: string;
  agent: string;
  file: string;
  state: 'missing' | 'changed' | 'off' | 'unreadable' | 'marker';
  /** The repair was written (false: it could not be, or the file is left alone). */
  restored: boolean;
}

const SAID: Record<SettingsRepair['state'], string> = {
  missing: 'was deleted: written again with lanes-hooks’ entry',
  changed:
    'no longer held lanes-hooks’ entry as install writes it (dropped, changed, or from an older install): the entry is back, the file’s other settings kept',
  off: 'had the agent’s switch for all hooks turned on: taken out again',
  unreadable:
    'is not a JSON object any more: left as it is (nothing is restored into a file lanes-hooks cannot read), so the agent reads no hooks from it',
  marker:
    'was deleted (Codex looks for the root checkout’s hooks only where it exists): made again',
};

/** What a shell tool did to the agents' hook settings, and what was done about it. */
export function hookIntegrityShell(tool: string, repairs: SettingsRepair[]): Violation[] {
  if (!repairs.length) return [];
  const broken = repairs.filter((r) => !r.restored);
  return [
    {
      rule: 'hook-integrity',
      object: `${tool} changed the agents' hook settings`,
      why: `an agent does not change the hooks that check its lane; ${repairs
        .map(
          (r) =>
            `${r.file} (${r.title}) ${r.restored || r.state === 'unreadable' ? SAID[r.state] : `${SAID[r.state].split(':')[0]}, and could not be written back`}`,
        )
        .join('; ')}`,
      fix: [
        ...broken.map(
          (r) =>
            `a person fixes ${r.file}, then runs lanes-hooks install --agent ${r.agent} in that worktree`,
        ),
        'do not change these files or switch hooks off: a person runs lanes-hooks install --agent / uninstall',
      ],
      paths: repairs.map((r) => r.file),
    },
  ];
}

/**
 * Claude Code's ConfigChange: a settings file of the session changed. Refused (the session keeps
 * the settings it had) when the change drops or alters lanes-hooks' entry in that file (the
 * after-shell check puts it back on disk and tells the model) or turns every hook off.
 */
export function hookIntegrityConfig(
  file: string,
  drifted: boolean,
  switchedOff: boolean,
): Violation[] {
  const why = [
    ...(drifted ? ["it drops or changes lanes-hooks' entry in that file"] : []),
    ...(switchedOff ? ['it sets "disableAllHooks": true, which turns off every hook'] : []),
  ];
  if (!why.length) return [];
  return [
    {
      rule: 'hook-integrity',
      object: `the change to ${file}`,
      why: `an agent's session keeps the hooks that check its lane; ${why.join(', and ')}, so it is not applied to this session`,
      fix: [
        "nothing to do in the session: the check after the next shell command puts lanes-hooks' entry back on disk",
        'a person removes "disableAllHooks", or runs lanes-hooks uninstall to take the hooks out',
      ],
      paths: [file],
    },
  ];
}

export interface HookScriptRepair {
  /** The hook file, or `core.hooksPath (…)` for the setting. */
  file: string;
  /** missing / changed / mode: a hook file; hooks-path: this worktree's config pointed git elsewhere. */
  state: 'missing' | 'changed' | 'mode' | 'hooks-path';
  restored: boolean;
}

const SCRIPT_SAID: Record<HookScriptRepair['state'], string> = {
  missing: 'was deleted',
  changed: 'no longer held what install wrote',
  mode: 'was no longer executable',
  'hooks-path': 'pointed git away from lanes-hooks’ hooks',
};

/**
 * What a shell tool did to git's hooks (hooks/hook-scripts.ts): each file is back as install
 * wrote it, or could not be written (a person runs install).
 */
export function hookIntegrityScripts(tool: string, repairs: HookScriptRepair[]): Violation[] {
  if (!repairs.length) return [];
  const broken = repairs.filter((r) => !r.restored);
  return [
    {
      rule: 'hook-integrity',
      object: `${tool} changed git's hooks`,
      why: `an agent does not switch off the hooks that check its lane's commits; ${repairs
        .map(
          (r) =>
            `${r.file} ${SCRIPT_SAID[r.state]}: ${r.restored ? (r.state === 'hooks-path' ? 'taken out again' : 'written back as install wrote it') : 'could not be put back'}`,
        )
        .join('; ')}`,
      fix: [
        ...(broken.length ? ['a person runs lanes-hooks install in this worktree'] : []),
        'leave git’s hooks and core.hooksPath as they are; commit through them (no -c core.hooksPath=…, no --no-verify)',
      ],
      paths: repairs.map((r) => r.file),
    },
  ];
}

export interface SwitchFound {
  /** The agent's name in prose. */
  title: string;
  file: string;
  level: 'project' | 'user' | 'system';
  /** The switch as written. */
  what: string;
  /** Taken out of the file again (project files only). */
  cleared: boolean;
}

/**
 * Switches that turn an agent's hooks off, found after a shell command (agents/off-switches.ts):
 * a project file's is taken out again; the person's own files are left to them, and the model is
 * told the next session of that agent is unguarded until a person runs doctor --repair.
 */
export function hookIntegritySwitches(tool: string, found: SwitchFound[]): Violation[] {
  if (!found.length) return [];
  const said = (s: SwitchFound) =>
    s.cleared
      ? `${s.file} set ${s.what} for ${s.title}: taken out again`
      : s.level === 'project'
        ? `${s.file} sets ${s.what} for ${s.title}, and it could not be taken out`
        : `${s.file} (${s.level === 'user' ? 'the user’s own settings' : 'the system settings'}) sets ${s.what}: left as it is, so the next ${s.title} session runs without lanes-hooks’ hooks until a person runs lanes-hooks doctor --repair`;
  const open = found.filter((s) => !s.cleared);
  return [
    {
      rule: 'hook-integrity',
      object: `${tool}: a switch that turns the agents' hooks off`,
      why: `an agent does not switch off the hooks that check its lane; ${found.map(said).join('; ')}`,
      fix: [
        ...(open.length
          ? [
              `a person runs lanes-hooks doctor --repair (takes ${open.map((s) => s.what).join(', ')} out of ${open.map((s) => s.file).join(', ')})`,
            ]
          : []),
        'do not set these switches: a person runs lanes-hooks install --agent / uninstall',
      ],
      paths: found.map((s) => s.file),
    },
  ];
}

/**
 * The compiled policy found rewritten after a shell command (hooks/compile.ts repairCompiled): the
 * files the hooks decide from without loading the rules, written back as compiling gives them.
 */
export function hookIntegrityCompiled(tool: string, files: string[]): Violation[] {
  if (!files.length) return [];
  return [
    {
      rule: 'hook-integrity',
      object: `${tool} changed the lane's compiled policy`,
      why: `an agent does not rewrite what the hooks decide its lane from; ${files
        .map((f) => `${f} no longer held what compiling the lane's policy gives: written back`)
        .join('; ')}`,
      fix: [
        'leave lanes-hooks’ files in the git directory as they are: the lane’s paths come from the committed config (lanes-hooks brief shows them)',
      ],
      paths: files,
    },
  ];
}
