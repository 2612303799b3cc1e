// Every switch an agent documents that turns its hooks off, lanes-hooks' with them, in the files
// beside the ones install writes (agents/guard.ts restores those): per agent, where it is read
// and how it is written. Found after every shell command (agent-hook), refused to file tools, and
// checked by doctor. A switch in a project file of the lane or of the root checkout (files a
// lane's session reads, that lanes-hooks' checks govern) is taken out on the spot; one in the
// user's own files (under $HOME) is not edited behind the person's back: the model and doctor say
// that the next session runs unguarded until `lanes-hooks doctor --repair` (which takes it out).
//
// Sources, per switch:
// - Claude Code: `"disableAllHooks": true` in any settings file it reads, user
//   ($CLAUDE_CONFIG_DIR or ~/.claude/settings.json), project (.claude/settings.json) and local
//   (code.claude.com/docs/en/hooks, "Disable or remove hooks"; docs/en/settings, the settings files).
// - Codex: `[features] hooks = false` (or `features.hooks = false`) in $CODEX_HOME/config.toml and
//   in a project's `.codex/config.toml` layer (codex-rs core/src/features.rs, the `hooks` feature,
//   on by default; config/src/loader/mod.rs, project `.codex/` layers of a trusted project).
// - Gemini CLI: `"hooksConfig": { "enabled": false }` in ~/.gemini/settings.json, the project's
//   .gemini/settings.json or /etc/gemini-cli/settings.json (packages/cli/src/config/settingsSchema.ts,
//   `hooksConfig.enabled`, "When disabled, no hooks will be executed").
// - Qwen Code: `"disableAllHooks": true` in ~/.qwen/settings.json or .qwen/settings.json
//   (qwen-code docs/users/features/hooks.md).
// - Copilot CLI: `"disableAllHooks": true` in the user's settings ($COPILOT_HOME or ~/.copilot,
//   settings.json) or the repository's .github/copilot/settings.json (docs.github.com/en/copilot/
//   reference/hooks-reference: policy hooks "cannot be disabled by disableAllHooks";
//   cli-config-dir-reference: ~/.copilot/settings.json and .github/copilot/settings.json).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { readCodexConfig } from './codex-trust.js';

type Json = Record<string, unknown>;

export interface SwitchPlace {
  agent: string;
  file: string;
  /** project: a lane's or the root checkout's file; user: the person's own; system: /etc. */
  level: 'project' | 'user' | 'system';
}

export interface FoundSwitch extends SwitchPlace {
  /** The switch as written: `"disableAllHooks": true`. */
  what: string;
}

const home = (env: NodeJS.ProcessEnv) => env.HOME || homedir();

/** Where each agent reads a switch that turns its hooks off, for a session in `top`. */
export function switchPlaces(
  agents: readonly string[],
  top: string,
  root: string | null,
  env: NodeJS.ProcessEnv = process.env,
): SwitchPlace[] {
  const out: SwitchPlace[] = [];
  const tops = [...new Set([top, ...(root ? [root] : [])])];
  const add = (agent: string, level: SwitchPlace['level'], file: string) =>
    out.push({ agent, level, file });
  for (const agent of agents) {
    if (agent === 'claude') {
      add(
        agent,
        'user',
        path.join(env.CLAUDE_CONFIG_DIR || path.join(home(env), '.claude'), 'settings.json'),
      );
      add(agent, 'project', path.join(top, '.claude', 'settings.json'));
      add(agent, 'project', path.join(top, '.claude', 'settings.local.json'));
    } else if (agent === 'codex') {
      add(
        agent,
        'user',
        path.join(env.CODEX_HOME || path.join(home(env), '.codex'), 'config.toml'),
      );
      for (const t of tops) add(agent, 'project', path.join(t, '.codex', 'config.toml'));
    } else if (agent === 'gemini') {
      add(agent, 'user', path.join(home(env), '.gemini', 'settings.json'));
      add(agent, 'project', path.join(top, '.gemini', 'settings.json'));
      add(agent, 'system', '/etc/gemini-cli/settings.json');
    } else if (agent === 'qwen') {
      add(agent, 'user', path.join(home(env), '.qwen', 'settings.json'));
      add(agent, 'project', path.join(top, '.qwen', 'settings.json'));
    } else if (agent === 'copilot') {
      add(
        agent,
        'user',
        path.join(env.COPILOT_HOME || path.join(home(env), '.copilot'), 'settings.json'),
      );
      add(agent, 'project', path.join(top, '.github', 'copilot', 'settings.json'));
    }
  }
  return out;
}

const read = (file: string) => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
};
const parse = (text: string): Json | null => {
  try {
    const v = JSON.parse(text) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : null;
  } catch {
    return null;
  }
};

/** The switch set in `text` of a file of `agent`, in words, or null. */
function switchIn(agent: string, file: string, text: string): string | null {
  if (file.endsWith('.toml'))
    return readCodexConfig(text).hooksOff ? '[features] hooks = false' : null;
  const s = parse(text);
  if (!s) return null;
  if (agent === 'gemini') {
    const hc = s.hooksConfig;
    return hc && typeof hc === 'object' && (hc as Json).enabled === false
      ? '"hooksConfig": { "enabled": false }'
      : null;
  }
  return s.disableAllHooks === true ? '"disableAllHooks": true' : null;
}

/** Every switch set in `places`. */
export function findSwitches(places: readonly SwitchPlace[]): FoundSwitch[] {
  const out: FoundSwitch[] = [];
  const seen = new Set<string>();
  for (const p of places) {
    if (seen.has(`${p.agent}\0${p.file}`)) continue;
    seen.add(`${p.agent}\0${p.file}`);
    const text = read(p.file);
    const what = text === null ? null : switchIn(p.agent, p.file, text);
    if (what) out.push({ ...p, what });
  }
  return out;
}

/** `text` of a Codex config without the lines that turn the hooks feature off. */
export function withoutCodexHooksOff(text: string): string {
  let features = false;
  return text
    .split('\n')
    .filter((raw) => {
      const line = raw.trim();
      if (line.startsWith('[')) features = /^\[\s*features\s*\]$/.test(line);
      if (features && /^hooks\s*=\s*false\b/.test(line)) return false;
      return !(/^features\.hooks\s*=\s*false\b/.test(line) && !features);
    })
    .join('\n');
}

/**
 * Take the switch out of its file, in place, every other setting kept (JSON rewritten with two
 * spaces; a TOML file loses only the switch's line). False when it could not be.
 */
export function clearSwitch(s: FoundSwitch): boolean {
  const text = read(s.file);
  if (text === null || !existsSync(s.file)) return false;
  try {
    if (s.file.endsWith('.toml')) writeFileSync(s.file, withoutCodexHooksOff(text));
    else {
      const j = parse(text)!;
      if (s.agent === 'gemini') {
        const hc = { ...(j.hooksConfig as Json) };
        delete hc.enabled;
        j.hooksConfig = hc;
      } else delete j.disableAllHooks;
      writeFileSync(s.file, JSON.stringify(j, null, 2) + '\n');
    }
  } catch {
    return false;
  }
  return switchIn(s.agent, s.file, read(s.file) ?? '') === null;
}
