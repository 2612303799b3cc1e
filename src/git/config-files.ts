// Where git reads its system-wide config: `$(prefix)/etc/gitconfig`, fixed when git was built
// (/etc/gitconfig for a /usr prefix). git 2.39 has no `git var GIT_CONFIG_SYSTEM` yet; `git config
// --system --edit` names the file to the editor even when it does not exist, so an editor that
// only prints its argument reads the path without touching anything (git-config(1): --edit opens
// "the config file for the specified scope"; GIT_EDITOR is git's editor of first choice,
// git-var(1)).
import { spawnSync } from 'node:child_process';

/** The system config file git reads when GIT_CONFIG_SYSTEM is not set; null: not known. */
export function systemConfigFile(): string | null {
  // Fixed when git was built, so asked once per process: setup compiles the policy of every lane
  // it makes and asked git seven times for the same path.
  if (known === undefined) known = askGit();
  return known;
}

let known: string | null | undefined;

function askGit(): string | null {
  const env: NodeJS.ProcessEnv = { ...process.env, GIT_EDITOR: 'printf "%s\\n"' };
  delete env.GIT_CONFIG_SYSTEM;
  delete env.GIT_CONFIG_NOSYSTEM;
  const r = spawnSync('git', ['config', '--system', '--edit'], {
    env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const file = r.status === 0 ? r.stdout.replace(/\n$/, '') : '';
  return file.startsWith('/') && !file.includes('\n') ? file : null;
}
