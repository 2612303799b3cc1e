// An append-only log kept in git: each entry is a commit whose tree holds `entry.json`, published
// on a ref under refs/lanes/ with a compare-and-swap update-ref. Readers only ever see a complete
// commit; a writer killed half-way leaves at most an unreferenced object; gc keeps what a ref holds.
import { git, gitBytes, gitMaybe, ZERO_SHA } from '../git/exec.js';
import { UserError } from '../cli/errors.js';

/** Store commits are made by lanes-hooks itself; who acted is recorded in the entry. */
const STORE_ENV = {
  GIT_AUTHOR_NAME: 'lanes-hooks',
  GIT_AUTHOR_EMAIL: 'lanes-hooks@localhost',
  GIT_COMMITTER_NAME: 'lanes-hooks',
  GIT_COMMITTER_EMAIL: 'lanes-hooks@localhost',
};

const MAX_ATTEMPTS = 40;

/** Append `entry` to the log at `ref`; retries a lost compare-and-swap with jitter. */
export function appendEntry(ref: string, entry: object, subject: string, cwd?: string): string {
  const env = { ...process.env, ...STORE_ENV };
  const blob = git(['hash-object', '-w', '--stdin'], {
    cwd,
    input: JSON.stringify(entry, null, 2) + '\n',
  });
  const tree = git(['mktree', '-z'], { cwd, input: `100644 blob ${blob}\tentry.json\0` });
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const parent = gitMaybe(['rev-parse', '-q', '--verify', ref], { cwd });
    const commit = git(
      ['commit-tree', tree, ...(parent ? ['-p', parent] : []), '-m', oneLine(subject)],
      { cwd, env },
    );
    if (
      gitMaybe(['update-ref', '-m', 'lanes-hooks append', ref, commit, parent ?? ZERO_SHA], {
        cwd,
      }) !== null
    )
      return commit;
    sleepMs(Math.floor(Math.random() * 10 * attempt));
  }
  throw new UserError(
    `lanes-hooks: could not append to ${ref}: ${MAX_ATTEMPTS} concurrent updates won the race; try again`,
    3,
  );
}

/** Every entry of the log at `ref`, oldest first. */
export function readEntries<T>(ref: string, cwd?: string): T[] {
  const tip = gitMaybe(['rev-parse', '-q', '--verify', ref], { cwd });
  if (!tip) return [];
  if (gitMaybe(['cat-file', '-t', tip], { cwd }) !== 'commit') {
    throw new UserError(
      `${ref} does not point at a commit (${tip}): the lanes store is damaged`,
      2,
    );
  }
  const commits = git(['rev-list', '--first-parent', '--reverse', tip], { cwd })
    .split('\n')
    .filter(Boolean);
  return readBlobs(
    commits.map((c) => `${c}:entry.json`),
    cwd,
  ).map((text, i) => {
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new UserError(
        `${ref}: entry ${commits[i]} is not valid JSON: the lanes store is damaged`,
        2,
      );
    }
  });
}

/** Read many blobs with one `cat-file --batch`. */
function readBlobs(specs: string[], cwd?: string): string[] {
  if (!specs.length) return [];
  const out = gitBytes(['cat-file', '--batch'], { cwd, input: specs.join('\n') + '\n' });
  const texts: string[] = [];
  let pos = 0;
  for (const spec of specs) {
    const nl = out.indexOf(10, pos);
    const header = out.subarray(pos, nl).toString();
    const m = /^\S+ blob (\d+)$/.exec(header);
    if (!m) throw new UserError(`lanes store: ${spec} is missing (${header})`, 2);
    const size = Number(m[1]);
    texts.push(out.subarray(nl + 1, nl + 1 + size).toString('utf8'));
    pos = nl + 1 + size + 1;
  }
  return texts;
}

/** Commit subjects are for people reading `git log`: one line, no control characters, bounded. */
function oneLine(s: string): string {
  // eslint-disable-next-line no-control-regex
  const flat = s.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return flat.length > 200 ? flat.slice(0, 199) + '…' : flat || 'entry';
}

function sleepMs(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
