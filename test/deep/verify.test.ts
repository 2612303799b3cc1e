// lanes-hooks verify: the hub's decision where no pre-receive runs (a forge's CI, after the push).
// The differential: each push of the attack suite goes to a guarded twin of the hub (guard
// pre-receive refuses or accepts it) and to an unguarded hub (which accepts anything, as GitHub
// does); verify, run afterwards in a CI clone of the unguarded hub, must reach the same verdict
// with the same rule ids. Then the forges' own events (GitHub's payload file, GitLab's variables),
// the step summary and annotations, and the stores a forge cannot protect.
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PRE_RECEIVE } from '../helpers/bare-hub.js';
import { forge, hub, SLOW, tip } from '../attacks/hub.js';

const ZERO = '0'.repeat(40);

describe('verify judges a push as guard pre-receive does', () => {
  const sb = hub(
    (cfg) => {
      cfg.server.coordinators = ['coord'];
      cfg.roles['A-backend'].owners = ['alice'];
      cfg.roles['B-ui'].owners = ['bob'];
    },
    { hook: false, setup: true },
  );
  const C = sb.coordinator;
  // The claim A-backend pushes under, on the hub.
  sb.mustCli(
    C,
    'queue',
    'claim',
    '--role',
    'A-backend',
    '--owner',
    'alice',
    '--branch',
    'agent/A-backend',
  );
  sb.mustCli(C, 'sync');
  // The guarded twin: the same hub, with the guard.
  const twin = path.join(sb.root, 'twin.git');
  sb.must(sb.root, 'clone', '-q', '--mirror', sb.remote, twin);
  writeFileSync(path.join(twin, 'hooks', 'pre-receive'), PRE_RECEIVE);
  // Let a delete of integration reach the guard (git itself refuses deleting a bare hub's HEAD).
  for (const h of [sb.remote, twin]) sb.must(h, 'config', 'receive.denyDeleteCurrent', 'ignore');
  chmodSync(path.join(twin, 'hooks', 'pre-receive'), 0o755);
  // A pusher with no lanes-hooks, and the forge's CI clone.
  const work = path.join(sb.root, 'work');
  sb.must(sb.root, 'clone', '-q', sb.remote, work);
  sb.must(work, 'remote', 'add', 'twin', twin);
  const ci = path.join(sb.root, 'ci');
  sb.must(sb.root, 'clone', '-q', sb.remote, ci);

  const commitOn = (base: string, files: Record<string, string>) => {
    sb.must(work, 'fetch', '-q', 'origin');
    sb.must(work, 'checkout', '-q', '--detach', base);
    for (const [f, text] of Object.entries(files)) {
      sb.write(work, f, text);
      sb.must(work, 'add', '--', f);
    }
    sb.must(work, 'commit', '-q', '-m', `change ${Object.keys(files).join(' ')}`);
    return sb.must(work, 'rev-parse', 'HEAD');
  };
  const rulesIn = (text: string) =>
    [...new Set([...text.matchAll(/refused by ([a-z-]+)/g)].map((m) => m[1]!))].sort();

  /** The same push to both hubs; verify in the CI clone; the two verdicts. */
  function judge(pusher: string | null, refspec: string, ref: string) {
    const old = tip(sb, ref) || ZERO;
    const env = pusher ? { LANES_PUSHER: pusher } : {};
    const guarded = sb.run(work, 'git', ['push', '-q', '--no-verify', '-f', 'twin', refspec], env);
    const open = sb.run(work, 'git', ['push', '-q', '--no-verify', '-f', 'origin', refspec]);
    expect(open.status, open.stderr).toBe(0); // the forge takes anything
    const now = tip(sb, ref) || ZERO;
    const v = sb.run(
      ci,
      process.execPath,
      [sb.cliFile, 'verify', '--stdin', '--json', ...(pusher ? ['--pusher', pusher] : [])],
      {},
      `${old} ${now} ${ref}\n`,
    );
    const out = JSON.parse(v.stdout);
    // Keep the two hubs alike: what the guard refused is taken back on the open hub too.
    if (guarded.status !== 0) {
      if (old === ZERO) sb.must(sb.remote, 'update-ref', '-d', ref);
      else sb.must(sb.remote, 'update-ref', ref, old);
    }
    return {
      guard: {
        refused: guarded.status !== 0,
        rules: rulesIn(guarded.stderr),
        text: guarded.stderr,
      },
      verify: {
        refused: v.status !== 0,
        rules: [...new Set(out.violations.map((x: { rule: string }) => x.rule))].sort(),
        status: v.status,
        out,
      },
    };
  }

  const master = () => tip(sb, 'refs/heads/master');
  const cases: [string, () => { pusher: string | null; refspec: string; ref: string }, boolean][] =
    [
      [
        'a lane pushes in scope under its claim',
        () => ({
          pusher: 'alice',
          refspec: `${commitOn(master(), { 'backend/ok.ts': 'ok\n' })}:refs/heads/agent/A-backend`,
          ref: 'refs/heads/agent/A-backend',
        }),
        false,
      ],
      [
        'a lane pushes out of scope',
        () => ({
          pusher: 'alice',
          refspec: `${commitOn(master(), { 'web/evil.tsx': 'x\n' })}:refs/heads/agent/A-backend`,
          ref: 'refs/heads/agent/A-backend',
        }),
        true,
      ],
      [
        'a lane pushes with no claim',
        () => ({
          pusher: 'carol',
          refspec: `${commitOn(master(), { 'ops/x.sh': 'x\n' })}:refs/heads/agent/C-ops`,
          ref: 'refs/heads/agent/C-ops',
        }),
        true,
      ],
      [
        "someone pushes another lane's branch",
        () => ({
          pusher: 'mallory',
          refspec: `${commitOn(master(), { 'web/x.tsx': 'x\n' })}:refs/heads/agent/B-ui`,
          ref: 'refs/heads/agent/B-ui',
        }),
        true,
      ],
      [
        'a lane moves integration',
        () => ({
          pusher: 'alice',
          refspec: `${commitOn(master(), { 'backend/m.ts': 'x\n' })}:refs/heads/master`,
          ref: 'refs/heads/master',
        }),
        true,
      ],
      [
        'a push with no identity moves integration',
        () => ({
          pusher: null,
          refspec: `${commitOn(master(), { 'backend/n.ts': 'x\n' })}:refs/heads/master`,
          ref: 'refs/heads/master',
        }),
        true,
      ],
      [
        'the coordinator rewrites integration',
        () => ({
          pusher: 'coord',
          refspec: `${commitOn(`${master()}~1`, { 'README.md': 'rewritten\n' })}:refs/heads/master`,
          ref: 'refs/heads/master',
        }),
        true,
      ],
      [
        "the coordinator's own fast-forward of integration",
        () => ({
          pusher: 'coord',
          refspec: `${commitOn(master(), { 'README.md': 'more\n' })}:refs/heads/master`,
          ref: 'refs/heads/master',
        }),
        false,
      ],
      [
        'release moves to a commit not on integration',
        () => ({
          pusher: 'coord',
          refspec: `${commitOn(master(), { 'backend/r.ts': 'x\n' })}:refs/heads/release/platform-control`,
          ref: 'refs/heads/release/platform-control',
        }),
        true,
      ],
      [
        'the coordinator deletes integration',
        () => ({ pusher: 'coord', refspec: ':refs/heads/master', ref: 'refs/heads/master' }),
        true,
      ],
    ];

  for (const [name, make, refused] of cases)
    it(name, SLOW, () => {
      const { pusher, refspec, ref } = make();
      const r = judge(pusher, refspec, ref);
      expect(r.verify.refused, r.guard.text).toBe(r.guard.refused);
      expect(r.verify.rules).toEqual(r.guard.rules);
      // Each case's expected verdict holds (so the differential is not two equal mistakes).
      if (refused) expect(r.guard.refused, name).toBe(true);
      expect(r.verify.status).toBe(r.verify.refused ? 1 : 0);
    });

  it('a forged store entry on the open hub is refused by every later verify', SLOW, () => {
    // A delivery lane signs off its own SHA, pushed by hand where no guard runs.
    const lane = tip(sb, 'refs/heads/agent/A-backend');
    sb.git(work, 'fetch', '-q', 'origin', '+refs/lanes/reviews:refs/forge/reviews');
    const parent =
      sb.git(work, 'rev-parse', '-q', '--verify', 'refs/forge/reviews').stdout.trim() || null;
    const entry = {
      kind: 'signoff',
      reviewer: 'A-backend',
      target: 'A-backend',
      sha: lane,
      at: new Date().toISOString(),
      who: 'alice',
    };
    const forged = forge(sb, work, parent, {
      'op.json': JSON.stringify(entry),
    });
    sb.must(work, 'push', '-q', '--no-verify', 'origin', `${forged}:refs/lanes/reviews`);
    const v = sb.run(
      ci,
      process.execPath,
      [sb.cliFile, 'verify', '--stdin', '--json', '--pusher', 'alice'],
      {},
      `${lane} ${lane} refs/heads/agent/A-backend\n`,
    );
    expect(v.status).toBe(1);
    const out = JSON.parse(v.stdout);
    expect(
      out.violations.some(
        (x: { rule: string; object: string }) =>
          x.rule === 'store-integrity' && x.object.includes('refs/lanes/reviews'),
      ),
    ).toBe(true);
    // Taken back, verify is clean again.
    if (parent) sb.must(sb.remote, 'update-ref', 'refs/lanes/reviews', parent);
    else sb.must(sb.remote, 'update-ref', '-d', 'refs/lanes/reviews');
  });

  it(
    'a store rewritten since the last verified tip is refused (--record keeps the tip as a tag)',
    SLOW,
    () => {
      const lane = tip(sb, 'refs/heads/agent/A-backend');
      const line = `${lane} ${lane} refs/heads/agent/A-backend\n`;
      const rec = sb.run(
        ci,
        process.execPath,
        [sb.cliFile, 'verify', '--stdin', '--record', '--pusher', 'alice'],
        {},
        line,
      );
      expect(rec.status, rec.stderr + rec.stdout).toBe(0);
      const queue = tip(sb, 'refs/lanes/queue');
      expect(tip(sb, 'refs/tags/lanes-verified/queue')).toBe(queue);
      // Someone with push rights rewrites the queue: the same files as a new root (a well-formed
      // history on its own, but not the one verify saw).
      sb.must(work, 'fetch', '-q', 'origin', '+refs/lanes/queue:refs/forge/queue');
      const files = Object.fromEntries(
        sb
          .must(work, 'ls-tree', '--name-only', 'refs/forge/queue')
          .split('\n')
          .map((f) => [f, sb.git(work, 'show', `refs/forge/queue:${f}`).stdout]),
      );
      const rewritten = forge(sb, work, null, files);
      sb.must(work, 'push', '-q', '--no-verify', '-f', 'origin', `${rewritten}:refs/lanes/queue`);
      const v = sb.run(
        ci,
        process.execPath,
        [sb.cliFile, 'verify', '--stdin', '--pusher', 'alice'],
        {},
        line,
      );
      expect(v.status).toBe(1);
      expect(v.stderr).toContain('refused by store-integrity');
      expect(v.stderr).toContain('rewritten since verify last checked it');
      sb.must(sb.remote, 'update-ref', 'refs/lanes/queue', queue);
    },
  );

  it(
    "GitHub's push event: the payload file, the actor, the step summary and an annotation",
    SLOW,
    () => {
      const dir = mkdtempSync(path.join(sb.root, 'gh-'));
      const old = tip(sb, 'refs/heads/agent/A-backend');
      const bad = commitOn(master(), { 'web/evil2.tsx': 'x\n' });
      sb.must(
        work,
        'push',
        '-q',
        '--no-verify',
        '-f',
        'origin',
        `${bad}:refs/heads/agent/A-backend`,
      );
      writeFileSync(
        path.join(dir, 'event.json'),
        JSON.stringify({ ref: 'refs/heads/agent/A-backend', before: old, after: bad }),
      );
      writeFileSync(path.join(dir, 'summary.md'), '');
      const env = {
        GITHUB_ACTIONS: 'true',
        GITHUB_EVENT_NAME: 'push',
        GITHUB_EVENT_PATH: path.join(dir, 'event.json'),
        GITHUB_ACTOR: 'alice',
        GITHUB_STEP_SUMMARY: path.join(dir, 'summary.md'),
      };
      const v = sb.run(ci, process.execPath, [sb.cliFile, 'verify'], env);
      expect(v.status).toBe(1);
      expect(v.stdout).toMatch(
        /^::error title=lanes-hooks path-scope::.*web\/evil2\.tsx|^::error title=lanes-hooks path-scope::/m,
      );
      const summary = readFileSync(path.join(dir, 'summary.md'), 'utf8');
      expect(summary).toContain('### lanes-hooks verify: refused');
      expect(summary).toContain('| `path-scope` |');
      expect(summary).toContain('push by alice');
      sb.must(sb.remote, 'update-ref', 'refs/heads/agent/A-backend', old);
    },
  );

  it(
    'a pull request and a GitLab merge request are judged as the integration move they make',
    SLOW,
    () => {
      const dir = mkdtempSync(path.join(sb.root, 'pr-'));
      const base = master();
      const head = commitOn(base, { 'backend/pr.ts': 'x\n' });
      sb.must(work, 'push', '-q', '--no-verify', '-f', 'origin', `${head}:refs/heads/feature`);
      writeFileSync(
        path.join(dir, 'pr.json'),
        JSON.stringify({
          pull_request: { base: { ref: 'master', sha: base }, head: { ref: 'feature', sha: head } },
        }),
      );
      const gh = sb.run(ci, process.execPath, [sb.cliFile, 'verify', '--json'], {
        GITHUB_EVENT_NAME: 'pull_request_target',
        GITHUB_EVENT_PATH: path.join(dir, 'pr.json'),
        GITHUB_ACTOR: 'alice',
      });
      const out = JSON.parse(gh.stdout);
      expect(out.updates).toEqual([{ old: base, new: head, ref: 'refs/heads/master' }]);
      expect(gh.status).toBe(1); // alice is no coordinator: she cannot move integration
      expect(out.violations.map((x: { rule: string }) => x.rule)).toContain('integration-ff-only');
      const gl = sb.run(ci, process.execPath, [sb.cliFile, 'verify', '--json'], {
        GITHUB_EVENT_NAME: '',
        GITLAB_CI: 'true',
        CI_PIPELINE_SOURCE: 'merge_request_event',
        CI_MERGE_REQUEST_DIFF_BASE_SHA: base,
        CI_COMMIT_SHA: head,
        CI_MERGE_REQUEST_TARGET_BRANCH_NAME: 'master',
        GITLAB_USER_LOGIN: 'coord',
      });
      const glOut = JSON.parse(gl.stdout);
      expect(glOut.event).toEqual({ kind: 'pull_request', forge: 'gitlab', pusher: 'coord' });
      expect(gl.status, gl.stderr).toBe(0); // the coordinator's own fast-forward
    },
  );

  it('no event and no --stdin is a usage error, with the way out', () => {
    const v = sb.run(ci, process.execPath, [sb.cliFile, 'verify'], {
      GITHUB_EVENT_NAME: '',
      GITLAB_CI: '',
    });
    expect(v.status).toBe(2);
    expect(v.stderr).toContain('--stdin');
  });
});
