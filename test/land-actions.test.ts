// status's advice about landing, as pure tables: the next action for a ready lane is land, and the
// "stuck" alarm fires only for a real loop (the same refusal on the same object, again and again),
// never across distinct refusals, never once the lane has landed, never for the coordinator.
import { describe, expect, it } from 'vitest';
import {
  lastLanding,
  nextActions,
  refusalLoop,
  STUCK_REFUSALS,
  STUCK_WINDOW_MS,
  type LaneRow,
} from '../src/lifecycle/actions.js';
import { defaults } from './helpers/world.js';

const now = Date.parse('2026-12-06T12:00:00Z');
const ago = (min: number) => new Date(now - min * 60_000).toISOString();
const refusal = (min: number, object = 'Write of web/oops.tsx: 1 path outside the scope') => ({
  at: ago(min),
  rule: 'path-scope',
  object,
});

function row(over: Partial<LaneRow>): LaneRow {
  return {
    role: 'A-backend',
    kind: 'delivery',
    path: '/w/A-backend',
    branch: 'agent/A-backend',
    head: 'a'.repeat(40),
    dirty: 0,
    ahead: 0,
    behind: 0,
    claim: null,
    signoffs: [],
    hooks: 'ok',
    ...over,
  };
}
const stuck = (actions: string[]) => actions.filter((a) => a.includes('stuck in a loop'));

describe('refusalLoop', () => {
  it('counts one refusal repeated on the same object', () => {
    expect(
      refusalLoop(
        [1, 2, 3, 4].map((m) => refusal(m)),
        now,
      ),
    ).toMatchObject({
      rule: 'path-scope',
      count: 4,
    });
  });

  it('does not add up distinct refusals (an agent finding its edges)', () => {
    const distinct = [1, 2, 3, 4, 5].map((m) => refusal(m, `Write of web/oops${m}.tsx`));
    expect(refusalLoop(distinct, now)).toBe(null);
    const rules = [1, 2, 3, 4].map((m) => ({ ...refusal(m), rule: `rule-${m}` }));
    expect(refusalLoop(rules, now)).toBe(null);
  });

  it('forgets what lies outside the window or before the lane last landed', () => {
    const old = [20, 21, 22, 23].map((m) => refusal(m));
    expect(refusalLoop(old, now)).toBe(null);
    const four = [1, 2, 3, 4].map((m) => refusal(m));
    expect(refusalLoop(four, now, now - 2.5 * 60_000)?.count).toBe(2);
    expect(refusalLoop(four, now, now)).toBe(null);
  });
});

describe('lastLanding', () => {
  const audit = [
    { kind: 'landing', object: 'master 1 -> 2 (agent/A-backend)', at: ago(30) },
    { kind: 'rebase', object: 'agent/A-backend at 3', at: ago(5) },
    { kind: 'landing', object: 'master 2 -> 4 (agent/A-backend)', at: ago(10) },
    { kind: 'landing', object: 'master 4 -> 5 (agent/A-backend-2)', at: ago(1) },
  ];
  it('is the newest landing of exactly that branch', () => {
    expect(lastLanding(audit, 'agent/A-backend')).toBe(now - 10 * 60_000);
    expect(lastLanding(audit, 'agent/B-ui')).toBe(null);
  });
});

describe('nextActions', () => {
  const config = defaults({ reviews: { required: ['D-arch'] } });

  it('recommends land for a lane that is claimed and signed off, not merge', () => {
    const ready = row({
      ahead: 2,
      claim: { owner: 'agent-a', branch: 'agent/A-backend', task: null },
      signoffs: [{ role: 'D-arch', sha: 'a'.repeat(40) }],
    });
    const [a] = nextActions([ready], config);
    expect(a).toContain('→ lanes-hooks land');
    expect(a).not.toContain('lanes-hooks merge');
  });

  it('flags a loop at STUCK_REFUSALS repeats, naming the rule and the object', () => {
    const looping = row({ recentRefusals: STUCK_REFUSALS, loop: { ...refusal(1), count: 4 } });
    const [s] = stuck(nextActions([looping], config));
    expect(s).toContain(
      `the same refusal ${STUCK_REFUSALS} times in ${STUCK_WINDOW_MS / 60_000} minutes`,
    );
    expect(s).toContain('path-scope on Write of web/oops.tsx');
    expect(stuck(nextActions([row({ recentRefusals: STUCK_REFUSALS - 1 })], config))).toEqual([]);
  });

  it('never flags the coordinator, however often it is refused', () => {
    const coordinator = row({ role: 'coordinator', kind: 'coordinator', recentRefusals: 99 });
    expect(stuck(nextActions([coordinator], config))).toEqual([]);
  });
});
