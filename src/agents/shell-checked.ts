// What the full after-shell check found clean last (agent-hook): HEAD's commit and the identity of
// every file git's hooks run from, and of the compiled policy (the shims' sh and the light entry's
// JSON twin, which the full check has just compared with compiling the policy again). The light
// entry (fast.ts) answers a shell command alone only while all of it is unchanged: a commit made
// since (with git's hooks skipped or not), a hook file touched or the compiled policy rewritten
// sends the check to the full CLI, which judges the commits, compares the hook files with what
// install writes and the compiled policy with what compiling it gives, and puts back what differs.
//
// Who could write the inputs of that skip: the record and the compiled policy are in the lane's
// git directory, which a shell command in the lane can write (same OS user; file tools are refused
// there, hook-integrity). A command that rewrites the compiled policy alone is caught by the very
// next check (the identity changed). One that rewrites the record too, with the new identities,
// makes a pair no file can tell from a true one (ctime cannot be set back, but the forger writes
// in the right order): the light entry then skips the check. What still holds then: git's
// pre-commit decides from the sh twin (a forged JSON alone widens nothing there), the next full
// check (a commit, a hook file touched, a refusal, a new session) puts the files back and tells
// the model, and the hub judges every push (docs/agents.md, "What does not hold yet").
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { COMPILED_FILE, COMPILED_JSON } from './compiled.js';

const FILE = 'lanes-hooks.shell-checked.json';

interface Checked {
  head: string | null;
  files: Record<string, string>;
}

const read = (file: string) => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
};

/** HEAD's commit, from the files (no git): a loose ref, else packed-refs; null when unclear. */
export function headSha(gitDir: string, common: string): string | null {
  const head = read(path.join(gitDir, 'HEAD'))?.trim() ?? '';
  if (!head.startsWith('ref: ')) return /^[0-9a-f]{40,64}$/.test(head) ? head : null;
  const ref = head.slice(5);
  const loose = read(path.join(common, ref))?.trim();
  if (loose) return loose;
  const line = (read(path.join(common, 'packed-refs')) ?? '')
    .split('\n')
    .find((l) => l.endsWith(` ${ref}`));
  return line ? line.split(' ')[0]! : null;
}

/** A file's identity: inode, size, mode and change time (ctime cannot be set back by touch). */
function identity(file: string): string {
  try {
    const s = statSync(file);
    return `${s.ino}:${s.size}:${s.mode}:${s.ctimeMs}`;
  } catch {
    return 'none';
  }
}

/** The compiled policy's two files in a worktree's git dir (an absent one is recorded so). */
const compiledFiles = (gitDir: string) =>
  [COMPILED_FILE, COMPILED_JSON].map((f) => path.join(gitDir, f));

/**
 * Record the state the full check found clean. `files`: git's hook files and config files; the
 * compiled policy's files are added here, as the full check left them.
 */
export function noteShellChecked(gitDir: string, common: string, files: string[]): void {
  const checked: Checked = {
    head: headSha(gitDir, common),
    files: Object.fromEntries([...files, ...compiledFiles(gitDir)].map((f) => [f, identity(f)])),
  };
  try {
    writeFileSync(path.join(gitDir, FILE), JSON.stringify(checked) + '\n');
  } catch {
    /* the light entry then defers to the full check every time */
  }
}

/** Still the state the full check found clean: same HEAD commit, every file untouched. */
export function stillAsChecked(gitDir: string, common: string): boolean {
  let checked: Checked;
  try {
    checked = JSON.parse(read(path.join(gitDir, FILE)) ?? '') as Checked;
  } catch {
    return false;
  }
  if (!checked || typeof checked.files !== 'object' || !Object.keys(checked.files).length)
    return false;
  const head = headSha(gitDir, common);
  if (head === null || head !== checked.head) return false;
  // The compiled policy is in every record this build writes: one without it is an older one.
  if (!compiledFiles(gitDir).every((f) => checked.files[f] === identity(f))) return false;
  return Object.entries(checked.files).every(([f, id]) => identity(f) === id);
}

/**
 * Whether the compiled policy's files are those the last full check verified (their identities as
 * recorded): the after-shell check then need not compile the policy again to compare them.
 */
export function compiledAsChecked(gitDir: string): boolean {
  try {
    const checked = JSON.parse(read(path.join(gitDir, FILE)) ?? '') as Checked;
    return compiledFiles(gitDir).every((f) => checked.files[f] === identity(f));
  } catch {
    return false;
  }
}
