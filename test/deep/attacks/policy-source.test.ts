// Attacks on where the policy comes from: the hub, CI and every lane read the config committed on
// the integration branch (any format, whatever integration is called) or one the admin pins —
// never the pushed tree, a branch a pusher creates, or a lane's own files. No policy fails closed.
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bareHub, coordinated } from '../../helpers/bare-hub.js';
import { commit, world } from '../../helpers/world.js';

const ff = (h: ReturnType<typeof bareHub>, who: string | null, branch: string) => {
  h.commit({ [`notes/${Math.random().toString(36).slice(2)}.md`]: 'x' });
  return h.push(who, 'origin', `HEAD:${branch}`);
};

describe('route 4: a hub whose integration branch is main', () => {
  const h = bareHub('main');
  h.commit({ '.lanesrc.json': coordinated({ integration: 'main' }) }, 'policy');
  expect(h.push('coord', 'origin', 'main').status).toBe(0);
  h.guard();
  const good = h.tip('main');

  it('refuses a forced rewrite of main by a non-coordinator', () => {
    h.sb.must(h.work, 'commit', '-q', '--amend', '-m', 'rewritten');
    const r = h.push('mallory', '-f', 'origin', 'main');
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('refused by integration-ff-only');
    expect(r.stderr).toContain('only the coordinator (coord) moves main');
    expect(h.tip('main')).toBe(good);
    h.sb.must(h.work, 'reset', '-q', '--hard', good);
  });

  it('does not obey a master that a pusher creates with a permissive config of its own', () => {
    h.sb.must(h.work, 'switch', '-q', '-c', 'master');
    h.commit({ '.lanesrc.json': '{}\n' }, 'my own rules');
    h.push('mallory', 'origin', 'master'); // an ungoverned branch name here: whatever the result,
    // the guard still reads main's committed config.
    h.sb.must(h.work, 'switch', '-q', 'main');
    expect(ff(h, 'mallory', 'main').stderr).toContain('refused by integration-ff-only');
    expect(h.tip('main')).toBe(good);
    expect(ff(h, 'coord', 'main').status).toBe(0);
  });
});

describe('route 5: a config kept in .lanesrc.yaml', () => {
  it('is the hub’s policy like any other format', () => {
    const h = bareHub();
    h.commit({ '.lanesrc.yaml': 'server:\n  coordinators:\n    - coord\n' }, 'policy');
    h.push('coord', 'origin', 'master');
    h.guard();
    const r = ff(h, 'mallory', 'master');
    expect(r.stderr).toContain('refused by integration-ff-only');
    expect(ff(h, 'coord', 'master').status).toBe(0);
  });

  it('refuses two config sources in one tree, naming both', () => {
    const h = bareHub();
    h.commit(
      { '.lanesrc.yaml': 'integration: master\n', 'package.json': '{"lanes": {}}\n' },
      'two policies',
    );
    h.push('coord', 'origin', 'master');
    h.guard();
    const r = ff(h, 'coord', 'feature/x');
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('master:package.json#lanes and master:.lanesrc.yaml');
  });
});

