// Overrides: a reason is mandatory, every use is recorded once, and no reason can forge an entry.
import { describe, expect, it } from 'vitest';
import { commit, world } from '../helpers/world.js';

const w = world(['A-backend']);
const A = () => w.lanes['A-backend']!;
const entries = () =>
  JSON.parse(w.mustCli(A(), 'audit', '--json')).entries as Record<string, string>[];

describe('LANES_OVERRIDE', () => {
  it('a blank reason is no override', () => {
    for (const reason of ['', '   ', '\n\t']) {
      const r = commit(w, A(), ['web/blank.tsx'], { env: { LANES_OVERRIDE: reason } });
      expect(r.status).toBe(1);
      expect(r.stderr).toContain('refused by path-scope');
      w.must(A(), 'reset', '-q');
    }
    expect(entries()).toEqual([]);
  });

  it('records hostile reasons faithfully, one entry per override, and prints them quoted', () => {
    // Control characters are no reason: the audit store refuses them (route 9), so the override
    // is refused, saying why, and nothing is recorded.
    for (const [i, reason] of [
      'line one\nkind: promotion\nrule: forged',
      '\u001b[2K\u001b[1Ahidden',
      'bidi \u202e override',
    ].entries()) {
      const r = commit(w, A(), [`web/c${i}.tsx`], { env: { LANES_OVERRIDE: reason } });
      expect(r.status).toBe(1);
      expect(r.stderr).toContain('could not be recorded');
      expect(r.stderr).toContain('control characters');
      expect(r.stderr).not.toMatch(/[\u001b\u202e]/);
      w.must(A(), 'reset', '-q');
    }
    expect(entries()).toEqual([]);
    // A reason past a store file's limit (op.json, 64 KiB: route 12) is refused before it is
    // written, saying why: written, it would leave an audit log that no reader takes.
    const huge = commit(w, A(), ['web/huge.tsx'], { env: { LANES_OVERRIDE: 'x'.repeat(100_000) } });
    expect(huge.status).toBe(1);
    expect(huge.stderr).toContain('could not be recorded');
    expect(huge.stderr).toContain('more than a store file may (65536)');
    w.must(A(), 'reset', '-q');
    expect(entries()).toEqual([]);
    const reasons = [
      'say "yes" \\ no',
      JSON.stringify({ at: 'x', rule: 'forged' }),
      'x'.repeat(60_000),
    ];
    for (const [i, reason] of reasons.entries()) {
      const r = commit(w, A(), [`web/o${i}.tsx`], { env: { LANES_OVERRIDE: reason } });
      expect(r.status).toBe(0);
    }
    const got = entries();
    expect(got.map((e) => e.reason)).toEqual(reasons);
    expect(
      got.every((e) => e.kind === 'override' && e.rule === 'path-scope' && e.lane === 'A-backend'),
    ).toBe(true);
    const text = w.mustCli(A(), 'audit');
    expect(text.split('\n').filter((l) => l.includes('  override  '))).toHaveLength(reasons.length);
    expect(text).toContain('"say \\"yes\\" \\\\ no"');
    const log = w.must(A(), 'log', '--format=%s', 'refs/lanes/audit');
    expect(log.split('\n')).toHaveLength(reasons.length);
  });
});
