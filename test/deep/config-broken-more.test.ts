// Deep tier: config-invalid beyond its fast cells (test/config-broken.test.ts holds pre-commit,
// pre-push, the hub, verify and the merge route): a lane staging a broken config; doctor and status
// naming a broken committed config; a partial repair judged by its own new file (issue 29).
import { beforeAll, describe, expect, it } from 'vitest';
import { refusedBy, SLOW, tip } from '../attacks/hub.js';
import { BROKEN, brokenConfigWorld, PARTIAL } from '../helpers/broken-config.js';

describe('a config that does not load cannot reach integration', () => {
  const { sb, C, good, commitC, stage, head } = brokenConfigWorld();

  it(
    'a lane staging a broken config is refused by config-invalid as well',
    () => {
      const A = sb.addLane('A-backend');
      sb.write(A, '.lanesrc.json', BROKEN);
      sb.must(A, 'add', '.lanesrc.json');
      const r = sb.run(A, 'git', ['commit', '-q', '-m', 'widen my scope']);
      expect(refusedBy(r, 'config-invalid', 'local')).toBeNull();
      expect(r.stderr).toContain('.lanesrc.json:3:14: expected a "key"');
    },
    SLOW.timeout,
  );

  describe('with a broken config committed past the hooks (as the fast file’s --no-verify case leaves it)', () => {
    beforeAll(() => {
      stage(BROKEN);
      expect(commitC('broken, hooks skipped', ['--no-verify']).status).toBe(0);
    });

    it(
      'doctor (exit 1) and status name the broken committed config; the main checkout stays the coordinator',
      () => {
        const d = sb.cli(C, 'doctor');
        expect(d.status).toBe(1);
        expect(d.stdout).toContain(': coordinator (coordinator)');
        expect(d.stdout).not.toContain('unassigned');
        expect(d.stdout).toContain('config broken: master:.lanesrc.json:3:14: expected a "key"');
        const s = sb.cli(C, 'status', '--json');
        expect(s.status, s.stderr).toBe(0);
        const actions = (JSON.parse(s.stdout) as { actions: string[] }).actions;
        expect(actions[0]).toContain('config broken: master:.lanesrc.json:3:14: expected a "key"');
        expect(actions[0]).toContain(
          'git add .lanesrc.json && git commit && git push origin master',
        );
      },
      SLOW.timeout,
    );

    it(
      'a partial repair is refused with the NEW file’s error; the full repair commits and lands',
      () => {
        stage(PARTIAL);
        const r = commitC('partial repair');
        expect(refusedBy(r, 'config-invalid', 'local')).toBeNull();
        expect(r.stderr).toContain(".lanesrc.json:5:3: expected ',' or '}'");
        expect(r.stderr).not.toContain('3:14');
        stage(good);
        expect(commitC('repair').status).toBe(0);
        expect(sb.git(C, 'push', '-q', 'origin', 'master').status).toBe(0);
        expect(tip(sb, 'refs/heads/master')).toBe(head());
        expect(sb.cli(C, 'doctor').stdout).not.toContain('config broken');
      },
      SLOW.timeout,
    );
  });
});
