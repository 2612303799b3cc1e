// A large commit through the exclusion-pathspec route (hooks/pre-commit.ts judgedPaths), by a
// real `git commit` in a lane: out-of-scope and forbidden names refused, the rest allowed, under
// every pathspec variable a hook may inherit. (Deep tier, issue 29: the differential against
// picomatch is test/pathspec.test.ts, which the deep tier runs again at its full size.)
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LARGE_INDEX_BYTES } from '../../src/hooks/staged-set.js';
import { timeout } from '../helpers/tier.js';
import { world } from '../helpers/world.js';

describe('a large commit through the pathspec route (real git commit)', () => {
  it(
    'refuses out-of-scope and forbidden names, allows the rest, whatever the pathspec variables',
    { timeout: timeout(120_000) },
    () => {
      const sb = world(['B-ui']);
      const lane = sb.lanes['B-ui']!;
      const gitDir = sb.must(lane, 'rev-parse', '--path-format=absolute', '--git-dir');
      const blob = sb.must(lane, 'hash-object', '-w', '--stdin');
      // Long names: an index past LARGE_INDEX_BYTES with fewer entries, so git has less to do.
      const many = Array.from(
        { length: 5_000 },
        (_, i) =>
          `web/generated/${'component-library-'.repeat(4)}dir${i % 50}/file-${i}-${'x'.repeat(60)}.ts`,
      );
      const stageIn = (paths: string[]) => {
        sb.must(lane, 'read-tree', 'HEAD');
        const r = spawnSync(
          'git',
          [
            '-c',
            'core.protectNTFS=false',
            '-c',
            'core.protectHFS=false',
            'update-index',
            '-z',
            '--index-info',
          ],
          { cwd: lane, env: sb.env, input: paths.map((p) => `100644 ${blob}\t${p}\0`).join('') },
        );
        expect(r.status).toBe(0);
        expect(statSync(path.join(gitDir, 'index')).size).toBeGreaterThanOrEqual(LARGE_INDEX_BYTES);
      };
      const trace = path.join(sb.root, 'trace');
      const commitWith = (extra: NodeJS.ProcessEnv) => {
        writeFileSync(trace, '');
        // The shim's fast path would allow an in-scope commit in sh: LANES_* aside, Node decides when
        // the compiled policy is missing, so it is removed for these commits.
        spawnSync('rm', ['-f', path.join(gitDir, 'lanes-hooks.compiled.sh')]);
        return sb.run(lane, 'git', ['commit', '-q', '-m', 'large'], { GIT_TRACE: trace, ...extra });
      };
      // Each case under other variables a hook may inherit (`git --literal-pathspecs commit` sets
      // one; literal with any other, or glob with noglob, would make git refuse the commit itself).
      sb.must(lane, 'config', 'core.ignorecase', 'true');
      // Out of scope: a case variant of the scope, and a name that is the glob read literally.
      stageIn([...many, 'Web/x.ts', 'web*/y']);
      let r = commitWith({ GIT_ICASE_PATHSPECS: '1', GIT_NOGLOB_PATHSPECS: '1' });
      expect(r.status).not.toBe(0);
      expect(r.stderr).toContain('path-scope');
      expect(r.stderr).toContain('2 paths outside the scope');
      expect(r.stderr).toContain('Web/x.ts');
      // The route taken: git listed with the exclusion pathspecs (GIT_TRACE shows each git run).
      expect(readFileSync(trace, 'utf8')).toContain(':(top,exclude,literal)web');
      // Forbidden names inside the scope: refused, though every other path is in scope.
      stageIn([...many, 'web/.g\u200cit/config', 'web/GIT~1/hooks', 'web/a\\.git/b']);
      r = commitWith({ GIT_LITERAL_PATHSPECS: '1' });
      expect(r.status).not.toBe(0);
      expect(r.stderr).toContain('3 paths that git refuses to check out');
      expect(readFileSync(trace, 'utf8')).toContain(':(top,glob,icase)**/*git~*');
      // All in scope: allowed.
      stageIn(many);
      r = commitWith({ GIT_GLOB_PATHSPECS: '1', GIT_ICASE_PATHSPECS: '1' });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(readFileSync(trace, 'utf8')).toContain(':(top,exclude,literal)web');
    },
  );
});
