// Deep tier: the agent-hook cases beyond the coverage map's fast cells (test/agents.test.ts):
// Claude Code's decision shape, the light entry against the full CLI, more payloads, the brief on
// stdout, setup --agent and the user-level hook, the patch reader, the after-shell report's light
// entry and memory, refusals in status, and Codex's trust hashes. The world:
// test/helpers/agent-hook.ts.
import { existsSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { patchPaths } from '../../src/agents/payload.js';
import { codexHookTrust, readCodexConfig } from '../../src/agents/codex-trust.js';
import { afterShell, agentHookWorld, claudeTool, codexPatch } from '../helpers/agent-hook.js';
import { claudeTerms } from '../helpers/claude-terms.js';

const { sb, B, LIGHT, trace, hook, fullStarts } = agentHookWorld();

describe('refusals in status', () => {
  // First in this file: the stuck alarm must not have fired for B-ui before this test's distinct
  // refusals (the cases below refuse the same objects again and again).
  // The stuck alarm fires only for the same rule on the same object, again and again (h-land,
  // lifecycle/actions.ts refusalLoop): distinct refusals are counted but are an agent finding its
  // lane's edges, not a loop.
  it('records refusals without slowing allowed edits, and flags a lane refused again and again', () => {
    const statusOf = () => {
      const status = JSON.parse(sb.mustCli(sb.coordinator, 'status', '--json'));
      return { status, row: status.lanes.find((l: { role: string }) => l.role === 'B-ui') };
    };
    for (let i = 0; i < 5; i++)
      hook('claude', claudeTool(B, 'Write', { file_path: path.join(B, `backend/try-${i}.ts`) }));
    const distinct = statusOf();
    expect(distinct.row.refusals).toBeGreaterThanOrEqual(5);
    expect(distinct.status.actions.join('\n')).not.toMatch(/B-ui: the same refusal/);
    for (let i = 0; i < 4; i++)
      expect(
        hook('claude', claudeTool(B, 'Write', { file_path: path.join(B, 'backend/again.ts') }))
          .status,
      ).toBe(2);
    const looping = statusOf();
    expect(looping.row.refusals).toBeGreaterThanOrEqual(9);
    expect(looping.status.actions.join('\n')).toMatch(
      /B-ui: the same refusal \d+ times in 15 minutes \(path-scope on [^)]*backend\/again\.ts\b/,
    );
  });
});

describe('Claude Code: PreToolUse for Write, Edit, MultiEdit, NotebookEdit', () => {
  it('answers Claude Code in its documented decision shape: JSON on stdout, exit 0', () => {
    // PreToolUse: hookSpecificOutput.permissionDecision "deny" with the reason (exit 2 would show
    // as a failed hook in Claude Code 2.1.328, not as a decision).
    const file = path.join(B, 'backend', 'raw.ts');
    const payload = JSON.stringify(claudeTool(B, 'Write', { file_path: file, content: 'x' }));
    writeFileSync(path.join(sb.root, 'raw.json'), payload);
    const run = (p: string) =>
      sb.run(B, 'sh', [
        '-c',
        `${JSON.stringify(process.execPath)} ${JSON.stringify(LIGHT)} claude < ${JSON.stringify(p)}`,
      ]);
    const deny = run(path.join(sb.root, 'raw.json'));
    expect(deny.status).toBe(0);
    expect(deny.stderr).toBe('');
    const out = JSON.parse(deny.stdout);
    expect(Object.keys(out)).toEqual(['hookSpecificOutput']);
    expect(out.hookSpecificOutput.hookEventName).toBe('PreToolUse');
    expect(out.hookSpecificOutput.permissionDecision).toBe('deny');
    expect(out.hookSpecificOutput.permissionDecisionReason).toMatch(
      /^lanes-hooks: refused by path-scope/,
    );
    expect(existsSync(file)).toBe(false);
    // SessionStart: the brief as hookSpecificOutput.additionalContext, as plain text.
    writeFileSync(
      path.join(sb.root, 'start.json'),
      JSON.stringify({
        session_id: 's',
        transcript_path: '/dev/null',
        cwd: B,
        hook_event_name: 'SessionStart',
        source: 'startup',
      }),
    );
    const start = run(path.join(sb.root, 'start.json'));
    expect(start.status).toBe(0);
    const ctx = JSON.parse(start.stdout).hookSpecificOutput;
    expect(ctx.hookEventName).toBe('SessionStart');
    expect(ctx.additionalContext).toContain('lanes-hooks: this worktree is the B-ui lane');
    // A payload that is not JSON names no event: exit 2 blocks whatever it was.
    writeFileSync(path.join(sb.root, 'junk.json'), 'not json');
    const junk = run(path.join(sb.root, 'junk.json'));
    expect(junk.status).toBe(2);
    expect(junk.stderr).toContain('not JSON');
  });

  it('allows an in-scope Edit silently (exit 0, nothing printed)', () => {
    const r = hook(
      'claude',
      claudeTool(B, 'Edit', {
        file_path: path.join(B, 'web', 'index.html'),
        old_string: 'a',
        new_string: 'b',
        replace_all: false,
      }),
    );
    expect(r).toMatchObject({ status: 0, stdout: '', stderr: '' });
  });

  it('decides an in-scope edit in the light entry alone; a refusal goes to the full CLI; both agree', () => {
    writeFileSync(trace, '');
    const inScope = claudeTool(B, 'Edit', {
      file_path: path.join(B, 'web/a.tsx'),
      old_string: 'a',
      new_string: 'b',
    });
    const outOfScope = claudeTool(B, 'Edit', {
      file_path: path.join(B, 'ops/a.sh'),
      old_string: 'a',
      new_string: 'b',
    });
    expect(hook('claude', inScope).status).toBe(0);
    expect(fullStarts()).toEqual([]);
    expect(hook('claude', outOfScope).status).toBe(2);
    expect(fullStarts()).toEqual(['agent-hook claude']);
    for (const p of [inScope, outOfScope]) {
      const [light, full] = [hook('claude', p), hook('claude', p, B, true)];
      expect({ status: light.status, stderr: light.stderr }).toEqual({
        status: full.status,
        stderr: full.stderr,
      });
    }
    // The lane's own files change nothing: only the policy committed on integration counts.
    const own = path.join(B, '.lanesrc.json');
    const before = readFileSync(own, 'utf8');
    writeFileSync(own, before.replace('"web/**"', '"ops/**"'));
    expect(hook('claude', outOfScope).status).toBe(2);
    writeFileSync(own, before);
    // A committed change makes the compiled policy stale: the light entry then defers.
    const cfg = path.join(sb.coordinator, '.lanesrc.json');
    writeFileSync(cfg, before.replace('"web/**"', '"ops/**"'));
    sb.must(sb.coordinator, 'commit', '-qam', 'B-ui: ops only');
    expect(hook('claude', outOfScope).status).toBe(0);
    expect(hook('claude', inScope).status).toBe(2);
    sb.must(sb.coordinator, 'reset', '-q', '--hard', 'HEAD~1');
  });

  it('an allowed write loads no module beyond node:fs and node:path, and starts no process', () => {
    // Issue 27: one process per allowed write, near the cost of `node -e 0`. Node's own list of
    // the builtins it loaded (process.moduleLoadList), read when the hook exits: the allowed path
    // must not load git's child process, streams, crypto or the ES module loader's facades.
    const probe = path.join(sb.root, 'loaded.cjs');
    const out = path.join(sb.root, 'loaded.txt');
    writeFileSync(
      probe,
      `process.on('exit', () => require('fs').writeFileSync(${JSON.stringify(out)}, process.moduleLoadList.join('\\n')));`,
    );
    const payload = path.join(sb.root, 'allowed.json');
    const edit = (file: string) =>
      claudeTool(B, 'Edit', { file_path: path.join(B, file), old_string: 'a', new_string: 'b' });
    const run = (entry: string, file: string) => {
      writeFileSync(payload, JSON.stringify(edit(file)));
      const r = sb.run(B, 'sh', [
        '-c',
        `${JSON.stringify(process.execPath)} -r ${JSON.stringify(probe)} ${JSON.stringify(entry)} claude < ${JSON.stringify(payload)}`,
      ]);
      return { status: r.status, loaded: readFileSync(out, 'utf8').split('\n') };
    };
    const allowed = run(LIGHT, 'web/a.tsx');
    expect(allowed.status).toBe(0);
    for (const m of ['child_process', 'stream', 'crypto', 'os', 'net'])
      expect(allowed.loaded, m).not.toContain(`NativeModule ${m}`);
    // The probe sees what it must: a refusal loads the full CLI, and git's child process with it.
    const refused = run(LIGHT, 'ops/b.sh');
    expect(refused.loaded).toContain('NativeModule child_process');
    // Hook commands an older install wrote name agent-hook.mjs: it runs the same entry.
    const old = path.join(path.dirname(LIGHT), 'agent-hook.mjs');
    expect(run(old, 'web/a.tsx').status).toBe(0);
    writeFileSync(payload, JSON.stringify(edit('ops/b.sh')));
    const r = claudeTerms(
      sb.run(B, 'sh', [
        '-c',
        `${JSON.stringify(process.execPath)} ${JSON.stringify(old)} claude < ${JSON.stringify(payload)}`,
      ]),
    );
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('refused by path-scope');
  });

  it('checks MultiEdit and NotebookEdit by their own path keys', () => {
    expect(
      hook('claude', claudeTool(B, 'MultiEdit', { file_path: path.join(B, 'ops/x.sh'), edits: [] }))
        .status,
    ).toBe(2);
    expect(
      hook(
        'claude',
        claudeTool(B, 'NotebookEdit', {
          notebook_path: path.join(B, 'web/a.ipynb'),
          new_source: 'x',
          cell_id: 'c1',
          edit_mode: 'replace',
        }),
      ).status,
    ).toBe(0);
  });

  it('leaves tools that write no file alone', () => {
    expect(
      hook('claude', claudeTool(B, 'Read', { file_path: path.join(B, 'backend/app.ts') })).status,
    ).toBe(0);
    expect(hook('claude', claudeTool(B, 'Bash', { command: 'ls' })).status).toBe(0);
  });

  it('refuses an unreadable payload: not JSON, or a write tool without its path', () => {
    const junk = hook('claude', '{"hook_event_name": "PreToolUse", "tool_na');
    expect(junk.status).toBe(2);
    expect(junk.stderr).toContain('not JSON');
    const noPath = hook('claude', claudeTool(B, 'Write', { content: 'x' }));
    expect(noPath.status).toBe(2);
    expect(noPath.stderr).toContain('tool_input.file_path / path is missing');
  });

  it('refuses a write into another lane’s worktree, naming that lane', () => {
    const r = hook(
      'claude',
      claudeTool(B, 'Write', { file_path: path.join(sb.lane('A-backend'), 'web/x.tsx') }),
    );
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('belongs to A-backend');
  });
});

describe('Codex: PreToolUse for apply_patch', () => {
  const patch = (...ops: string[]) => ['*** Begin Patch', ...ops, '*** End Patch'].join('\n');

  it('reads every added, updated, deleted and moved file of a patch', () => {
    expect(
      patchPaths(
        patch(
          '*** Add File: web/new.tsx',
          '+x',
          '*** Update File: web/a.tsx',
          '*** Move to: web/b.tsx',
          '@@',
          '-a',
          '+b',
          '*** Delete File: web/old.tsx',
        ),
      ),
    ).toEqual(['web/new.tsx', 'web/a.tsx', 'web/b.tsx', 'web/old.tsx']);
  });

  it('allows an in-scope patch, and ignores other tools', () => {
    expect(hook('codex', codexPatch(B, patch('*** Add File: web/new.tsx', '+x'))).status).toBe(0);
    expect(
      hook('codex', { ...codexPatch(B, ''), tool_name: 'Bash', tool_input: { command: 'ls' } })
        .status,
    ).toBe(0);
  });

  it('refuses a patch it cannot read', () => {
    const r = hook('codex', codexPatch(B, 'not a patch'));
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('names no file');
  });
});

describe('session start and the brief', () => {
  it('prints the lane brief on stdout at session start, for both agents', () => {
    for (const agent of ['claude', 'codex'] as const) {
      const r = hook(agent, {
        session_id: 's',
        cwd: B,
        hook_event_name: 'SessionStart',
        source: 'startup',
      });
      expect(r.status).toBe(0);
      expect(r.stdout).toContain('this worktree is the B-ui lane (delivery)');
      expect(r.stdout).toContain('web/**, e2e/**');
      expect(r.stdout).toMatch(/bin\/lanes-hooks' queue claim --role B-ui/);
    }
  });

  it('prints commands that run in a fresh lane (no node_modules, no npx): the shim beside the hooks', () => {
    const brief = sb.mustCli(B, 'brief');
    const line = brief.split('\n').find((l) => l.includes("lanes-hooks' queue claim "))!;
    const shim = /^\s*('[^']+\/bin\/lanes-hooks')/.exec(line)![1]!;
    expect(existsSync(path.join(B, 'node_modules'))).toBe(false);
    // A PATH with neither lanes-hooks nor npx on it: the printed command alone must run.
    const r = sb.run(B, '/bin/sh', ['-c', `${shim} brief`], { PATH: '/usr/bin:/bin' });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('this worktree is the B-ui lane');
    // Refusals print it the same way.
    const refused = hook(
      'claude',
      claudeTool(B, 'Write', { file_path: path.join(B, 'backend/x.ts') }),
    );
    expect(refused.stderr).toContain(`${shim} brief`);
    expect(refused.stderr).not.toMatch(/(^|\s)lanes-hooks (brief|queue)/m);
  });
});

describe('install --agent and uninstall', () => {
  it('setup --agent covers every lane; a broken settings file is refused untouched', () => {
    sb.mustCli(sb.coordinator, 'setup', '--agent', 'claude');
    for (const role of ['A-backend', 'B-ui', 'C-ops', 'D-arch', 'E-governance'])
      expect(existsSync(path.join(sb.lane(role), '.claude', 'settings.local.json'))).toBe(true);
    const C = sb.lane('C-ops');
    const file = path.join(sb.coordinator, '.codex', 'hooks.json');
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, '{ not json');
    const r = sb.cli(C, 'install', '--agent', 'codex');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('is not valid JSON');
    expect(readFileSync(file, 'utf8')).toBe('{ not json');
    rmSync(path.dirname(file), { recursive: true });
  });

  it('the user-level hook is idle outside repositories governed by lanes-hooks', () => {
    const plain = path.join(sb.root, 'plain-repo');
    mkdirSync(plain, { recursive: true });
    sb.must(plain, 'init', '-q');
    const cmd = (
      JSON.parse(
        readFileSync(path.join(B, '.claude', 'settings.local.json'), 'utf8'),
      ).hooks.PreToolUse.at(-1).hooks[0].command as string
    ).replace(/ --lane .*$/, ' --user');
    for (const dir of [plain, sb.root]) {
      const payload = path.join(sb.root, 'u.json');
      writeFileSync(
        payload,
        JSON.stringify(claudeTool(dir, 'Write', { file_path: path.join(dir, 'x.ts') })),
      );
      const r = sb.run(dir, 'sh', ['-c', `${cmd} < ${payload}`], { CLAUDE_PROJECT_DIR: dir });
      expect(r.status).toBe(0);
      expect(r.stdout + r.stderr).toBe('');
    }
    // In a lane's subfolder (where Claude Code reads no project settings) it judges the write.
    const sub = path.join(B, 'web');
    const payload = path.join(sb.root, 'u.json');
    writeFileSync(
      payload,
      JSON.stringify(claudeTool(sub, 'Write', { file_path: path.join(B, 'backend', 'x.ts') })),
    );
    const r = claudeTerms(
      sb.run(sub, 'sh', ['-c', `${cmd} < ${payload}`], { CLAUDE_PROJECT_DIR: sub }),
    );
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('refused by path-scope');
  });
});

describe('after a shell command (PostToolUse on Bash / exec_command)', () => {
  // C-ops: a lane no earlier test has touched, so its worktree starts clean.
  const C = sb.lane('C-ops');
  const after = (tool: string) => afterShell(C, tool);

  it('says nothing when the worktree holds nothing outside the scope, decided by the light entry alone', () => {
    expect(sb.must(C, 'status', '--porcelain')).toBe('');
    // The light entry answers alone only from a state a full check found clean
    // (agents/shell-checked.ts): the lane's first check is the full one.
    expect(hook('codex', after('Bash'), C)).toMatchObject({ status: 0, stdout: '', stderr: '' });
    const starts = fullStarts().length;
    sb.write(C, 'ops/in-scope.sh');
    for (const [agent, tool] of [
      ['claude', 'Bash'],
      ['codex', 'Bash'],
      ['codex', 'exec_command'],
    ] as const) {
      const r = hook(agent, after(tool), C);
      expect(r.status).toBe(0);
      expect(r.stdout + r.stderr).toBe('');
    }
    expect(fullStarts().length).toBe(starts);
    sb.must(C, 'clean', '-qf', '--', 'ops/in-scope.sh');
  });
});

describe('after a shell command: only what that command changed', () => {
  const C = sb.lane('C-ops');
  const after = (tool: string) => afterShell(C, tool);

  it('names the agent’s own tool, and does not blame the next command for a file an earlier one left', () => {
    sb.write(C, 'backend/left.ts');
    const first = hook('codex', after('Bash'), C);
    expect(first.status).toBe(2);
    // Codex reports its exec_command to hooks as Bash: the report names the model's tool.
    expect(first.stderr).toContain('exec_command changed the worktree: 1 path outside the scope');
    expect(first.stderr).toContain('backend/left.ts');
    // The next command changed nothing outside the scope: nothing to say.
    sb.write(C, 'ops/next.sh');
    const second = hook('codex', after('Bash'), C);
    expect(second).toMatchObject({ status: 0, stderr: '' });
    // A command that writes the leftover again, and a new file: both are this command's.
    writeFileSync(path.join(C, 'backend', 'left.ts'), 'again, longer\n');
    sb.write(C, 'web/new.html');
    const third = hook('codex', after('exec_command'), C);
    expect(third.status).toBe(2);
    expect(third.stderr).toContain('2 paths outside the scope');
    expect(third.stderr).toContain('backend/left.ts');
    expect(third.stderr).toContain('web/new.html');
    // Put back and made again: reported again.
    sb.must(C, 'clean', '-qf', '--', 'backend/left.ts', 'web/new.html');
    expect(hook('codex', after('Bash'), C).status).toBe(0);
    sb.write(C, 'backend/left.ts');
    expect(hook('codex', after('Bash'), C).stderr).toContain('backend/left.ts');
    sb.must(C, 'clean', '-qf', '--', 'backend/left.ts', 'ops/next.sh');
  });

  it('a forged record of reported files silences the report, not the commit', () => {
    // The route: a shell command writes the record before it leaves the file, so the after-shell
    // report stays silent. The report is advice; git's pre-commit still refuses the change.
    sb.write(C, 'backend/forged.ts');
    const gitDir = sb.must(C, 'rev-parse', '--absolute-git-dir');
    const s = statSync(path.join(C, 'backend', 'forged.ts'));
    writeFileSync(
      path.join(gitDir, 'lanes-hooks.shell-seen.json'),
      JSON.stringify({ 'backend/forged.ts': `f:${s.size}:${s.ctimeMs}:${s.mtimeMs}` }),
    );
    expect(hook('codex', after('Bash'), C)).toMatchObject({ status: 0, stderr: '' });
    sb.must(C, 'add', 'backend/forged.ts');
    const commit = sb.run(C, 'git', ['commit', '-qm', 'C-ops: sneak']);
    expect(commit.status).not.toBe(0);
    expect(commit.stderr).toContain('refused by path-scope');
    sb.must(C, 'rm', '-qf', '--cached', 'backend/forged.ts');
    sb.must(C, 'clean', '-qf', '--', 'backend/forged.ts');
  });
});

describe("Codex's trust, computed as codex-rs does", () => {
  it('keys and hashes a hooks.json definition exactly (the value the 0.169.0 binary accepted)', () => {
    const file = '/tmp/cprobe/w1/coordinator/.codex/hooks.json';
    const command =
      "'/usr/bin/node' '/tmp/cprobe/w1/coordinator/.git/lanes-hooks/agent-hook.mjs' codex";
    const [t] = codexHookTrust(file, {
      PreToolUse: [{ matcher: 'apply_patch', hooks: [{ type: 'command', command }] }],
    });
    expect(t).toEqual({
      key: `${file}:pre_tool_use:0:0`,
      hash: 'sha256:f7d6fa609021383765cf8e17ae7729693f80375d888d1c58089ebae5a7758e30',
      event: 'PreToolUse',
      command,
    });
    // Any change to the definition is another hash: Codex treats the hook as untrusted again.
    const [t2] = codexHookTrust(file, {
      PreToolUse: [{ matcher: 'apply_patch', hooks: [{ type: 'command', command, timeout: 30 }] }],
    });
    expect(t2!.hash).not.toBe(t!.hash);
  });

  it('reads project trust, hook hashes and the hooks feature from config.toml as Codex writes it', () => {
    const c = readCodexConfig(
      [
        'model = "x"',
        '[projects."/work/repo"]',
        'trust_level = "trusted"',
        '[hooks.state."/work/repo/.codex/hooks.json:pre_tool_use:0:0"]',
        'trusted_hash = "sha256:ab"',
        '[features]',
        'hooks = false',
      ].join('\n'),
    );
    expect(c.projects.get('/work/repo')).toBe('trusted');
    expect(c.hookHashes.get('/work/repo/.codex/hooks.json:pre_tool_use:0:0')).toBe('sha256:ab');
    expect(c.hooksOff).toBe(true);
    expect(readCodexConfig('[features]\nhooks = true\n').hooksOff).toBe(false);
  });
});
