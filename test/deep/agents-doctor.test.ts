// doctor and status say, per lane and per agent, whether Gemini CLI's, Qwen Code's, OpenCode's,
// Copilot CLI's and Cursor's hooks will run there (src/agents/checks.ts,
// checkExtraAgents): the file each reads, their documented off switches, and folder trust where it
// is kept in a file. One sandbox, real git, a temporary HOME for the agents' user files.
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { folderTrusted } from '../../src/agents/checks.js';
import { CLI } from '../helpers/world.js';
import { coordinatorSandbox } from '../helpers/template.js';

const sb = coordinatorSandbox({ setup: true });
const B = sb.lane('B-ui');
const HOME = path.join(sb.root, 'home');
const env = {
  HOME,
  CLAUDE_CONFIG_DIR: path.join(HOME, '.claude'),
  CODEX_HOME: path.join(HOME, '.codex'),
  COPILOT_HOME: '',
  GEMINI_CLI_TRUSTED_FOLDERS_PATH: '',
};
for (const d of ['.claude', '.codex', '.gemini', '.qwen', '.copilot'])
  mkdirSync(path.join(HOME, d), { recursive: true });
const home = (...p: string[]) => path.join(HOME, ...p);
const cli = (cwd: string, ...args: string[]) => sb.run(cwd, process.execPath, [CLI, ...args], env);

interface Report {
  problems: string[];
  notes: string[];
  agents: { agent: string; runs: boolean }[];
}
const doctor = (cwd = B) => {
  const r = cli(cwd, 'doctor', '--json');
  return {
    code: r.status,
    report: (JSON.parse(r.stdout) as { worktrees: Report[] }).worktrees[0]!,
  };
};
const statusAgents = () => {
  const s = JSON.parse(cli(sb.coordinator, 'status', '--json').stdout) as {
    lanes: { role: string; agents?: { agent: string; runs: boolean; problem: string | null }[] }[];
  };
  return s.lanes.find((l) => l.role === 'B-ui')!.agents!;
};
const FIVE = ['gemini', 'qwen', 'opencode', 'copilot', 'cursor'];
const FIX = `install --agent`;

