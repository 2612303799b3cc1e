// doctor: can the OS sandbox that `install --agent claude --sandbox` / `--agent codex --sandbox`
// turned on actually run on this machine? File reads and a PATH lookup only.
//
// - Claude Code (code.claude.com/docs/en/sandboxing, "Prerequisites"): on Linux the sandbox runs
//   commands under bubblewrap (`bwrap`) with `socat` for its network proxy, both from the
//   system's packages (`bubblewrap`, `socat`); macOS uses Seatbelt, built in. The settings must
//   still say `sandbox.enabled: true` in the lane's file.
// - Codex (developers.openai.com/codex/config-reference, `sandbox_mode`,
//   `[sandbox_workspace_write]`): the lane's `.codex/config.toml` as install wrote it. On Linux
//   Codex runs its sandbox helper through bubblewrap (the copy it ships, else the system's
//   `bwrap`: codex-rs linux-sandbox, bundled_bwrap / system_bwrap candidates) and a
//   `codex-linux-sandbox` alias it will not create under the temp dir (`std::env::temp_dir()`,
//   $TMPDIR else /tmp; codex-rs/arg0/src/lib.rs): a CODEX_HOME there fails every sandboxed
//   command with `bwrap: execvp codex-linux-sandbox: No such file or directory` (recorded with
//   0.169.0, test/deep/agents-codex-sandbox.test.ts).
// - Both: bubblewrap needs unprivileged user namespaces; `user.max_user_namespaces = 0` (or
//   Debian's `kernel.unprivileged_userns_clone = 0`) turns them off.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { onPath } from '../util/on-path.js';
import { realPath as real } from '../util/real-path.js';
import { codexSandboxToml } from './codex-sandbox.js';

export interface SandboxFindings {
  problems: string[];
  notes: string[];
}

const read = (file: string) => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
};

/** Why unprivileged user namespaces are off here, or null (on, or not Linux). */
function userNamespacesOff(proc: string): string | null {
  if (read(path.join(proc, 'sys/user/max_user_namespaces'))?.trim() === '0')
    return 'user.max_user_namespaces is 0';
  if (read(path.join(proc, 'sys/kernel/unprivileged_userns_clone'))?.trim() === '0')
    return 'kernel.unprivileged_userns_clone is 0';
  return null;
}

export interface SandboxHost {
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  /** Where /proc is (a test points it at a folder of its own). */
  proc: string;
}

export const thisHost = (env: NodeJS.ProcessEnv = process.env): SandboxHost => ({
  platform: process.platform,
  env,
  proc: '/proc',
});

/** Claude Code's sandbox in the lane's settings file `file`, installed with --sandbox. */
export function claudeSandboxFindings(file: string, host: SandboxHost, cli: string, top: string) {
  const out: SandboxFindings = { problems: [], notes: [] };
  const fix = `run \`${cli} install --agent claude --sandbox\` in ${top}`;
  let enabled = false;
  try {
    const s = JSON.parse(read(file) ?? 'null') as { sandbox?: { enabled?: unknown } } | null;
    enabled = s?.sandbox?.enabled === true;
  } catch {
    /* an unreadable file is reported by the settings check */
  }
  if (!enabled) {
    out.problems.push(
      `claude: install --sandbox turned Claude Code's sandbox on here, but ${file} no longer sets "sandbox": {"enabled": true}: shell commands run unsandboxed; ${fix}`,
    );
    return out;
  }
  if (host.platform === 'darwin') {
    out.notes.push('claude: sandbox on (Seatbelt, built into macOS)');
    return out;
  }
  if (host.platform !== 'linux') {
    out.problems.push(
      `claude: Claude Code's sandbox runs on Linux and macOS only; on ${host.platform} shell commands run unsandboxed`,
    );
    return out;
  }
  const missing = [
    ['bwrap', 'bubblewrap'],
    ['socat', 'socat'],
  ].filter(([bin]) => !onPath(bin!, host.env));
  if (missing.length)
    out.problems.push(
      `claude: Claude Code's sandbox is on in ${file} but cannot run here: ${missing.map(([bin, pkg]) => `\`${bin}\` (package ${pkg})`).join(' and ')} not on PATH: install ${missing.map(([, pkg]) => pkg).join(' and ')} (apt-get install ${missing.map(([, pkg]) => pkg).join(' ')}, or your distribution's packages)`,
    );
  const userns = userNamespacesOff(host.proc);
  if (userns)
    out.problems.push(
      `claude: Claude Code's sandbox needs unprivileged user namespaces for bubblewrap, and ${userns} here: enable them (sysctl), or the sandbox cannot start`,
    );
  if (!missing.length && !userns) out.notes.push('claude: sandbox on; bwrap and socat found');
  return out;
}

/** Codex's sandbox file `file` in the lane whose top is `top`, installed with --sandbox. */
export function codexSandboxFindings(
  file: string,
  top: string,
  codexHome: string,
  host: SandboxHost,
  cli: string,
) {
  const out: SandboxFindings = { problems: [], notes: [] };
  const text = read(file);
  if (text !== codexSandboxToml(real(top))) {
    out.problems.push(
      `codex: install --sandbox wrote Codex's sandbox settings to ${file}, and they are ${text === null ? 'gone' : 'no longer as written'}: Codex runs shell commands without the lane's sandbox; run \`${cli} install --agent codex --sandbox\` in ${top}`,
    );
    return out;
  }
  if (host.platform !== 'linux') {
    out.notes.push('codex: sandbox settings in place');
    return out;
  }
  const tmp = path.resolve(host.env.TMPDIR || '/tmp');
  const home = path.resolve(codexHome);
  if (home === tmp || home.startsWith(tmp + path.sep))
    out.problems.push(
      `codex: CODEX_HOME (${home}) lies under the temp dir (${tmp}): Codex refuses to create its sandbox helper there, so every sandboxed command fails (\`bwrap: execvp codex-linux-sandbox\`): keep CODEX_HOME outside ${tmp} (the default ~/.codex is)`,
    );
  const userns = userNamespacesOff(host.proc);
  if (userns)
    out.problems.push(
      `codex: Codex's sandbox needs unprivileged user namespaces for bubblewrap, and ${userns} here: enable them (sysctl), or every sandboxed command fails`,
    );
  if (!out.problems.length)
    out.notes.push(
      `codex: sandbox settings in place (workspace-write, the lane the writable root); Codex runs the bubblewrap it ships${onPath('bwrap', host.env) ? ' or the system’s bwrap' : ' (the package bubblewrap gives the system one)'}`,
    );
  return out;
}
