// The pure rules, side by side: what each refuses and what each allows.
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config/load.js';
import { resolveLane } from '../src/lanes/resolve.js';
import { formatViolation, showName } from '../src/policy/format.js';
import { decodePath, splitZ } from '../src/git/exec.js';
import { integrationMoves, integrationPush } from '../src/policy/integration-ff-only.js';
import { laneBranchMoves, laneCommitBranch } from '../src/policy/lane-branch.js';
import { laneUnassigned } from '../src/policy/lane-unassigned.js';
import { pathScope } from '../src/policy/path-scope.js';
import { releaseCommit, releaseRefMoves } from '../src/policy/release-branch-commit.js';
import { releasePush } from '../src/policy/release-exact-sha.js';
import {
  afterCheckout,
  detachedCommit,
  detachedHeadCommit,
} from '../src/policy/review-detached-head.js';
import { overlappingScopes, scopeOf } from '../src/policy/scope.js';
import { carryOverProblem, type OwnCommitFact } from '../src/policy/signoff-carry.js';
import type { Context } from '../src/policy/types.js';
import { defaults, laneFor } from './helpers/world.js';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const C = 'c'.repeat(40);
const Z = '0'.repeat(40);
const D = 'd'.repeat(40);
const ctx = (role: string | null, isMain = false, over = {}): Context => {
  const config = defaults(over);
  return { config, lane: laneFor(role, config, isMain) };
};
const rules = (vs: { rule: string }[]) => vs.map((v) => v.rule);

describe('path-scope', () => {
  const scoped = (role: string, over = {}) => {
    const c = ctx(role, false, over);
    return (paths: string[]) => pathScope(c, scopeOf(c.config, c.lane), [{ paths }], 'commit');
  };

  it('allows in-scope paths, hostile names included', () => {
    const check = scoped('A-backend');
    for (const p of [
      'backend/a.ts',
      'backend/deep/.hidden',
      'services/x y.ts',
      'backend/new\nline.ts',
      'backend/"q\'uo`te".ts',
      'backend/ünï/çødé.ts',
      'backend/[glob]*?{a,b}!.ts',
      'backend/-leading',
      'contracts/\u200bzero-width',
    ]) {
      expect(check([p]), p).toEqual([]);
    }
  });

  it('refuses look-alike prefixes, other case and other roles', () => {
    const check = scoped('A-backend');
    for (const p of [
      'backend-x/a.ts',
      'backendx',
      'Backend/a.ts',
      'web/app.tsx',
      '\nbackend/a',
      ' backend/a',
      'x/backend/a',
    ]) {
      expect(rules(check([p])), p).toEqual(['path-scope']);
    }
  });

  it('follows picomatch: `dir/**` also matches the name `dir` itself', () => {
    expect(scoped('A-backend')(['backend'])).toEqual([]);
  });

  it('finds overlapping scopes for doctor to warn about', () => {
    expect(overlappingScopes(defaults())).toEqual([]);
    const c = defaults({
      roles: {
        A: { kind: 'delivery', paths: ['backend/**'] },
        B: { kind: 'delivery', paths: ['backend/api/**', 'web/**'] },
        C: { kind: 'delivery', paths: ['backendx/**'] },
      },
    });
    expect(overlappingScopes(c)).toEqual([['A', 'B', 'backend/api']]);
  });

  it('adds shared paths for delivery lanes only', () => {
    expect(scoped('A-backend', { shared: ['package-lock.json'] })(['package-lock.json'])).toEqual(
      [],
    );
    expect(
      rules(scoped('D-arch', { shared: ['package-lock.json'] })(['package-lock.json'])),
    ).toEqual(['path-scope']);
  });

  it('limits review lanes to the reviews dir and leaves the coordinator unrestricted', () => {
    expect(scoped('D-arch')(['doc/governance/reviews/A-backend.md'])).toEqual([]);
    expect(rules(scoped('D-arch')(['doc/governance/other.md']))).toEqual(['path-scope']);
    const coord = ctx(null, true);
    expect(scopeOf(coord.config, coord.lane)).toBeNull();
  });

  it('lists every offending path and names the commit when checking history', () => {
    const c = ctx('B-ui');
    const v = pathScope(
      c,
      scopeOf(c.config, c.lane),
      [
        { commit: A, paths: ['web/ok', 'backend/no'] },
        { commit: B, paths: ['ops/no'] },
      ],
      'push',
    );
    expect(v[0]!.paths).toEqual([`${A.slice(0, 10)} backend/no`, `${B.slice(0, 10)} ops/no`]);
  });
});

