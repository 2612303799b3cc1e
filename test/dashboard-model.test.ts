// The dashboard's model at many lanes, in process (issue 30): the urgency groups and their order,
// the summary counts, how long a lane has waited, land's last word on a lane, the suggested
// command quoted for sh, and findings that stay open through a sign-off until an explicit
// resolve. `review resolve` on a real sandbox (who may resolve what) is the deep tier's:
// test/deep/dashboard-model.test.ts (issue 29).
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { laneExtras, reviewSummary } from '../src/dashboard/model.js';
import { commandLine, laneGroup, lastLandOf, shWord } from '../src/dashboard/urgency.js';
import type { LaneRow } from '../src/lifecycle/actions.js';
import type { Status } from '../src/lifecycle/status.js';
import type { AuditEntry } from '../src/store/audit.js';
import type { ReviewEntry } from '../src/reviews/model.js';
import { reviewProblem } from '../src/guard/server-stores.js';
import { reviewEntryProblem } from '../src/hooks/store-replay.js';
import { defaults } from './helpers/world.js';

const config = defaults({
  reviews: { dir: 'doc/reviews', required: ['D-arch'], carryOver: false },
});

const lane = (role: string, over: Partial<LaneRow> = {}): LaneRow => ({
  role,
  kind: 'delivery',
  path: `/w/gpuas-${role}`,
  branch: `agent/${role}`,
  head: 'a'.repeat(40),
  dirty: 0,
  ahead: 0,
  behind: 0,
  claim: null,
  signoffs: [],
  hooks: 'ok',
  recentRefusals: 0,
  ...over,
});

const claim = (role: string) => ({ owner: `agent-${role}`, branch: `agent/${role}`, task: null });