describe('route 3: the config deleted or broken on integration fails closed until repaired', () => {
  const h = bareHub();
  h.commit({ '.lanesrc.json': coordinated() }, 'policy');
  h.push('coord', 'origin', 'master');
  h.guard();
  // A hub whose integration broke before this guard refused it (config-invalid): pushed with the
  // hook set aside, as an admin would have to.
  const unguarded = (...args: string[]) => {
    const hook = path.join(h.hub, 'hooks', 'pre-receive');
    rmSync(hook);
    try {
      return h.push('coord', ...args);
    } finally {
      h.guard();
    }
  };

  it('refuses every push while integration has no config, lets the coordinator repair it', () => {
    h.commit({ '.lanesrc.json': null }, 'config gone');
    const gone = h.push('coord', 'origin', 'master');
    expect(gone.stderr).toContain('refused by config-invalid');
    expect(gone.stderr).toContain('holds no lanes config any more');
    expect(unguarded('origin', 'master').status).toBe(0);
    const lane = h.push('coord', 'origin', 'HEAD:feature/x');
    expect(lane.status).not.toBe(0);
    expect(lane.stderr).toContain('policy on master is unreadable (it holds no lanes config)');
    expect(lane.stderr).toContain('a coordinator pushes the repaired config on master alone');
    // The repair is judged by the last good policy: only its coordinators may push it.
    h.commit({ '.lanesrc.json': '{}\n' }, 'permissive "repair"');
    expect(h.push('mallory', 'origin', 'master').stderr).toContain(
      'refused by integration-ff-only',
    );
    h.commit({ '.lanesrc.json': coordinated() }, 'repair');
    expect(h.push('coord', 'origin', 'master').status).toBe(0);
    expect(h.push('coord', 'origin', 'HEAD:feature/x').status).toBe(0);
  });

  it('does the same for a config that no longer parses; a repair is judged by its own new file', () => {
    h.commit({ '.lanesrc.json': '{ "server": { "coordinators": ["coord"] } ,, }\n' }, 'typo');
    const typo = h.push('coord', 'origin', 'master');
    expect(typo.stderr).toContain('refused by config-invalid');
    expect(typo.stderr).toContain(':.lanesrc.json:1:44: expected a "key"');
    expect(unguarded('origin', 'master').status).toBe(0);
    const r = h.push('coord', 'origin', 'HEAD:feature/y');
    expect(r.stderr).toContain('policy on master is unreadable');
    expect(h.tip('feature/y')).toBe('');
    // A "repair" still broken (elsewhere): refused with the NEW file's position, not the old one's.
    const partial = h.commit(
      { '.lanesrc.json': '{\n  "server": { "coordinators": ["coord"] }\n  "reviews": {}\n}\n' },
      'partial repair',
    );
    const p = h.push('coord', 'origin', 'master');
    expect(p.stderr).toContain('refused by config-invalid');
    const why = p.stderr.split('\n').find((l) => l.includes('why:'))!;
    expect(why).toContain(`${partial.slice(0, 12)}:.lanesrc.json:3:3: expected ',' or '}'`);
    expect(why).not.toContain('1:44');
    h.commit({ '.lanesrc.json': coordinated() }, 'repair');
    expect(h.push('mallory', 'origin', 'master').status).not.toBe(0);
    expect(h.push('coord', 'origin', 'master').status).toBe(0);
  });
});

describe('no readable policy at all', () => {
  it('refuses every push to a hub whose integration holds no config, and says how to bootstrap', () => {
    const h = bareHub();
    h.commit({ 'README.md': 'app' }, 'app');
    h.push(null, 'origin', 'master');
    h.guard();
    const r = ff(h, null, 'master');
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('bootstrap:');
    expect(r.stderr).toContain('git config lanes.config <file>');
  });

  it('takes the first push into an empty hub as its policy', () => {
    const h = bareHub();
    h.guard();
    h.commit({ '.lanesrc.json': coordinated() }, 'policy');
    // Judged by the policy it brings: it names coordinators, so the push must come from one.
    expect(h.push(null, 'origin', 'master').stderr).toContain('refused by integration-ff-only');
    expect(h.push('coord', 'origin', 'master').status).toBe(0);
    expect(ff(h, 'mallory', 'master').stderr).toContain('refused by integration-ff-only');
  });

  it('refuses a hub with refs but no integration branch (a pushed refs/remotes/origin/master is never read)', () => {
    const h = bareHub();
    h.commit({ '.lanesrc.json': '{}\n' }, 'permissive');
    h.push(null, 'origin', 'HEAD:refs/remotes/origin/master');
    h.guard();
    const r = h.push(null, 'origin', 'HEAD:feature/z');
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('no lanes policy on this hub');
  });
});

