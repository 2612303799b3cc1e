// Route 1, the coordinator's half: whatever moved the shared integration branch in the git dir
// every lane shares, status advises pushing it only when merge or land made every unpushed commit
// (their `landing` entries in refs/lanes/audit). Anything else is named as unverified, with the
// author its commit claims, and never advised for a push.
import { describe, expect, it } from 'vitest';
import { landedByCoordinator, landingObject } from '../../../src/lifecycle/unverified.js';
import type { AuditEntry } from '../../../src/store/audit.js';
import { claim, commit } from '../../helpers/world.js';
import { hub, SLOW } from '../../attacks/hub.js';

const sha = (c: string) => c.repeat(40);
const landing = (from: string, to: string, lane = 'coordinator'): AuditEntry => ({
  at: '2026-12-06T00:00:00Z',
  who: 'x',
  lane,
  rule: 'integration-ff-only',
  object: landingObject('master', from, to, 'agent/A-backend'),
  reason: 'merge',
  kind: 'landing',
});

describe('landedByCoordinator', () => {
  it('follows the recorded fast-forwards from the remote tip to the local one, and only those', () => {
    const chain = [landing(sha('a'), sha('b')), landing(sha('b'), sha('c'))];
    expect(landedByCoordinator(chain, 'master', sha('a'), sha('c'))).toBe(true);
    expect(landedByCoordinator(chain, 'master', sha('a'), sha('a'))).toBe(true);
    // A gap: a commit on top of a landing that nothing recorded.
    expect(landedByCoordinator(chain, 'master', sha('a'), sha('d'))).toBe(false);
    // An entry a lane wrote (its own lane name) counts for nothing, nor does another branch's.
    expect(
      landedByCoordinator([landing(sha('a'), sha('b'), 'B-ui')], 'master', sha('a'), sha('b')),
    ).toBe(false);
    expect(landedByCoordinator(chain, 'main', sha('a'), sha('c'))).toBe(false);
    // A loop in forged entries ends.
    const loop = [landing(sha('b'), sha('c')), landing(sha('c'), sha('b'))];
    expect(landedByCoordinator(loop, 'master', sha('a'), sha('c'))).toBe(false);
  });
});

describe('status and integration commits merge/land did not make', () => {
  const sb = hub(undefined, { setup: true });
  const C = sb.coordinator;
  const A = sb.lane('A-backend');
  const actions = () =>
    (JSON.parse(sb.mustCli(C, 'status', '--json')) as { actions: string[] }).actions;

  it(
    'a commit on master that no merge or land made: named with its author, never advised for a push',
    SLOW,
    () => {
      const before = sb.must(C, 'rev-parse', 'master');
      sb.write(C, 'backend/slipped.ts');
      sb.must(C, 'add', 'backend/slipped.ts');
      sb.must(
        C,
        '-c',
        'user.name=Mallory \x1b[2J',
        '-c',
        'user.email=m@evil',
        'commit',
        '-qm',
        'slipped in',
      );
      try {
        const a = actions();
        const line = a.find((l) => l.includes('unverified'));
        expect(line).toContain('not made by merge or land');
        expect(line).toContain('"Mallory \\u001b[2J <m@evil>"');
        expect(line).toContain('"slipped in"');
        expect(a.join('\n')).not.toContain('git push origin master');
        expect(a.join('\n')).not.toMatch(/\x1b/);
      } finally {
        sb.must(C, 'reset', '-q', '--keep', before);
      }
    },
  );

  it('merge --no-push: its own move is advised for a push', SLOW, () => {
    claim(sb, C, 'A-backend', 'agent-a');
    sb.mustCli(C, 'sync'); // the hub judges the push by its own queue
    commit(sb, A, ['backend/feature.ts']);
    sb.must(A, 'push', '-q', 'origin', 'agent/A-backend');
    sb.mustCli(C, 'merge', 'A-backend', '--no-push');
    const a = actions();
    expect(a.join('\n')).toContain('push integration: git push origin master');
    expect(a.join('\n')).not.toContain('unverified');
    // One more commit on top of merge's: the whole range is unverified again.
    commit(sb, C, ['backend/on-top.ts']);
    expect(actions().join('\n')).toContain('unverified');
    expect(actions().join('\n')).not.toContain('git push origin master');
  });
});
