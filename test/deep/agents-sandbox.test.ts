// Claude Code's own OS sandbox for a lane (install --agent claude --sandbox: sandbox.enabled and
// filesystem.denyWrite, agents/claude-sandbox.ts), with the REAL binary: bubblewrap and socat on
// Linux (.ci/run installs them). A Bash write into another lane's worktree is refused by the
// sandbox itself, before any hook; a write inside the lane's scope goes through.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { timeout } from '../helpers/tier.js';
import { Sandbox } from '../../src/demo/sandbox.js';
import { agentBins, claudeResults } from '../helpers/agent-bins.js';
import { CLI, tmpDir } from '../helpers/world.js';

const sb = new Sandbox(tmpDir(), CLI);
const bins = agentBins(sb);
sb.createCoordinator();
sb.mustCli(sb.coordinator, 'setup');
const A = sb.lane('A-backend'); // paths: backend/**, services/**, contracts/**, workers/**
const B = sb.lane('B-ui');
afterAll(() => bins.close());

describe('Claude Code 2.1.197 (real binary) in its sandbox', { timeout: timeout(180_000) }, () => {
  it("refuses a Bash write into another lane's worktree at the OS level; allows one in scope", async () => {
    const r0 = sb.run(
      A,
      process.execPath,
      [CLI, 'install', '--agent', 'claude', '--sandbox'],
      bins.userEnv,
    );
    expect(r0.status, r0.stderr).toBe(0);
    expect(r0.stdout).toContain("Claude Code's sandbox is on");
    expect(r0.stdout).not.toContain('not sandboxed');
    const outside = path.join(B, 'web', 'from-A.txt');
    const inside = path.join(A, 'backend', 'from-sandbox.txt');
    const r = await bins.claude(A, [
      { tool: 'Bash', input: { command: `echo x > '${outside}'` } },
      { tool: 'Bash', input: { command: `echo y > '${inside}'` } },
    ]);
    const [denied, allowed] = claudeResults(r);
    expect(existsSync(outside), denied).toBe(false);
    expect(denied).toMatch(/Read-only file system|Permission denied|Operation not permitted/);
    expect(readFileSync(inside, 'utf8'), allowed).toBe('y\n');
  });
});
