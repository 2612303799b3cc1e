// `install --agent claude --sandbox`: Claude Code's own sandbox, so that the OS refuses a shell
// command's writes outside the lane, whatever the command. Pure: paths in, settings out.
//
// Claude Code's settings (code.claude.com/docs/en/settings, "Sandbox settings";
// code.claude.com/docs/en/sandboxing; the schema in the pinned 2.1.197 binary):
// - `sandbox.enabled: true` runs Bash commands and their subprocesses in the OS sandbox
//   (bubblewrap, with socat for the network proxy, on Linux; Seatbelt on macOS).
// - `sandbox.filesystem.denyWrite`: "Additional paths to deny writing within the sandbox. Merged
//   with paths from Edit(...) deny permission rules." Arrays merge across settings scopes. By
//   default a sandboxed command may write the working directory and the temp directory.
// - Path prefixes in those arrays: `//` an absolute path from the filesystem root, `~/` the home
//   directory, `/` relative to the settings file's directory. lanes-hooks writes `//` paths only.
// A deny list names what exists: a new top-level folder made after install, or a new file at the
// lane's top, is not covered (the commit still refuses it).
import path from 'node:path';
import type { Json } from './adapter.js';

/** `//` + an absolute path: Claude Code's spelling of an absolute sandbox path. */
export const sandboxPath = (abs: string) => `/${path.resolve(abs)}`;

/** A top-level folder no glob of the lane's scope can reach (a glob starting with a wildcard can). */
export function outOfScope(folder: string, globs: string[]): boolean {
  return !globs.some((g) => {
    const first = g.replace(/^\.\//, '').split('/')[0]!;
    return /[*?[{]/.test(first) || first === folder;
  });
}

/** `settings` with lanes-hooks' sandbox: enabled, and `deny` added to filesystem.denyWrite. */
export function withSandbox(settings: Json, deny: string[]): Json {
  const out = structuredClone(settings);
  const sandbox = (out.sandbox && typeof out.sandbox === 'object' ? out.sandbox : {}) as Json;
  const fs = (
    sandbox.filesystem && typeof sandbox.filesystem === 'object' ? sandbox.filesystem : {}
  ) as Json;
  const have = Array.isArray(fs.denyWrite) ? (fs.denyWrite as unknown[]) : [];
  out.sandbox = {
    ...sandbox,
    enabled: true,
    filesystem: { ...fs, denyWrite: [...have, ...deny.filter((d) => !have.includes(d))] },
  };
  return out;
}

/** `settings` with its `sandbox` key as it was before install (`before` undefined: none). */
export function withoutSandbox(settings: Json, before: unknown): Json {
  const out = structuredClone(settings);
  if (before === undefined) delete out.sandbox;
  else out.sandbox = structuredClone(before);
  return out;
}
