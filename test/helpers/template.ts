// Sandboxes copied from a template built once per test run: building a coordinator and its lanes
// costs dozens of git processes and one CLI process per install (seconds on a loaded machine);
// copying the finished tree costs none. The template is built by the very steps a test would run
// (Sandbox.createCoordinator, addLane: real git, the built CLI's install), so a copy is that state.
//
// Git and lanes-hooks record absolute paths (remote url, worktree gitdir files, the compiled
// policy caches, install.json): every file that names the template's root is rewritten to name
// the copy's root, so nothing in a copy points into the template or another copy
// (test/deep/template.test.ts checks that, and that a copy behaves like a world built from scratch).
//
// Templates live in LANES_TEST_TEMPLATES (a directory test/global-setup.ts makes for the run and
// removes after it), shared by every worker: the first worker that needs one builds it in a
// directory of its own and renames it into place; a worker that loses that race uses the
// winner's. Without the variable (a file run outside vitest's setup), each process keeps its own.
// LANES_TEST_NO_TEMPLATE=1 builds every sandbox from scratch instead.
//
// A template may be built on another (a Layer's `base`): a copy of the base, then only the steps
// past it. world(['A-backend', 'B-ui']) is world(['A-backend']) and one addLane, and both start
// from the bare coordinator coordinatorSandbox() copies: the run builds the coordinator once, not
// once per world (issue 29). The state is the same as the whole build's: the same steps, in the same
// order, on a tree the copy repointed (what a copy of the finished template is too).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { defaultConfigFile } from '../../src/config/schema.js';
import type { Sandbox } from '../../src/demo/sandbox.js';
import { TestSandbox } from './in-process.js';
import { CLI, HOOK_CLI, tmpDir } from './world.js';

export interface Template {
  /** The finished tree. */
  tree: string;
  /** The root it was built at: the path its files name. */
  root: string;
  /** Files (relative to the tree) that contain that path. */
  pathful: string[];
}

const local = new Map<string, Template>();
let localDir: string | undefined;

/** Every file under `dir` except git's object stores (content-addressed: never a path). */
function files(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const e of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const r = path.join(rel, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'objects') out.push(...files(dir, r));
    } else if (e.isFile()) out.push(r);
  }
  return out;
}

export const templatesOff = () => process.env.LANES_TEST_NO_TEMPLATE === '1';

function store(): string {
  const shared = process.env.LANES_TEST_TEMPLATES;
  if (shared && existsSync(shared)) return shared;
  return (localDir ??= tmpDir('lanes-tpls-'));
}

/**
 * A template's recipe: `build` runs on a fresh sandbox, or, with `base`, on a copy of the base's
 * template (then `build` holds only the steps past the base). `key` must name the whole state.
 */
export interface Layer {
  key: string;
  build: (sb: Sandbox) => void;
  base?: Layer;
}

/** Every step of `layer`, its bases' first: the build from scratch (templates off). */
export function buildAll(layer: Layer, sb: Sandbox): void {
  if (layer.base) buildAll(layer.base, sb);
  layer.build(sb);
}

/** The bare coordinator (createCoordinator, hooks installed): the base of the worlds. */
export const COORDINATOR: Layer = {
  key: 'coordinator install=true setup=false',
  build: (sb) => sb.createCoordinator({ install: true }),
};

/** The template for `key`, built on first use by `build` (on a copy of `base`'s, when given). */
export function template(key: string, build: (sb: Sandbox) => void, base?: Layer): Template {
  const cached = local.get(key);
  if (cached) return cached;
  // The bundles are part of the key: install copies both (the CLI, the hook entry) into the repository.
  const id = createHash('sha1')
    .update(key)
    .update(readFileSync(CLI))
    .update(readFileSync(HOOK_CLI))
    .digest('hex')
    .slice(0, 16);
  const dir = path.join(store(), id);
  const meta = path.join(dir, 'meta.json');
  if (!existsSync(meta)) {
    const work = tmpDir('lanes-tpl-');
    if (base) copyTemplate(template(base.key, base.build, base.base), path.join(work, 'tree'));
    const sb = new TestSandbox(path.join(work, 'tree'), CLI);
    build(sb);
    const needle = Buffer.from(sb.root);
    const all = files(sb.root);
    const pathful = all.filter((f) => readFileSync(path.join(sb.root, f)).includes(needle));
    // Objects cannot be rewritten (their ids are their content): none may name the root.
    for (const f of all.filter((f) => path.basename(f) === 'HEAD' && !f.includes('logs'))) {
      const gitDir = path.join(sb.root, path.dirname(f));
      if (!existsSync(path.join(gitDir, 'objects'))) continue;
      const r = spawnSync('git', ['cat-file', '--batch-all-objects', '--batch'], {
        cwd: gitDir,
        env: { ...sb.env, GIT_DIR: gitDir },
        maxBuffer: 1 << 28,
      });
      if (r.status !== 0 || r.stdout.includes(needle))
        throw new Error(
          `template ${key}: an object in ${gitDir} names ${sb.root} (or cat-file failed)`,
        );
    }
    writeFileSync(path.join(work, 'meta.json'), JSON.stringify({ key, root: sb.root, pathful }));
    try {
      mkdirSync(path.dirname(dir), { recursive: true });
      renameSync(work, dir);
    } catch (e) {
      // Another worker renamed its build into place first: use that one.
      if (!existsSync(meta)) throw e;
      rmSync(work, { recursive: true, force: true });
    }
  }
  const m = JSON.parse(readFileSync(meta, 'utf8')) as { root: string; pathful: string[] };
  const t = { tree: path.join(dir, 'tree'), root: m.root, pathful: m.pathful };
  local.set(key, t);
  return t;
}