describe('a policy the admin pins', () => {
  it('reads the hub’s lanes.config file, not what integration says', () => {
    const h = bareHub();
    h.commit({ '.lanesrc.json': '{}\n' }, 'permissive');
    h.push(null, 'origin', 'master');
    const pinned = path.join(h.sb.root, 'policy.yaml');
    writeFileSync(pinned, 'server:\n  coordinators: [coord]\n');
    h.sb.must(h.hub, 'config', 'lanes.config', pinned);
    h.guard();
    expect(ff(h, 'mallory', 'master').stderr).toContain('refused by integration-ff-only');
    expect(ff(h, 'coord', 'master').status).toBe(0);
  });

  it('ignores a lanes.config or lanes.integration the pusher injects through the environment', () => {
    const h = bareHub();
    h.commit({ '.lanesrc.json': coordinated() }, 'policy');
    h.push('coord', 'origin', 'master');
    h.guard();
    const permissive = path.join(h.sb.root, 'mine.json');
    writeFileSync(permissive, '{}');
    h.commit({ 'x.md': 'x' });
    const r = h.sb.run(h.work, 'git', ['push', '-q', 'origin', 'master'], {
      LANES_PUSHER: 'mallory',
      GIT_CONFIG_COUNT: '2',
      GIT_CONFIG_KEY_0: 'lanes.config',
      GIT_CONFIG_VALUE_0: permissive,
      GIT_CONFIG_KEY_1: 'lanes.integration',
      GIT_CONFIG_VALUE_1: 'feature/mine',
    });
    expect(r.stderr).toContain('refused by integration-ff-only');
  });
});

describe('route 12: a lane follows the committed policy, not its own files', () => {
  const sb = world(['B-ui']);
  const B = sb.lanes['B-ui']!;
  const widened = JSON.parse(sb.must(sb.coordinator, 'show', 'HEAD:.lanesrc.json'));
  widened.roles['B-ui'].paths = ['**'];

  it('is not widened by an unstaged edit of .lanesrc.json', () => {
    sb.write(B, '.lanesrc.json', JSON.stringify(widened));
    const r = commit(sb, B, ['backend/api.ts']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('refused by path-scope');
    sb.must(B, 'reset', '-q');
    sb.must(B, 'checkout', '--', '.lanesrc.json');
  });

  it('is not widened by an untracked package.json with a "lanes" key', () => {
    sb.write(B, 'package.json', JSON.stringify({ lanes: widened }));
    const r = commit(sb, B, ['backend/api.ts']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('refused by path-scope');
    sb.must(B, 'reset', '-q');
  });

  it('is not moved by `git -c lanes.integration=…`', () => {
    const r = sb.run(B, 'git', [
      '-c',
      'lanes.integration=agent/B-ui',
      'commit',
      '-q',
      '--allow-empty',
      '-m',
      'x',
    ]);
    expect(r.status).toBe(0); // nothing staged: allowed, under master's policy
    sb.write(B, 'backend/api.ts');
    sb.must(B, 'add', 'backend/api.ts');
    const out = sb.run(B, 'git', ['-c', 'lanes.integration=agent/B-ui', 'commit', '-qm', 'y']);
    expect(out.stderr).toContain('refused by path-scope');
    sb.must(B, 'reset', '-q');
  });

  it('follows a narrowed policy as soon as the coordinator commits it, not before', () => {
    sb.write(B, 'web/page.tsx');
    sb.must(B, 'add', 'web/page.tsx');
    const narrowed = JSON.parse(sb.must(sb.coordinator, 'show', 'HEAD:.lanesrc.json'));
    narrowed.roles['B-ui'].paths = ['e2e/**'];
    sb.write(sb.coordinator, '.lanesrc.json', JSON.stringify(narrowed, null, 2));
    // Uncommitted in the coordinator: not in force, and doctor says so.
    expect(sb.git(B, 'commit', '-qm', 'page').status).toBe(0);
    sb.must(B, 'reset', '-q', '--soft', 'HEAD~1');
    expect(sb.cli(sb.coordinator, 'doctor').stdout).toContain('differs from the policy in force');
    sb.must(sb.coordinator, 'commit', '-qam', 'narrow B-ui');
    const r = sb.git(B, 'commit', '-qm', 'page');
    expect(r.stderr).toContain('refused by path-scope');
    sb.must(B, 'reset', '-q');
  });
});
