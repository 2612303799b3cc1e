// Deep tier (real binaries; Copilot CLI's fast session is in test/agents-real.test.ts).
// The clients that run lanes-hooks' entries beyond the releases they were written for, against
// their REAL binaries (test/helpers/agent-bins.ts):
// - Claude Code 2.1.328 (devDependency alias claude-code-latest), which in a linked worktree runs
//   the hooks of the main checkout's `.claude/settings.local.json` too, so the coordinator's entry
//   (`--lane <coordinator>`) runs in every lane's session. Recorded from the two binaries with
//   logging hooks in every settings file: 2.1.197 started in a linked worktree runs the hooks of
//   that worktree's `.claude/settings.json` and `.claude/settings.local.json`; 2.1.328 runs those
//   and the main checkout's `.claude/settings.local.json` (not its settings.json). Both set
//   CLAUDE_PROJECT_DIR to the session's start directory for every hook, and 2.1.197 keeps it after
//   EnterWorktree while the payload's cwd follows the session.
// - Copilot CLI 1.0.102, which runs `.github/hooks/*.json` AND the `.claude/settings*.json` hooks
//   of the worktree it started in, the latter with a Claude-style payload of its own
//   (`tool_name: "Write"`, `tool_input: {path, file_text}`, no transcript_path, an ISO
//   `timestamp`), CLAUDE_PROJECT_DIR set, and Claude Code's JSON decision honoured.
// Every write below is decided by the session's lane, whichever entry runs it.
//
// Copilot CLI (slow: it unpacks itself into each fresh HOME), beyond its fast session:
// - Copilot CLI runs a repository's hooks under -p only in a trusted folder and skips them without
//   a word elsewhere: doctor's trust check (agents/checks.ts) is what tells the user.
// - After its `bash` tool, the Claude-style PostToolUse entry reports what the command left
//   outside the lane's scope, answered with Claude Code's `decision: "block"`.
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { timeout } from '../helpers/tier.js';
import { Sandbox } from '../../src/demo/sandbox.js';
import { agentBins, CLAUDE_VERSIONS, claudeResults, sentBack } from '../helpers/agent-bins.js';
import { CLI, tmpDir } from '../helpers/world.js';

const sb = new Sandbox(tmpDir(), CLI);
const bins = agentBins(sb);
sb.createCoordinator();
sb.mustCli(sb.coordinator, 'setup', '--agent', 'all');
const A = sb.lane('A-backend');
afterAll(() => bins.close());

const BRIEF = 'lanes-hooks: this worktree is the A-backend lane';
const count = (text: string, part: string) => text.split(part).length - 1;

describe(
  `Claude Code ${CLAUDE_VERSIONS.latest} (real binary, newest)`,
  { timeout: 120_000 },
  () => {
    it('in a lane after setup --agent all: in-scope writes pass, out-of-scope ones are refused as a decision, the brief comes once', async () => {
      const inScope = path.join(A, 'backend', 'latest.ts');
      const outside = path.join(A, 'web', 'latest.html');
      const r = await bins.claude(
        A,
        [
          { tool: 'Write', input: { file_path: inScope, content: 'x' } },
          { tool: 'Edit', input: { file_path: inScope, old_string: 'x', new_string: 'y' } },
          { tool: 'Write', input: { file_path: outside, content: 'x' } },
        ],
        { tools: 'Write,Edit,Bash', release: 'latest' },
      );
      expect(r.status).toBe(0);
      const [write, edit, refused] = claudeResults(r);
      expect(write).not.toContain('refused');
      expect(edit).not.toContain('refused');
      expect(existsSync(inScope)).toBe(true);
      // Judged for A-backend (its scope), not as a coordinator's write into another lane.
      expect(refused).toContain('refused by path-scope');
      expect(refused).not.toContain("another lane's worktree");
      // Claude Code's own wording for a hook's deny is "PreToolUse:Write hook error: <reason>"; the
      // reason follows at once, without the hook's command line (what an exit 2 shows instead).
      expect(refused).toMatch(/^"PreToolUse:Write hook error: lanes-hooks: refused by path-scope/);
      expect(refused).not.toContain('agent-hook');
      expect(existsSync(outside)).toBe(false);
      // The coordinator's entry, which this release runs too, leaves the brief to the lane's own.
      expect(count(sentBack(r), BRIEF)).toBe(1);
      rmSync(inScope);
    });

    it("the coordinator's own session is judged as the coordinator's: a write into a lane's worktree is refused", async () => {
      const target = path.join(A, 'backend', 'from-coordinator.ts');
      const r = await bins.claude(
        sb.coordinator,
        [{ tool: 'Write', input: { file_path: target, content: 'x' } }],
        { tools: 'Write', release: 'latest' },
      );
      expect(claudeResults(r)[0]).toContain("Write in another lane's worktree");
      expect(claudeResults(r)[0]).toContain('belongs to A-backend');
      expect(existsSync(target)).toBe(false);
    });
  },
);

describe('Copilot CLI (real binary, deep)', { timeout: timeout(180_000) }, () => {
  it('an untrusted folder: the hooks are skipped silently, and doctor names the trust', async () => {
    const outside = path.join(A, 'web', 'untrusted.html');
    const r = await bins.copilot(A, [
      { tool: 'create', input: { path: outside, file_text: 'x' } },
      { text: 'done' },
    ]);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(existsSync(outside)).toBe(true);
    expect(sentBack(r)).not.toContain('refused by path-scope');
    rmSync(outside);
    const doctor = sb.run(A, process.execPath, [CLI, 'doctor'], bins.userEnv);
    expect(doctor.stdout + doctor.stderr).toMatch(/copilot: .* is not among the trusted_folders/);
  });

  it('trusted: a bash command that leaves a file outside the scope is reported to the model', async () => {
    const r = await bins.copilot(
      A,
      [
        { tool: 'bash', input: { command: 'echo x > web/by-copilot.html', description: 'x' } },
        { text: 'done' },
      ],
      [sb.root],
    );
    expect(r.status, r.stdout + r.stderr).toBe(0);
    const back = sentBack(r);
    expect(back).toContain('refused by path-scope');
    expect(back).toContain('web/by-copilot.html');
    sb.must(A, 'clean', '-qf', '--', 'web/by-copilot.html');
  });
});
