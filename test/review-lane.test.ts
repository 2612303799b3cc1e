// A review lane never rests on a detached HEAD; the seed's own review flow still works.
import { describe, expect, it } from 'vitest';
import { claim, clean, commit, head, snapshot, world } from './helpers/world.js';

const w = world(['A-backend', 'D-arch']);
const D = () => w.lanes['D-arch']!;

// Something to review: a pushed delivery branch, and master moved on.
commit(w, w.lanes['A-backend']!, ['backend/feature.ts']);
claim(w, w.coordinator, 'A-backend', 'agent-a');
w.must(w.lanes['A-backend']!, 'push', '-q', 'origin', 'agent/A-backend');
commit(w, w.coordinator, ['docs/master-moved.md']);
w.must(w.coordinator, 'push', '-q', 'origin', 'master');

describe('the seed review refresh flow, by hand', () => {
  it('fetch, rebase onto origin/master, branch -f review/<role>, switch: succeeds and ends on a branch', () => {
    for (const args of [
      ['fetch', '-q', 'origin'],
      ['rebase', '-q', 'origin/master'],
      ['fetch', '-q', 'origin', 'agent/A-backend'],
      ['branch', '-f', 'review/A-backend', 'origin/agent/A-backend'],
      ['switch', '-q', 'review/A-backend'],
    ]) {
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

  it('`switch -C` refreshes the mirror while already on it', () => {
    expect(
      w.git(D(), 'switch', '-q', '-C', 'review/A-backend', 'origin/agent/A-backend').status,
    ).toBe(0);
    expect(head(w, D())).toBe('review/A-backend');
  });
});

describe('detaching is undone', () => {
  const cases: [string, string[][]][] = [
    ['git checkout <sha>', [['checkout', '-q', 'HEAD~1']]],
    [
      'git checkout FETCH_HEAD',
      [
        ['fetch', '-q', 'origin', 'master'],
        ['checkout', '-q', 'FETCH_HEAD'],
      ],
    ],
    ['git switch --detach', [['switch', '-q', '--detach']]],
    ['git checkout --detach origin/master', [['checkout', '-q', '--detach', 'origin/master']]],
  ];
  for (const [name, cmds] of cases) {
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

describe('commits that would rest on a detached HEAD or a mirror', () => {
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
