// A review lane never rests on a detached HEAD; the seed's own review flow still works. The main
// cases, one per rule and layer; the other detaches, transient detaches (rebase, bisect) and
// `switch -C`: test/deep/review-lane.test.ts (issue 29).
import { beforeAll, describe, expect, it } from 'vitest';
import { clean, commit, head, snapshot } from './helpers/world.js';
import { DETACHES, reviewWorld, SEED_REFRESH } from './helpers/setups.js';

// Something to review: a pushed delivery branch, and master moved on.
const { w, D } = reviewWorld();

describe('the seed review refresh flow, by hand', () => {
  it('fetch, rebase onto origin/master, branch -f review/<role>, switch: succeeds and ends on a branch', () => {
    for (const args of SEED_REFRESH) {
      const r = w.git(D(), ...args);
      expect(r.stderr, args.join(' ')).toBe('');
      expect(r.status, args.join(' ')).toBe(0);
    }
    expect(head(w, D())).toBe('review/A-backend');
    expect(w.must(D(), 'rev-parse', 'HEAD')).toBe(
      w.must(D(), 'rev-parse', 'origin/agent/A-backend'),
    );
    expect(w.must(D(), 'merge-base', '--is-ancestor', 'origin/master', 'agent/D-arch')).toBe('');
    expect(clean(w, D())).toBe(true);
  });
});

describe('detaching is undone', () => {
  for (const [name, cmds] of DETACHES.slice(0, 1)) {
    it(`${name}: back on review/A-backend, files, index and HEAD agree`, () => {
      let r = { status: 0, stderr: '' };
      for (const c of cmds) r = w.git(D(), ...c);
      expect(r.stderr).toContain('review-detached-head');
      expect(r.stderr).toContain('review/A-backend');
      expect(head(w, D())).toBe('review/A-backend');
      expect(w.must(D(), 'rev-parse', 'HEAD')).toBe(
        w.must(D(), 'rev-parse', 'origin/agent/A-backend'),
      );
      expect(clean(w, D())).toBe(true);
    });
  }
});

describe('commits that would rest on a detached HEAD or a mirror', () => {
  // Back on its own branch, as the transient detaches of test/deep/review-lane.test.ts leave it: a
  // cherry-pick of the delivery tip is then a new commit, not an empty one.
  beforeAll(() => {
    w.must(D(), 'switch', '-q', 'agent/D-arch');
  });

  it('refuses a commit on a detached HEAD (made by bypassing hooks), and its --no-verify and cherry-pick forms', () => {
    w.must(D(), '-c', 'core.hooksPath=/dev/null', 'checkout', '-q', '--detach');
    w.write(D(), 'doc/governance/reviews/detached.md');
    w.must(D(), 'add', '-A');
    const before = snapshot(w, D());
    for (const args of [
      ['commit', '-q', '-m', 'x'],
      ['commit', '-q', '--no-verify', '-m', 'x'],
    ]) {
      const r = w.git(D(), ...args);
      expect(r.status).not.toBe(0);
      expect(r.stderr).toContain('refused by review-detached-head');
      expect(snapshot(w, D())).toBe(before);
    }
    w.must(D(), 'reset', '-q', '--hard');
    const r = w.git(D(), 'cherry-pick', 'origin/agent/A-backend');
    expect(r.stderr).toContain('refused by review-detached-head');
    w.git(D(), 'cherry-pick', '--abort');
    w.must(D(), 'switch', '-q', 'agent/D-arch');
  });

  it('refuses commits on the review mirror, with and without --no-verify', () => {
    w.must(D(), 'switch', '-q', 'review/A-backend');
    let r = commit(w, D(), ['doc/governance/reviews/on-mirror.md']);
    expect(r.stderr).toContain('refused by lane-branch');
    expect(r.stderr).toContain('read-only mirror');
    r = w.git(D(), 'commit', '-q', '--no-verify', '-m', 'x');
    expect(r.stderr).toContain('refused by lane-branch');
    expect(w.must(D(), 'rev-parse', 'review/A-backend')).toBe(
      w.must(D(), 'rev-parse', 'origin/agent/A-backend'),
    );
    w.must(D(), 'reset', '-q', '--hard');
  });

  it('refuses pointing the mirror anywhere but its delivery branch', () => {
    w.must(D(), 'switch', '-q', 'agent/D-arch');
    const r = w.git(D(), 'branch', '-f', 'review/A-backend', 'master');
    expect(r.stderr).toContain('refused by lane-branch');
    expect(w.git(D(), 'branch', '-f', 'review/A-backend', 'agent/A-backend').status).toBe(0);
  });
});