describe('lanes by urgency', () => {
  const rows: LaneRow[] = [
    lane('idle-1'),
    lane('working', { dirty: 2 }),
    lane('waiting-new', { ahead: 1, claim: claim('waiting-new') }),
    lane('ready', { ahead: 2, claim: claim('ready'), signoffs: [{ role: 'D-arch', sha: 'x' }] }),
    lane('stuck-loop', { recentRefusals: 5 }),
    lane('waiting-old', { ahead: 1, claim: claim('waiting-old') }),
    lane('conflict', { ahead: 1, claim: claim('conflict'), merge: 'conflict' }),
    lane('no-claim', { ahead: 1 }),
    lane('hooks-off', { hooks: 'missing' }),
    lane('D-arch', { kind: 'review', reviewing: { role: 'ready', behind: 0 } }),
    lane('coordinator', { kind: 'coordinator', branch: 'master' }),
  ];
  const status = {
    integration: { name: 'origin/master', head: 'b'.repeat(40) },
    lanes: rows,
    actions: [],
  } as unknown as Status;

  it('puts each lane in one group: stuck/refused, ready, waiting for review, working, idle', () => {
    const group = Object.fromEntries(rows.map((r) => [r.role, laneGroup(r, ['D-arch'])]));
    expect(group).toEqual({
      'idle-1': 'idle',
      working: 'working',
      'waiting-new': 'waiting',
      ready: 'ready',
      'stuck-loop': 'stuck',
      'waiting-old': 'waiting',
      conflict: 'stuck',
      'no-claim': 'stuck',
      'hooks-off': 'stuck',
      'D-arch': 'working',
      coordinator: 'idle',
    });
  });

  it('sorts stuck first, then ready, waiting (longest wait first), working, idle', () => {
    const pushed = new Map([
      ['refs/remotes/origin/agent/waiting-old', { sha: 'a', at: '2026-12-01T10:00:00.000Z' }],
      ['refs/remotes/origin/agent/waiting-new', { sha: 'a', at: '2026-12-06T10:00:00.000Z' }],
    ]);
    const claimedAt = new Map([['agent/ready', '2026-12-05T08:00:00.000Z']]);
    const x = laneExtras(status, config, [], pushed, '/w/coordinator', claimedAt);
    expect(x.map((l) => l.role)).toEqual([
      'conflict',
      'hooks-off',
      'no-claim',
      'stuck-loop',
      'ready',
      'waiting-old',
      'waiting-new',
      'D-arch',
      'working',
      'coordinator',
      'idle-1',
    ]);
    const by = Object.fromEntries(x.map((l) => [l.role, l]));
    // The wait: since the pushed tip arrived, else since the claim; only lanes that wait have one.
    expect(by['waiting-old']!.waitingSince).toBe('2026-12-01T10:00:00.000Z');
    expect(by['ready']!.waitingSince).toBe('2026-12-05T08:00:00.000Z');
    expect(by['working']!.waitingSince).toBeNull();
    expect(by['stuck-loop']!.waitingSince).toBeNull();
    // Each group's command: land for the ready, the reviewer's commands (in its lane) for the
    // waiting, a rebase in the lane for the conflicting one, none for the idle.
    expect(by['ready']!.command).toEqual({
      text: 'cd -- /w/coordinator && lanes-hooks land',
      where: '/w/coordinator',
    });
    expect(by['waiting-old']!.command!.text).toBe(
      'cd -- /w/gpuas-D-arch && lanes-hooks review refresh waiting-old && lanes-hooks review signoff waiting-old && lanes-hooks sync',
    );
    expect(by['conflict']!.command!.text).toBe(
      'cd -- /w/gpuas-conflict && git fetch && git rebase origin/master && git push --force-with-lease',
    );
    expect(by['hooks-off']!.command!.text).toBe(
      'cd -- /w/gpuas-hooks-off && lanes-hooks install --role hooks-off',
    );
    expect(by['idle-1']!.command).toBeNull();
  });

  it('quotes every word sh would read specially: a lane path with spaces, quotes, $ and ;', () => {
    expect(shWord('agent/A-backend')).toBe('agent/A-backend');
    expect(shWord(`it's $(rm -rf ~); "x"`)).toBe(`'it'\\''s $(rm -rf ~); "x"'`);
    const dir = `/tmp/a b/$(touch pwned)'; echo`;
    const line = commandLine(dir, ['lanes-hooks', 'land']);
    // sh reads the line back into exactly those words (echo prints the words it was given).
    const r = spawnSync(
      'sh',
      ['-c', line.replace('cd -- ', 'printf "%s\\n" ').replace(' && lanes-hooks land', '')],
      {
        encoding: 'utf8',
      },
    );
    expect(r.stdout).toBe(`${dir}\n`);
    // A row whose path is hostile: the command carries it quoted.
    const x = laneExtras(
      { ...status, lanes: [lane('h', { path: dir, hooks: 'missing' })] } as Status,
      config,
      [],
      new Map(),
      '/w/c',
      new Map(),
    );
    expect(x[0]!.command!.text).toBe(`cd -- ${shWord(dir)} && lanes-hooks install --role h`);
  });

  it("reads land's last word on a lane from the audit log: the newest landing or rebase request", () => {
    const e = (kind: AuditEntry['kind'], object: string, at: string): AuditEntry => ({
      at,
      who: 'c',
      lane: 'coordinator',
      rule: 'integration-ff-only',
      object,
      reason: `land: ${kind}`,
      kind,
    });
    const audit = [
      e('rebase', `agent/A at ${'1'.repeat(40)}`, '2026-12-01T00:00:00Z'),
      e(
        'landing',
        `master ${'1'.repeat(40)} -> ${'2'.repeat(40)} (agent/A)`,
        '2026-12-02T00:00:00Z',
      ),
      e('rebase', `agent/AB at ${'3'.repeat(40)}`, '2026-12-03T00:00:00Z'),
      e('override', 'agent/A', '2026-12-04T00:00:00Z'),
    ];
    expect(lastLandOf(audit, 'agent/A')).toEqual({
      kind: 'landed',
      at: '2026-12-02T00:00:00Z',
      reason: 'land: landing',
    });
    // agent/A is no prefix match for agent/AB's entries, nor the other way round.
    expect(lastLandOf(audit, 'agent/AB')!.kind).toBe('rebase asked');
    expect(lastLandOf(audit, 'agent/B')).toBeNull();
  });
});

