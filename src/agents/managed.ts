// `install --agent … --managed`: each agent's administrator-level settings, which no project or
// user file can switch off. Written for the machine (they apply to every session of every user),
// so they need root, or `--managed-root <dir>` to write the same tree under a prefix (an image).
//
// Where each agent reads them, and why they hold (read in the pinned binaries and their docs):
// - Claude Code: `/etc/claude-code/managed-settings.json` on Linux (`/Library/Application
//   Support/ClaudeCode/` on macOS). Both 2.1.197 and 2.1.328 hard-code the folder (2.1.197:
//   `rI=…default:return"/etc/claude-code"`; 2.1.328: `qS()`, whose override `nHi()` returns
//   undefined): no environment variable moves it, so the tests give the binary a private /etc
//   with bubblewrap. code.claude.com/docs/en/settings ("Settings files", managed settings;
//   `allowManagedHooksOnly`: "When true (and set in managed settings), only hooks from managed
//   settings run. User, project, and local hooks are ignored"). The binary's hook table
//   (`K7r`): policy `disableAllHooks` alone turns managed hooks off; a user or project
//   `disableAllHooks: true` leaves them running. With allowManagedHooksOnly the lane's own
//   `.claude/settings.local.json` entries no longer run, so the managed entry decides alone.
// - Codex: `/etc/codex/requirements.toml` (developers.openai.com/codex/hooks: "Admins can force
//   hooks off the same way in requirements.toml with `[features].hooks = false`"; managed hooks
//   "from system, MDM, cloud, or requirements.toml are marked managed, trusted by policy, and
//   cannot be disabled"; openai/codex codex-rs/hooks/src/engine/discovery.rs,
//   append_managed_requirement_handlers: `is_managed: true`, no trust review). `[features] hooks
//   = true` there pins the feature on, whatever config.toml says. `allow_managed_hooks_only` is
//   not set: the user's own hooks keep running, and ours cannot be switched off either way.
//   Codex has no TOML merge here: the file is lanes-hooks' own, or install refuses.
// - Gemini CLI: `/etc/gemini-cli/settings.json`, or $GEMINI_CLI_SYSTEM_SETTINGS_PATH (0.61.0
//   bundle, getSystemSettingsPath; docs/reference/configuration.md: "System settings act as
//   overrides, taking precedence over all other settings files"). `hooksConfig.enabled: true`
//   there wins over the user's `false`; `hooks` arrays concatenate across scopes (mergeStrategy
//   "concat"). Gemini CLI skips the file unless it and every folder above it are owned by root
//   and not writable by group or others (isFileAndDirectorySecureSync, checkPosixStatsSecurity:
//   "Skipping system settings file …: Parent directory '/tmp' is insecure"): install and doctor
//   say so (geminiSkips). Left open by Gemini CLI itself: `hooksConfig.disabled` is a union across scopes
//   (a user can list a hook by name), which no system file can take back.
//
// The entry is machine-wide: `agent-hook <agent> --managed <common-git-dir>` is idle outside the
// repository it was installed from (agents/session.ts, managedHookIdle). One repository per
// machine: installing from another repository points the entries there.
import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../util/errors.js';
import { writeFileAtomic } from '../util/fs.js';
import { shellQuote } from '../util/sh.js';
import type { Json, JsonSettings } from './adapter.js';
import { agentCommand, CODEX_EVENTS, settingsSpec } from './guard.js';
import type { HookAgent } from './registry.js';

export const MANAGED_AGENTS = ['claude', 'codex', 'gemini'] as const;
export type ManagedAgent = (typeof MANAGED_AGENTS)[number];
export const isManagedAgent = (a: string): a is ManagedAgent =>
  (MANAGED_AGENTS as readonly string[]).includes(a);

/** Each agent's administrator-level file on this platform. */
export function managedPath(agent: ManagedAgent, env: NodeJS.ProcessEnv = process.env): string {
  const mac = process.platform === 'darwin';
  if (agent === 'claude')
    return mac
      ? '/Library/Application Support/ClaudeCode/managed-settings.json'
      : '/etc/claude-code/managed-settings.json';
  if (agent === 'codex') return '/etc/codex/requirements.toml';
  return (
    env.GEMINI_CLI_SYSTEM_SETTINGS_PATH ||
    (mac ? '/Library/Application Support/GeminiCli/settings.json' : '/etc/gemini-cli/settings.json')
  );
}

