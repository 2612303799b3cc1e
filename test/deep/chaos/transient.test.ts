// Transient states in every kind of lane: none broken by a hook, none a way past a rule.
import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { claim, commit, head, world } from '../../helpers/world.js';

const w = world(['A-backend', 'D-arch']);
const A = () => w.lanes['A-backend']!;
claim(w, A(), 'A-backend', 'a');

describe('transient states', () => {
  it('git am of an in-scope patch works; an out-of-scope one (am runs no pre-commit) is stopped at push', () => {
    w.must(w.coordinator, 'switch', '-q', '-c', 'patches');
    commit(w, w.coordinator, ['backend/patched.ts']);
    commit(w, w.coordinator, ['web/patched.tsx']);
    const dir = path.join(w.root, 'patches');
    w.must(w.coordinator, 'format-patch', '-q', '-o', dir, 'master..patches');
    w.must(w.coordinator, 'switch', '-q', 'master');
    const patches = readdirSync(dir)
      .sort()
      .map((f) => path.join(dir, f));
    expect(w.git(A(), 'am', '-q', patches[0]!).status).toBe(0);
    expect(w.git(A(), 'am', '-q', patches[1]!).status).toBe(0);
    const r = w.git(A(), 'push', '-q', 'origin', 'agent/A-backend');
    expect(r.stderr).toContain('refused by path-scope');
    expect(r.stderr).toContain('web/patched.tsx');
    w.must(A(), 'reset', '-q', '--hard', 'HEAD~1');
  });

  it('git pull --rebase and stash / stash pop work in a delivery lane', () => {
    w.must(A(), 'push', '-q', '-u', 'origin', 'agent/A-backend');
    w.write(A(), 'backend/wip.ts');
    expect(w.git(A(), 'stash', '-q', '-u').status).toBe(0);
    expect(w.git(A(), 'pull', '-q', '--rebase', 'origin', 'master').status).toBe(0);
    expect(w.git(A(), 'stash', 'pop', '-q').status).toBe(0);
    expect(head(w, A())).toBe('agent/A-backend');
    w.must(A(), 'clean', '-qfd');
  });

  it('a conflicted merge of master, resolved in scope, commits; an evil resolution out of scope does not', () => {
    commit(w, A(), ['backend/shared.ts']);
    w.must(w.coordinator, 'switch', '-q', '-c', 'theirs', 'master');
    w.write(w.coordinator, 'backend/shared.ts', 'theirs\n');
    w.write(w.coordinator, 'web/from-master.tsx');
    w.must(w.coordinator, 'add', '-A');
    w.must(w.coordinator, '-c', 'core.hooksPath=/dev/null', 'commit', '-q', '-m', 'theirs');
    w.must(w.coordinator, 'switch', '-q', 'master');
    expect(w.git(A(), 'merge', '-q', 'theirs').status).not.toBe(0); // conflict in backend/shared.ts
    writeFileSync(path.join(A(), 'backend/shared.ts'), 'resolved\n');
    w.must(A(), 'add', 'backend/shared.ts');
    const ok = w.git(A(), 'commit', '-q', '--no-edit');
    expect(ok.stderr).toBe('');
    expect(ok.status).toBe(0);

    w.must(A(), 'reset', '-q', '--hard', 'HEAD~1');
    expect(w.git(A(), 'merge', '-q', 'theirs').status).not.toBe(0);
    writeFileSync(path.join(A(), 'backend/shared.ts'), 'resolved\n');
    writeFileSync(path.join(A(), 'web/from-master.tsx'), 'evil change riding the merge\n');
    w.must(A(), 'add', '-A');
    const evil = w.git(A(), 'commit', '-q', '--no-edit');
    expect(evil.stderr).toContain('refused by path-scope');
    expect(evil.stderr).toContain('web/from-master.tsx');
    w.must(A(), 'merge', '--abort');
  });

  it('a cherry-pick sequence of in-scope commits works in a delivery lane', () => {
    w.must(w.coordinator, 'switch', '-q', '-c', 'picks', 'master');
    commit(w, w.coordinator, ['backend/p1.ts']);
    commit(w, w.coordinator, ['backend/p2.ts']);
    w.must(w.coordinator, 'switch', '-q', 'master');
    expect(w.git(A(), 'cherry-pick', 'master..picks').status).toBe(0);
    expect(w.must(A(), 'log', '-2', '--format=%s')).toContain('change 1 files');
  });

  for (const backend of ['merge', 'apply'])
    it(`a rebase (${backend} backend) onto a moved master works in a delivery lane`, () => {
      w.must(A(), 'reset', '-q', '--hard', 'master');
      commit(w, A(), [`backend/${backend}-1.ts`]);
      commit(w, A(), [`backend/${backend}-2.ts`]);
      commit(w, w.coordinator, [`docs/${backend}.md`]);
      const r = w.git(A(), '-c', `rebase.backend=${backend}`, 'rebase', '-q', 'master');
      expect(r.status, r.stderr).toBe(0);
      expect(head(w, A())).toBe('agent/A-backend');
      expect(w.must(A(), 'rev-parse', 'HEAD~2')).toBe(w.must(A(), 'rev-parse', 'master'));
    });

  it('rebase -i: an edit stop cannot amend an out-of-scope file in; --no-verify there is stopped at push', () => {
    w.must(A(), 'reset', '-q', '--hard', 'master');
    commit(w, A(), ['backend/e1.ts']);
    commit(w, A(), ['backend/e2.ts']);
    const edit = { GIT_SEQUENCE_EDITOR: "sed -i '1s/^pick/edit/'" };
    expect(w.run(A(), 'git', ['rebase', '-q', '-i', 'HEAD~2'], edit).status).toBe(0);
    expect(head(w, A())).toBeNull(); // stopped, detached, as rebase does

    w.write(A(), 'web/sneak.tsx');
    w.must(A(), 'add', 'web/sneak.tsx');
    const sneak = w.git(A(), 'commit', '-q', '--amend', '--no-edit');
    expect(sneak.stderr).toContain('refused by path-scope');
    expect(sneak.stderr).toContain('web/sneak.tsx');
    w.must(A(), 'rm', '-q', '--cached', 'web/sneak.tsx');
    w.write(A(), 'backend/amended.ts');
    w.must(A(), 'add', 'backend/amended.ts');
    expect(w.git(A(), 'commit', '-q', '--amend', '--no-edit').status).toBe(0);
    expect(w.git(A(), 'rebase', '--continue').status).toBe(0);
    expect(head(w, A())).toBe('agent/A-backend');
    expect(w.must(A(), 'log', '--format=', '--name-only', 'master..')).not.toContain('web/');

    // --no-verify is an explicit bypass of pre-commit: it lands locally, and the push refuses it.
    expect(w.run(A(), 'git', ['rebase', '-q', '-i', 'HEAD~2'], edit).status).toBe(0);
    w.must(A(), 'add', 'web/sneak.tsx');
    expect(w.git(A(), 'commit', '-q', '--no-verify', '-m', 'bypass').status).toBe(0);
    expect(w.git(A(), 'rebase', '--continue').status).toBe(0);
    const push = w.git(A(), 'push', '-q', '-f', 'origin', 'agent/A-backend');
    expect(push.status).not.toBe(0);
    expect(push.stderr).toContain('refused by path-scope');
    expect(push.stderr).toContain('web/sneak.tsx');
    w.must(A(), 'reset', '-q', '--hard', 'master');
  });

  it('the coordinator: an interactive rebase of a topic branch and a cherry-pick onto master work', () => {
    const C = w.coordinator;
    w.must(C, 'switch', '-q', '-c', 'topic', 'master');
    commit(w, C, ['docs/t1.md']);
    commit(w, C, ['docs/t2.md']);
    const r = w.run(C, 'git', ['rebase', '-q', '-i', 'HEAD~2'], {
      GIT_SEQUENCE_EDITOR: "sed -i '1s/^pick/edit/'",
    });
    expect(r.status).toBe(0);
    commit(w, C, ['docs/during-edit.md']);
    expect(w.git(C, 'rebase', '--continue').status).toBe(0);
    expect(head(w, C)).toBe('topic');
    w.must(C, 'switch', '-q', 'master');
    expect(w.git(C, 'cherry-pick', 'topic').status).toBe(0);
    expect(w.must(C, 'log', '-1', '--format=%s')).toBe('change 1 files');
  });

  it('bisect and stash work in a review lane, which ends on its branch', () => {
    const D = w.lanes['D-arch']!;
    for (let i = 0; i < 3; i++) commit(w, D, [`doc/governance/reviews/b${i}.md`]);
    expect(w.git(D, 'bisect', 'start', 'HEAD', 'HEAD~3').status).toBe(0);
    expect(w.git(D, 'bisect', 'good').status).toBe(0);
    expect(w.git(D, 'bisect', 'reset').status).toBe(0);
    expect(head(w, D)).toBe('agent/D-arch');
    w.write(D, 'doc/governance/reviews/wip.md');
    expect(w.git(D, 'stash', '-q', '-u').status).toBe(0);
    expect(w.git(D, 'stash', 'pop', '-q').status).toBe(0);
    expect(head(w, D)).toBe('agent/D-arch');
  });
});
