// config-invalid (issue 30 point 7): a config that does not load cannot be committed or pushed to
// integration, and every message about it names the file, line and reason. Real git: a coordinator
// with hooks installed by the built CLI and a bare hub running `guard pre-receive`.
// How a lane (or a hurried coordinator) would go around it, each a test below: stage the broken
// file and fix only the working tree (judged from the index); `git commit -a` (git's temporary
// index); delete the file; `--no-verify` on the commit (pre-push refuses), on the push too (the hub
// refuses, and verify in CI says the same); a merge commit (no pre-commit runs). In the deep tier
// (test/deep/config-broken-more.test.ts, issue 29): a lane staging a broken config, doctor and
// status naming a broken committed config, and a "repair" that is still broken (judged by its own
// new file, never by the old one's error: the hub's side of that is route 3 of
// test/deep/attacks/policy-source.test.ts).
import { describe, expect, it } from 'vitest';
import { hub, local, refusedBy, SLOW, tip } from './attacks/hub.js';
import { BROKEN, brokenConfigWorld } from './helpers/broken-config.js';

describe('a config that does not load cannot reach integration', () => {
  const { sb, C, good, nodeRan, commitC, stage, head } = brokenConfigWorld();

  it(
    'pre-commit judges the staged file (not the working tree), parse and schema; sh hands it to Node',
    () => {
      // The compiled fast path is live: a plain coordinator commit starts no Node…
      sb.write(C, 'README.md', 'one\n');
      sb.must(C, 'add', 'README.md');
      expect(commitC('readme').status).toBe(0);
      expect(nodeRan('pre-commit')).toBe(false);
      // …and a staged policy file leaves it: Node loads it, and a good edit passes.
      stage(good.replace('"master"', '"master" ').replace(/\n$/, '\n\n'));
      expect(commitC('reformat the policy').status).toBe(0);
      expect(nodeRan('pre-commit')).toBe(true);

      // Broken in the index, repaired only in the working tree: refused by what the commit holds.
      const before = head();
      stage(BROKEN);
      sb.write(C, '.lanesrc.json', good);
      const r = commitC('broken policy');
      expect(refusedBy(r, 'config-invalid', 'local')).toBeNull();
      expect(r.stderr).toContain(
        'the staged lanes config does not load: .lanesrc.json:3:14: expected a "key"',
      );
      expect(r.stderr).toMatch(/"roles": \{ ,\n {10}\s+\^/);
      expect(r.stderr).toContain('fix:  correct the file where the message says');
      expect(head()).toBe(before);
      expect(sb.must(C, 'show', ':.lanesrc.json')).toBe(BROKEN.trim()); // the index is intact

      // The other way round: a good index passes whatever the working tree holds.
      sb.must(C, 'add', '.lanesrc.json'); // good again in the index
      sb.write(C, '.lanesrc.json', BROKEN);
      sb.write(C, 'README.md', 'two\n');
      sb.must(C, 'add', 'README.md');
      expect(commitC('readme again').status).toBe(0);
      // Before any commit of it, status already puts the broken file here first, with its position.
      const st = sb.cli(C, 'status', '--json');
      expect(st.status, st.stderr).toBe(0);
      expect((JSON.parse(st.stdout) as { actions: string[] }).actions[0]).toContain(
        'config broken here (not committed): .lanesrc.json:3:14: expected a "key"',
      );

      // `git commit -a` commits through git's temporary index: that is the one judged.
      const a = commitC('everything', ['-a']);
      expect(refusedBy(a, 'config-invalid', 'local')).toBeNull();
      expect(a.stderr).toContain('.lanesrc.json:3:14: expected a "key"');

      // A schema error names the key path and what was expected.
      stage('{ "queue": { "requireClaim": "yes" } }\n');
      const s = commitC('schema');
      expect(refusedBy(s, 'config-invalid', 'local')).toBeNull();
      expect(s.stderr).toContain('.lanesrc.json: queue.requireClaim: expected boolean, got string');

      // Deleting the policy is refused too.
      sb.write(C, '.lanesrc.json', good);
      sb.must(C, 'add', '.lanesrc.json');
      sb.must(C, 'rm', '-q', '--cached', '.lanesrc.json');
      const d = commitC('no policy');
      expect(refusedBy(d, 'config-invalid', 'local')).toBeNull();
      expect(d.stderr).toContain('holds no lanes config any more');
      sb.must(C, 'add', '.lanesrc.json');
      expect(head()).toBe(local(sb, C, 'HEAD'));
    },
    SLOW.timeout,
  );

  const hubBefore = tip(sb, 'refs/heads/master');
  it(
    '--no-verify on the commit: pre-push refuses the push, the hub refuses it without hooks, verify agrees',
    () => {
      stage(BROKEN);
      expect(commitC('broken, hooks skipped', ['--no-verify']).status).toBe(0);
      const broken = head();
      const p = sb.git(C, 'push', '-q', 'origin', 'master');
      expect(refusedBy(p, 'config-invalid', 'local')).toBeNull();
      expect(p.stderr).toContain(
        'the lanes config of this master does not load: master:.lanesrc.json:3:14',
      );
      expect(tip(sb, 'refs/heads/master')).toBe(hubBefore);

      const h = sb.git(C, 'push', '-q', '--no-verify', 'origin', 'master');
      expect(refusedBy(h, 'config-invalid', 'hub')).toBeNull();
      expect(h.stderr).toContain(`${broken.slice(0, 12)}:.lanesrc.json:3:14: expected a "key"`);
      expect(tip(sb, 'refs/heads/master')).toBe(hubBefore);

      const v = sb.run(
        C,
        process.execPath,
        [sb.cliFile, 'verify', '--stdin', '--json'],
        {},
        `${hubBefore} ${broken} refs/heads/master\n`,
      );
      expect(v.status, v.stderr).toBe(1);
      const verdict = JSON.parse(v.stdout) as { violations: { rule: string; why: string }[] };
      // (merge-requirements too: a policy change needs E-governance's sign-off on this hub.)
      const invalid = verdict.violations.find((x) => x.rule === 'config-invalid');
      expect(invalid?.why).toContain(`${broken.slice(0, 12)}:.lanesrc.json:3:14: expected a "key"`);
    },
    SLOW.timeout,
  );
});

// The way around pre-commit: `git merge` runs pre-merge-commit, not pre-commit (githooks(5)), and
// lanes-hooks installs no pre-merge-commit; so a broken config that arrives by a merge commit on
// integration is caught where every move of integration is judged: pre-push, then the hub.
describe('a broken config that arrives by a merge', () => {
  const sb = hub();
  const C = sb.coordinator;

  it(
    'the merge commit is made (no pre-commit runs), pre-push refuses it, the hub refuses it without hooks',
    () => {
      const hubBefore = tip(sb, 'refs/heads/master');
      sb.must(C, 'checkout', '-q', '-b', 'side');
      sb.write(C, '.lanesrc.json', BROKEN);
      sb.must(C, 'add', '.lanesrc.json');
      sb.must(C, 'commit', '-q', '--no-verify', '-m', 'broken on a side branch');
      sb.must(C, 'checkout', '-q', 'master');
      sb.write(C, 'docs/merge-note.md');
      sb.must(C, 'add', '--', 'docs/merge-note.md');
      sb.must(C, 'commit', '-q', '-m', 'docs: a note on master');
      const m = sb.git(C, 'merge', '-q', '--no-ff', '-m', 'merge side', 'side');
      expect(m.status, m.stderr).toBe(0);
      expect(sb.must(C, 'rev-list', '--parents', '-n', '1', 'HEAD').trim().split(' ')).toHaveLength(
        3,
      );

      const p = sb.git(C, 'push', '-q', 'origin', 'master');
      expect(refusedBy(p, 'config-invalid', 'local')).toBeNull();
      expect(p.stderr).toContain('.lanesrc.json:3:14');
      expect(tip(sb, 'refs/heads/master')).toBe(hubBefore);

      const h = sb.git(C, 'push', '-q', '--no-verify', 'origin', 'master');
      expect(refusedBy(h, 'config-invalid', 'hub')).toBeNull();
      expect(h.stderr).toContain('.lanesrc.json:3:14: expected a "key"');
      expect(tip(sb, 'refs/heads/master')).toBe(hubBefore);
    },
    SLOW.timeout,
  );
});
