// How many commits each of many tips has that another lacks (`rev-list --count a..b` for every
// pair), from one walk of the commit graph instead of one git process per pair: status asks this
// for every lane against integration, and git 2.39 has no `ahead-behind` atom yet.
import { gitAsync, gitMaybe } from './exec.js';

export interface RangeCounts {
  /** Commits reachable from `tip` but not from `base` (`git rev-list --count base..tip`), each a tip or its commit id; null: unknown tip. */
  count(base: string, tip: string): number | null;
  /** The commit a tip names; null: it names none. */
  commit(tip: string): string | null;
}

/**
 * `tips` are full ref names or SHAs; the ones that do not resolve count as unknown. Everything
 * reachable from the tips' common merge bases is reachable from every tip and counts for no
 * pair, so only the commits above those bases are read.
 */
export async function rangeCounts(tips: string[], cwd?: string): Promise<RangeCounts> {
  const shas = await resolveCommits([...new Set(tips)], cwd);
  const known = [...new Set(shas.values())];
  const reach = new Map<string, Set<string>>();
  if (known.length) {
    const bases =
      known.length > 1
        ? ((await gitAsync(['merge-base', '--octopus', ...known], { cwd })) ?? '')
            .split('\n')
            .filter(Boolean)
        : [];
    const listing = await gitAsync(['rev-list', '--parents', ...known, '--not', ...bases, '--'], {
      cwd,
    });
    if (listing === null) throw new Error('git rev-list failed over the lanes’ tips');
    const parents = new Map<string, string[]>();
    for (const line of listing.split('\n')) {
      const [commit, ...ps] = line.split(' ');
      if (commit) parents.set(commit, ps);
    }
    for (const sha of known) reach.set(sha, reachable(sha, parents));
  }
  return {
    commit: (tip) => shas.get(tip) ?? null,
    count(base, tip) {
      // A name given as a tip, or the commit id one of them resolved to.
      const b = shas.get(base) ?? (reach.has(base) ? base : undefined);
      const t = shas.get(tip) ?? (reach.has(tip) ? tip : undefined);
      if (!b || !t) return null;
      const from = reach.get(t)!;
      const not = reach.get(b)!;
      let n = 0;
      for (const c of from) if (!not.has(c)) n++;
      return n;
    },
  };
}

/** The commits of the walked subgraph reachable from `start` (its parents outside it are below every base). */
function reachable(start: string, parents: Map<string, string[]>): Set<string> {
  const seen = new Set<string>();
  const stack = [start];
  while (stack.length) {
    const c = stack.pop()!;
    if (seen.has(c) || !parents.has(c)) continue;
    seen.add(c);
    stack.push(...parents.get(c)!);
  }
  return seen;
}

/** Each name that names a commit, mapped to its SHA (one git process for all of them). */
async function resolveCommits(names: string[], cwd?: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (!names.length) return out;
  // for-each-ref would skip SHAs; `cat-file --batch-check` resolves any name and reports a missing one.
  const text = await gitAsync(['cat-file', '--batch-check=%(objectname) %(objecttype)'], {
    cwd,
    input: names.map((n) => `${n}^{commit}\n`).join(''),
  });
  (text ?? '').split('\n').forEach((line, i) => {
    const [sha, type] = line.split(' ');
    if (i < names.length && type === 'commit') out.set(names[i]!, sha!);
  });
  return out;
}

/**
 * `git rev-list --left-right --count a...b`, synchronously: [commits only in a, commits only in b];
 * null when either does not name a commit. For one pair (the brief, agent-hook), where rangeCounts'
 * walk of every lane would cost more.
 */
export function leftRight(a: string, b: string, cwd?: string): [number, number] | null {
  const out = gitMaybe(['rev-list', '--left-right', '--count', `${a}...${b}`, '--'], { cwd });
  const m = out && /^(\d+)\s+(\d+)$/.exec(out.trim());
  return m ? [Number(m[1]), Number(m[2])] : null;
}
