// doctor's checks for OpenCode and Copilot CLI beyond the settings file itself (agents/checks.ts
// calls these through its per-agent gates): what turns their hooks off, and where trust is kept.
import path from 'node:path';
import { isOurCommand, type Json } from './adapter.js';

/** What decides whether an agent runs its project hooks, beyond the file itself (checks.ts). */
export interface Gates {
  /** The settings files the agent reads, for off switches. */
  settings: string[];
  /** Off switches in one settings object: the reason, or null. */
  off(settings: Json, file: string): string | null;
  /** Folder trust: a problem, or null; notes for what cannot be verified. */
  trust(top: string, notes: (n: string) => void): string | null;
}

/**
 * OpenCode (anomalyco/opencode packages/opencode/src/flag/flag.ts and the `run` command's options,
 * verified with the 1.18.33 binary in test/deep/agents-more-real.test.ts): `opencode run --pure`,
 * OPENCODE_PURE=1 (the same, for every command) load no external plugin, so neither the lane's
 * plugin nor its brief; OPENCODE_DISABLE_PROJECT_CONFIG=1 skips the project's config folders,
 * .opencode/ with it. These are a process's flags and environment, not a file: doctor can only
 * name them (and says so when the environment it runs in has them set). OpenCode keeps no folder
 * trust.
 */
export function opencodeGates(env: NodeJS.ProcessEnv): Gates {
  return {
    settings: [],
    off: () => null,
    trust(_top, note) {
      note(
        `opencode: \`opencode run --pure\`, OPENCODE_PURE=1 and OPENCODE_DISABLE_PROJECT_CONFIG=1 load no project plugin, so a session started that way runs no lanes-hooks check and gets no brief (a process's flags: lanes-hooks cannot see them; git's hooks still check every commit)`,
      );
      const set = ['OPENCODE_PURE', 'OPENCODE_DISABLE_PROJECT_CONFIG'].filter((k) =>
        /^(1|true)$/i.test(env[k] ?? ''),
      );
      return set.length
        ? `${set.join(' and ')} ${set.length > 1 ? 'are' : 'is'} set in this environment, so an OpenCode session started from it loads no lanes-hooks plugin: unset ${set.length > 1 ? 'them' : 'it'}`
        : null;
    },
  };
}

/**
 * Copilot CLI's switches for hooks (its settings schema, in the 1.0.102 package's
 * prebuilds/linux-x64/runtime.node: `disableAllHooks` "Disable all hooks, both user-level and
 * repo-level"; `disabledHooks` "Hooks discovered but not executed (content-hash keys). Policy
 * hooks cannot be suppressed and ignore this setting"), in the user's settings.json
 * ($COPILOT_HOME or ~/.copilot) and the repository's .github/copilot/settings.json
 * (docs.github.com/en/copilot/reference/cli-config-dir-reference). disableAllHooks is a switch of
 * off-switches.ts (checked, and taken out of a project file after a shell command); this reads
 * disabledHooks: its keys are hashes of a hook's content that lanes-hooks cannot compute from
 * Copilot's documentation, so any key there may be ours, and an entry that names our command is.
 */
export function copilotDisabledHooks(settings: Json, file: string): string | null {
  const keys = settings.disabledHooks;
  if (!Array.isArray(keys) || !keys.length) return null;
  const ours = keys.some(
    (k) => typeof k === 'string' && (k === 'lanes-hooks' || isOurCommand(k, 'copilot')),
  );
  return `${file} lists ${keys.length} hook${keys.length > 1 ? 's' : ''} in "disabledHooks"${
    ours
      ? ', lanes-hooks among them'
      : ' (keys that hash a hook’s content: lanes-hooks cannot tell whether its own is one)'
  }, and Copilot CLI skips every hook listed: empty that list (or re-enable the hooks in Copilot’s /hooks), then run doctor again`;
}

/** Copilot CLI's settings files, where its switches are read. */
export const copilotSettingsFiles = (top: string, copilotHome: string) => [
  path.join(copilotHome, 'settings.json'),
  path.join(top, '.github', 'copilot', 'settings.json'),
];
