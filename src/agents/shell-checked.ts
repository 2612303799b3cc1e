// What the full after-shell check found clean last (agent-hook): HEAD's commit and the identity of
// every file git's hooks run from. The light entry (fast.ts) answers a shell command alone only
// while both are unchanged: a commit made since (with git's hooks skipped or not) or a hook file
// touched sends the check to the full CLI, which judges the commits and compares the hook files
// with what install writes. The record steers only which of the two runs; it is in the lane's git
// directory like the compiled facts the light entry already reads, so a shell command that
// rewrites it can make the light entry skip the next check, as it could with those facts.
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

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

/** Record the state the full check found clean. `files`: git's hook files and config files. */
export function noteShellChecked(gitDir: string, common: string, files: string[]): void {
  const checked: Checked = {
    head: headSha(gitDir, common),
    files: Object.fromEntries(files.map((f) => [f, identity(f)])),
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
  return Object.entries(checked.files).every(([f, id]) => identity(f) === id);
}
