// The conflict radar, rebase requests and status as a coordinator reads it (issue 20, points 1, 2
// and 7), with real git: linked worktrees, real commits on one shared file, merge-tree's verdicts.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Sandbox } from '../../src/demo/sandbox.js';
import { CLI, snapshot, tmpDir } from '../helpers/world.js';
import { fromTemplate } from '../helpers/template.js';

type Row = {
  role: string;
  head: string;
  ahead: number;
  behind: number;
  merge: string | null;
  conflicts: { integration: string[]; lanes: Record<string, string[]> };
};
type Status = {
  integration: { ref: string; name: string; head: string; unpushed: number; remote: boolean };
  lanes: Row[];
  actions: string[];
  radar: { mergeTrees: number; diffs: number; cached: number };
};

/** A coordinator whose committed config lets every delivery lane change `shared/**`, and `setup`. */
function sharedWorld(roles?: Record<string, unknown>): Sandbox {
  // A copy of a template (helpers/template.ts) keyed by the roles.
  return fromTemplate(`radar.test sharedWorld ${JSON.stringify(roles ?? null)}`, (sb) => {
    sb.createCoordinator();
    const file = path.join(sb.coordinator, '.lanesrc.json');
    const config = JSON.parse(readFileSync(file, 'utf8'));
    config.shared = ['shared/**'];
    if (roles) config.roles = roles;
    writeFileSync(file, JSON.stringify(config, null, 2) + '\n');
    sb.write(sb.coordinator, 'shared/common.txt', 'one\ntwo\nthree\n');
    sb.must(sb.coordinator, 'add', '-A');
    sb.must(sb.coordinator, 'commit', '-q', '-m', 'shared paths');
    sb.must(sb.coordinator, 'push', '-q', 'origin', 'master');
    sb.mustCli(sb.coordinator, 'setup');
  });
}

function edit(sb: Sandbox, dir: string, file: string, content: string, message = `edit ${file}`) {
  sb.write(dir, file, content);
  sb.must(dir, 'add', '--', file);
  sb.must(dir, 'commit', '-q', '-m', message);
}

const status = (sb: Sandbox, dir = sb.coordinator): Status =>
  JSON.parse(sb.mustCli(dir, 'status', '--json'));
