// One process per allowed write (issue 27): the real Claude Code binary (the pinned release) makes an
// in-scope Write in a lane after `setup --agent all`, under `strace -f`; the hook invocation that
// decides it starts exactly one program — the Node.js that runs agent-hook's light entry
// (agents/fast.ts: compiled facts, no git call) — and no other process: the shell Claude Code runs
// the command line with execs Node in its place, and Node starts no child.
// How it would regress: a hook command that is not one simple command (the shell then forks), a
// light entry that shells out (git, a second node), or an allowed write that falls through to the
// full CLI (which calls git). Each shows up here as a second program in the invocation.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Sandbox } from '../../src/demo/sandbox.js';
import { agentBins, claudeResults } from '../helpers/agent-bins.js';
import { readTrace, STRACE, type TracedProcess } from '../helpers/proc-count.js';
import { needs, STRACE_PKG } from '../helpers/system-deps.js';
import { timeout } from '../helpers/tier.js';
import { CLI, tmpDir } from '../helpers/world.js';

describe.runIf(needs('one process per allowed write', STRACE_PKG))(
  'one process per allowed write (real Claude Code, strace)',
  { timeout: timeout(180_000) },
  () => {
    const sb = new Sandbox(tmpDir(), CLI);
    const bins = agentBins(sb);
    sb.createCoordinator();
    sb.mustCli(sb.coordinator, 'setup', '--agent', 'all');
    const A = sb.lane('A-backend');
    afterAll(() => bins.close());

    it('the hook invocation of an in-scope Write runs one node and nothing else', async () => {
      if (!STRACE) throw new Error('needs strace: apt-get install -y strace');
      const trace = path.join(mkdtempSync(path.join(tmpdir(), 'lanes-agent-trace-')), 'trace');
      const target = path.join(A, 'backend', 'one-process.ts');
      const r = await bins.claude(
        A,
        [{ tool: 'Write', input: { file_path: target, content: 'export const one = 1;\n' } }],
        { tools: 'Write', strace: trace },
      );
      expect(r.status, r.stdout + r.stderr).toBe(0);
      expect(claudeResults(r)[0]).not.toContain('refused');
      expect(existsSync(target)).toBe(true);

      const procs = readTrace(trace);
      const ranHook = (p: TracedProcess) =>
        p.execs.some((e) => /agent-hook\.cjs/.test(e.argv) && /\bclaude\b/.test(e.argv));
      // Claude Code's own processes: the binary (or its wrapper) and its threads, which strace
      // lists as processes that run no program of their own.
      const isClaude = (p: TracedProcess | undefined): boolean =>
        !!p &&
        (p.execs.some((e) => /claude/.test(e.file) || /cli-wrapper/.test(e.argv)) ||
          (!p.execs.length && isClaude(procs.get(p.parent ?? -1))));
      // Each hook invocation: the process Claude Code started that leads to agent-hook.
      const rootOf = (p: TracedProcess): TracedProcess => {
        let cur = p;
        while (cur.parent !== null && !isClaude(procs.get(cur.parent)))
          cur = procs.get(cur.parent)!;
        return cur;
      };
      const subtree = (root: TracedProcess) => {
        const out = [root];
        for (let i = 0; i < out.length; i++)
          for (const p of procs.values()) if (p.parent === out[i]!.pid) out.push(p);
        return out;
      };
      const invocations = [...new Set([...procs.values()].filter(ranHook).map(rootOf))].sort(
        (a, b) => a.pid - b.pid,
      );
      // SessionStart, UserPromptSubmit, then the PreToolUse of the Write: the last one.
      expect(invocations.length).toBeGreaterThanOrEqual(2);
      const write = subtree(invocations.at(-1)!);
      const programs = write.filter((p) => p.execs.length);
      expect(
        programs.map((p) => p.execs.map((e) => path.basename(e.file))),
        'one process, which ends up running node',
      ).toHaveLength(1);
      const last = programs[0]!.execs.at(-1)!;
      expect(path.basename(last.file)).toBe('node');
      expect(last.argv).toContain('agent-hook.cjs');
      // For contrast, the session start runs the full CLI, which calls git.
      const start = subtree(invocations[0]!).flatMap((p) =>
        p.execs.map((e) => path.basename(e.file)),
      );
      expect(start).toContain('git');
      rmSync(target);
      rmSync(path.dirname(trace), { recursive: true, force: true });
    });
  },
);