describe('formatting', () => {
  it('names rule, object, why, fix and override, and caps the list at 20 paths', () => {
    const paths = Array.from({ length: 25 }, (_, i) => `web/${i}`);
    const text = formatViolation({
      rule: 'path-scope',
      object: 'commit',
      why: 'because',
      fix: ['do this'],
      paths,
    });
    expect(text).toContain('refused by path-scope');
    expect(text).toContain('web/19');
    expect(text).not.toContain('web/20\n');
    expect(text).toContain('… and 5 more');
    expect(text).toContain('fix:  do this');
    expect(text).toContain('LANES_OVERRIDE');
  });

  it('quotes names that could fake a line or hide characters', () => {
    expect(showName('plain/name.ts')).toBe('plain/name.ts');
    expect(showName('a\nb')).toBe('"a\\nb"');
    expect(showName('say "hi"')).toBe('"say \\"hi\\""');
    expect(showName('\u001b[31mred')).toBe('"\\033[31mred"');
    expect(showName('tab\there\\')).toBe('"tab\\there\\\\"');
    // Invisible and bidi characters are escaped, not only quoted: they show as their UTF-8 bytes.
    expect(showName('zero\u200bwidth')).toBe('"zero\\342\\200\\213width"');
    expect(showName('a\u202eb\u009b')).toBe('"a\\342\\200\\256b\\302\\233"');
  });

  it('prints bytes that are not UTF-8 as git quotes them, from the exact bytes', () => {
    const bytes = Buffer.concat([
      Buffer.from('web/'),
      Buffer.from([0xff, 0xc3]),
      Buffer.from('é.ts'),
    ]);
    const name = decodePath(bytes);
    expect(showName(name)).toBe('"web/\\377\\303é.ts"');
    expect(splitZ(Buffer.concat([bytes, Buffer.from([0]), Buffer.from('ok\0')]))).toEqual([
      name,
      'ok',
    ]);
    expect(decodePath(Buffer.from('naïve/ünïcode.ts'))).toBe('naïve/ünïcode.ts');
    expect(showName('naïve/ünïcode.ts')).toBe('naïve/ünïcode.ts');
  });
});