/** The text with its wrapping undone: a path cut after a '/' joined, other lines by a space. */
const flat = (text: string) => text.replace(/\/\n +/g, '/').replace(/\n +/g, ' ');
const lane = (s: Status, role: string) => s.lanes.find((l) => l.role === role)!;
function prompt(
  sb: Sandbox,
  dir: string,
  event = 'UserPromptSubmit',
  entry = path.join(path.dirname(CLI), 'agent-hook.cjs'),
): { status: number; stdout: string; stderr: string } {
  // Through the light entry, as Claude Code's settings run it.
  const r = spawnSync(process.execPath, [entry, 'claude'], {
    cwd: dir,
    env: sb.env,
    encoding: 'utf8',
    input: JSON.stringify({
      session_id: 's',
      transcript_path: '/dev/null',
      cwd: dir,
      hook_event_name: event,
      prompt: 'carry on',
    }),
  });
  return { status: r.status ?? 1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

describe('the conflict radar', () => {
  const sb = sharedWorld({
    'A-backend': { kind: 'delivery', paths: ['backend/**'] },
    'B-ui': { kind: 'delivery', paths: ['web/**'] },
    'C-ops': { kind: 'delivery', paths: ['ops/**'] },
  });
  const [A, B, C] = ['A-backend', 'B-ui', 'C-ops'].map((r) => sb.lane(r)) as [
    string,
    string,
    string,
  ];

  it('names the lanes that would conflict and the path, with one merge-tree for the one overlapping pair', () => {
    edit(sb, A, 'shared/common.txt', 'one\nTWO from A\nthree\n');
    edit(sb, A, 'backend/a.ts', 'a\n');
    edit(sb, B, 'shared/common.txt', 'one\nTWO from B\nthree\n');
    edit(sb, C, 'ops/c.sh', 'c\n'); // ahead too, but shares no path with anyone
    const before = [A, B, C].map((d) => snapshot(sb, d));
    const s = status(sb);
    expect(lane(s, 'A-backend')).toMatchObject({
      ahead: 2,
      behind: 0,
      merge: 'fast-forward',
      conflicts: { integration: [], lanes: { 'B-ui': ['shared/common.txt'] } },
    });
    expect(lane(s, 'B-ui').conflicts).toEqual({
      integration: [],
      lanes: { 'A-backend': ['shared/common.txt'] },
    });
    expect(lane(s, 'C-ops')).toMatchObject({
      merge: 'fast-forward',
      conflicts: { integration: [], lanes: {} },
    });
    // A×B only: C-ops's paths meet nobody's, and no lane is behind.
    expect(s.radar).toMatchObject({ mergeTrees: 1, diffs: 3 });
    expect(s.actions.join('\n')).toContain(
      'A-backend and B-ui conflict on shared/common.txt → land one first',
    );
    // Nothing but objects: no worktree, index, ref or HEAD moved.
    expect([A, B, C].map((d) => snapshot(sb, d))).toEqual(before);
  });

  it('computes nothing the second time: every answer comes from the cache', () => {
    const s = status(sb);
    expect(s.radar).toEqual({ mergeTrees: 0, diffs: 0, cached: 4 });
    expect(lane(s, 'A-backend').conflicts.lanes).toEqual({ 'B-ui': ['shared/common.txt'] });
    expect(existsSync(path.join(sb.coordinator, '.git/lanes-hooks/radar-cache.json'))).toBe(true);
  });

  it('when integration moves: who is behind, who still merges cleanly, who conflicts and where', () => {
    edit(sb, sb.coordinator, 'shared/common.txt', 'one\nTWO from integration\nthree\n');
    sb.must(sb.coordinator, 'push', '-q', 'origin', 'master');
    const sha = sb.must(sb.coordinator, 'rev-parse', 'HEAD');
    const s = status(sb);
    expect(s.integration).toMatchObject({ name: 'origin/master', head: sha, unpushed: 0 });
    expect(lane(s, 'A-backend')).toMatchObject({
      ahead: 2,
      behind: 1,
      merge: 'conflict',
      conflicts: { integration: ['shared/common.txt'] },
    });
    expect(lane(s, 'C-ops')).toMatchObject({ ahead: 1, behind: 1, merge: 'clean' });
    // New: each lane's paths and integration's since their merge bases (one diff-tree); A and B
    // changed the file integration changed, so they are merged with it; C-ops changed none of
    // integration's paths and merges cleanly with no merge-tree. The A×B pair is still cached.
    expect(s.radar).toEqual({ mergeTrees: 2, diffs: 6, cached: 1 });
    expect(lane(s, 'C-ops').conflicts).toEqual({ integration: [], lanes: {} });
    const actions = s.actions.join('\n');
    expect(actions).toContain(
      `A-backend: 1 commit behind origin/master, conflicts → integration moved to ${sha.slice(0, 7)}: rebase onto it before you push (git fetch origin && git rebase origin/master); it will conflict on shared/common.txt (in ${A})`,
    );
    expect(actions).toContain(
      `C-ops: 1 commit behind origin/master → integration moved to ${sha.slice(0, 7)}: rebase onto it before you push (git fetch origin && git rebase origin/master) (in ${C})`,
    );
    expect(actions).not.toMatch(/\b1 commits\b/);
  });

  it('the brief of a lane behind says to rebase, with the command and the files that will conflict', () => {
    const sha = sb.must(sb.coordinator, 'rev-parse', 'HEAD');
    const text = sb.mustCli(A, 'brief');
    expect(text).toContain(
      `rebase: integration moved to ${sha.slice(0, 7)}: rebase onto it before you push (git fetch origin && git rebase origin/master); it will conflict on shared/common.txt`,
    );
    const json = JSON.parse(sb.mustCli(A, 'brief', '--json'));
    expect(json.rebase).toMatchObject({
      onto: 'origin/master',
      sha,
      behind: 1,
      ahead: 2,
      conflicts: ['shared/common.txt'],
    });
    expect(JSON.parse(sb.mustCli(C, 'brief', '--json')).rebase).toMatchObject({ conflicts: [] });
  });

  it('tells the agent at its next prompt, once per integration commit, and only lanes that are behind', () => {
    const sha = sb.must(sb.coordinator, 'rev-parse', 'HEAD');
    const first = prompt(sb, B);
    expect(first.status).toBe(0);
    expect(first.stdout).toContain(
      `lanes-hooks: integration moved to ${sha.slice(0, 7)} (origin/master, 1 new): rebase onto it before you push:\n  git fetch origin && git rebase origin/master\n  it will conflict on shared/common.txt`,
    );
    expect(prompt(sb, B).stdout).toBe('');
    // The session-start brief says it too, and counts as telling.
    const start = prompt(sb, A, 'SessionStart');
    expect(start.stdout).toContain('lanes-hooks: this worktree is the A-backend lane');
    expect(start.stdout).toContain(
      `rebase: integration moved to ${sha.slice(0, 7)}: rebase onto it before you push`,
    );
    expect(prompt(sb, A).stdout).toBe('');
    // After the lane rebases (and resolves), there is nothing to say.
    sb.must(C, 'rebase', '-q', 'origin/master');
    expect(prompt(sb, C)).toMatchObject({ status: 0, stdout: '' });
    expect(lane(status(sb), 'C-ops')).toMatchObject({ behind: 0, merge: 'fast-forward' });
  });

  it('the light entry says nothing new without loading the CLI; a new integration commit still reaches it', () => {
    // The light entry alone, with no CLI beside it: handing over to the CLI fails (exit 1).
    const alone = path.join(tmpDir(), 'agent-hook.cjs');
    copyFileSync(path.join(path.dirname(CLI), 'agent-hook.cjs'), alone);
    const light = (dir: string) => prompt(sb, dir, 'UserPromptSubmit', alone);
    prompt(sb, B); // through the full entry: the compiled facts are current again
    prompt(sb, sb.coordinator);
    expect(light(B)).toMatchObject({ status: 0, stdout: '' }); // told already, integration still there
    // The coordinator's worktree is never told.
    expect(light(sb.coordinator)).toMatchObject({ status: 0, stdout: '' });
    // Integration moves: the light entry cannot tell what to say and hands over.
    edit(sb, sb.coordinator, 'README.md', 'moved again\n');
    sb.must(sb.coordinator, 'push', '-q', 'origin', 'master');
    sb.must(B, 'fetch', '-q', 'origin');
    expect(light(B).status).not.toBe(0);
    const sha = sb.must(sb.coordinator, 'rev-parse', 'HEAD');
    expect(prompt(sb, B).stdout).toContain(`integration moved to ${sha.slice(0, 7)}`);
    expect(light(B)).toMatchObject({ status: 0, stdout: '' });
  });
});

describe('status as a coordinator reads it', () => {
  const long = 'platform-control-backend-services-and-contracts';
  const review = 'architecture-and-governance-review-board-lane';
  const sb = sharedWorld({
    [long]: { kind: 'delivery', paths: ['backend/**'] },
    'B-ui': { kind: 'delivery', paths: ['web/**'] },
    [review]: { kind: 'review' },
  });
  const L = sb.lane(long);

  it('fits an 80-column pane with long role names, and still says everything', () => {
    edit(sb, L, 'backend/one.ts', '1\n');
    sb.write(L, 'backend/dirty.ts', 'dirty\n');
    edit(sb, sb.coordinator, 'shared/common.txt', 'moved\n');
    sb.must(sb.coordinator, 'push', '-q', 'origin', 'master');
    const text = sb.mustCli(sb.coordinator, 'status');
    const over = text.split('\n').filter((l) => l.length > 80);
    expect(over).toEqual([]);
    const all = flat(text);
    const sha = sb.must(L, 'rev-parse', 'HEAD').slice(0, 7);
    expect(all).toContain(
      `${long} (delivery) agent/${long} ${sha}: 1 commit ahead of origin/master, 1 behind, 1 dirty file · no claim · merges cleanly · hooks ok · ${L}`,
    );
    expect(all).toContain(`${review} (review) agent/${review}`);
    expect(all).toContain(`→ ${long}: 1 commit behind origin/master integration moved to`);
    expect(all).toContain(`(git fetch origin && git rebase origin/master) (in ${L})`);
    expect(all).toContain('→ B-ui: behind origin/master with no commits of its own');
  });

  it('counts against local integration when the remote lags; a commit no merge or land made is not advised for a push', () => {
    edit(sb, L, 'backend/two.ts', '2\n');
    edit(sb, sb.coordinator, 'docs/a.md', 'a\n'); // merged locally, not pushed
    const s = status(sb);
    expect(s.integration).toMatchObject({ ref: 'refs/heads/master', name: 'master', unpushed: 1 });
    expect(lane(s, long)).toMatchObject({ ahead: 2, behind: 2, merge: 'clean' });
    expect(lane(s, 'B-ui')).toMatchObject({ ahead: 0, behind: 2 });
    const actions = s.actions.join('\n');
    expect(actions).toContain(
      'integration: master is 1 commit ahead of origin/master, not made by merge or land (unverified): ',
    );
    expect(actions).not.toContain('git push origin master');
    expect(actions).toContain(`${long}: 2 commits behind master → integration moved to`);
    // The lanes rebase onto what they can fetch: after the push.
    expect(actions).toContain(
      `${long}: 2 commits behind master → integration moved to ${s.integration.head.slice(0, 7)}: once master is pushed, rebase onto it before you push (git fetch origin && git rebase origin/master)`,
    );
    // Its brief counts against the remote copy until the push: 1 behind (the pushed move), not 2.
    expect(JSON.parse(sb.mustCli(L, 'brief', '--json')).rebase).toMatchObject({
      onto: 'origin/master',
      behind: 1,
    });
    // Lanes with nothing of their own are told together, in one line.
    expect(actions).toContain(
      'B-ui: behind master with no commits of its own → integration moved to',
    );
    const text = flat(sb.mustCli(sb.coordinator, 'status'));
    expect(text).toContain(
      'integration: master at ' +
        s.integration.head.slice(0, 7) +
        ' (master is 1 commit ahead of its remote copy)',
    );
    expect(text).toContain(
      `${long} (delivery) agent/${long} ${lane(s, long).head.slice(0, 7)}: 2 commits ahead of master, 2 behind, 1 dirty file`,
    );

    // No remote copy at all: the lanes are still counted, against the local branch.
    sb.must(sb.coordinator, 'update-ref', '-d', 'refs/remotes/origin/master');
    const bare = status(sb);
    expect(bare.integration).toMatchObject({ name: 'master', remote: false, unpushed: 0 });
    expect(lane(bare, long)).toMatchObject({ ahead: 2, behind: 2 });
    expect(lane(bare, 'B-ui')).toMatchObject({ ahead: 0, behind: 2 });
    expect(bare.actions.join('\n')).toContain(
      `${long}: 2 commits behind master → integration moved to ${bare.integration.head.slice(0, 7)}: rebase onto it before you push (git rebase master)`,
    );
    expect(flat(sb.mustCli(sb.coordinator, 'status'))).toContain(
      'no remote copy: lanes are counted against master',
    );
  });
});

describe('the conflict radar and a file/directory conflict', () => {
  it('sees a lane adding a file where another adds a folder of that name', () => {
    const sb = sharedWorld({
      'A-backend': { kind: 'delivery', paths: ['backend/**'] },
      'B-ui': { kind: 'delivery', paths: ['web/**'] },
    });
    const [A, B] = ['A-backend', 'B-ui'].map((r) => sb.lane(r)) as [string, string];
    // No path in common: merge-tree names the file it moves aside (shared/cfg~<side>).
    edit(sb, A, 'shared/cfg', 'a file\n');
    edit(sb, B, 'shared/cfg/theme.json', '{}\n');
    const s = status(sb);
    expect(lane(s, 'A-backend').conflicts.lanes).toEqual({ 'B-ui': ['shared/cfg'] });
    expect(lane(s, 'B-ui').conflicts.lanes).toEqual({ 'A-backend': ['shared/cfg'] });
    expect(s.radar.mergeTrees).toBe(1);
    expect(s.actions.join('\n')).toContain('A-backend and B-ui conflict on shared/cfg');
  });
});

describe('the conflict radar against integration, with the merge bases from status walk', () => {
  it('merges with integration only the lanes that changed a path integration changed (a file/folder collision counts)', () => {
    const sb = sharedWorld({
      'A-backend': { kind: 'delivery', paths: ['backend/**'] },
      'B-ui': { kind: 'delivery', paths: ['web/**'] },
      'C-ops': { kind: 'delivery', paths: ['ops/**'] },
    });
    const [A, B, C] = ['A-backend', 'B-ui', 'C-ops'].map((r) => sb.lane(r)) as [
      string,
      string,
      string,
    ];
    edit(sb, A, 'shared/cfg/theme.json', '{}\n'); // a folder where integration adds a file
    edit(sb, B, 'web/page.html', '<p>\n'); // nothing integration touched
    edit(sb, C, 'shared/common.txt', 'one\nTWO from C\nthree\n'); // the file integration edits
    edit(sb, sb.coordinator, 'shared/cfg', 'a file\n');
    edit(sb, sb.coordinator, 'shared/common.txt', 'one\nTWO from integration\nthree\n');
    sb.must(sb.coordinator, 'push', '-q', 'origin', 'master');
    const s = status(sb);
    expect(lane(s, 'A-backend')).toMatchObject({ behind: 2, merge: 'conflict' });
    // merge-tree names the file it moved aside (shared/cfg~<side>), or the folder's entry.
    expect(lane(s, 'A-backend').conflicts.integration.join(' ')).toMatch(/^shared\/cfg/);
    expect(lane(s, 'B-ui')).toMatchObject({
      behind: 2,
      merge: 'clean',
      conflicts: { integration: [], lanes: {} },
    });
    expect(lane(s, 'C-ops')).toMatchObject({
      merge: 'conflict',
      conflicts: { integration: ['shared/common.txt'] },
    });
    // A and C merged with integration; B-ui's disjoint paths need no merge (nor does any pair).
    expect(s.radar).toEqual({ mergeTrees: 2, diffs: 6, cached: 0 });
    // The same verdicts as merge-tree gives when asked for every lane (the old build's way).
    for (const [dir, clean] of [
      [A, false],
      [B, true],
      [C, false],
    ] as const) {
      const r = spawnSync(
        'git',
        ['merge-tree', '--write-tree', '--name-only', 'origin/master', 'HEAD'],
        { cwd: dir, env: sb.env, encoding: 'utf8' },
      );
      expect(r.status, dir).toBe(clean ? 0 : 1);
    }
  });
});