describe('doctor and status: the five newer agents, per lane', () => {
  it('install --agent all, trusted where the agents keep trust: every agent runs', () => {
    // Gemini CLI with folder trust on, the lane's parent trusted; Copilot CLI trusting the parent.
    writeFileSync(
      home('.gemini', 'settings.json'),
      JSON.stringify({ security: { folderTrust: { enabled: true } } }),
    );
    writeFileSync(
      home('.gemini', 'trustedFolders.json'),
      JSON.stringify({ [path.join(B, 'web')]: 'TRUST_PARENT' }),
    );
    writeFileSync(home('.copilot', 'config.json'), JSON.stringify({ trusted_folders: [sb.root] }));
    const inst = cli(B, 'install', '--agent', 'all');
    expect(inst.status, inst.stderr).toBe(0);
    // Codex's trust, as doctor prints it (test/agents-real.test.ts does the same).
    const codex = doctor().report.problems.find((p) => p.startsWith('codex:'))!;
    appendFileSync(
      path.join(env.CODEX_HOME, 'config.toml'),
      codex
        .split('\n')
        .filter((l) => l.startsWith('      '))
        .map((l) => l.trim())
        .join('\n') + '\n',
    );
    const { code, report } = doctor();
    expect(report.problems).toEqual([]);
    expect(code).toBe(0);
    for (const agent of [...FIVE, 'claude', 'codex'])
      expect(report.agents).toContainEqual({ agent, runs: true });
    // What lanes-hooks cannot check is said, not passed over.
    expect(report.notes.join('\n')).toMatch(/cursor: .*cannot be verified/);
    expect(statusAgents().filter((a) => FIVE.includes(a.agent))).toHaveLength(5);
    expect(statusAgents().every((a) => a.runs)).toBe(true);
  });

  it('a corrupt file, a removed hook, an off switch, a changed plugin, an untrusted folder: each named with its fix', () => {
    writeFileSync(path.join(B, '.github/hooks/lanes-hooks.json'), '{ "version": 1, "hooks": ');
    const cursorFile = path.join(B, '.cursor/hooks.json');
    const cursor = JSON.parse(readFileSync(cursorFile, 'utf8'));
    delete cursor.hooks.sessionStart; // one event of two: not enough
    writeFileSync(cursorFile, JSON.stringify(cursor, null, 2));
    const qwenFile = path.join(B, '.qwen/settings.json');
    writeFileSync(
      qwenFile,
      JSON.stringify({ disableAllHooks: true, ...JSON.parse(readFileSync(qwenFile, 'utf8')) }),
    );
    const plugin = path.join(B, '.opencode/plugins/lanes-hooks.js');
    writeFileSync(plugin, readFileSync(plugin, 'utf8').replace("--lane '", "--lane '/elsewhere"));
    writeFileSync(home('.gemini', 'trustedFolders.json'), JSON.stringify({ [B]: 'DO_NOT_TRUST' }));

    const { code, report } = doctor();
    expect(code).toBe(1);
    const said = (agent: string) => report.problems.filter((p) => p.startsWith(`${agent}: `));
    expect(said('copilot').join('\n')).toMatch(
      /lanes-hooks\.json is not a valid settings file.*fix its JSON, then run .*install --agent copilot/,
    );
    expect(said('cursor').join('\n')).toMatch(
      /hooks\.json does not hold the current lanes-hooks hooks .*every event.*install --agent cursor/,
    );
    expect(said('qwen').join('\n')).toContain(
      `${qwenFile} sets "disableAllHooks": true, so Qwen Code runs no hook at all: remove it`,
    );
    expect(said('opencode').join('\n')).toMatch(
      /lanes-hooks\.js is not the current lanes-hooks plugin.*install --agent opencode/,
    );
    expect(said('gemini').join('\n')).toMatch(
      /folderTrust.*marked DO_NOT_TRUST in .*trustedFolders\.json: Gemini CLI then ignores the project's settings, hooks included/,
    );
    for (const agent of ['copilot', 'cursor', 'qwen', 'opencode', 'gemini'])
      expect(report.agents).toContainEqual({ agent, runs: false });
    expect(report.agents).toContainEqual({ agent: 'claude', runs: true });
    const rows = statusAgents();
    for (const agent of ['copilot', 'cursor', 'qwen', 'opencode', 'gemini']) {
      const row = rows.find((a) => a.agent === agent)!;
      expect(row.runs).toBe(false);
      expect(row.problem).toBeTruthy();
    }

    // The fixes, as said: reinstall (after the JSON is fixed), take the switch out, trust.
    rmSync(path.join(B, '.github/hooks/lanes-hooks.json'));
    expect(cli(B, 'install', '--agent', 'all').status).toBe(0);
    const still = doctor().report;
    expect(still.agents).toContainEqual({ agent: 'qwen', runs: false }); // install keeps the user's key
    expect(still.agents).toContainEqual({ agent: 'gemini', runs: false });
    for (const agent of ['copilot', 'cursor', 'opencode'])
      expect(still.agents).toContainEqual({ agent, runs: true });
    const qwen = JSON.parse(readFileSync(qwenFile, 'utf8'));
    delete qwen.disableAllHooks;
    writeFileSync(qwenFile, JSON.stringify(qwen, null, 2) + '\n');
    writeFileSync(home('.gemini', 'trustedFolders.json'), JSON.stringify({ [B]: 'TRUST_FOLDER' }));
    const fixed = doctor();
    expect(fixed.report.problems).toEqual([]);
    expect(fixed.code).toBe(0);
  });

  it('user-level off switches: Gemini CLI hooksConfig, Qwen Code disableAllHooks; Copilot CLI without trust', () => {
    writeFileSync(
      home('.gemini', 'settings.json'),
      JSON.stringify({ hooksConfig: { disabled: ['lanes-hooks'] } }),
    );
    writeFileSync(home('.qwen', 'settings.json'), JSON.stringify({ disableAllHooks: true }));
    writeFileSync(home('.copilot', 'config.json'), JSON.stringify({ trusted_folders: [] }));
    const { code, report } = doctor();
    expect(code).toBe(1);
    const text = report.problems.join('\n');
    expect(text).toContain(
      `gemini: ${home('.gemini', 'settings.json')} lists lanes-hooks in "hooksConfig.disabled"`,
    );
    expect(text).toContain(`qwen: ${home('.qwen', 'settings.json')} sets "disableAllHooks": true`);
    expect(text).toMatch(/copilot: .* is not among the trusted_folders of .*config\.json/);
    writeFileSync(
      home('.gemini', 'settings.json'),
      JSON.stringify({ hooksConfig: { enabled: false } }),
    );
    expect(doctor().report.problems.join('\n')).toContain(
      '"hooksConfig": { "enabled": false }, so Gemini CLI runs no hook at all',
    );
    for (const f of ['.gemini/settings.json', '.qwen/settings.json']) rmSync(home(f));
    writeFileSync(home('.copilot', 'config.json'), JSON.stringify({ trusted_folders: [B] }));
    expect(doctor().code).toBe(0);
  });

  it('Copilot CLI: disableAllHooks (user or repository settings) and disabledHooks stop it; OpenCode: doctor names --pure, and OPENCODE_PURE in its environment stops it', () => {
    const userFile = home('.copilot', 'settings.json');
    const repoFile = path.join(B, '.github', 'copilot', 'settings.json');
    const said = () => doctor().report.problems.filter((p) => p.startsWith('copilot:'));
    const runs = (agent: string) => doctor().report.agents.find((a) => a.agent === agent)!.runs;
    expect(runs('copilot')).toBe(true);
    // The route a lane's session would take: switch every hook off in a settings file.
    writeFileSync(userFile, JSON.stringify({ disableAllHooks: true }));
    expect(said().join('\n')).toContain(`${userFile} sets "disableAllHooks": true`);
    expect(runs('copilot')).toBe(false);
    rmSync(userFile);
    mkdirSync(path.dirname(repoFile), { recursive: true });
    writeFileSync(repoFile, JSON.stringify({ disableAllHooks: true }));
    expect(said().join('\n')).toContain(`${repoFile} sets "disableAllHooks": true`);
    rmSync(path.dirname(repoFile), { recursive: true });
    // Or skip one hook: Copilot keys disabledHooks by a hash of the hook's content.
    writeFileSync(userFile, JSON.stringify({ disabledHooks: ['sha256:0123abcd'] }));
    expect(said().join('\n')).toMatch(
      /lists 1 hook in "disabledHooks" \(keys that hash a hook’s content: lanes-hooks cannot tell whether its own is one\).*empty that list/,
    );
    expect(runs('copilot')).toBe(false);
    writeFileSync(userFile, JSON.stringify({ disabledHooks: [] }));
    expect(runs('copilot')).toBe(true);
    rmSync(userFile);

    const notes = doctor().report.notes.join('\n');
    expect(notes).toMatch(
      /opencode: `opencode run --pure`, OPENCODE_PURE=1 .* load no project plugin/,
    );
    expect(runs('opencode')).toBe(true);
    const pure = JSON.parse(
      sb.run(B, process.execPath, [CLI, 'doctor', '--json'], { ...env, OPENCODE_PURE: '1' }).stdout,
    ).worktrees[0] as Report;
    expect(pure.agents).toContainEqual({ agent: 'opencode', runs: false });
    expect(pure.problems.join('\n')).toContain(
      'OPENCODE_PURE is set in this environment, so an OpenCode session started from it loads no lanes-hooks plugin: unset it',
    );
  });

  it("another lane, where these agents' files were never written, does not pass", () => {
    const A = sb.lane('A-backend');
    const { code, report } = doctor(A);
    expect(code).toBe(1);
    for (const agent of FIVE) expect(report.agents).toContainEqual({ agent, runs: false });
    expect(report.problems.join('\n')).toContain(
      `gemini: ${path.join(A, '.gemini/settings.json')} is missing`,
    );
    expect(report.problems.join('\n')).toContain(FIX);
  });
});

