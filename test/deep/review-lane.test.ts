// A review lane never rests on a detached HEAD, beyond the one case per rule and layer of
// test/review-lane.test.ts (the deep tier, issue 29): `switch -C` on the mirror, the other ways to
// detach, edits carried through, worktree add and delivery lanes left alone, and the transient
// detaches of rebase (both backends), an interactive rebase and bisect.
import { beforeAll, describe, expect, it } from 'vitest';
import { clean, commit, head } from '../helpers/world.js';
import { DETACHES, reviewWorld, SEED_REFRESH } from '../helpers/setups.js';

// Something to review: a pushed delivery branch, and master moved on.
const { w, D } = reviewWorld();
// Where the main path (test/review-lane.test.ts) leaves D-arch: on review/A-backend.
beforeAll(() => {
  for (const args of SEED_REFRESH) w.must(D(), ...args);
});

describe('the seed review refresh flow, by hand', () => {
  it('`switch -C` refreshes the mirror while already on it', () => {
    expect(
      w.git(D(), 'switch', '-q', '-C', 'review/A-backend', 'origin/agent/A-backend').status,
    ).toBe(0);
    expect(head(w, D())).toBe('review/A-backend');
  });
});

describe('detaching is undone', () => {
  for (const [name, cmds] of DETACHES.slice(1)) {
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

  it('carries uncommitted edits through the detach and back', () => {
    w.write(D(), 'doc/governance/reviews/draft.md', 'draft\n');
    w.git(D(), 'checkout', '-q', 'HEAD~1');
    expect(head(w, D())).toBe('review/A-backend');
    expect(w.must(D(), 'status', '--porcelain', '-uall')).toContain('draft.md');
    w.must(D(), 'clean', '-qfd');
  });

  it('leaves git worktree add alone, even of a detached worktree made from a review lane', () => {
    const dir = `${w.root}/side-by-side`;
    const r = w.git(D(), 'worktree', 'add', '-q', '--detach', dir, 'HEAD~1');
    expect(r.stderr).toBe('');
    expect(head(w, dir)).toBeNull();
    expect(head(w, D())).toBe('review/A-backend');
  });

  it('leaves a delivery lane free to detach', () => {
    const A = w.lanes['A-backend']!;
    w.must(A, 'checkout', '-q', '--detach');
    expect(head(w, A)).toBeNull();
    w.must(A, 'switch', '-q', 'agent/A-backend');
  });
});

describe('transient detaches are left alone', () => {
  for (const backend of ['merge', 'apply']) {
    it(`a rebase (${backend} backend) of the lane's own branch succeeds`, () => {
      w.must(D(), 'switch', '-q', 'agent/D-arch');
      commit(w, D(), [`doc/governance/reviews/${backend}-1.md`]);
      commit(w, D(), [`doc/governance/reviews/${backend}-2.md`]);
      commit(w, w.coordinator, [`docs/${backend}.md`]);
      const r = w.git(D(), '-c', `rebase.backend=${backend}`, 'rebase', '-q', 'master');
      expect(r.stderr).not.toContain('review-detached-head');
      expect(r.status).toBe(0);
      expect(head(w, D())).toBe('agent/D-arch');
      expect(w.must(D(), 'merge-base', '--is-ancestor', 'master', 'HEAD')).toBe('');
      expect(w.must(D(), 'log', '-1', '--format=%s')).toBe('change 1 files');
    });
  }

  it('an interactive rebase that stops to edit can commit and continue', () => {
    const r1 = w.run(D(), 'git', ['rebase', '-q', '-i', 'HEAD~2'], {
      GIT_SEQUENCE_EDITOR: "sed -i '1s/^pick/edit/'",
    });
    expect(r1.status).toBe(0);
    expect(head(w, D())).toBeNull();
    commit(w, D(), ['doc/governance/reviews/during-edit.md'], { flags: [] });
    expect(w.git(D(), 'rebase', '--continue').status).toBe(0);
    expect(head(w, D())).toBe('agent/D-arch');
  });

  it('bisect keeps its detached HEAD until reset', () => {
    expect(w.git(D(), 'bisect', 'start', 'HEAD', 'HEAD~3').status).toBe(0);
    expect(head(w, D())).toBeNull();
    expect(w.git(D(), 'bisect', 'reset').status).toBe(0);
    expect(head(w, D())).toBe('agent/D-arch');
  });
});