describe('lane resolution', () => {
  const config = defaults();
  const base = {
    worktreeId: 'gpuas-A-backend',
    isMain: false,
    recordedRole: null,
    recordedFor: null,
    recordedOwner: null,
    roleByPath: null,
  };

  it('uses a role recorded for this very worktree at that role’s configured path', () => {
    expect(
      resolveLane(
        {
          ...base,
          recordedRole: 'A-backend',
          recordedFor: 'gpuas-A-backend',
          recordedOwner: 'agent-a',
          roleByPath: 'A-backend',
        },
        config,
      ),
    ).toMatchObject({
      role: 'A-backend',
      kind: 'delivery',
      source: 'recorded',
      owner: 'agent-a',
      ownBranch: 'refs/heads/agent/A-backend',
    });
  });

  // Route 1 as a table: what a lane can write in its own config.worktree grants it nothing.
  it('a lane cannot grant itself a role: coordinator, another lane’s role, a stray worktree', () => {
    const recorded = (recordedRole: string, roleByPath: string | null, isMain = false) =>
      resolveLane(
        { ...base, isMain, recordedRole, recordedFor: base.worktreeId, roleByPath },
        config,
      );
    const self = recorded('coordinator', 'B-ui');
    expect(self).toMatchObject({ role: 'B-ui', kind: 'delivery', source: 'path' });
    expect(self.notes.join()).toContain('the coordinator is the main worktree alone');
    const other = recorded('A-backend', 'B-ui');
    expect(other).toMatchObject({ role: 'B-ui', source: 'path' });
    expect(other.notes.join()).toContain("not at that role's configured path");
    expect(recorded('coordinator', null).kind).toBe('unassigned');
    expect(recorded('A-backend', null).kind).toBe('unassigned');
    // The main worktree stays the coordinator whatever role is recorded there.
    expect(recorded('B-ui', null, true)).toMatchObject({ role: 'coordinator', source: 'main' });
    expect(recorded('coordinator', null, true)).toMatchObject({ source: 'recorded' });
  });

  it('ignores a role copied from another worktree by git worktree add', () => {
    const lane = resolveLane(
      { ...base, worktreeId: 'scratch', recordedRole: 'A-backend', recordedFor: 'gpuas-A-backend' },
      config,
    );
    expect(lane.kind).toBe('unassigned');
    expect(lane.notes.join()).toContain('copied');
  });

  it('falls back to the main worktree as coordinator, then to the path template', () => {
    expect(resolveLane({ ...base, isMain: true }, config).kind).toBe('coordinator');
    expect(resolveLane({ ...base, roleByPath: 'B-ui' }, config)).toMatchObject({
      role: 'B-ui',
      source: 'path',
    });
    expect(resolveLane(base, config).kind).toBe('unassigned');
  });

  it('ignores a recorded role the config does not know', () => {
    expect(
      resolveLane({ ...base, recordedRole: 'Z-gone', recordedFor: 'gpuas-A-backend' }, config).kind,
    ).toBe('unassigned');
  });
});

describe('lane-unassigned', () => {
  it('refuses commit and push from an unassigned worktree only', () => {
    expect(rules(laneUnassigned(ctx(null), 'commit'))).toEqual(['lane-unassigned']);
    expect(laneUnassigned(ctx('A-backend'), 'push')).toEqual([]);
    expect(laneUnassigned(ctx(null, true), 'push')).toEqual([]);
  });
});

describe('release-branch-commit', () => {
  const rel = 'refs/heads/release/platform-control';
  it('refuses a commit on the release branch from any lane, the coordinator included', () => {
    expect(rules(releaseCommit(ctx(null, true), rel))).toEqual(['release-branch-commit']);
    expect(rules(releaseCommit(ctx('A-backend'), rel))).toEqual(['release-branch-commit']);
    expect(releaseCommit(ctx(null, true), 'refs/heads/master')).toEqual([]);
  });

  it('refuses every move of the local release branch except mirroring the remote', () => {
    const c = ctx(null, true);
    const facts = { remoteRelease: B, promoted: (sha: string) => sha === D, restore: [] };
    expect(rules(releaseRefMoves(c, [{ old: A, new: C, ref: rel }], facts))).toEqual([
      'release-branch-commit',
    ]);
    expect(rules(releaseRefMoves(c, [{ old: Z, new: C, ref: rel }], facts))).toEqual([
      'release-branch-commit',
    ]);
    expect(releaseRefMoves(c, [{ old: Z, new: B, ref: rel }], facts)).toEqual([]);
    expect(releaseRefMoves(c, [{ old: A, new: Z, ref: rel }], facts)).toEqual([]); // deleting the local copy moves nothing
    // A recorded promotion moves it from the coordinator only; a lane neither moves nor deletes it.
    expect(releaseRefMoves(c, [{ old: A, new: D, ref: rel }], facts)).toEqual([]);
    const lane = ctx('A-backend');
    expect(rules(releaseRefMoves(lane, [{ old: A, new: D, ref: rel }], facts))).toEqual([
      'release-branch-commit',
    ]);
    expect(rules(releaseRefMoves(lane, [{ old: A, new: Z, ref: rel }], facts))).toEqual([
      'release-branch-commit',
    ]);
    expect(releaseRefMoves(lane, [{ old: A, new: B, ref: rel }], facts)).toEqual([]);
    expect(releaseRefMoves(c, [{ old: A, new: C, ref: 'refs/heads/master' }], facts)).toEqual([]);
  });
});