describe('folder trust as Gemini CLI and Qwen Code read trustedFolders.json', () => {
  it('the longest rule decides; TRUST_PARENT trusts the rule path’s parent; no rule is undefined', () => {
    const root = sb.root;
    const lane = path.join(root, 'lane');
    expect(folderTrusted({ [root]: 'TRUST_FOLDER' }, lane)).toBe(true);
    expect(folderTrusted({ [path.join(lane, 'x')]: 'TRUST_PARENT' }, lane)).toBe(true);
    expect(folderTrusted({ [root]: 'TRUST_FOLDER', [lane]: 'DO_NOT_TRUST' }, lane)).toBe(false);
    expect(folderTrusted({ [path.join(lane, 'sub')]: 'TRUST_FOLDER' }, lane)).toBeUndefined();
    expect(folderTrusted({ [`${lane}2`]: 'TRUST_FOLDER' }, lane)).toBeUndefined();
    expect(folderTrusted(null, lane)).toBeUndefined();
  });
});

// Last: uninstall undoes every agent install of the repository.
describe("install --agent claude --sandbox: Claude Code's own sandbox for the lane", () => {
  it('writes sandbox.enabled and filesystem.denyWrite exactly, merged; uninstall restores every byte', () => {
    const A = sb.lane('A-backend'); // paths: backend/**, services/**, contracts/**, workers/**
    const file = path.join(A, '.claude', 'settings.local.json');
    mkdirSync(path.dirname(file), { recursive: true });
    const before =
      '{"model":"opus",\n "sandbox": {"network": {"allowLocalBinding": true},\n  "filesystem": {"denyWrite": ["~/.ssh"]}}}';
    writeFileSync(file, before);
    const r = cli(A, 'install', '--agent', 'claude', '--sandbox');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain("Claude Code's sandbox is on in .claude/settings.local.json");
    // What it needs, said when it is not there (Linux: bubblewrap's bwrap and socat on PATH).
    const onPath = (b: string) =>
      (process.env.PATH ?? '').split(path.delimiter).some((d) => existsSync(path.join(d, b)));
    if (process.platform === 'linux' && !(onPath('bwrap') && onPath('socat')))
      expect(r.stdout).toMatch(/✖ claude: .*not found on PATH: .*needs bubblewrap and socat/);
    else expect(r.stdout).not.toContain('not found on PATH');
    const settings = JSON.parse(readFileSync(file, 'utf8'));
    expect(settings.model).toBe('opus');
    expect(Object.keys(settings.hooks)).toContain('PreToolUse');
    const real = (p: string) => realpathSync(p);
    const coordinator = real(sb.coordinator);
    const denied = settings.sandbox.filesystem.denyWrite as string[];
    expect(settings.sandbox).toEqual({
      network: { allowLocalBinding: true },
      enabled: true,
      filesystem: { denyWrite: ['~/.ssh', ...denied.slice(1)] },
    });
    // `//` + an absolute path: Claude Code's spelling of an absolute sandbox path.
    const other = ['B-ui', 'C-ops', 'D-arch', 'E-governance'].map((l) => `/${real(sb.lane(l))}`);
    // The root checkout holds the git directory the lane commits into: its entries, not itself.
    const rootEntries = readdirSync(coordinator)
      .filter((e) => e !== '.git')
      .map((e) => `/${path.join(coordinator, e)}`);
    const outOfScope = ['ops', 'web'].map((d) => `/${path.join(real(A), d)}`);
    expect([...denied.slice(1)].sort()).toEqual([...other, ...rootEntries, ...outOfScope].sort());
    expect(denied).not.toContain(`/${coordinator}`);
    expect(denied).not.toContain(`/${path.join(coordinator, '.git')}`);
    expect(denied).not.toContain(`/${path.join(real(A), 'backend')}`);
    expect(denied).not.toContain(`/${real(A)}`);
    // Again: nothing changes.
    const once = readFileSync(file, 'utf8');
    expect(cli(A, 'install', '--agent', 'claude', '--sandbox').status).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(once);

    expect(cli(A, 'uninstall').status).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(before);
    expect(existsSync(path.join(B, '.cursor/hooks.json'))).toBe(false);
  });

  // Codex's sandbox joined in 5f4400a (install --agent codex --sandbox writes the lane's
  // .codex/config.toml; test/deep/agents-codex-sandbox.test.ts); other agents are still refused.
  it('goes with --agent claude or codex only', () => {
    const r = cli(sb.lane('C-ops'), 'install', '--agent', 'gemini', '--sandbox');
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('--sandbox goes with --agent claude or codex (or all)');
  });
});
