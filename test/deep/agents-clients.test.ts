// Deep tier (real Copilot CLI binary, slow: it unpacks itself into each fresh HOME): what the fast
// case in test/agents-clients.test.ts leaves out.
// - Copilot CLI runs a repository's hooks under -p only in a trusted folder and skips them without
//   a word elsewhere: doctor's trust check (agents/checks.ts) is what tells the user.
// - After its `bash` tool, the Claude-style PostToolUse entry reports what the command left
//   outside the lane's scope, answered with Claude Code's `decision: "block"`.
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { timeout } from '../helpers/tier.js';
import { Sandbox } from '../../src/demo/sandbox.js';
import { agentBins, sentBack } from '../helpers/agent-bins.js';
import { CLI, tmpDir } from '../helpers/world.js';

const sb = new Sandbox(tmpDir(), CLI);
const bins = agentBins(sb);
sb.createCoordinator();
sb.mustCli(sb.coordinator, 'setup', '--agent', 'all');
const A = sb.lane('A-backend');
afterAll(() => bins.close());

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
