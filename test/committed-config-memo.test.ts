// The committed policy read once per repository directory and object id in a process
// (lanes/policy.ts, issue 29): what a caller does with its copy never reaches the next read, a
// repository that lacks the commit is asked itself, and a config that does not load throws again.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { committedConfig } from '../src/lanes/policy.js';
import { tmpDir } from './helpers/world.js';

const env = {
  ...process.env,
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 'T',
  GIT_AUTHOR_EMAIL: 't@example.com',
  GIT_COMMITTER_NAME: 'T',
  GIT_COMMITTER_EMAIL: 't@example.com',
  GIT_AUTHOR_DATE: '2026-01-01T00:00:00Z',
  GIT_COMMITTER_DATE: '2026-01-01T00:00:00Z',
};
const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, { cwd, env, encoding: 'utf8' }).trim();

/** A repository whose one commit holds `config` as .lanesrc.json; its commit id. */
function repoWith(config: string): { dir: string; sha: string } {
  const dir = tmpDir('lanes-memo-');
  git(dir, 'init', '-q', '-b', 'master');
  writeFileSync(path.join(dir, '.lanesrc.json'), config);
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'policy');
  return { dir, sha: git(dir, 'rev-parse', 'HEAD') };
}

describe('the committed policy, read once per repository and commit', () => {
  it('gives every caller its own copy, finds nothing in a repository without the commit, and throws again for a broken config', () => {
    const a = repoWith('{ "shared": ["shared/**"] }\n');
    const first = committedConfig(a.sha, 'master', a.dir)!;
    expect(first.config.shared).toEqual(['shared/**']);
    first.config.shared.push('backend/**');
    first.config.integration = 'evil';
    const second = committedConfig(a.sha, 'master', a.dir)!;
    expect(second.config.shared).toEqual(['shared/**']);
    expect(second.config.integration).toBe('master');

    // The same commit id in another repository that lacks it: no config read from the first one.
    const other = tmpDir('lanes-memo-empty-');
    git(other, 'init', '-q', '-b', 'master');
    expect(committedConfig(a.sha, 'master', other)).toBeNull();

    const broken = repoWith('{ "shared": [1] }\n');
    expect(() => committedConfig(broken.sha, 'master', broken.dir)).toThrow(/shared/);
    expect(() => committedConfig(broken.sha, 'master', broken.dir)).toThrow(/shared/);
  });
});