/** Copy `t` to `root` (absent or an empty directory) and repoint every recorded path at `root`. */
export function copyTemplate(t: Template, root: string): void {
  cpSync(t.tree, root, { recursive: true, preserveTimestamps: true });
  // Byte for byte (latin1 maps each byte to one character): a binary file survives too.
  const [from, to] = [t.root, root].map((p) => Buffer.from(p).toString('latin1')) as [
    string,
    string,
  ];
  for (const f of t.pathful) {
    const file = path.join(root, f);
    writeFileSync(file, readFileSync(file, 'latin1').replaceAll(from, to), 'latin1');
  }
}

/**
 * A sandbox in state `key`: a copy of the template `build` made, or (templates off) a fresh
 * sandbox that `build` runs on. `key` must name everything `build` does.
 */
export function fromTemplate(
  key: string,
  build: (sb: Sandbox) => void,
  root: string = tmpDir(),
  base?: Layer,
): TestSandbox {
  if (templatesOff()) {
    const sb = new TestSandbox(root, CLI);
    buildAll({ key, build, base }, sb);
    return sb;
  }
  copyTemplate(template(key, build, base), root);
  return new TestSandbox(root, CLI);
}

/** fromTemplate of a Layer. */
export const fromLayer = (layer: Layer, root?: string): TestSandbox =>
  fromTemplate(layer.key, layer.build, root, layer.base);

/**
 * `new Sandbox(tmpDir(), CLI)` followed by `createCoordinator(opts)`: a bare remote and a
 * coordinator clone with the first commit (hooks installed unless `install: false`); with
 * `setup: true`, then `lanes-hooks setup` in the coordinator (every lane of the default config),
 * `--agent <agent>` added when `agent` is given (`setup --agent all`: every agent's hooks in every
 * lane, the world of the real-binary agent tests).
 */
export function coordinatorSandbox(
  opts: { install?: boolean; setup?: boolean; agent?: string } = {},
  root?: string,
): TestSandbox {
  const agent = opts.setup && opts.agent ? ['--agent', opts.agent] : [];
  const key = `coordinator install=${opts.install !== false} setup=${!!opts.setup}${agent.length ? ` agent=${opts.agent}` : ''}`;
  // With hooks and setup: setup on a copy of the bare coordinator (COORDINATOR, the same steps).
  const sb =
    opts.install !== false && opts.setup
      ? fromTemplate(key, (sb) => sb.mustCli(sb.coordinator, 'setup', ...agent), root, COORDINATOR)
      : fromTemplate(
          key,
          (sb) => {
            sb.createCoordinator({ install: opts.install });
            if (opts.setup) sb.mustCli(sb.coordinator, 'setup', ...agent);
          },
          root,
        );
  // In a copy every file has a new inode and ctime, so the index's stat data matches no file: the
  // agents' after-shell check (git status --no-optional-locks, which refreshes in memory and never
  // writes the index) would read and hash every tracked file again on every call.
  if (agent.length) refreshIndexes(sb);
  return sb;
}

/**
 * `git update-index --refresh` in every worktree of `sb`: a copied world's index holds the
 * template's inodes and change times, which no file of the copy has.
 */
export function refreshIndexes(sb: Sandbox): void {
  for (const line of sb.must(sb.coordinator, 'worktree', 'list', '--porcelain', '-z').split('\0'))
    if (line.startsWith('worktree ')) sb.must(line.slice(9), 'update-index', '-q', '--refresh');
}

/**
 * The committed config createCoordinator writes (the default), as the object a test edits:
 * `JSON.parse(git show HEAD:.lanesrc.json)` without the git process. A template keyed by the
 * edited object is keyed by everything the edit did.
 */
export function editedConfig(edit: (cfg: Record<string, any>) => void = () => {}) {
  const cfg = JSON.parse(JSON.stringify(defaultConfigFile(), null, 2) + '\n');
  edit(cfg);
  return cfg as Record<string, any>;
}

/** The committed config, read as the original builders read it: it must be the default. */
export function committedDefault(sb: Sandbox): void {
  const shown = sb.must(sb.coordinator, 'show', 'HEAD:.lanesrc.json');
  if (JSON.stringify(JSON.parse(shown)) !== JSON.stringify(editedConfig()))
    throw new Error('createCoordinator no longer commits the default config: update editedConfig');
}