/** The file under `root` (install --managed-root) or the system's own. */
export const managedFile = (agent: ManagedAgent, root: string | null) =>
  root ? path.join(root, managedPath(agent, {})) : managedPath(agent);

/** The managed hook command: the repository's runtime, idle outside that repository. */
export const managedCommand = (node: string, base: string, agent: ManagedAgent, common: string) =>
  `${agentCommand(node, base, agent)} --managed ${shellQuote(common)}`;

const CODEX_MARK = '# Written by lanes-hooks (install --agent codex --managed).';

/** A TOML basic string (Codex's requirements.toml): JSON's escapes are TOML's. */
const tomlString = (s: string) => JSON.stringify(s);

function codexRequirements(command: string): string {
  const lines = [
    CODEX_MARK,
    '# Managed hooks: trusted by policy, not switched off by any config.toml.',
    '# Undo: lanes-hooks uninstall (from the repository it names), or delete this file.',
    '',
    '[features]',
    'hooks = true',
    '',
    '[hooks]',
  ];
  for (const [event, matcher] of Object.entries(CODEX_EVENTS)) {
    lines.push('', `[[hooks.${event}]]`, `matcher = ${tomlString(matcher)}`);
    lines.push(`[[hooks.${event}.hooks]]`, 'type = "command"', `command = ${tomlString(command)}`);
  }
  return lines.join('\n') + '\n';
}

function parseJson(file: string, text: string): Json {
  try {
    const v = JSON.parse(text) as unknown;
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Json;
  } catch {
    /* reported below */
  }
  throw new UserError(
    `install --managed: ${JSON.stringify(file)} is not a JSON object; fix or move it aside first, nothing was changed`,
  );
}

/** The managed file's next content, merged into what is there; a UserError when it cannot be. */
export function renderManaged(
  agent: ManagedAgent,
  file: string,
  before: string | null,
  command: string,
): string {
  if (agent === 'codex') {
    if (before !== null && !before.startsWith(CODEX_MARK))
      throw new UserError(
        `install --managed: ${JSON.stringify(file)} exists and was not written by lanes-hooks; add lanes-hooks' [hooks] and [features] hooks = true to it by hand (docs/agents.md, "Managed mode"), or move it aside; nothing was changed`,
      );
    return codexRequirements(command);
  }
  const settings = before === null ? {} : parseJson(file, before);
  const spec = settingsSpec(agent) as JsonSettings;
  const next = spec.add(settings, command);
  if (agent === 'claude') next.allowManagedHooksOnly = true;
  else {
    const hc = next.hooksConfig && typeof next.hooksConfig === 'object' ? next.hooksConfig : {};
    next.hooksConfig = { ...(hc as Json), enabled: true };
  }
  return JSON.stringify(next, null, 2) + '\n';
}

/**
 * Why Gemini CLI would skip its system settings at `file` (POSIX): the file or a folder above it
 * not owned by root, or writable by group or others. Null when it reads it.
 */
export function geminiSkips(file: string): string | null {
  if (process.platform === 'win32' || !existsSync(file)) return null;
  for (let p = path.resolve(file); ; p = path.dirname(p)) {
    const st = statSync(p);
    if (st.uid !== 0) return `${JSON.stringify(p)} is not owned by root`;
    if (st.mode & 0o022) return `${JSON.stringify(p)} is writable by group or others`;
    if (path.dirname(p) === p) return null;
  }
}

export type ManagedState = 'present' | 'absent' | 'stale';

/** Whether `file` holds what install --managed would write there now. */
export function managedState(agent: ManagedAgent, file: string, command: string): ManagedState {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return 'absent';
  }
  try {
    return renderManaged(agent, file, text, command) === text ? 'present' : 'stale';
  } catch {
    return 'stale';
  }
}

/** What install --managed recorded: where it wrote, for doctor and uninstall. */
export interface ManagedRecord {
  root: string | null;
  agents: { agent: ManagedAgent; file: string; original: string | null }[];
}
const RECORD = 'managed.json';

export function readManagedRecord(base: string): ManagedRecord | null {
  try {
    const r = JSON.parse(readFileSync(path.join(base, RECORD), 'utf8')) as ManagedRecord;
    return r && Array.isArray(r.agents) ? r : null;
  } catch {
    return null;
  }
}

