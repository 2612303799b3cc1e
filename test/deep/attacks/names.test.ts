// Route 6 of issue 18, and the ways around it (deep tier, issue 29; the tag named like the release
// branch is the last describe): a name git resolves before the release or the
// integration branch (gitrevisions: refs/<name>, refs/tags/<name> come before refs/heads/<name>),
// or one differing from a governed name only in case. Refused by release-exact-sha in the lane's
// reference-transaction, in pre-push, on the hub (--no-verify) and by promote.
import { describe, expect, it } from 'vitest';
import { claim, commit } from '../../helpers/world.js';
import { hub, local, pushAs, refusedBy, SLOW, tip } from '../../attacks/hub.js';

const RULE = 'release-exact-sha';

describe('names that shadow the release and integration branches', () => {
  const sb = hub(undefined, { setup: true });
  const B = sb.lane('B-ui');
  const C = sb.coordinator;
  commit(sb, B, ['web/stray.html']);
  const stray = sb.must(B, 'rev-parse', 'HEAD'); // a commit that is not on master
  const push = (dir: string, ...args: string[]) => pushAs(sb, null, dir, ...args);

  it('route 6: refs/release/platform-control (refs/<name> resolves first of all)', SLOW, () => {
    const r = sb.git(B, 'update-ref', 'refs/release/platform-control', stray);
    expect(refusedBy(r, RULE, 'local')).toBe(null);
    const ref = `${stray}:refs/release/platform-control`;
    expect(refusedBy(push(B, 'origin', ref), RULE, 'local')).toBe(null);
    expect(refusedBy(push(B, '--no-verify', 'origin', ref), RULE, 'hub')).toBe(null);
    expect(tip(sb, 'refs/release/platform-control')).toBe('');
  });

  it(
    'route 6: shadows of the integration branch (refs/tags/master, refs/master), from the coordinator too',
    SLOW,
    () => {
      expect(refusedBy(sb.git(C, 'tag', 'master', 'HEAD'), RULE, 'local')).toBe(null);
      expect(refusedBy(sb.git(C, 'update-ref', 'refs/master', 'HEAD'), RULE, 'local')).toBe(null);
      expect(refusedBy(push(B, 'origin', 'HEAD:refs/tags/master'), RULE, 'local')).toBe(null);
      for (const ref of ['refs/tags/master', 'refs/master']) {
        expect(refusedBy(push(B, '--no-verify', 'origin', `HEAD:${ref}`), RULE, 'hub')).toBe(null);
        expect(refusedBy(push(C, '--no-verify', 'origin', `HEAD:${ref}`), RULE, 'hub')).toBe(null);
        expect(tip(sb, ref)).toBe('');
      }
    },
  );

  it(
    'route 6: names that differ only in case (refs/heads/Master, agent/b-ui, refs/tags/RELEASE/…)',
    SLOW,
    () => {
      expect(refusedBy(sb.git(B, 'branch', 'Master'), RULE, 'local')).toBe(null);
      expect(refusedBy(sb.git(B, 'branch', 'agent/a-backend'), RULE, 'local')).toBe(null);
      expect(refusedBy(push(B, 'origin', 'HEAD:refs/heads/Master'), RULE, 'local')).toBe(null);
      for (const ref of [
        'refs/heads/Master',
        'refs/heads/Release/Platform-Control',
        'refs/heads/agent/b-ui',
        'refs/heads/Review/A-backend',
        'refs/tags/RELEASE/platform-control',
      ]) {
        const r = push(B, '--no-verify', 'origin', `HEAD:${ref}`);
        expect(refusedBy(r, RULE, 'hub'), ref).toBe(null);
        expect(r.stderr).toContain('only in case');
        expect(tip(sb, ref)).toBe('');
      }
    },
  );

  it(
    'route 6: a tag or branch origin/master, which would shadow the remote-tracking integration in every clone',
    SLOW,
    () => {
      expect(refusedBy(sb.git(B, 'tag', 'origin/master', stray), RULE, 'local')).toBe(null);
      expect(refusedBy(sb.git(B, 'branch', 'origin/master', stray), RULE, 'local')).toBe(null);
      for (const ref of ['refs/tags/origin/master', 'refs/heads/origin/master']) {
        expect(refusedBy(push(B, '--no-verify', 'origin', `${stray}:${ref}`), RULE, 'hub')).toBe(
          null,
        );
      }
    },
  );

  it(
    'route 6: git symbolic-ref (which runs no hook) makes a shadow locally: pre-push, the hub and promote refuse it',
    SLOW,
    () => {
      // git runs no reference-transaction for symbolic-ref (test/git-facts.test.ts): it gets made…
      sb.must(B, 'symbolic-ref', 'refs/tags/release/platform-control', 'refs/heads/agent/B-ui');
      // …but goes nowhere: pre-push refuses it, and promote, in the coordinator that shares the refs.
      // (Pushed by its own name, a symref goes to its target's name: the shadow is spelled out.)
      const r = push(
        B,
        'origin',
        'refs/tags/release/platform-control:refs/tags/release/platform-control',
      );
      expect(refusedBy(r, RULE, 'local')).toBe(null);
      expect(tip(sb, 'refs/tags/release/platform-control')).toBe('');
      const p = sb.cli(C, 'promote');
      expect(p.status).toBe(1);
      expect(p.stderr).toContain(`refused by ${RULE}`);
      expect(p.stderr).toContain('git tag -d release/platform-control');
      expect(tip(sb, 'release/platform-control')).toBe(sb.must(C, 'rev-parse', 'origin/master~1'));
      sb.must(B, 'update-ref', '-d', '--no-deref', 'refs/tags/release/platform-control');
    },
  );

  it(
    'route 6: promote refuses while a shadow made past the hooks exists, and works once it is gone',
    SLOW,
    () => {
      sb.must(C, '-c', 'core.hooksPath=/dev/null', 'tag', 'release/platform-control', stray);
      const p = sb.cli(C, 'promote');
      expect(p.status).toBe(1);
      expect(p.stderr).toContain(`refused by ${RULE}`);
      sb.must(C, 'tag', '-d', 'release/platform-control');
      sb.mustCli(C, 'promote');
      expect(tip(sb, 'release/platform-control')).toBe(sb.must(C, 'rev-parse', 'origin/master'));
    },
  );

  it('the legitimate flow passes: ordinary tags, the lane branch, promotion', SLOW, () => {
    expect(sb.git(C, 'tag', '-a', '-m', 'v1', 'v1.0').status).toBe(0);
    expect(push(C, 'origin', 'v1.0').status).toBe(0);
    expect(tip(sb, 'refs/tags/v1.0')).not.toBe('');
    expect(sb.git(B, 'tag', 'web-checkpoint').status).toBe(0);
    expect(sb.git(B, 'fetch', '-q', '--tags', 'origin').status).toBe(0);
    claim(sb, B, 'B-ui', 'agent-b', 'agent/B-ui');
    sb.mustCli(B, 'sync');
    const r = push(B, 'origin', 'agent/B-ui');
    expect(r.stderr).toBe('');
    expect(tip(sb, 'agent/B-ui')).toBe(stray);
  });
});