describe('lane-branch', () => {
  it('lets lanes commit only on their own branch', () => {
    expect(laneCommitBranch(ctx('A-backend'), 'refs/heads/agent/A-backend', false)).toEqual([]);
    expect(rules(laneCommitBranch(ctx('A-backend'), 'refs/heads/feature', false))).toEqual([
      'lane-branch',
    ]);
    expect(rules(laneCommitBranch(ctx('A-backend'), 'refs/heads/agent/B-ui', false))).toEqual([
      'lane-branch',
    ]);
    expect(rules(laneCommitBranch(ctx('D-arch'), 'refs/heads/review/A-backend', false))).toEqual([
      'lane-branch',
    ]);
    expect(laneCommitBranch(ctx('D-arch'), 'refs/heads/agent/D-arch', false)).toEqual([]);
    expect(laneCommitBranch(ctx(null, true), 'refs/heads/anything', false)).toEqual([]);
  });

  it('leaves detached commits of a rebase in progress to the rebase', () => {
    expect(laneCommitBranch(ctx('A-backend'), null, true)).toEqual([]);
    expect(rules(laneCommitBranch(ctx('A-backend'), null, false))).toEqual(['lane-branch']);
  });

  it('keeps review branches pointing where their delivery branch points', () => {
    const values: Record<string, string> = {
      'refs/heads/agent/A-backend': A,
      'refs/remotes/origin/agent/A-backend': B,
    };
    const facts = { headBranch: null, refValue: (r: string) => values[r] ?? null, restore: [] };
    const mirror = 'refs/heads/review/A-backend';
    for (const c of [ctx('D-arch'), ctx(null, true)]) {
      expect(laneBranchMoves(c, [{ old: Z, new: A, ref: mirror }], facts)).toEqual([]);
      expect(laneBranchMoves(c, [{ old: A, new: B, ref: mirror }], facts)).toEqual([]);
      expect(rules(laneBranchMoves(c, [{ old: A, new: C, ref: mirror }], facts))).toEqual([
        'lane-branch',
      ]);
    }
  });

  it('refuses moving another checked-out branch with HEAD in a lane', () => {
    const facts = { headBranch: 'refs/heads/scratch', refValue: () => null, restore: [] };
    const moves = [
      { old: A, new: B, ref: 'HEAD' },
      { old: A, new: B, ref: 'refs/heads/scratch' },
    ];
    expect(rules(laneBranchMoves(ctx('A-backend'), moves, facts))).toEqual(['lane-branch']);
    expect(laneBranchMoves(ctx(null, true), moves, facts)).toEqual([]);
    const own = { ...facts, headBranch: 'refs/heads/agent/A-backend' };
    expect(
      laneBranchMoves(
        ctx('A-backend'),
        [moves[0]!, { ...moves[1]!, ref: 'refs/heads/agent/A-backend' }],
        own,
      ),
    ).toEqual([]);
  });
});

