// The hub as it stood before a push, rebuilt from a CI clone (lanes-hooks verify). A forge runs CI
// after the push has landed, so its refs already hold the pushed values: verify fetches every ref
// the guard reads (branches, tags, notes, the refs/lanes/ store) into a scratch bare repository
// that borrows the clone's objects (objects/info/alternates, no copy), then puts each judged ref
// back at its old value. `guard pre-receive` run inside that repository sees what a hub's
// pre-receive hook would have seen, so the two cannot disagree by construction.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { envWithoutGitRepo, git, gitRun, isZeroSha } from './exec.js';

/** What a hub holds that the guard reads. Remote-tracking refs are never read on a hub. */
export const HUB_NAMESPACES = [
  'refs/heads/',
  'refs/tags/',
  'refs/notes/',
  'refs/lanes/',
  'refs/replace/',
];

/** Where the clone keeps what it fetched for the mirror: beside sync's copies, a namespace no hook governs (policy/rules.ts). */
const STAGING = 'refs/lanes-sync/verify/';

export interface HubMirror {
  dir: string;
  remove(): void;
}

/**
 * Fetch the remote's hub refs into the clone at `cwd` (under refs/lanes-sync/verify/, replaced each
 * time), then build the mirror from them. `noFetch`: use what a previous fetch left there.
 */
export function hubMirror(cwd: string, remote: string, noFetch = false): HubMirror {
  const gitDir = git(['rev-parse', '--path-format=absolute', '--git-common-dir'], { cwd });
  if (!noFetch) {
    const specs = HUB_NAMESPACES.map((ns) => `+${ns}*:${STAGING}${ns.slice('refs/'.length)}*`);
    const r = gitRun(['fetch', '--no-tags', '--prune', '--quiet', remote, ...specs], { cwd });
    if (!r.ok) throw new Error(`git fetch ${remote} failed: ${r.stderr.trim()}`);
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'lanes-verify-'));
  const env = envWithoutGitRepo();
  try {
    git(['init', '--quiet', '--bare', dir], { env });
    writeFileSync(
      path.join(dir, 'objects', 'info', 'alternates'),
      path.join(gitDir, 'objects') + '\n',
    );
    // A local fetch of the staged refs under their hub names: objects come through the alternates.
    const r = gitRun(
      [
        'fetch',
        '--no-tags',
        '--quiet',
        gitDir,
        ...HUB_NAMESPACES.map((ns) => `+${STAGING}${ns.slice(5)}*:${ns}*`),
      ],
      { cwd: dir, env },
    );
    if (!r.ok) throw new Error(`building the hub mirror failed: ${r.stderr.trim()}`);
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Put `ref` back at `old` in the mirror (delete it where the push created it). */
export function rewindRef(mirror: string, ref: string, old: string): void {
  const env = envWithoutGitRepo();
  if (isZeroSha(old)) gitRun(['update-ref', '-d', ref], { cwd: mirror, env });
  else git(['update-ref', ref, old], { cwd: mirror, env });
}

/** Point the mirror's HEAD at the integration branch (the guard reads the policy from HEAD's branch). */
export function pointHead(mirror: string, branch: string): void {
  git(['symbolic-ref', 'HEAD', `refs/heads/${branch}`], { cwd: mirror, env: envWithoutGitRepo() });
}
