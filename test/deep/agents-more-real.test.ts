// Deep tier: OpenCode (devDependency opencode-ai) and Qwen Code (@qwen-code/qwen-code, under the
// registry's Node 22) as real binaries, each driven offline by the loopback Chat Completions mock
// (test/helpers/model-mocks.ts, openaiMock) in a lane made by `setup --agent all`, as a new user
// would: in-scope writes pass, out-of-scope ones are refused by lanes-hooks (OpenCode: our plugin
// throws; Qwen Code: the PreToolUse hook exits 2) and the refusal is what the model reads, and the
// lane brief reaches the model (asserted on the requests the mock received).
// How a lane's session goes around it, and what says so:
// - OpenCode: `opencode run --pure` (or OPENCODE_PURE=1) loads no external plugin, so no check and
//   no brief; doctor names the flag (a process's flag, so it cannot be checked from a file).
// - Qwen Code: `"disableAllHooks": true` in a settings file (agents/off-switches.ts, doctor).
import { existsSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Sandbox } from '../../src/demo/sandbox.js';
import {
  agentBins,
  openaiResults,
  OPENCODE_VERSION,
  QWEN_VERSION,
  sentBack,
} from '../helpers/agent-bins.js';
import { CLI, tmpDir } from '../helpers/world.js';

const sb = new Sandbox(tmpDir(), CLI);
const bins = agentBins(sb);
sb.createCoordinator();
sb.mustCli(sb.coordinator, 'setup', '--agent', 'all');
const A = sb.lane('A-backend');
afterAll(() => bins.close());
const BRIEF = 'lanes-hooks: this worktree is the A-backend lane';
const doctor = () => {
  const r = sb.run(A, process.execPath, [CLI, 'doctor'], bins.userEnv);
  return r.stdout + r.stderr;
};

describe(`OpenCode ${OPENCODE_VERSION} (real binary)`, { timeout: 600_000 }, () => {
  it('after setup --agent all: an in-scope write passes, an out-of-scope one is refused by the plugin with the reason, the brief is in the system prompt', async () => {
    const inScope = path.join(A, 'backend', 'oc.ts');
    const outside = path.join(A, 'web', 'oc.html');
    const r = await bins.opencode(A, [
      { tool: 'write', input: { filePath: inScope, content: 'export const x = 1;\n' } },
      { tool: 'write', input: { filePath: outside, content: 'x' } },
    ]);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(existsSync(inScope)).toBe(true);
    expect(existsSync(outside)).toBe(false);
    const [ok, refused] = openaiResults(r);
    expect(ok).not.toContain('refused');
    expect(refused).toContain('refused by path-scope');
    expect(refused).toContain('web/oc.html');
    // The brief is in the system message of the requests the agent made with tools.
    const withTools = r.requests.filter((q) => Array.isArray(q.tools) && q.tools.length);
    expect(withTools.length).toBeGreaterThan(0);
    for (const q of withTools) {
      const system = (q.messages as { role: string; content: unknown }[]).filter(
        (m) => m.role === 'system',
      );
      expect(JSON.stringify(system)).toContain(BRIEF);
    }
    rmSync(inScope);
  });

  it('--pure loads no plugin: the out-of-scope write lands and no brief is sent; doctor says so', async () => {
    const outside = path.join(A, 'web', 'pure.html');
    const r = await bins.opencode(
      A,
      [{ tool: 'write', input: { filePath: outside, content: 'x' } }],
      {
        pure: true,
      },
    );
    expect(r.status, r.stdout + r.stderr).toBe(0);
    // What the real binary does with --pure: the lane's plugin is not loaded at all.
    expect(existsSync(outside)).toBe(true);
    expect(sentBack(r)).not.toContain(BRIEF);
    rmSync(outside);
    expect(doctor()).toMatch(/opencode: .*--pure.*OPENCODE_PURE/);
  });
});

describe(`Qwen Code ${QWEN_VERSION} (real binary, Node 22)`, { timeout: 300_000 }, () => {
  it('after setup --agent all: an in-scope write_file passes, an out-of-scope one is refused with the reason, the brief reaches the model', async () => {
    const inScope = path.join(A, 'backend', 'qw.ts');
    const outside = path.join(A, 'web', 'qw.html');
    const r = await bins.qwen(A, [
      { tool: 'write_file', input: { file_path: inScope, content: 'export const y = 1;\n' } },
      { tool: 'write_file', input: { file_path: outside, content: 'x' } },
    ]);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(existsSync(inScope)).toBe(true);
    expect(existsSync(outside)).toBe(false);
    const [ok, refused] = openaiResults(r);
    expect(ok).not.toContain('refused');
    expect(refused).toContain('refused by path-scope');
    expect(refused).toContain('web/qw.html');
    expect(sentBack(r)).toContain(BRIEF);
    rmSync(inScope);
  });

  it('"disableAllHooks": true in the user settings turns the hook off: the write lands, and doctor names the switch', async () => {
    const outside = path.join(A, 'web', 'qw-off.html');
    const dir = path.join(bins.HOME, '.qwen');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'settings.json'), JSON.stringify({ disableAllHooks: true }));
    try {
      expect(doctor()).toMatch(/qwen: .*"disableAllHooks": true/);
      const r = await bins.qwen(A, [
        { tool: 'write_file', input: { file_path: outside, content: 'x' } },
      ]);
      expect(r.status, r.stdout + r.stderr).toBe(0);
      expect(existsSync(outside)).toBe(true);
      expect(sentBack(r)).not.toContain(BRIEF);
    } finally {
      rmSync(path.join(dir, 'settings.json'));
      rmSync(outside, { force: true });
    }
  });
});