describe('a tag that shadows the release branch (route 6)', () => {
  const sb = hub(undefined, { setup: true });
  const B = sb.lane('B-ui');
  const C = sb.coordinator;
  commit(sb, B, ['web/stray.html']);
  const stray = sb.must(B, 'rev-parse', 'HEAD'); // a commit that is not on master
  const push = (dir: string, ...args: string[]) => pushAs(sb, null, dir, ...args);

  it('route 6: a tag named like the release branch', SLOW, () => {
    // The lane's reference-transaction: no such tag, lightweight or annotated, forced or not.
    expect(refusedBy(sb.git(B, 'tag', 'release/platform-control', stray), RULE, 'local')).toBe(
      null,
    );
    const annotated = sb.git(B, 'tag', '-a', '-m', 'x', 'release/platform-control', stray);
    expect(refusedBy(annotated, RULE, 'local')).toBe(null);
    expect(refusedBy(sb.git(B, 'tag', '-f', 'release/platform-control'), RULE, 'local')).toBe(null);
    expect(local(sb, B, 'refs/tags/release/platform-control')).toBe('');
    // pre-push, then the hub past --no-verify, whoever pushes.
    const ref = `${stray}:refs/tags/release/platform-control`;
    expect(refusedBy(push(B, 'origin', ref), RULE, 'local')).toBe(null);
    const hubbed = push(B, '--no-verify', 'origin', ref);
    expect(refusedBy(hubbed, RULE, 'hub')).toBe(null);
    expect(hubbed.stderr).toContain(
      'git resolves the tag refs/tags/release/platform-control before',
    );
    expect(refusedBy(push(C, '--no-verify', 'origin', ref), RULE, 'hub')).toBe(null);
    expect(tip(sb, 'refs/tags/release/platform-control')).toBe('');
  });
});
