// Claude Code's own worktree and working-directory events with the REAL binaries, the pinned
// release and the newest side by side (issue 27: "use what the newer client adds where it closes
// a route").
//
// WorktreeCreate (agents/claude-worktree.ts): the route a lane that wants through would take is a
// sub-agent with `isolation: "worktree"` — Claude Code gives it a new worktree on a new branch,
// outside every lane's rules. After `setup --agent all` the lane's settings hold lanes-hooks'
// WorktreeCreate entry, which replaces Claude Code's `git worktree add` and refuses: no worktree
// and no branch are made, and the Agent tool's result tells the model why (rule, fix). The same
// in the coordinator's session (policy/agent-worktree.ts says why the coordinator too).
//
// CwdChanged: what it can do is pinned here, not assumed (docs/agents.md, "CwdChanged"): a probe
// hook that answers with every output shape a hook has (plain stdout, stderr with exit 2,
// systemMessage, additionalContext) shows none of it reaches the model, so lanes-hooks installs
// no CwdChanged entry; the client itself resets a cd out of the session's directories, and says so.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { timeout } from '../helpers/tier.js';
import { Sandbox } from '../../src/demo/sandbox.js';
import { agentBins, CLAUDE_VERSIONS, claudeResults } from '../helpers/agent-bins.js';
import { isolatedSubagent, json, MARK, type Msg } from '../helpers/claude-isolation.js';
import { CLI, tmpDir } from '../helpers/world.js';

const sb = new Sandbox(tmpDir(), CLI);
const bins = agentBins(sb);
sb.createCoordinator();
sb.mustCli(sb.coordinator, 'setup', '--agent', 'all');
const A = sb.lane('A-backend'); // paths: backend/**, services/**, contracts/**, workers/**
afterAll(() => bins.close());

/** The repository's worktrees and branches, as git lists them. */
const layout = () => ({
  worktrees: sb.git(sb.coordinator, 'worktree', 'list', '--porcelain').stdout,
  branches: sb.git(sb.coordinator, 'for-each-ref', '--format=%(refname)', 'refs/heads/').stdout,
});

describe.each(Object.keys(CLAUDE_VERSIONS) as (keyof typeof CLAUDE_VERSIONS)[])(
  'Claude Code %s (real binary): WorktreeCreate',
  (release) => {
    it(
      'a sub-agent with isolation: "worktree" in a lane gets no worktree, and the model is told why',
      { timeout: timeout(240_000) },
      async () => {
        const settings = readFileSync(path.join(A, '.claude', 'settings.local.json'), 'utf8');
        expect(JSON.parse(settings).hooks.WorktreeCreate).toHaveLength(1);
        const before = layout();
        const seen: { schema?: Record<string, unknown> } = {};
        const r = await bins.claude(A, isolatedSubagent(seen), {
          tools: 'Write,Edit,Bash,Agent,Task',
          release,
        });
        expect(r.status, r.stderr).toBe(0);
        // The client offers the isolation the route needs (else this test proves nothing).
        expect(json(seen.schema)).toContain('isolation');
        // No worktree, no branch, and the sub-agent never ran (nor wrote).
        expect(layout()).toEqual(before);
        expect(existsSync(path.join(A, 'backend', 'isolated.ts'))).toBe(false);
        expect(
          r.requests.some((q) => json((q.messages as Msg[])?.[0]?.content).includes(MARK)),
        ).toBe(false);
        // The model is told: the Agent tool's result names the rule, the lane and the fix.
        const result = claudeResults(r).join('\n');
        expect(result).toContain('WorktreeCreate');
        expect(result).toContain('refused by path-scope');
        expect(result).toContain('A-backend lane');
        expect(result).toContain('isolation');
        // Said once: with 2.1.328 the main checkout's entry runs too, and stays silent.
        expect(result.split('refused by path-scope').length - 1).toBe(1);
      },
    );
    it(
      '`claude --worktree` started in a lane makes no worktree and says why',
      { timeout: timeout(240_000) },
      async () => {
        const before = layout();
        const r = await bins.claude(A, [{ text: 'never asked' }], {
          extra: ['--worktree', `side-${release}`],
          release,
        });
        expect(r.status).not.toBe(0);
        expect(layout()).toEqual(before);
        const said = r.stdout + r.stderr;
        expect(said).toContain('WorktreeCreate hook failed');
        expect(said).toContain('refused by path-scope');
        expect(r.requests).toHaveLength(0);
      },
    );
  },
);

describe('Claude Code latest (real binary): WorktreeCreate in the coordinator', () => {
  it(
    "refuses the coordinator's isolated sub-agent too, naming setup as the way to a new lane",
    { timeout: timeout(240_000) },
    async () => {
      const before = layout();
      const r = await bins.claude(sb.coordinator, isolatedSubagent({}), {
        tools: 'Write,Edit,Bash,Agent,Task',
        release: 'latest',
      });
      expect(r.status, r.stderr).toBe(0);
      expect(layout()).toEqual(before);
      const result = claudeResults(r).join('\n');
      expect(result).toContain('refused by path-scope');
      expect(result).toContain('lane-unassigned');
      expect(result).toContain('setup');
    },
  );
});

