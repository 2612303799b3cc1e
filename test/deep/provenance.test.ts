// Provenance: a commit made in a lane carries Lane:, Task: (the active claim's task) and Agent:
// (when an agent session is known), added by prepare-commit-msg from the shell without touching
// the user's text; where the config requires them, pre-push and the hub refuse commits without.
// The whole sequence (issue 29): the trailers never replaced, the editor's forms, and status, merge
// and land showing them, on the commits the earlier tests made; test/provenance.test.ts holds the
// two cells of the coverage map (the first test and the pre-push and hub one) in the fast tier.
import { describe, expect, it } from 'vitest';
import { SLOW } from '../attacks/hub.js';
import { provenanceWorld, trailersAdded, trailersRequired } from '../helpers/provenance-world.js';
import { useInProcessCli } from '../helpers/in-process.js';

// The CLI steps run in this process (helpers/in-process.ts): the queue, sync, status, merge and
// land around the trailers; the hooks that write and judge them, and the hub's guard, stay real
// processes started by git.
useInProcessCli();

describe('provenance trailers', () => {
  const w = provenanceWorld();
  const { sb, A, C, task, quiet, message, commitIn } = w;

  it('are added to a lane commit, after the untouched text, without starting Node', SLOW, () =>
    trailersAdded(w),
  );

  it(
    'never replace a trailer the author wrote, name the agent from LANES_AGENT or CODEX_*, and come under --no-verify too',
    SLOW,
    () => {
      let r = commitIn('backend/b.ts', 'fix: b\n\nTask: T99', { LANES_AGENT: 'my-bot' });
      expect(r.status, r.stderr).toBe(0);
      expect(message()).toBe('fix: b\n\nTask: T99\nLane: A-backend\nAgent: my-bot');
      r = commitIn('backend/c.ts', 'fix: c', { CODEX_SANDBOX: 'seatbelt' }, '--no-verify');
      expect(r.status, r.stderr).toBe(0);
      expect(message()).toBe(`fix: c\n\nLane: A-backend\nTask: ${task}\nAgent: codex`);
      // No agent known: no Agent trailer. An amend keeps the message as it is.
      r = commitIn('backend/d.ts', 'fix: d');
      expect(message()).toBe(`fix: d\n\nLane: A-backend\nTask: ${task}`);
      sb.must(A, 'commit', '-q', '--amend', '--no-edit');
      expect(message()).toBe(`fix: d\n\nLane: A-backend\nTask: ${task}`);
    },
  );

  it(
    'come the same from the editor, a scissors cleanup, CRLF, and a commentChar that leaves them to git',
    SLOW,
    () => {
      const editor = { GIT_EDITOR: 'true' };
      // The editor's template: comments after the text (sh appends before them; cleanup strips them).
      let r = commitIn('backend/e1.ts', 'fix: e1\n\nRefs: #1', editor, '-e');
      expect(r.status, r.stderr).toBe(0);
      expect(message()).toBe(`fix: e1\n\nRefs: #1\nLane: A-backend\nTask: ${task}`);
      r = commitIn('backend/e2.ts', 'fix: e2', editor, '-e', '-v', '--cleanup=scissors');
      expect(r.status, r.stderr).toBe(0);
      expect(message()).toBe(`fix: e2\n\nLane: A-backend\nTask: ${task}`);
      r = commitIn('backend/e3.ts', 'fix: e3\r\n\r\nKey: v\r', {}, '--cleanup=verbatim');
      expect(r.status, r.stderr).toBe(0);
      expect(message()).toBe(`fix: e3\r\n\r\nKey: v\nLane: A-backend\nTask: ${task}`);
      // `git -c core.commentChar=auto`: sh leaves it to git interpret-trailers, same result.
      sb.write(A, 'backend/e4.ts');
      sb.must(A, 'add', '--', 'backend/e4.ts');
      r = sb.run(A, 'git', ['-c', 'core.commentChar=auto', 'commit', '-q', '-e', '-m', 'fix: e4'], {
        ...quiet,
        ...editor,
      });
      expect(r.status, r.stderr).toBe(0);
      expect(message()).toBe(`fix: e4\n\nLane: A-backend\nTask: ${task}`);
    },
  );

  it(
    'are required at pre-push and at the hub: a commit without them is refused by commit-trailers',
    SLOW,
    () => trailersRequired(w),
  );

  it('status, merge and land show them', SLOW, () => {
    const row = JSON.parse(sb.mustCli(C, 'status', '--json')).lanes.find(
      (l: any) => l.role === 'A-backend',
    );
    expect(row.provenance).toEqual({ lane: 'A-backend', task, agent: null });
    const land = sb.cli(C, 'land', '--dry-run', '--json');
    expect(land.status, land.stderr).toBe(0);
    expect(JSON.parse(land.stdout).landed[0].provenance).toMatchObject({
      lane: ['A-backend'],
      task: [task, 'T99'],
      agent: expect.arrayContaining(['my-bot', 'codex']),
      // api; b, c, d (the amend replaces d); e1 to e4 (the editor test, 7c77880, which left 4 here)
      commits: 8,
      without: 0,
    });
    const merge = sb.cli(C, 'merge', 'A-backend');
    expect(merge.status, merge.stderr).toBe(0);
    expect(merge.stdout).toContain(`merge: provenance: Lane: A-backend; Task: ${task}, T99`);
  });
});