/** Is writing there refused for want of privileges? */
const denied = (e: unknown) =>
  ['EACCES', 'EPERM', 'EROFS'].includes((e as { code?: string }).code!);

/**
 * Write the managed settings of `agents` (those that have them). Every file is read and merged
 * before any is written. Without `root` and without write access: a UserError naming the command
 * to run as root (exit 2).
 */
export function installManaged(
  agents: readonly HookAgent[],
  base: string,
  node: string,
  common: string,
  root: string | null,
  rerun: string,
): ManagedRecord['agents'] {
  const plans = agents.filter(isManagedAgent).map((agent) => {
    const file = managedFile(agent, root);
    const before = existsSync(file) ? readFileSync(file, 'utf8') : null;
    const next = renderManaged(agent, file, before, managedCommand(node, base, agent, common));
    return { agent, file, before, next };
  });
  const old = readManagedRecord(base);
  const recorded: ManagedRecord['agents'] = [];
  for (const p of plans) {
    try {
      if (p.before !== p.next) {
        mkdirSync(path.dirname(p.file), { recursive: true });
        writeFileAtomic(p.file, p.next);
      }
    } catch (e) {
      if (!denied(e)) throw e;
      throw new UserError(
        `install --managed: cannot write ${JSON.stringify(p.file)} (${(e as { code?: string }).code}): the agents' managed settings are the machine's, so they need root: run \`sudo ${rerun}\`, or add --managed-root <dir> to write them under a folder (an image's root)`,
      );
    }
    const had = old?.agents.find((a) => a.file === p.file);
    recorded.push({ agent: p.agent, file: p.file, original: had ? had.original : p.before });
  }
  writeFileAtomic(
    path.join(base, RECORD),
    JSON.stringify({ root, agents: recorded } satisfies ManagedRecord, null, 2) + '\n',
  );
  return recorded;
}

/** uninstall: each managed file back to what it held before install --managed, or gone. */
export function uninstallManaged(base: string): string[] {
  const r = readManagedRecord(base);
  if (!r) return [];
  const out: string[] = [];
  for (const a of r.agents) {
    try {
      if (a.original === null) rmSync(a.file, { force: true });
      else writeFileAtomic(a.file, a.original);
      out.push(a.file);
    } catch (e) {
      out.push(`${a.file} (not restored: ${(e as { code?: string }).code ?? 'error'})`);
    }
  }
  rmSync(path.join(base, RECORD), { force: true });
  return out;
}

/**
 * doctor: managed mode as recorded. Notes say which agents are managed; a recorded file that is
 * gone or no longer holds lanes-hooks' entry is a problem with the command that writes it again.
 */
export function checkManaged(
  base: string,
  node: string,
  common: string,
  cli: string,
): { notes: string[]; problems: string[] } {
  const r = readManagedRecord(base);
  if (!r)
    return {
      notes: [
        "managed mode: off (install --agent … --managed writes the agents' administrator-level settings)",
      ],
      problems: [],
    };
  const notes: string[] = [];
  const problems: string[] = [];
  const which = r.agents.length === 1 ? r.agents[0]!.agent : 'all';
  const again = `${cli} install --agent ${which} --managed${r.root ? ` --managed-root ${shellQuote(r.root)}` : ''}`;
  for (const a of r.agents) {
    const state = managedState(a.agent, a.file, managedCommand(node, base, a.agent, common));
    const skips = state === 'present' && a.agent === 'gemini' ? geminiSkips(a.file) : null;
    if (skips)
      problems.push(
        `gemini: Gemini CLI skips its system settings ${JSON.stringify(a.file)}: ${skips} (it reads them only when the file and every folder above it are root's and not writable by group or others)`,
      );
    else if (state === 'present')
      notes.push(`managed mode: ${a.agent} present in ${JSON.stringify(a.file)}`);
    else
      problems.push(
        `${a.agent}: managed settings ${state} in ${JSON.stringify(a.file)}: ${state === 'absent' ? 'the file is gone' : "they no longer hold lanes-hooks' entry as install wrote it"}; run \`${again}\` (as root for the system paths)`,
      );
  }
  return { notes, problems };
}
