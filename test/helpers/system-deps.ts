// Checks that need a system package (chromium, tmux, ...) are never silently skipped (issue 29).
// In CI (CI=true) a missing package is a failing test that names the package and the command that
// installs it; locally the checks are skipped and the run's summary says so in one line at the end
// (test/timing-reporter.ts reads the notes written here), not in a banner at the start.
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { it } from 'vitest';

export interface SystemPackage {
  /** The Debian package's name. */
  name: string;
  /** True when it is usable here. */
  present: () => boolean;
}

const onPath = (bin: string) =>
  (process.env.PATH ?? '').split(path.delimiter).some((d) => d && existsSync(path.join(d, bin)));

export const CHROMIUM: SystemPackage = {
  name: 'chromium',
  present: () => existsSync('/usr/bin/chromium'),
};
export const TMUX: SystemPackage = {
  name: 'tmux',
  present: () => !spawnSync('tmux', ['-V']).error,
};
export const BUBBLEWRAP: SystemPackage = { name: 'bubblewrap', present: () => onPath('bwrap') };
export const SOCAT: SystemPackage = { name: 'socat', present: () => onPath('socat') };
export const STRACE_PKG: SystemPackage = { name: 'strace', present: () => onPath('strace') };
// The hub behind real servers (test/deep/servers.test.ts).
export const NGINX: SystemPackage = {
  name: 'nginx-light',
  present: () => existsSync('/usr/sbin/nginx'),
};
export const FCGIWRAP: SystemPackage = {
  name: 'fcgiwrap',
  present: () => existsSync('/usr/sbin/fcgiwrap'),
};
export const SSHD: SystemPackage = {
  name: 'openssh-server',
  present: () => existsSync('/usr/sbin/sshd'),
};
export const GITOLITE: SystemPackage = {
  name: 'gitolite3',
  present: () => existsSync('/usr/share/gitolite3/gitolite-shell'),
};

const install = (pkgs: SystemPackage[]) =>
  `apt-get install -y ${pkgs.map((p) => p.name).join(' ')}`;

/**
 * Whether `what` (the checks, in words) can run here. Call at the top level of a test file or in a
 * describe block; use the answer with describe.runIf / it.runIf. When something is missing: in CI
 * this registers a failing test; locally it notes one line for the run's summary.
 */
export function needs(what: string, ...pkgs: SystemPackage[]): boolean {
  const missing = pkgs.filter((p) => !p.present());
  if (missing.length === 0) return true;
  const line = `${what}: needs ${missing.map((p) => p.name).join(' and ')} (${install(missing)}; .ci/run installs it)`;
  if (process.env.CI) {
    it(`has ${missing.map((p) => p.name).join(' and ')} for ${what}`, () => {
      throw new Error(`missing in CI: ${line}`);
    });
  } else if (process.env.LANES_TEST_NOTES) {
    appendFileSync(path.join(process.env.LANES_TEST_NOTES, `${process.pid}`), `${line}\n`);
  } else {
    console.warn(`not run here: ${line}`);
  }
  return false;
}