describe('findings: open until resolved', () => {
  const entry = (
    kind: ReviewEntry['kind'],
    reviewer: string,
    at: string,
    extra: Partial<ReviewEntry> = {},
  ): ReviewEntry => ({
    kind,
    reviewer,
    target: 'A-backend',
    sha: 's1'.padEnd(40, '0'),
    text: kind === 'finding' ? `${reviewer} says ${at}` : null,
    severity: kind === 'finding' ? 'minor' : null,
    at,
    by: 'x',
    ...extra,
  });

  it('a sign-off by the same reviewer leaves its finding open (approve with comments)', () => {
    const s = reviewSummary([
      entry('finding', 'D-arch', '1'),
      entry('signoff', 'D-arch', '2'),
      entry('signoff', 'D-arch', '3', { sha: 's2'.padEnd(40, '0') }),
    ]);
    expect(s[0]!.open.map((f) => [f.n, f.at])).toEqual([[1, '1']]);
    expect(s[0]!.resolved).toEqual([]);
  });

  it('only a resolve by its reviewer, of that finding, after it, closes it', () => {
    const s = reviewSummary([
      entry('finding', 'D-arch', '1'),
      entry('finding', 'D-arch', '2'),
      entry('finding', 'E-governance', '3'),
      // Another reviewer cannot close D-arch's finding; a resolve naming no finding closes none.
      entry('resolve', 'E-governance', '4', { finding: '1' }),
      entry('resolve', 'D-arch', '5', { finding: '9' }),
      entry('resolve', 'D-arch', '6', { finding: '2' }),
    ]);
    expect(s[0]!.resolved.map((f) => f.n)).toEqual([2]);
    expect(s[0]!.open.map((f) => f.n)).toEqual([1, 3]);
    // A resolve recorded before its finding (backdated into the log's order) closes nothing.
    const early = reviewSummary([
      entry('resolve', 'D-arch', '0', { finding: '1' }),
      entry('finding', 'D-arch', '1'),
    ]);
    expect(early[0]!.open.map((f) => f.n)).toEqual([1]);
  });

  it('the hub refuses a resolve that closes no finding of its reviewer recorded before it', () => {
    const cfg = defaults({});
    const f = entry('finding', 'D-arch', '1');
    const r = entry('resolve', 'D-arch', '2', { finding: '1' });
    const problem = (e: ReviewEntry, before: ReviewEntry[]) =>
      reviewProblem(
        cfg,
        e,
        () => undefined,
        () => true,
        before,
      );
    expect(problem(r, [f])).toBeNull();
    expect(problem(r, [])).toMatch(/resolves no finding of D-arch on A-backend/);
    expect(problem({ ...r, reviewer: 'E-governance' }, [f])).toMatch(
      /resolves no finding of E-governance/,
    );
  });
});

describe('review resolve, in process', () => {
  it("the way around: a lane records the reviewer's resolve itself; the store replay refuses it", () => {
    const cfg = defaults({});
    const forged: ReviewEntry = {
      kind: 'resolve',
      reviewer: 'D-arch',
      target: 'A-backend',
      sha: '1'.repeat(40),
      finding: '2026-12-07T00:00:00.000Z',
      text: null,
      severity: null,
      at: '2026-12-07T00:01:00.000Z',
      by: 'x',
    };
    // What reference-transaction applies to a lane's move of refs/lanes/reviews (store-replay.ts).
    expect(
      reviewEntryProblem(cfg, { kind: 'delivery', role: 'A-backend', owner: null }, forged),
    ).toMatch(/a review lane records its own findings and sign-offs only/);
    expect(
      reviewEntryProblem(cfg, { kind: 'review', role: 'E-governance', owner: null }, forged),
    ).toMatch(/a review lane records its own/);
    expect(
      reviewEntryProblem(cfg, { kind: 'review', role: 'D-arch', owner: null }, forged),
    ).toBeNull();
  });
});