describe('Claude Code pinned (real binary): the control, without the WorktreeCreate entry', () => {
  it(
    'the same sub-agent does get a new worktree on a new branch (the route is real)',
    { timeout: timeout(240_000) },
    async () => {
      const file = path.join(A, '.claude', 'settings.local.json');
      const text = readFileSync(file, 'utf8');
      const settings = JSON.parse(text) as { hooks: Record<string, unknown> };
      delete settings.hooks.WorktreeCreate;
      writeFileSync(file, JSON.stringify(settings, null, 2));
      try {
        const before = layout();
        const r = await bins.claude(A, isolatedSubagent({}), {
          tools: 'Write,Edit,Bash,Agent,Task',
        });
        expect(r.status, r.stderr).toBe(0);
        const after = layout();
        expect(after.worktrees).not.toEqual(before.worktrees);
        expect(after.branches).toMatch(/refs\/heads\/worktree-agent-/);
      } finally {
        writeFileSync(file, text);
      }
    },
  );
});

/**
 * A probe CwdChanged entry beside lanes-hooks' own: it records each payload and CLAUDE_ENV_FILE,
 * and answers in every shape a hook has, each with its own marker — plain stdout (exit 0),
 * stderr with exit 2, and JSON with systemMessage and hookSpecificOutput.additionalContext.
 */
function probeCwdChanged(top: string, log: string): () => void {
  const file = path.join(top, '.claude', 'settings.local.json');
  const text = readFileSync(file, 'utf8');
  const settings = JSON.parse(text) as { hooks: Record<string, unknown> };
  const rec = `{ cat; echo; echo "ENV_FILE=\${CLAUDE_ENV_FILE:-}"; } >> '${log}'`;
  const entry = (tail: string) => ({ type: 'command', command: `${rec}; ${tail}` });
  settings.hooks.CwdChanged = [
    {
      hooks: [
        entry('echo CWD-PROBE-STDOUT'),
        entry('echo CWD-PROBE-STDERR >&2; exit 2'),
        entry(
          `echo '${JSON.stringify({ systemMessage: 'CWD-PROBE-SYSTEM', hookSpecificOutput: { hookEventName: 'CwdChanged', additionalContext: 'CWD-PROBE-CONTEXT' } })}'`,
        ),
      ],
    },
  ];
  writeFileSync(file, JSON.stringify(settings, null, 2));
  return () => writeFileSync(file, text);
}

describe.each(Object.keys(CLAUDE_VERSIONS) as (keyof typeof CLAUDE_VERSIONS)[])(
  'Claude Code %s (real binary): CwdChanged',
  (release) => {
    it(
      'fires after a Bash cd, and nothing a hook answers reaches the model',
      { timeout: timeout(240_000) },
      async () => {
        const log = path.join(sb.root, `cwd-${release}.log`);
        const restore = probeCwdChanged(A, log);
        try {
          const r = await bins.claude(
            A,
            [
              { tool: 'Bash', input: { command: 'cd backend && pwd' } },
              { tool: 'Bash', input: { command: `cd '${sb.lane('B-ui')}' && pwd` } },
              { tool: 'Bash', input: { command: 'pwd' } },
            ],
            { release },
          );
          expect(r.status, r.stderr).toBe(0);
          const seen = existsSync(log) ? readFileSync(log, 'utf8') : '';
          // It fired, with the documented payload, for the cd into the lane's own folder and for
          // the cd into another lane's worktree; CLAUDE_ENV_FILE is set (its one other output).
          const payloads = seen
            .split('\n')
            .filter((l) => l.startsWith('{'))
            .map((l) => JSON.parse(l) as Record<string, string>);
          expect(payloads.map((p) => p.new_cwd)).toEqual(
            expect.arrayContaining([path.join(A, 'backend'), sb.lane('B-ui')]),
          );
          for (const p of payloads) {
            expect(p.hook_event_name).toBe('CwdChanged');
            expect(p).toHaveProperty('old_cwd');
          }
          expect(seen).toMatch(/ENV_FILE=\S+/);
          // Nothing any entry answered reached the model, in any shape.
          const sent = json(r.requests);
          for (const m of ['STDOUT', 'STDERR', 'SYSTEM', 'CONTEXT'])
            expect(sent).not.toContain(`CWD-PROBE-${m}`);
          // What the model is told is the client's own: a cd out of the session's directories is
          // undone after the command, and said.
          const [, other] = claudeResults(r);
          expect(other).toContain(`Shell cwd was reset to ${A}`);
        } finally {
          restore();
        }
      },
    );
  },
);
