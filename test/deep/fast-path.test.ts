// Deep tier: the compiled sh fast path's glob translation against picomatch (the differential),
// the fast path never going stale, its pre-push side, and the greps past a few commits or names,
// with the same verdicts as Node (test/fast-path.test.ts holds what the translation refuses and the
// pre-commit cases).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { claim, commit, world } from '../helpers/world.js';
import { nodeStartsIn, tracedLane } from '../helpers/fast-path.js';
import { globToCase, globToRegex } from '../../src/hooks/compile.js';
import { globMatcher } from '../../src/policy/scope.js';

/** A small deterministic PRNG, so a failure can be replayed from its seed. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

// Names in globs: what a config may spell literally. Paths: anything git allows, glob characters too.
const NAMES = [
  'a',
  'b',
  'backend',
  'web',
  'x',
  '-',
  '.',
  '_',
  ' ',
  'ü',
  '日',
  '"',
  "'",
  '\n',
  '\t',
  '$',
  ',',
  'B',
  '\u200b',
  '%',
  '=',
];
const PATHS = [...NAMES, '*', '?', '[', ']', '{', '}', '!', '(', ')', '+', '@', '\\', '|'];

describe('globToCase against picomatch (differential)', () => {
  it('agrees on every path for every glob it translates, and translates the config forms', () => {
    const rand = rng(20261124);
    const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)]!;
    const segment = (alphabet: string[]) =>
      Array.from({ length: 1 + Math.floor(rand() * 3) }, () => pick(alphabet)).join('');
    const literal = (alphabet = NAMES) =>
      Array.from({ length: 1 + Math.floor(rand() * 3) }, () => segment(alphabet)).join('/');
    let compared = 0;
    let regexChecked = 0;
    let translated = 0;
    for (let round = 0; round < 800; round++) {
      const globs = Array.from({ length: 1 + Math.floor(rand() * 3) }, () => {
        const lit = literal();
        return pick([
          lit,
          `${lit}/**`,
          `${lit}/**`,
          `${lit}/*`,
          `${lit}*`,
          `**/${lit}`,
          `${lit}/**/x`,
        ]);
      });
      const cases = globs.map(globToCase);
      if (cases.some((c) => c === null)) continue;
      translated++;
      const paths = new Set<string>();
      for (const g of globs) {
        const base = g.replace(/\/\*\*$/, '');
        for (const p of [
          base,
          `${base}/f`,
          `${base}/d/e.ts`,
          `${base}-x/f`,
          `${base}x`,
          `${base}/`,
          `X${base}`,
          `${base.toUpperCase()}/f`,
          `${base}/\nf`,
          `${base}/.hidden`,
          `a/${base}/f`,
        ])
          paths.add(p);
      }
      for (let i = 0; i < 20; i++) paths.add(literal(PATHS));
      const list = [...paths].filter((p) => p && !p.includes('\0'));
      const script = `lanes_in_scope() { case $1 in ${cases.join('|')}) return 0 ;; esac; return 1; }\nfor p in "$@"; do if lanes_in_scope "$p"; then printf 1; else printf 0; fi; done\n`;
      const sh = spawnSync('/bin/sh', ['-c', script, 'sh', ...list], { encoding: 'utf8' });
      expect(sh.status, sh.stderr).toBe(0);
      const oracle = globMatcher(globs);
      list.forEach((p, i) => {
        expect(
          sh.stdout[i] === '1',
          `glob ${JSON.stringify(globs)} path ${JSON.stringify(p)}`,
        ).toBe(oracle(p));
      });
      compared += list.length;
      // The grep form of the same scope, over the names a line can hold.
      const regexes = globs.map(globToRegex);
      if (regexes.every((r) => r !== null)) {
        const lines = list.filter((p) => !p.includes('\n'));
        const grep = spawnSync(
          '/bin/sh',
          [
            '-c',
            'printf "%s\\n" "$@" | LC_ALL=C grep -nE "$0"',
            `^(${regexes.join('|')})$`,
            ...lines,
          ],
          { encoding: 'utf8' },
        );
        const matched = new Set(
          grep.stdout
            .split('\n')
            .filter(Boolean)
            .map((l) => Number(l.split(':')[0]) - 1),
        );
        lines.forEach((p, i) =>
          expect(matched.has(i), `regex ${JSON.stringify(regexes)} path ${JSON.stringify(p)}`).toBe(
            oracle(p),
          ),
        );
        regexChecked += lines.length;
      }
    }
    expect(translated).toBeGreaterThan(120);
    expect(compared).toBeGreaterThan(3000);
    expect(regexChecked).toBeGreaterThan(2000);
    console.log(
      `glob differential: ${translated} glob sets, ${compared} paths (case), ${regexChecked} (grep)`,
    );
  });
});

describe('the fast path in real lanes', () => {
  const { w, A, nodeStarts, tracedCommit } = tracedLane();

  it('never goes stale: a committed config change, a second config source, a role changed by hand', () => {
    const C = w.coordinator;
    const cfgFile = path.join(C, '.lanesrc.json');
    const original = readFileSync(cfgFile, 'utf8');
    const narrowed = JSON.parse(original);
    narrowed.roles['A-backend'].paths = ['services/**'];
    writeFileSync(cfgFile, JSON.stringify(narrowed));
    w.must(C, 'commit', '-qam', 'narrow A-backend');
    expect(tracedCommit(['backend/after-edit.ts']).stderr).toContain('refused by path-scope');
    w.must(A(), 'reset', '-q');
    writeFileSync(cfgFile, original);
    w.must(C, 'commit', '-qam', 'restore A-backend');
    expect(tracedCommit(['backend/restored.ts']).status).toBe(0);
    expect(nodeStarts()).toContain('pre-commit'); // the first commit under a changed policy recompiles…
    expect(tracedCommit(['backend/restored-again.ts']).status).toBe(0);
    expect(nodeStarts()).toEqual([]); // …and the next is fast again

    // Integration moving on without a config change keeps the same policy: still no Node, also
    // once git gc has packed the refs.
    commit(w, C, ['docs/unrelated.md']);
    expect(tracedCommit(['backend/after-merge.ts']).status).toBe(0);
    expect(nodeStarts()).toEqual([]);
    w.must(C, 'pack-refs', '--all');
    expect(tracedCommit(['backend/after-gc.ts']).status).toBe(0);
    expect(nodeStarts()).toEqual([]);

    // A second config source committed beside the first: the lanes refuse until one is removed.
    writeFileSync(
      path.join(C, '.lanesrc'),
      JSON.stringify({ roles: { 'A-backend': { kind: 'delivery', paths: ['backend/**'] } } }),
    );
    w.must(C, 'add', '.lanesrc');
    // (past the coordinator's own pre-commit, which refuses it: config-invalid)
    w.must(C, 'commit', '-qm', 'a second source', '--no-verify');
    const two = tracedCommit(['backend/shadowed.ts']);
    expect(two.status).not.toBe(0);
    expect(two.stderr).toContain('two lanes configs');
    w.must(A(), 'reset', '-q');
    w.must(C, 'rm', '-q', '.lanesrc');
    w.must(C, 'commit', '-qm', 'one source');

    // A role the lane records for itself changes the compiled inputs but grants nothing: the
    // worktree stays A-backend (its configured path), on the fast path and in Node alike.
    w.must(A(), 'config', '--worktree', 'lanes.role', 'B-ui');
    expect(tracedCommit(['backend/still-a.ts']).status).toBe(0);
    expect(tracedCommit(['web/as-b-ui.tsx']).stderr).toContain('refused by path-scope');
    w.must(A(), 'reset', '-q');
    w.must(A(), 'config', '--worktree', 'lanes.role', 'A-backend');
  });

  it("stays fast when git writes a branch's upstream into the shared config, and not past any other change there", () => {
    // Issue 31: `push -u`, a branch made from a remote-tracking one and review refresh write a
    // [branch "<name>"] section into the config every worktree shares; compared whole, each
    // write sent the next hook of every lane to Node.
    const C = w.coordinator;
    const shared = path.join(C, '.git', 'config');
    const before = readFileSync(shared, 'utf8');
    tracedCommit(['backend/warm.ts']); // whatever the last test left stale is recompiled here
    w.must(C, 'branch', '-q', '--track', 'topic', 'origin/master');
    w.must(A(), 'config', 'branch.agent/A-backend.remote', 'origin');
    w.must(A(), 'config', 'branch.agent/A-backend.merge', 'refs/heads/agent/A-backend');
    expect(readFileSync(shared, 'utf8')).toContain('[branch "agent/A-backend"]');
    expect(tracedCommit(['backend/upstream.ts']).status).toBe(0);
    expect(nodeStarts()).toEqual([]);
    w.must(C, 'branch', '-q', '-D', 'topic'); // git drops its section again
    expect(tracedCommit(['backend/upstream-gone.ts']).status).toBe(0);
    expect(nodeStarts()).toEqual([]);

    // The route around it: a key of another section hidden on a branch header's line, or after
    // an indented header, is compared like any other change (Node decides, then recompiles).
    for (const hidden of [
      '[branch "x"][core]\n\tabbrev = 12\n',
      '[branch "y"]\n  [core]\n\tabbrev = 13\n',
    ]) {
      writeFileSync(shared, before + hidden);
      expect(tracedCommit([`backend/hidden ${hidden.length}.ts`]).status).toBe(0);
      expect(nodeStarts()).toContain('pre-commit');
    }
    // And a plain change outside the branch sections, as before.
    w.must(C, 'config', 'core.abbrev', '14');
    expect(tracedCommit(['backend/abbrev.ts']).status).toBe(0);
    expect(nodeStarts()).toContain('pre-commit');
    writeFileSync(shared, before);
  });
});

describe('the push fast path', () => {
  const w = world(['A-backend']);
  const A = () => w.lanes['A-backend']!;
  const trace = path.join(w.root, 'push-trace');
  const nodeStarts = () => nodeStartsIn(trace);
  const push = (...args: string[]) => {
    rmSync(trace, { force: true });
    return w.run(A(), 'git', ['push', '-q', ...args], { LANES_HOOKS_TRACE: trace });
  };
  const remoteTip = () =>
    w.git(w.remote, 'rev-parse', '-q', '--verify', 'agent/A-backend').stdout.trim();
  const queue = (...args: string[]) => w.mustCli(w.coordinator, 'queue', ...args);

  it('leaves a push without a claim to Node, which refuses it', () => {
    commit(w, A(), ['backend/first.ts']);
    const r = push('origin', 'agent/A-backend');
    expect(r.stderr).toContain('refused by claim-required');
    expect(nodeStarts()).toContain('pre-push');
    expect(remoteTip()).toBe('');
  });

  it('allows a claimed, in-scope push without starting Node, to a remote name or a URL', () => {
    queue('claim', '--role', 'A-backend', '--owner', 'agent-a', '--branch', 'agent/A-backend');
    expect(push('origin', 'agent/A-backend').status).toBe(0);
    expect(nodeStarts()).toEqual([]);
    expect(remoteTip()).toBe(w.must(A(), 'rev-parse', 'HEAD'));
    commit(w, A(), ['backend/second.ts']);
    expect(push(w.remote, 'agent/A-backend').status).toBe(0);
    expect(nodeStarts()).toEqual([]);
    expect(remoteTip()).toBe(w.must(A(), 'rev-parse', 'HEAD'));
  });

  it('still refuses an out-of-scope commit deep in a large range (Node names it)', () => {
    for (let i = 0; i < 3; i++)
      commit(
        w,
        A(),
        Array.from({ length: 150 }, (_, j) => `backend/batch ${i}/module ${j} ünï.ts`),
      );
    commit(w, A(), ['webx/smuggled.ts'], { flags: ['--no-verify'] });
    commit(w, A(), ['backend/after.ts']);
    const before = remoteTip();
    const r = push('origin', 'agent/A-backend');
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('refused by path-scope');
    expect(r.stderr).toContain('webx/smuggled.ts');
    expect(nodeStarts()).toContain('pre-push');
    expect(remoteTip()).toBe(before);
    w.must(A(), 'reset', '-q', '--hard', before);
  });

  it('follows the queue: a claim held by another owner, or released, goes to Node and is refused', () => {
    w.must(A(), 'config', '--worktree', 'lanes.owner', 'agent-b');
    commit(w, A(), ['backend/third.ts']);
    let r = push('origin', 'agent/A-backend');
    expect(r.stderr).toContain('is claimed by agent-a, not by this lane');
    expect(nodeStarts()).toContain('pre-push');
    w.must(A(), 'config', '--worktree', 'lanes.owner', 'agent-a');
    expect(push('origin', 'agent/A-backend').status).toBe(0);
    expect(nodeStarts()[0]).toBe('pre-push'); // the changed owner recompiles once…
    commit(w, A(), ['backend/fourth.ts']);
    expect(push('origin', 'agent/A-backend').status).toBe(0);
    expect(nodeStarts()).toEqual([]); // …then the shell decides again

    queue('release', '--branch', 'agent/A-backend');
    commit(w, A(), ['backend/fifth.ts']);
    r = push('origin', 'agent/A-backend');
    expect(r.stderr).toContain('refused by claim-required');
    expect(nodeStarts()).toContain('pre-push');
  });

  it('leaves deletes and pushes of other branches to Node', () => {
    queue('claim', '--role', 'A-backend', '--owner', 'agent-a', '--branch', 'agent/A-backend');
    const r = push('origin', 'HEAD:refs/heads/agent/A-backend-copy');
    expect(nodeStarts()).toContain('pre-push');
    expect(r.status).toBe(0); // an ungoverned name, in scope: Node allows it
    push('origin', ':refs/heads/agent/A-backend-copy');
    expect(nodeStarts()).toContain('pre-push');
  });
});

// Past a few commits (pre-push) or names (pre-commit) the shims skip their per-line sh loops (sh
// reads a byte at a time) for one grep of the suspect and root patterns and one of the scope. A
// lane that wants through would hide the name the loops would have caught among many: each such
// name must still reach Node.
describe('the fast path past a few commits or names: greps, the same verdicts', () => {
  const w = world(['A-backend']);
  claim(w, w.coordinator, 'A-backend', 'agent-a');
  const A = () => w.lanes['A-backend']!;
  const C = () => w.coordinator;
  const trace = path.join(w.root, 'trace-many');
  const traced = (dir: string, args: string[]) => {
    rmSync(trace, { force: true });
    const r = w.run(dir, 'git', args, { LANES_HOOKS_TRACE: trace });
    const started = existsSync(trace) ? readFileSync(trace, 'utf8').trim().split('\n') : [];
    // A line per Node start: the hook's name, then its arguments.
    return { ...r, started: started.filter(Boolean).map((l) => l.split(' ')[0]) };
  };
  const commits = (tag: string, n: number) => {
    for (let i = 0; i < n; i++) commit(w, A(), [`backend/${tag}/c${i}.ts`]);
  };
  const push = () => traced(A(), ['push', '-q', '-f', 'origin', 'agent/A-backend']);
  const remoteSha = () => w.git(w.remote, 'rev-parse', '-q', '--verify', 'agent/A-backend').stdout;

  it('a push of 9 in-scope commits is allowed in sh', () => {
    commits('nine', 9);
    const r = push();
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.started).toEqual([]);
    expect(remoteSha().trim()).toBe(w.must(A(), 'rev-parse', 'HEAD'));
  });

  it('one out-of-scope commit among 9 goes to Node and is refused', () => {
    commits('before', 4);
    commit(w, A(), ['web/hidden.tsx'], { flags: ['--no-verify'] });
    commits('after', 4);
    const before = remoteSha();
    const r = push();
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('refused by path-scope');
    expect(r.stderr).toContain('web/hidden.tsx');
    expect(r.started).toEqual(['pre-push']);
    expect(remoteSha()).toBe(before);
    w.must(A(), 'reset', '-q', '--hard', 'origin/agent/A-backend');
  });

  it('a suspect name (.git with an ignorable code point) among 9 commits goes to Node', () => {
    commits('suspect-a', 4);
    commit(w, A(), ['backend/.g\u200cit/x.ts'], { flags: ['--no-verify'] });
    commits('suspect-b', 4);
    const r = push();
    expect(r.started[0]).toBe('pre-push');
    w.must(A(), 'reset', '-q', '--hard', 'origin/agent/A-backend');
  });

  const batch = (tag: string) =>
    commit(
      w,
      A(),
      Array.from({ length: 70 }, (_, i) => `backend/${tag}/n${i}.ts`),
    );
  const refusedBy = (rule: string, name: string) => {
    const before = remoteSha();
    const r = push();
    expect(r.started).toEqual(['pre-push']);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain(`refused by ${rule}`);
    expect(r.stderr).toContain(name);
    expect(remoteSha()).toBe(before);
    w.must(A(), 'reset', '-q', '--hard', 'origin/agent/A-backend');
  };

  it('past 64 lines: in-scope commits are allowed in sh, a dot-file among them too', () => {
    commits('many', 3);
    batch('many-batch');
    commit(w, A(), ['backend/many/.gitignore']);
    const r = push();
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.started).toEqual([]);
    expect(remoteSha().trim()).toBe(w.must(A(), 'rev-parse', 'HEAD'));
  });

  it('past 64 lines: a file added out of scope and deleted again goes to Node', () => {
    // The tip's tree holds nothing out of scope: only the per-commit listing sees it.
    batch('gone-a');
    commit(w, A(), ['web/briefly.tsx'], { flags: ['--no-verify'] });
    w.must(A(), 'rm', '-q', 'web/briefly.tsx');
    w.must(A(), 'commit', '-q', '--no-verify', '-m', 'delete it again');
    commits('gone-b', 2);
    refusedBy('path-scope', 'web/briefly.tsx');
  });

  it('past 64 lines: a name shaped like a line of parents is never taken for one', () => {
    // git quotes a name holding '"': the quoted line has a backslash, which no line of parents has.
    batch('fake');
    commit(w, A(), [`"${'a'.repeat(40)}"`], { flags: ['--no-verify'] });
    refusedBy('path-scope', 'a'.repeat(40));
  });

  it('past 64 lines: a .git with an ignorable code point goes to Node', () => {
    batch('dotgit');
    commit(w, A(), ['backend/.g\u200cit/x.ts'], { flags: ['--no-verify'] });
    commits('dotgit-b', 2);
    expect(push().started[0]).toBe('pre-push');
    w.must(A(), 'reset', '-q', '--hard', 'origin/agent/A-backend');
  });

  it('past 64 lines: a root commit merged in goes to Node', () => {
    batch('root-many');
    // A root commit holding one in-scope file, made with plumbing (no checkout in the lane).
    const blob = w.run(A(), 'git', ['hash-object', '-w', '--stdin'], {}, 'root\n').stdout.trim();
    const sub = w.run(A(), 'git', ['mktree'], {}, `100644 blob ${blob}\troot.ts\n`).stdout.trim();
    const top = w.run(A(), 'git', ['mktree'], {}, `040000 tree ${sub}\tbackend\n`).stdout.trim();
    const root = w.must(A(), 'commit-tree', top, '-m', 'a new root');
    w.must(A(), 'merge', '-q', '--no-verify', '--allow-unrelated-histories', '-m', 'merge', root);
    const r = push();
    expect(r.started).toEqual(['pre-push']);
    w.must(A(), 'reset', '-q', '--hard', 'origin/agent/A-backend');
  });

  it('a root commit merged in among 9 goes to Node', () => {
    commits('root-a', 8);
    // A root commit holding one in-scope file, made with plumbing (no checkout in the lane).
    const blob = w.run(A(), 'git', ['hash-object', '-w', '--stdin'], {}, 'root\n').stdout.trim();
    const sub = w.run(A(), 'git', ['mktree'], {}, `100644 blob ${blob}\troot.ts\n`).stdout.trim();
    const top = w.run(A(), 'git', ['mktree'], {}, `040000 tree ${sub}\tbackend\n`).stdout.trim();
    const root = w.must(A(), 'commit-tree', top, '-m', 'a new root');
    w.must(A(), 'merge', '-q', '--no-verify', '--allow-unrelated-histories', '-m', 'merge', root);
    const r = push();
    expect(r.started).toEqual(['pre-push']);
    w.must(A(), 'reset', '-q', '--hard', 'origin/agent/A-backend');
  });

  it('the 17 names sh reads from the pipe and the rest grep reads: one odd name anywhere goes to Node', () => {
    // git lists the staged names sorted; pre-commit's sh judges up to 17 and hands the rest of the
    // pipe to one grep. An odd name at the 1st, 16th, 17th, 18th (grep's first) or 40th place:
    // none is allowed in sh.
    const odd = [
      ['backendx/out.ts', 'refused by path-scope'],
      ['backend/zz/.g\u200cit/x.ts', 'that git refuses to check out'],
    ] as const;
    for (const at of [1, 16, 17, 18, 40])
      for (const [name, refusal] of odd) {
        const before = Array.from(
          { length: at - 1 },
          (_, i) => `backend/a/n${String(i).padStart(2, '0')}.ts`,
        );
        // After the odd name (sorted after it): more plain names up to 40 in all.
        const after = Array.from({ length: 40 - at }, (_, i) => `cz-after/${i}.ts`).map((f) =>
          name.startsWith('backendx') ? `backendy/${f}` : `backend/zz/zz/${f}`,
        );
        const names = [...before, name, ...after];
        // The sort git lists in (bytes) puts the odd name at its place.
        expect([...names].sort().indexOf(name), `${name} at ${at}`).toBe(at - 1);
        for (const f of names) w.write(A(), f);
        w.must(A(), 'add', '-A');
        const r = traced(A(), ['commit', '-q', '-m', `odd at ${at}`]);
        expect(r.started, `${name} at ${at}`).toEqual(['pre-commit']);
        expect(r.status, `${name} at ${at}`).not.toBe(0);
        expect(r.stderr).toContain(refusal);
        w.must(A(), 'reset', '-q', '--hard', 'HEAD');
        w.must(A(), 'clean', '-qfd');
      }
  });

  it('a listing git could not finish is never read as an empty one: Node decides', () => {
    // The shim run by hand with an index git cannot read: diff-index fails with nothing listed,
    // and the line the shim adds then ('"') keeps sh from allowing an empty staged set.
    const common = w.must(A(), 'rev-parse', '--path-format=absolute', '--git-common-dir').trim();
    const bad = path.join(w.root, 'not-an-index');
    writeFileSync(bad, 'DIRC garbage');
    rmSync(trace, { force: true });
    const r = w.run(A(), path.join(common, 'lanes-hooks/hooks/pre-commit'), [], {
      LANES_HOOKS_TRACE: trace,
      GIT_INDEX_FILE: bad,
    });
    expect(nodeStartsIn(trace)).toEqual(['pre-commit']);
    expect(r.status).not.toBe(0);
  });

  it('many staged names: a suspect one, or a config place (coordinator), goes to Node', () => {
    const names = (tag: string) => Array.from({ length: 17 }, (_, i) => `backend/${tag}/n${i}.ts`);
    const plain = traced(A(), ['commit', '-q', '-m', 'x']); // nothing staged: git refuses first
    expect(plain.status).not.toBe(0);
    for (const f of names('plain')) w.write(A(), f);
    w.must(A(), 'add', '-A');
    expect(traced(A(), ['commit', '-q', '-m', 'plain']).started).toEqual([]);
    for (const f of [...names('odd'), 'backend/odd/.g\u200cit/y.ts']) w.write(A(), f);
    w.must(A(), 'add', '-A');
    expect(traced(A(), ['commit', '-q', '-m', 'odd']).started[0]).toBe('pre-commit');
    w.must(A(), 'reset', '-q', '--hard', 'HEAD');

    for (const f of names('coord')) w.write(C(), f.replace('backend/', 'docs/'));
    w.must(C(), 'add', '-A');
    expect(traced(C(), ['commit', '-q', '-m', 'coord']).started).toEqual([]);
    for (const f of names('coord2')) w.write(C(), f.replace('backend/', 'docs/'));
    w.write(C(), '.lanesrc.json', readFileSync(path.join(C(), '.lanesrc.json'), 'utf8') + '\n');
    w.must(C(), 'add', '-A');
    const cfg = traced(C(), ['commit', '-q', '-m', 'config among many']);
    expect(cfg.status).toBe(0);
    expect(cfg.started).toContain('pre-commit');
  });
});
