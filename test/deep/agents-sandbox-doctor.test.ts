// doctor after `install --agent claude --sandbox` and `--agent codex --sandbox`: whether each OS
// sandbox can run on this machine (agents/sandbox-check.ts), with the package or the command
// that fixes it. Real git and the real CLI for doctor; the PATH a session would have is the one
// doctor is run with, so a PATH without bwrap and socat is a folder holding only git and node.
// The host facts no test can change (the kernel's user namespaces) are checked in-process with a
// /proc of the test's own.
import {
  accessSync,
  appendFileSync,
  constants,
  mkdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { claudeSandboxFindings, codexSandboxFindings } from '../../src/agents/sandbox-check.js';
import { onPath } from '../../src/util/on-path.js';
import { CLI } from '../helpers/world.js';
import { coordinatorSandbox } from '../helpers/template.js';

const sb = coordinatorSandbox({ setup: true });
const A = sb.lane('A-backend');
const HOME = path.join(sb.root, 'home');
const base = {
  HOME,
  CLAUDE_CONFIG_DIR: path.join(HOME, '.claude'),
  CODEX_HOME: path.join(HOME, '.codex'),
};
mkdirSync(base.CLAUDE_CONFIG_DIR, { recursive: true });
mkdirSync(base.CODEX_HOME, { recursive: true });
// A PATH with git and node only: what a machine without bubblewrap and socat offers.
const bare = path.join(sb.root, 'bare-bin');
mkdirSync(bare);
const which = (b: string) =>
  (process.env.PATH ?? '')
    .split(path.delimiter)
    .map((d) => path.join(d, b))
    .find((f) => {
      try {
        accessSync(f, constants.X_OK);
        return true;
      } catch {
        return false;
      }
    });
for (const b of ['git', 'sh']) symlinkSync(which(b)!, path.join(bare, b));
symlinkSync(process.execPath, path.join(bare, 'node'));
const ownTmp = path.join(sb.root, 'tmp');
mkdirSync(ownTmp);

const cli = (env: NodeJS.ProcessEnv, ...args: string[]) =>
  sb.run(A, process.execPath, [CLI, ...args], { ...base, ...env });
const doctor = (env: NodeJS.ProcessEnv = {}) => {
  const r = cli(env, 'doctor', '--json');
  const w = (JSON.parse(r.stdout) as { worktrees: { problems: string[]; notes: string[] }[] })
    .worktrees[0]!;
  return { problems: w.problems.join('\n'), notes: w.notes.join('\n') };
};

describe('doctor: the agents’ OS sandboxes', () => {
  it.runIf(process.platform === 'linux')(
    'Claude Code: bwrap and socat present → a note; missing → a problem naming the packages; the setting gone → a problem naming install --sandbox',
    () => {
      // Before --sandbox: doctor says nothing about a sandbox.
      expect(doctor().problems + doctor().notes).not.toContain('sandbox');
      const r = cli({}, 'install', '--agent', 'claude', '--sandbox');
      expect(r.status, r.stderr).toBe(0);
      const have = onPath('bwrap') && onPath('socat');
      if (have) expect(doctor().notes).toContain('claude: sandbox on; bwrap and socat found');
      const missing = doctor({ PATH: bare });
      expect(missing.problems).toContain("Claude Code's sandbox is on");
      expect(missing.problems).toContain(
        '`bwrap` (package bubblewrap) and `socat` (package socat)',
      );
      expect(missing.problems).toContain('apt-get install bubblewrap socat');
      // The route around it: the lane's shell turns the sandbox off in the settings file.
      const file = path.join(A, '.claude', 'settings.local.json');
      const s = JSON.parse(readFileSync(file, 'utf8'));
      s.sandbox.enabled = false;
      writeFileSync(file, JSON.stringify(s));
      const off = doctor();
      expect(off.problems).toContain('no longer sets "sandbox": {"enabled": true}');
      expect(off.problems).toContain('install --agent claude --sandbox');
      expect(cli({}, 'install', '--agent', 'claude', '--sandbox').status).toBe(0);
      expect(doctor().problems).not.toContain('no longer sets');
    },
  );

  it.runIf(process.platform === 'linux')(
    'Codex: the settings in place → a note; CODEX_HOME under the temp dir → a problem; the file edited → a problem naming install --sandbox',
    () => {
      const r = cli({ TMPDIR: ownTmp }, 'install', '--agent', 'codex', '--sandbox');
      expect(r.status, r.stderr).toBe(0);
      // This test's CODEX_HOME lies under /tmp: with TMPDIR elsewhere, Codex can make its helper.
      const ok = doctor({ TMPDIR: ownTmp });
      expect(ok.notes).toContain('codex: sandbox settings in place');
      expect(ok.problems).not.toContain('temp dir');
      const underTmp = doctor({ TMPDIR: sb.root });
      expect(underTmp.problems).toContain('lies under the temp dir');
      expect(underTmp.problems).toContain('codex-linux-sandbox');
      appendFileSync(
        path.join(A, '.codex', 'config.toml'),
        'sandbox_mode = "danger-full-access"\n',
      );
      const edited = doctor({ TMPDIR: ownTmp });
      expect(edited.problems).toContain('no longer as written');
      expect(edited.problems).toContain('install --agent codex --sandbox');
    },
  );
});

describe('sandbox-check: host facts (in-process)', () => {
  const proc = path.join(sb.root, 'proc');
  mkdirSync(path.join(proc, 'sys', 'user'), { recursive: true });
  const settings = path.join(sb.root, 'claude-settings.json');
  writeFileSync(settings, JSON.stringify({ sandbox: { enabled: true } }));
  const host = (platform: NodeJS.Platform, PATH = process.env.PATH) => ({
    platform,
    env: { PATH },
    proc,
  });

  it('user namespaces off: both sandboxes are reported as unable to start', () => {
    writeFileSync(path.join(proc, 'sys', 'user', 'max_user_namespaces'), '0\n');
    const c = claudeSandboxFindings(settings, host('linux'), 'lh', A);
    expect(c.problems.join('\n')).toContain('user.max_user_namespaces is 0');
    writeFileSync(path.join(proc, 'sys', 'user', 'max_user_namespaces'), '15000\n');
    expect(
      claudeSandboxFindings(settings, host('linux'), 'lh', A).problems.join('\n'),
    ).not.toContain('namespaces');
  });

  it('macOS needs no package (Seatbelt); another platform has no sandbox', () => {
    expect(claudeSandboxFindings(settings, host('darwin', bare), 'lh', A)).toEqual({
      problems: [],
      notes: ['claude: sandbox on (Seatbelt, built into macOS)'],
    });
    expect(claudeSandboxFindings(settings, host('win32'), 'lh', A).problems[0]).toContain(
      'Linux and macOS only',
    );
  });

  it('Codex: a missing file is reported, never passed', () => {
    const f = codexSandboxFindings(path.join(sb.root, 'none.toml'), A, HOME, host('linux'), 'lh');
    expect(f.problems.join('\n')).toContain('they are gone');
  });
});
