// The hub's two rules as pure tables (src/policy/hub-namespace.ts, merge-requirements.ts): what
// each refuses and what it allows, no git. The routes against a real hub are in
// test/attacks/hub-judges.test.ts.
import { describe, expect, it } from 'vitest';
import { hubNamespace, refPattern, tooManyRefs } from '../src/policy/hub-namespace.js';
import {
  laneApproval,
  mergeRequirements,
  type LaneStanding,
  type MergeFacts,
} from '../src/policy/merge-requirements.js';

describe('hub-namespace', () => {
  const judge = (ref: string, isCoordinator: boolean, allowed: string[] = []) =>
    hubNamespace({
      ref,
      object: ref,
      isCoordinator,
      coordinators: ['coord'],
      allowed,
      pusher: 'someone',
    }).map((v) => v.rule);
  it.each([
    ['refs/heads/feature/x', false, [], []],
    ['refs/lanes/queue', false, [], []],
    ['refs/replace/0123', true, [], ['hub-namespace']],
    ['refs/replace/0123', true, ['refs/**'], ['hub-namespace']],
    ['refs/tags/v1', false, [], ['hub-namespace']],
    ['refs/tags/v1', true, [], []],
    ['refs/tags/v1', false, ['refs/tags/*'], []],
    ['refs/tags/release/v1', false, ['refs/tags/*'], ['hub-namespace']],
    ['refs/tags/release/v1', false, ['refs/tags/**'], []],
    ['refs/notes/commits', false, [], ['hub-namespace']],
    ['refs/notes/commits', true, [], []],
    ['refs/for/master', true, [], ['hub-namespace']],
    ['refs/for/master', false, ['refs/for/*'], []],
    ['refs/remotes/origin/master', true, [], ['hub-namespace']],
    ['refs/x', true, [], ['hub-namespace']],
  ] as const)('%s (coordinator: %s, namespaces: %j)', (ref, coord, allowed, rules) => {
    expect(judge(ref, coord, [...allowed])).toEqual(rules);
  });
  it('patterns: * stays in one component, ** crosses them, the rest is literal', () => {
    expect(refPattern('refs/for/*').test('refs/for/a/b')).toBe(false);
    expect(refPattern('refs/for/**').test('refs/for/a/b')).toBe(true);
    expect(refPattern('refs/a.b/*').test('refs/aXb/c')).toBe(false);
  });
  it('a push of more refs than server.maxRefs is refused whole', () => {
    expect(tooManyRefs(3, 3)).toEqual([]);
    expect(tooManyRefs(4, 3).map((v) => v.rule)).toEqual(['hub-namespace']);
  });
});

describe('merge-requirements', () => {
  const sha = (c: string) => c.repeat(40);
  const lane = (over: Partial<LaneStanding> = {}): LaneStanding => ({
    role: 'A-backend',
    branch: 'agent/A-backend',
    tip: sha('a'),
    claimed: true,
    signedBy: new Map(),
    ...over,
  });
  it('a lane tip is backed when claimed and signed off by every required role', () => {
    expect(laneApproval(lane(), [], true).approved).toEqual([sha('a')]);
    expect(laneApproval(lane({ claimed: false }), [], true).approved).toEqual([]);
    expect(laneApproval(lane({ claimed: false }), [], false).approved).toEqual([sha('a')]);
    const signed = new Map([[sha('a'), new Set(['D-arch'])]]);
    expect(laneApproval(lane({ signedBy: signed }), ['D-arch'], true).approved).toEqual([sha('a')]);
    const r = laneApproval(lane({ signedBy: signed }), ['D-arch', 'E-governance'], true);
    expect(r.approved).toEqual([]);
    expect(r.problems.join()).toContain('E-governance');
    // An older SHA of the branch that every required role signed off is backed; the tip is not.
    const older = new Map([[sha('b'), new Set(['D-arch'])]]);
    const o = laneApproval(lane({ signedBy: older }), ['D-arch'], true);
    expect(o.approved).toEqual([sha('b')]);
    expect(o.problems.join()).toContain('no sign-off of aaaaaaaaaaaa');
    expect(laneApproval(lane({ tip: null }), [], true).approved).toEqual([]);
  });
  const facts = (over: Partial<MergeFacts> = {}): MergeFacts => ({
    integration: 'master',
    object: 'refs/heads/master',
    added: [sha('1'), sha('2')],
    approved: new Set(),
    laneHeld: new Map(),
    laneTrailer: new Map(),
    laneProblems: new Map(),
    policy: null,
    ...over,
  });
  it("allows a coordinator's own commits and backed lane commits", () => {
    expect(mergeRequirements(facts())).toEqual([]);
    expect(
      mergeRequirements(
        facts({ approved: new Set([sha('1')]), laneHeld: new Map([[sha('1'), 'A-backend']]) }),
      ),
    ).toEqual([]);
  });
  it('refuses a lane commit the hub does not back, held on its branch or named by its trailer', () => {
    const held = mergeRequirements(facts({ laneHeld: new Map([[sha('2'), 'B-ui']]) }));
    expect(held.map((v) => v.rule)).toEqual(['merge-requirements']);
    expect(held[0]!.why).toContain('B-ui lane');
    expect(held[0]!.fix.join()).toContain('lanes-hooks merge B-ui');
    const named = mergeRequirements(facts({ laneTrailer: new Map([[sha('1'), 'C-ops']]) }));
    expect(named[0]!.why).toContain('C-ops lane');
  });
  it('a policy change needs every policy reviewer, and a JS policy is refused outright', () => {
    const policy = {
      file: '.lanesrc.json',
      blob: sha('c'),
      code: false,
      reviewers: ['E-governance'],
      signed: [] as string[],
    };
    const missing = mergeRequirements(facts({ policy }));
    expect(missing[0]!.why).toContain('E-governance');
    expect(missing[0]!.fix.join()).toContain('review signoff --policy master');
    expect(mergeRequirements(facts({ policy: { ...policy, signed: ['E-governance'] } }))).toEqual(
      [],
    );
    expect(mergeRequirements(facts({ policy: { ...policy, reviewers: [] } }))).toEqual([]);
    const js = mergeRequirements(
      facts({ policy: { ...policy, file: 'lanes.config.cjs', code: true, reviewers: [] } }),
    );
    expect(js[0]!.why).toContain('JS or TS config');
  });
});
