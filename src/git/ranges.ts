// How many commits each of many tips has that another lacks (`rev-list --count a..b` for every
// pair), from one walk of the commit graph instead of one git process per pair: status asks this
// for every lane against integration, and git 2.39 has no `ahead-behind` atom yet.
import { shellQuote } from '../util/sh.js';
import { gitMaybe, runGitJobs, SH_GIT, type GitJob } from './exec.js';

export interface RangeCounts {
  /** Commits reachable from `tip` but not from `base` (`git rev-list --count base..tip`), each a tip or its commit id; null: unknown tip. */
  count(base: string, tip: string): number | null;
  /** The commit a tip names; null: it names none. */
  commit(tip: string): string | null;
  /**
   * `git merge-base --all a b` for two of the tips (names or their commit ids), in no particular
   * order, from the same walk; null: unknown tip.
   */
  mergeBases(a: string, b: string): string[] | null;
}

/**
 * `tips` are full ref names or SHAs; the ones that do not resolve count as unknown. Everything
 * reachable from the tips' common merge bases is reachable from every tip and counts for no
 * pair, so only the commits above those bases are read.
 */
export function rangeCounts(tips: string[], cwd = '.'): Promise<RangeCounts> {
  return runGitJobs([rangeCountsJob(tips, cwd)]).then(([r]) => r);
}

/**
 * rangeCounts as a job for runGitJobs: its three git commands (resolve the tips, their merge
 * bases, the walk above them) chained in sh, so that status starts no Node child for them.
 */
export function rangeCountsJob(tips: string[], cwd: string): GitJob<RangeCounts> {
  const names = [...new Set(tips)];
  const g = `${SH_GIT} -C ${shellQuote(cwd)}`;
  return {
    // Only sh builtins between the git commands: each process started costs more than the work.
    script: (p) =>
      [
        `printf '%s' ${shellQuote(names.map((n) => `${n}^{commit}\n`).join(''))} > ${p}in`,
        `${g} cat-file '--batch-check=%(objectname) %(objecttype)' < ${p}in > ${p}check 2>/dev/null`,
        'k=; n=0',
        `while read -r sha type rest; do if [ "$type" = commit ]; then case " $k " in *" $sha "*) ;; *) k="$k $sha"; n=$((n+1));; esac; fi; done < ${p}check`,
        `: > ${p}bases`,
        `if [ $n -gt 1 ]; then ${g} merge-base --octopus $k > ${p}bases 2>/dev/null || : > ${p}bases; fi`,
        'b=; while read -r x; do b="$b $x"; done < ' + `${p}bases`,
        `if [ $n -gt 0 ]; then ${g} rev-list --parents $k --not $b -- > ${p}list 2>/dev/null || : > ${p}failed; fi`,
      ].join('\n'),
    read(file) {
      const shas = new Map<string, string>();
      (file('check')?.toString('utf8') ?? '').split('\n').forEach((line, i) => {
        const [sha, type] = line.split(' ');
        if (i < names.length && type === 'commit') shas.set(names[i]!, sha!);
      });
      const known = [...new Set(shas.values())];
      const reach = new Map<string, Set<string>>();
      const parents = new Map<string, string[]>();
      const base = (file('bases')?.toString('utf8') ?? '').split('\n').filter(Boolean)[0] ?? null;
      if (known.length) {
        const listing = file('failed') ? null : file('list');
        if (listing === null) throw new Error('git rev-list failed over the lanes’ tips');
        for (const line of listing.toString('utf8').split('\n')) {
          const [commit, ...ps] = line.split(' ');
          if (commit) parents.set(commit, ps);
        }
        for (const sha of known) reach.set(sha, reachable(sha, parents));
      }
      return counter(shas, reach, parents, base);
    },
  };
}

function counter(
  shas: Map<string, string>,
  reach: Map<string, Set<string>>,
  parents: Map<string, string[]>,
  base: string | null,
): RangeCounts {
  return {
    commit: (tip) => shas.get(tip) ?? null,
    mergeBases(a, b) {
      const x = shas.get(a) ?? (reach.has(a) ? a : undefined);
      const y = shas.get(b) ?? (reach.has(b) ? b : undefined);
      if (!x || !y) return null;
      return bestCommon(reach.get(x)!, reach.get(y)!, parents, base);
    },
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

/**
 * The best common ancestors of two tips (what `git merge-base --all` prints), from the walk: the
 * commits above `base` (the first of the tips' octopus merge bases; null when there is none or
 * one tip) reachable from each. Their common ones are closed under parents within the walk, so
 * the best are those that are no walked common commit's parent. Every common ancestor outside the
 * walk is `base` or below it, so `base` is the only other candidate, best unless a walked common
 * commit has it as a parent (every commit outside the walk is `base` or below it, so a path from
 * a walked commit down to `base` stays in the walk until `base` itself).
 */
function bestCommon(
  a: Set<string>,
  b: Set<string>,
  parents: Map<string, string[]>,
  base: string | null,
): string[] {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  const common = [...small].filter((c) => large.has(c));
  const below = new Set(common.flatMap((c) => parents.get(c)!));
  const best = common.filter((c) => !below.has(c));
  if (base && !below.has(base)) best.push(base);
  return best;
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
