// Codex's trust of project hooks, computed exactly as codex-rs does, so that lanes-hooks can say
// whether Codex will run its hooks — `codex exec` skips an untrusted hook without a word — and
// print the exact lines that trust them. Pure: text in, facts out.
//
// From codex-rs (config/src/loader/mod.rs, hooks/src/engine/discovery.rs, config_rules.rs):
// - Project config (and its hooks) loads only for a trusted project: `[projects."<dir>"]` with
//   `trust_level = "trusted"` in $CODEX_HOME/config.toml, looked up for the directory, the
//   project root, then the repository's root checkout (so trusting the root checkout covers every
//   linked worktree).
// - Each project hook runs only when trusted: `[hooks.state."<key>"]` `trusted_hash = "<hash>"`
//   in the user's config.toml, where key = `<hooks.json path>:<event>:<group index>:<handler
//   index>` (event as snake_case: pre_tool_use, post_tool_use, session_start) and hash =
//   "sha256:" + hex SHA-256 of the canonical JSON (keys sorted, no spaces) of the normalized
//   identity { event_name, matcher?, hooks: [{ type: "command", command, timeout, async }] }
//   (timeout defaults to 600 s; absent options are left out). Any change to a definition changes
//   the hash, and the hook falls back to untrusted ("modified") until trusted again.
// - A linked worktree's hooks come from the root checkout's matching `.codex/` folder
//   (`root_checkout_hooks_folder_for_dir`), and only for a directory of the worktree that has a
//   `.codex/` folder of its own, between the session's cwd and the worktree's top.
import { createHash } from 'node:crypto';

const EVENT_KEYS: Record<string, string> = {
  PreToolUse: 'pre_tool_use',
  PostToolUse: 'post_tool_use',
  SessionStart: 'session_start',
  UserPromptSubmit: 'user_prompt_submit',
  Stop: 'stop',
  PermissionRequest: 'permission_request',
};

const canonical = (v: unknown): unknown =>
  Array.isArray(v)
    ? v.map(canonical)
    : v && typeof v === 'object'
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, canonical((v as Record<string, unknown>)[k])]),
        )
      : v;

export interface CodexHookTrust {
  key: string;
  hash: string;
  event: string;
  command: string;
}

type Group = { matcher?: unknown; hooks?: Record<string, unknown>[] };

/** Every command hook of a hooks.json, with the trust key and hash Codex computes for it. */
export function codexHookTrust(
  hooksJsonPath: string,
  hooks: Record<string, unknown>,
): CodexHookTrust[] {
  const out: CodexHookTrust[] = [];
  for (const [event, groups] of Object.entries(hooks)) {
    const label = EVENT_KEYS[event];
    if (!label || !Array.isArray(groups)) continue;
    (groups as Group[]).forEach((g, gi) =>
      (g.hooks ?? []).forEach((h, hi) => {
        if (h.type !== 'command' || typeof h.command !== 'string') return;
        const handler: Record<string, unknown> = {
          type: 'command',
          command: h.command,
          timeout: Math.max(1, typeof h.timeout === 'number' ? h.timeout : 600),
          async: h.async === true,
        };
        if (typeof h.statusMessage === 'string') handler.statusMessage = h.statusMessage;
        const identity: Record<string, unknown> = { event_name: label, hooks: [handler] };
        // UserPromptSubmit and Stop take no matcher (codex-rs matcher_pattern_for_event).
        if (typeof g.matcher === 'string' && !['user_prompt_submit', 'stop'].includes(label))
          identity.matcher = g.matcher;
        const hash =
          'sha256:' +
          createHash('sha256')
            .update(JSON.stringify(canonical(identity)))
            .digest('hex');
        out.push({ key: `${hooksJsonPath}:${label}:${gi}:${hi}`, hash, event, command: h.command });
      }),
    );
  }
  return out;
}

/** A TOML basic string, as Codex writes keys. */
export const tomlString = (s: string) =>
  `"${s
    .replace(/[\\"]/g, (c) => `\\${c}`)
    .replace(/\n/g, '\\n')
    .replace(/\t/g, '\\t')}"`;

/**
 * The tables of a config.toml that trust matters for, read line by line the way Codex writes
 * them (`[projects."<dir>"]`, `[hooks.state."<key>"]`, each with its key = "value" lines).
 */
export function readCodexConfig(text: string): {
  projects: Map<string, string>;
  hookHashes: Map<string, string>;
  /** `[features] hooks = false` turns every hook off (the feature is on by default). */
  hooksOff: boolean;
} {
  const projects = new Map<string, string>();
  const hookHashes = new Map<string, string>();
  let hooksOff = false;
  let table: { kind: 'project' | 'hook' | 'features'; key: string } | null = null;
  const unquote = (q: string) => {
    try {
      return JSON.parse(q) as string;
    } catch {
      return q.replace(/^'|'$/g, '');
    }
  };
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const header = /^\[\s*(projects|hooks\.state)\s*\.\s*("(?:[^"\\]|\\.)*"|'[^']*')\s*\]$/.exec(
      line,
    );
    if (header) {
      table = { kind: header[1] === 'projects' ? 'project' : 'hook', key: unquote(header[2]!) };
      continue;
    }
    if (/^\[\s*features\s*\]$/.test(line)) {
      table = { kind: 'features', key: '' };
      continue;
    }
    if (line.startsWith('[')) {
      table = null;
      continue;
    }
    if (/^features\.hooks\s*=\s*false\b/.test(line) && !table) hooksOff = true;
    if (table?.kind === 'features' && /^hooks\s*=\s*false\b/.test(line)) hooksOff = true;
    const kv = /^([A-Za-z_]+)\s*=\s*("(?:[^"\\]|\\.)*"|'[^']*')/.exec(line);
    if (!table || !kv) continue;
    if (table.kind === 'project' && kv[1] === 'trust_level')
      projects.set(table.key, unquote(kv[2]!));
    if (table.kind === 'hook' && kv[1] === 'trusted_hash')
      hookHashes.set(table.key, unquote(kv[2]!));
  }
  return { projects, hookHashes, hooksOff };
}

/** The config.toml lines that trust the project and every given hook (what doctor prints). */
export function codexTrustLines(project: string | null, hooks: CodexHookTrust[]): string {
  return [
    ...(project ? [`[projects.${tomlString(project)}]`, 'trust_level = "trusted"'] : []),
    ...hooks.flatMap((h) => [
      `[hooks.state.${tomlString(h.key)}]`,
      `trusted_hash = ${tomlString(h.hash)}`,
    ]),
  ].join('\n');
}
