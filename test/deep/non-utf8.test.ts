// A file name that is not UTF-8 (git allows any byte but NUL and "/"): the verdicts hold, and the
// refusal prints the name as git quotes it, byte for byte, not with U+FFFD.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { world } from '../helpers/world.js';

describe('a name with a byte that is not UTF-8', () => {
  const w = world(['B-ui']);
  const B = () => w.lanes['B-ui']!;
  const git = (cwd: string, ...args: string[]) =>
    spawnSync('git', args, { cwd, env: w.env, encoding: 'utf8' });

  it('out of scope: refused by path-scope, the name printed with git’s octal escape', () => {
    // "\377bad.ts" at the top level, outside B-ui's web/**.
    writeFileSync(
      Buffer.concat([Buffer.from(B() + path.sep), Buffer.from([0xff]), Buffer.from('bad.ts')]),
      'x\n',
    );
    expect(git(B(), 'add', '-A').status).toBe(0);
    const quoted = git(
      B(),
      '-c',
      'core.quotePath=true',
      'diff',
      '--cached',
      '--name-only',
    ).stdout.trim();
    expect(quoted).toBe('"\\377bad.ts"');
    const r = git(B(), 'commit', '-q', '-m', 'non-utf8 name');
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('refused by path-scope');
    expect(r.stderr).toContain(`    ${quoted}\n`);
    expect(r.stderr).not.toContain('\ufffd');
    git(B(), 'reset', '-q', '--hard');
    git(B(), 'clean', '-fdq');
  });

  it('in scope: still allowed', () => {
    writeFileSync(
      Buffer.concat([
        Buffer.from(path.join(B(), 'web') + path.sep),
        Buffer.from([0xff]),
        Buffer.from('ok.ts'),
      ]),
      'x\n',
    );
    expect(git(B(), 'add', '-A').status).toBe(0);
    const r = git(B(), 'commit', '-q', '-m', 'non-utf8 name in scope');
    expect(r.status, r.stderr).toBe(0);
  });
});
