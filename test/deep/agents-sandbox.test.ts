// Claude Code's own OS sandbox for a lane (install --agent claude --sandbox: sandbox.enabled and
// filesystem.denyWrite, agents/claude-sandbox.ts), with the REAL binaries, the pinned release and
// the newest side by side: bubblewrap and socat on Linux (.ci/run installs them). A Bash write
// into another lane's worktree is refused by the sandbox itself, before any hook; a write inside
// the lane's scope goes through. The same settings serve both releases (2.1.328 also loads the
// main checkout's settings in a lane, which hold no sandbox key: the lane's own decide).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { timeout } from '../helpers/tier.js';
import { Sandbox } from '../../src/demo/sandbox.js';
import { agentBins, CLAUDE_VERSIONS, claudeResults } from '../helpers/agent-bins.js';
import { CLI, tmpDir } from '../helpers/world.js';

const sb = new Sandbox(tmpDir(), CLI);
const bins = agentBins(sb);
sb.createCoordinator();
// As a user sets it up: every worktree holds Claude Code's hooks, so 2.1.328 in the lane also
// runs the main checkout's entries (which carry no sandbox key).
sb.mustCli(sb.coordinator, 'setup', '--agent', 'claude');
const A = sb.lane('A-backend'); // paths: backend/**, services/**, contracts/**, workers/**
const B = sb.lane('B-ui');
afterAll(() => bins.close());

const RELEASES = Object.keys(CLAUDE_VERSIONS) as (keyof typeof CLAUDE_VERSIONS)[];

describe.each(RELEASES)('Claude Code %s (real binary) in its sandbox', (release) => {
  it(
    "refuses a Bash write into another lane's worktree at the OS level; allows one in scope",
    { timeout: timeout(180_000) },
    async () => {
      const r0 = sb.run(
        A,
        process.execPath,
        [CLI, 'install', '--agent', 'claude', '--sandbox'],
        bins.userEnv,
      );
      expect(r0.status, r0.stderr).toBe(0);
      expect(r0.stdout).toContain("Claude Code's sandbox is on");
      expect(r0.stdout).not.toContain('not sandboxed');
      const outside = path.join(B, 'web', `from-A-${release}.txt`);
      const inside = path.join(A, 'backend', `from-sandbox-${release}.txt`);
      const r = await bins.claude(
        A,
        [
          { tool: 'Bash', input: { command: `echo x > '${outside}'` } },
          { tool: 'Bash', input: { command: `echo y > '${inside}'` } },
        ],
        { release },
      );
      expect(r.status, r.stderr).toBe(0);
      const [denied, allowed] = claudeResults(r);
      expect(existsSync(outside), denied).toBe(false);
      // bubblewrap's read-only bind of the denied folder (both releases, recorded).
      expect(denied).toContain(`${outside}: Read-only file system`);
      expect(readFileSync(inside, 'utf8'), allowed).toBe('y\n');
    },
  );
});