describe('review-detached-head', () => {
  it('refuses commits on a detached HEAD in review lanes, outside rebases', () => {
    expect(rules(detachedCommit(ctx('D-arch'), true, false))).toEqual(['review-detached-head']);
    expect(detachedCommit(ctx('D-arch'), true, true)).toEqual([]);
    expect(detachedCommit(ctx('A-backend'), true, false)).toEqual([]);
  });

  it('refuses a new commit on an already detached HEAD, not a checkout', () => {
    const commit = [{ old: A, new: B, ref: 'HEAD' }];
    const f = { headDetached: true, transient: false, parentOfNew: A };
    expect(rules(detachedHeadCommit(ctx('E-governance'), commit, f))).toEqual([
      'review-detached-head',
    ]);
    expect(detachedHeadCommit(ctx('E-governance'), commit, { ...f, parentOfNew: C })).toEqual([]);
    expect(detachedHeadCommit(ctx('E-governance'), commit, { ...f, headDetached: false })).toEqual(
      [],
    );
    expect(detachedHeadCommit(ctx('E-governance'), commit, { ...f, transient: true })).toEqual([]);
  });

  it('undoes a user detach in a review lane and nothing else', () => {
    const f = {
      branchCheckout: true,
      newWorktree: false,
      headDetached: true,
      transient: false,
      reflogSubject: 'checkout: moving from review/A-backend to abc',
      previousBranch: 'review/A-backend',
    };
    expect(afterCheckout(ctx('D-arch'), f)).toMatchObject({
      action: 'reattach',
      branch: 'review/A-backend',
    });
    expect(afterCheckout(ctx('A-backend'), f).action).toBe('none');
    expect(afterCheckout(ctx('D-arch'), { ...f, transient: true }).action).toBe('none');
    expect(afterCheckout(ctx('D-arch'), { ...f, newWorktree: true }).action).toBe('none');
    expect(afterCheckout(ctx('D-arch'), { ...f, branchCheckout: false }).action).toBe('none');
    expect(
      afterCheckout(ctx('D-arch'), {
        ...f,
        reflogSubject: 'rebase (start): checkout origin/master',
      }).action,
    ).toBe('none');
    expect(afterCheckout(ctx('D-arch'), { ...f, previousBranch: null }).action).toBe('warn');
  });
});

describe('integration-ff-only and release-exact-sha at push', () => {
  const push = (remoteRef: string, over = {}) => [
    { localRef: 'refs/heads/x', localSha: B, remoteRef, remoteSha: A, isDelete: false, ...over },
  ];
  const master = 'refs/heads/master';
  const release = 'refs/heads/release/platform-control';

  it('lets only the coordinator fast-forward integration', () => {
    expect(
      integrationPush(ctx(null, true), push(master, { remoteKnown: true, fastForward: true })),
    ).toEqual([]);
    expect(
      rules(
        integrationPush(ctx(null, true), push(master, { remoteKnown: true, fastForward: false })),
      ),
    ).toEqual(['integration-ff-only']);
    expect(rules(integrationPush(ctx(null, true), push(master, { remoteKnown: false })))).toEqual([
      'integration-ff-only',
    ]);
    expect(
      rules(integrationPush(ctx(null, true), push(master, { isDelete: true, localSha: Z }))),
    ).toEqual(['integration-ff-only']);
    expect(
      rules(integrationPush(ctx('B-ui'), push(master, { remoteKnown: true, fastForward: true }))),
    ).toEqual(['integration-ff-only']);
  });

  it('in a lane, no local command moves integration except mirroring the remote', () => {
    const u = [{ old: A, new: B, ref: master }];
    expect(rules(integrationMoves(ctx('B-ui'), u, C, []))).toEqual(['integration-ff-only']);
    expect(integrationMoves(ctx('B-ui'), u, B, [])).toEqual([]);
    expect(integrationMoves(ctx(null, true), u, C, [])).toEqual([]);
  });

  it('lets release point only at an integrated SHA, pushed by the coordinator', () => {
    expect(releasePush(ctx(null, true), push(release, { onIntegration: true }))).toEqual([]);
    expect(rules(releasePush(ctx(null, true), push(release, { onIntegration: false })))).toEqual([
      'release-exact-sha',
    ]);
    expect(rules(releasePush(ctx('C-ops'), push(release, { onIntegration: true })))).toEqual([
      'release-branch-commit',
    ]);
  });
});

