// `review resolve` on a real sandbox (issue 30): who may resolve what. The dashboard's model and
// the resolve rules in process are test/dashboard-model.test.ts (the fast tier, issue 29).
import { describe, expect, it } from 'vitest';
import { Sandbox } from '../../src/demo/sandbox.js';
import { reviewSummary } from '../../src/dashboard/model.js';
import { readReviews } from '../../src/reviews/model.js';
import { CLI, tmpDir } from '../helpers/world.js';

describe('review resolve, on a real sandbox', () => {
  it('the reviewer who wrote a finding resolves it by number; nobody else, no sign-off', () => {
    const sb = new Sandbox(tmpDir('lanes-resolve-'), CLI);
    sb.createCoordinator();
    // Three lanes, made as a user would (cheaper than setup's five).
    const [A, D, E] = ['A-backend', 'D-arch', 'E-governance'].map((r) => sb.addLane(r)) as [
      string,
      string,
      string,
    ];
    sb.write(A, 'backend/x.ts', 'x\n');
    sb.must(A, 'add', '-A');
    sb.must(A, 'commit', '-q', '-m', 'x');
    sb.mustCli(
      A,
      'queue',
      'claim',
      '--role',
      'A-backend',
      '--owner',
      'a',
      '--branch',
      'agent/A-backend',
    );
    sb.must(A, 'push', '-q', 'origin', 'agent/A-backend');
    sb.mustCli(D, 'review', 'refresh', 'A-backend');
    sb.mustCli(D, 'review', 'finding', 'A-backend', 'rename the helper', '--severity', 'minor');
    sb.mustCli(D, 'review', 'signoff', 'A-backend');
    const open = () => reviewSummary(readReviews(sb.coordinator))[0]!;
    expect(open().open.map((f) => f.text)).toEqual(['rename the helper']);
    // Another review lane, a delivery lane, a number that is no finding: refused, nothing written.
    sb.mustCli(E, 'review', 'refresh', 'A-backend');
    const other = sb.cli(E, 'review', 'resolve', 'A-backend', '1');
    expect(other.status).toBe(2);
    expect(other.stderr).toContain(
      `finding 1 of A-backend is "D-arch"'s: only the reviewer who wrote it resolves it`,
    );
    const delivery = sb.cli(A, 'review', 'resolve', 'A-backend', '1');
    expect(delivery.status).toBe(2);
    expect(delivery.stderr).toContain('run it in a review lane');
    const none = sb.cli(D, 'review', 'resolve', 'A-backend', '2');
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('"2" is no finding of A-backend (its findings: 1)');
    expect(open().resolved).toEqual([]);
    // The reviewer resolves it; a second resolve says it was done.
    const ok = sb.cli(D, 'review', 'resolve', 'A-backend', '1');
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('D-arch resolved its finding');
    expect(open().open).toEqual([]);
    expect(open().resolved.map((f) => f.n)).toEqual([1]);
    const again = sb.cli(D, 'review', 'resolve', 'A-backend', '1');
    expect(again.status).toBe(2);
    expect(again.stderr).toContain('was resolved already');
  }, 400_000);
});
