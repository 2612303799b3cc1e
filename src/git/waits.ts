// Times the dashboard measures waits with: when each lane's pushed tip last moved (the newest entry
// of its remote-tracking ref's reflog: `git push` and `git fetch` write one there), and how far a
// release branch lags integration (the commits integration has that release lacks, and the
// committer time of the oldest of them). Two git commands however many lanes there are.
import { gitBytes, gitMaybe, splitZ } from './exec.js';

/**
 * For each ref, the time (ISO) of its newest reflog entry and the commit it recorded; refs without
 * a reflog are absent. One `git log -g` walks every ref's reflog; its entries come ref by ref,
 * newest first, so the first entry seen for a ref is its newest.
 */
export function reflogTips(
  refs: readonly string[],
  cwd?: string,
): Map<string, { sha: string; at: string }> {
  const out = new Map<string, { sha: string; at: string }>();
  if (!refs.length) return out;
  let bytes: Buffer;
  try {
    bytes = gitBytes(
      [
        'log',
        '-g',
        '-z',
        '--no-show-signature',
        '--no-color',
        '--no-notes',
        '--no-mailmap',
        '--date=unix',
        '--format=%H %gD',
        ...refs,
        '--',
      ],
      { cwd },
    );
  } catch {
    // A ref without a reflog makes `git log -g` fail as a whole: ask one by one then.
    if (refs.length === 1) return out;
    for (const r of refs) for (const [k, v] of reflogTips([r], cwd)) out.set(k, v);
    return out;
  }
  for (const rec of splitZ(bytes)) {
    const m = /^([0-9a-f]{40,64}) (.+)@\{(\d+)\}$/s.exec(rec.trim());
    if (!m || out.has(m[2]!)) continue;
    out.set(m[2]!, { sha: m[1]!, at: new Date(Number(m[3]) * 1000).toISOString() });
  }
  return out;
}

/**
 * How far `release` lags `integration`: the commits reachable from integration and not from
 * release, and the committer time (ISO) of the oldest of them (null when none). Null when either
 * does not name a commit.
 */
export function releaseLag(
  release: string,
  integration: string,
  cwd?: string,
): { commits: number; oldest: string | null } | null {
  const out = gitMaybe(
    [
      'log',
      '--no-show-signature',
      '--no-color',
      '--no-notes',
      '--format=%ct',
      `${release}..${integration}`,
      '--',
    ],
    { cwd },
  );
  if (out === null) return null;
  const times = out
    .split('\n')
    .filter(Boolean)
    .map((t) => Number(t));
  if (!times.length) return { commits: 0, oldest: null };
  return { commits: times.length, oldest: new Date(Math.min(...times) * 1000).toISOString() };
}
