// Codex's own sandbox (`workspace-write`) on Linux, with the REAL binary: a shell command's write
// into another lane is refused by the OS, an in-scope one is allowed. It used to fail here with
// `bwrap: execvp codex-linux-sandbox: No such file or directory`: Codex puts its sandbox helper on
// PATH as a symlink under $CODEX_HOME/tmp/path2 and refuses to create it when CODEX_HOME lies
// under the system temp dir (openai/codex codex-rs/arg0/src/lib.rs,
// prepend_path_entry_for_codex_aliases: "Refusing to create helper binaries under temporary
// dir"); helpers/agent-bins.ts gives Codex a TMPDIR of the test's own, so a test's CODEX_HOME is
// not under it. A real machine's ~/.codex never is.
//
// workspace-write lets a command write the session's working directory, /tmp and $TMPDIR
// (developers.openai.com/codex/config-reference: sandbox_workspace_write.exclude_slash_tmp,
// exclude_tmpdir_env_var). This test's lanes live under /tmp, so both are excluded here: the lane
// is then the one writable root, as it is for lanes outside /tmp.
import { existsSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Sandbox } from '../../src/demo/sandbox.js';
import { agentBins, codexResults } from '../helpers/agent-bins.js';
import { needs } from '../helpers/system-deps.js';
import { CLI, tmpDir } from '../helpers/world.js';

const sb = new Sandbox(tmpDir(), CLI);
const bins = agentBins(sb);
sb.createCoordinator();
sb.mustCli(sb.coordinator, 'setup');
const A = sb.lane('A-backend');
const B = sb.lane('B-ui');
afterAll(() => bins.close());

describe('Codex 0.169.0 workspace-write sandbox (real binary)', { timeout: 240_000 }, () => {
  it("refuses a shell write into another lane's worktree and allows one in the lane", async () => {
    needs('bwrap');
    bins.setCodexTrust(
      '[sandbox_workspace_write]\nexclude_slash_tmp = true\nexclude_tmpdir_env_var = true\n',
    );
    const into = path.join(B, 'web', 'into-b.html');
    const r = await bins.codex(
      A,
      [
        {
          tool: 'exec_command',
          input: { cmd: `echo x > backend/in-sandbox.ts; echo y > '${into}'; echo done` },
        },
      ],
      { sandbox: 'workspace-write' },
    );
    const out = codexResults(r).join('\n');
    expect(out, r.stderr).toContain('done');
    expect(out).not.toContain('codex-linux-sandbox'); // the helper started
    expect(out).toContain(`${into}: Read-only file system`);
    expect(existsSync(into)).toBe(false);
    expect(existsSync(path.join(A, 'backend', 'in-sandbox.ts'))).toBe(true);
    rmSync(path.join(A, 'backend', 'in-sandbox.ts'));
    bins.setCodexTrust('');
  });

  it("install --agent codex --sandbox writes the lane as the writable root: with no -s flag, the lane's config decides (once trusted), and uninstall takes the file away", async () => {
    needs('bwrap');
    const r0 = sb.run(
      A,
      process.execPath,
      [CLI, 'install', '--agent', 'codex', '--sandbox'],
      bins.userEnv,
    );
    expect(r0.status, r0.stderr).toBe(0);
    expect(r0.stdout).toContain("codex: Codex's sandbox is on in .codex/config.toml");
    expect(r0.stdout).not.toContain('not sandboxed');
    const file = path.join(A, '.codex', 'config.toml');
    expect(readFileSync(file, 'utf8')).toContain(
      `sandbox_mode = "workspace-write"\n\n[sandbox_workspace_write]\nwritable_roots = [${JSON.stringify(realpathSync(A))}]`,
    );
    // Codex reads a project's config only when the project is trusted: doctor prints the lines.
    const report = JSON.parse(
      sb.run(A, process.execPath, [CLI, 'doctor', '--json'], bins.userEnv).stdout,
    ) as { worktrees: { problems: string[] }[] };
    const problem = report.worktrees[0]!.problems.find((p) => p.startsWith('codex:')) ?? '';
    const trust = problem
      .split('\n')
      .filter((l) => l.startsWith('      '))
      .map((l) => l.trim())
      .join('\n');
    bins.setCodexTrust(
      `${trust}\n\n[sandbox_workspace_write]\nexclude_slash_tmp = true\nexclude_tmpdir_env_var = true\n`,
    );
    const into = path.join(B, 'web', 'into-b-2.html');
    const r = await bins.codex(
      path.join(A, 'backend'),
      [
        {
          tool: 'exec_command',
          input: {
            cmd: `mkdir -p ../services && echo x > ../services/in-2.ts; echo y > '${into}'; echo done`,
          },
        },
      ],
      { sandbox: null },
    );
    const out = codexResults(r).join('\n');
    expect(out, r.stderr).toContain('done');
    expect(out).toContain(`${into}: Read-only file system`);
    expect(existsSync(into)).toBe(false);
    // Started in backend/: the lane's top is writable only as the configured writable root.
    expect(existsSync(path.join(A, 'services', 'in-2.ts'))).toBe(true);
    rmSync(path.join(A, 'services'), { recursive: true });
    bins.setCodexTrust('');
    expect(sb.run(A, process.execPath, [CLI, 'uninstall'], bins.userEnv).status).toBe(0);
    expect(existsSync(file)).toBe(false);
  });
});
