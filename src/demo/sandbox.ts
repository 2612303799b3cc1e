// A throwaway world for the demo (and for anyone trying lanes-hooks): a bare remote, a coordinator
// clone and lane worktrees, with git isolated from the user's own configuration.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { defaultConfigFile } from '../config/schema.js';
import { envWithoutGitRepo } from '../git/exec.js';
import { runtimeFile } from '../hooks/install.js';
import { needsProcess, type InProcessCli } from './in-process.js';

export interface RunResult {
  status: number;
  stdout: string;
  stderr: string;
}

export class Sandbox {
  readonly env: NodeJS.ProcessEnv;
  readonly remote: string;
  readonly coordinator: string;
  /** Where set, cli() runs the commands that allow it in this process (demo/in-process.ts). */
  inProcess: InProcessCli | null = null;

  /** `cli` is the lanes-hooks bundle to run (tests pass dist/lanes-hooks.mjs). */
  constructor(
    readonly root: string,
    readonly cliFile: string = runtimeFile(),
  ) {
    mkdirSync(root, { recursive: true });
    const gitconfig = path.join(root, '.gitconfig');
    // No automatic maintenance: git starts `git maintenance run --auto` after every commit,
    // fetch, merge and rebase, and the hub `git gc --auto` after every push (receive.autogc),
    // a process each that only finds nothing to do in a sandbox this small (issue 29: a tenth of
    // the tour's git processes). What the hooks and commands see is unchanged.
    writeFileSync(
      gitconfig,
      '[user]\n\tname = Demo User\n\temail = demo@example.com\n[init]\n\tdefaultBranch = master\n[advice]\n\tdetachedHead = false\n[maintenance]\n\tauto = false\n[receive]\n\tautogc = false\n',
    );
    this.env = {
      ...envWithoutGitRepo(),
      GIT_CONFIG_GLOBAL: gitconfig,
      GIT_CONFIG_NOSYSTEM: '1',
      LANES_OVERRIDE: '',
    };
    this.remote = path.join(root, 'remote.git');
    this.coordinator = path.join(root, 'coordinator');
  }

  lane(role: string): string {
    return path.join(this.root, `gpuas-${role}`);
  }

  run(
    cwd: string,
    cmd: string,
    args: string[],
    env: NodeJS.ProcessEnv = {},
    input?: string,
  ): RunResult {
    const r = spawnSync(cmd, args, { cwd, env: { ...this.env, ...env }, encoding: 'utf8', input });
    return {
      status: r.status ?? 1,
      stdout: r.stdout ?? '',
      stderr: r.stderr ?? r.error?.message ?? '',
    };
  }

  git(cwd: string, ...args: string[]): RunResult {
    return this.run(cwd, 'git', args);
  }

  /** git that must succeed: setup steps, not the steps under test. */
  must(cwd: string, ...args: string[]): string {
    const r = this.git(cwd, ...args);
    if (r.status !== 0) throw new Error(`git ${args.join(' ')} failed in ${cwd}: ${r.stderr}`);
    return r.stdout.trim();
  }

  cli(cwd: string, ...args: string[]): RunResult {
    if (this.inProcess && !needsProcess(args)) return this.inProcess.run(cwd, args, this.env);
    return this.run(cwd, process.execPath, [this.cliFile, ...args]);
  }

  write(cwd: string, file: string, content = `${file}\n`): void {
    mkdirSync(path.dirname(path.join(cwd, file)), { recursive: true });
    writeFileSync(path.join(cwd, file), content);
  }

  /**
   * Bare remote, coordinator with a first commit on master (and release at the same SHA), hooks
   * installed. `config` edits the committed .lanesrc.json and `files` adds files to that first
   * commit: a world that needs another policy starts with it, instead of a second commit and push.
   */
  createCoordinator(
    opts: {
      install?: boolean;
      config?: (cfg: Record<string, unknown>) => object;
      files?: Record<string, string>;
    } = {},
  ): void {
    this.must(this.root, 'init', '-q', '--bare', this.remote);
    this.must(this.root, 'clone', '-q', this.remote, this.coordinator);
    const cfg = opts.config ? opts.config(defaultConfigFile()) : defaultConfigFile();
    this.write(this.coordinator, '.lanesrc.json', JSON.stringify(cfg, null, 2) + '\n');
    for (const f of ['README.md', 'backend/app.ts', 'web/index.html', 'ops/deploy.sh'])
      this.write(this.coordinator, f);
    for (const [f, text] of Object.entries(opts.files ?? {})) this.write(this.coordinator, f, text);
    this.must(this.coordinator, 'add', '-A');
    this.must(this.coordinator, 'commit', '-q', '-m', 'initial');
    this.must(
      this.coordinator,
      'push',
      '-q',
      'origin',
      'master',
      'master:release/platform-control',
    );
    if (opts.install !== false) this.mustCli(this.coordinator, 'install');
  }

  /** A lane as a user would make one before `setup` exists: branch, worktree, install --role. */
  addLane(role: string): string {
    const dir = this.lane(role);
    this.must(this.coordinator, 'worktree', 'add', '-q', '-b', `agent/${role}`, dir, 'master');
    this.mustCli(dir, 'install', '--role', role);
    return dir;
  }

  mustCli(cwd: string, ...args: string[]): string {
    const r = this.cli(cwd, ...args);
    if (r.status !== 0)
      throw new Error(`lanes-hooks ${args.join(' ')} failed in ${cwd}: ${r.stderr}${r.stdout}`);
    return r.stdout;
  }
}