describe('config validation', () => {
  const errors = (raw: unknown) => {
    try {
      parseConfig(raw, '.lanesrc.json');
      return [];
    } catch (e) {
      return (e as Error).message.split('\n');
    }
  };

  it('accepts the empty config and fills the documented defaults', () => {
    expect(errors({})).toEqual([]);
    expect(parseConfig({}, 'x')).toMatchObject({
      integration: 'master',
      release: 'release/platform-control',
      remote: 'origin',
      queue: { requireClaim: true },
    });
  });

  it('names file, key path and expectation, one line per problem', () => {
    expect(errors({ roles: { 'B-ui': { kind: 'delivery', paths: ['web/**', 3] } } })).toEqual([
      '.lanesrc.json: roles.B-ui.paths[1]: expected string, got number',
    ]);
    expect(errors({ intgration: 'main', queue: { requireclaim: false } }).sort()).toEqual([
      '.lanesrc.json: intgration: unknown key (did you mean integration?)',
      '.lanesrc.json: queue.requireclaim: unknown key (did you mean requireClaim?)',
    ]);
    expect(errors({ roles: { X: { kind: 'boss' } } })).toEqual([
      '.lanesrc.json: roles.X.kind: expected one of "delivery", "review", got "boss"',
    ]);
    expect(errors({ worktrees: '../lanes' })[0]).toContain(
      'worktrees: expected a template containing {role}',
    );
    expect(errors({ roles: { 'has space': { kind: 'review' } } })[0]).toContain(
      'roles["has space"]',
    );
    expect(errors({ release: 'master' })[0]).toContain('release: must differ from integration');
    expect(errors({ reviews: { required: ['Nobody', 'A-backend'] } })).toEqual([
      '.lanesrc.json: reviews.required[0]: no role named "Nobody"',
      '.lanesrc.json: reviews.required[1]: "A-backend" is a delivery role, expected a review role',
    ]);
    expect(errors([])[0]).toBe('.lanesrc.json: (top level): expected object, got array');
    expect(errors({ shared: ['../**'] })[0]).toBe(
      '.lanesrc.json: shared[0]: expected a path inside the repository, got one with ".."',
    );
    expect(errors({ roles: { X: { kind: 'delivery', paths: ['/etc/**'] } } })[0]).toBe(
      '.lanesrc.json: roles.X.paths[0]: expected a path relative to the repository, got an absolute path',
    );
    expect(errors({ roles: { 'a/b': { kind: 'review' } } })[0]).toContain('roles["a/b"]');
  });
});

// The carry-over rule (src/policy/signoff-carry.ts); its route with real git and a hub is
// test/deep/carry.test.ts.
const c = (
  commit: string,
  patchId: string | null,
  paths: string[],
  merge = false,
): OwnCommitFact => ({
  commit,
  patchId,
  paths,
  merge,
});

describe('the carry-over rule', () => {
  const on = defaults({ reviews: { carryOver: true } });
  const old = { sha: 'a'.repeat(40), own: [c('1', 'p1', ['x']), c('2', 'p2', ['y'])] };
  it('carries only where the config allows it and every own commit is the same, in order', () => {
    const same = { sha: 'b'.repeat(40), own: [c('3', 'p1', ['x']), c('4', 'p2', ['y'])] };
    expect(carryOverProblem(on, old, same)).toBe(null);
    expect(carryOverProblem(defaults(), old, same)).toContain('reviews.carryOver is off');
    const cases: [OwnCommitFact[], string][] = [
      [[c('3', 'pX', ['x']), c('4', 'p2', ['y'])], 'its patch differs'],
      [[c('3', 'p1', ['x', 'z']), c('4', 'p2', ['y'])], 'changes other paths'],
      [[c('4', 'p2', ['y']), c('3', 'p1', ['x'])], 'its patch differs'],
      [[c('3', 'p1', ['x'])], 'has 2 commits of its own and'],
      [[c('3', 'p1', ['x']), c('4', 'p2', ['y']), c('5', 'p3', ['w'])], 'has 2 commits'],
      [[c('3', 'p1', ['x']), c('4', null, ['y'], true)], 'is a merge'],
      [[], 'no commits of its own'],
    ];
    for (const [own, why] of cases)
      expect(carryOverProblem(on, old, { sha: 'b'.repeat(40), own }), why).toContain(why);
  });
});
