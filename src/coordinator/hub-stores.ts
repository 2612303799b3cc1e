// The stores merge and land decide on (issue 28, route 2): the hub's, not the local ones. A lane
// shares the coordinator's git directory, so it can write the local refs/lanes/queue and
// refs/lanes/reviews directly (`git commit-tree` + `git update-ref`) — a sign-off for its own SHA,
// a claim — past every command and hook. What the hub holds was judged when it was pushed
// (guard pre-receive: who pushed it, in order); land fetches it fresh and replays it through the
// same validators again (an unguarded hub, a store pushed before the rules), and where the local
// store says more than the hub's it says so rather than believing it.
import type { LanesConfig } from '../config/schema.js';
import { ZERO_SHA } from '../git/exec.js';
import { resolveRef } from '../git/repo.js';
import { checkStores, reviewProblem } from '../guard/server-stores.js';
import { checkStoreUpdate } from '../guard/store-updates.js';
import { integrationRef, remoteRef, roleBranch } from '../lanes/names.js';
import { QUEUE_REF, type Claim } from '../queue/model.js';
import { readQueue } from '../queue/queue.js';
import {
  readReviews,
  REVIEWS_REF,
  reviewStore,
  signoffsFor,
  type ReviewEntry,
} from '../reviews/model.js';
import { showName } from '../policy/format.js';

export interface HubStores {
  /** The hub's claims, replayed (empty when the hub has no queue yet). */
  claims: Claim[];
  /** The hub's review entries that replay as the hub accepts them. */
  reviews: ReviewEntry[];
  /** Why the hub's stores (or entries of them) do not count: each is said once, by land. */
  problems: string[];
}

/**
 * The hub's claims and sign-offs, from what land's one fetch brought (`fetched`: the store refs of
 * its FETCH_HEAD, store/hub-copy.ts fetchWithStores): a store the hub has not is absent there.
 * Fetched, not read from the hub copy's refs: a store the hub dropped since would stay in the copy
 * (that fetch cannot prune it without pruning the remote-tracking branches too).
 */
export function hubStores(
  config: LanesConfig,
  command: string,
  log: (s: string) => void,
  fetched: Map<string, string>,
): HubStores {
  const queueTip = fetched.get(QUEUE_REF) ?? null;
  const reviewsTip = fetched.get(REVIEWS_REF) ?? null;
  log(
    `${command}: read the claims and sign-offs from ${config.remote}'s refs/lanes/ (the local store counts only as far as the hub has it)`,
  );
  const problems: string[] = [];
  // The branches and integration as the hub has them (fetched just before).
  const onHub = (ref: string): string | undefined => {
    if (ref === integrationRef(config))
      return resolveRef(remoteRef(config.remote, config.integration)) ?? undefined;
    if (ref.startsWith('refs/heads/'))
      return resolveRef(remoteRef(config.remote, ref.slice('refs/heads/'.length))) ?? undefined;
    return undefined;
  };
  // Who pushed each operation was the hub's to check when it arrived (store commits do not record
  // the pusher); replayed now, every operation is judged as a coordinator's push, with no owner
  // lists: the rest (well-formed, one operation per commit, the reducer's rules, claim scope and
  // overlap, state.json not forged, review roles and SHAs) is judged exactly as the hub judges it.
  const replayConfig: LanesConfig = {
    ...config,
    roles: Object.fromEntries(
      Object.entries(config.roles).map(([r, c]) => [r, { ...c, owners: undefined }]),
    ) as LanesConfig['roles'],
  };
  let claims: Claim[] = [];
  if (queueTip) {
    const facts = checkStores(
      replayConfig,
      [{ ref: QUEUE_REF, old: ZERO_SHA, new: queueTip }],
      null,
      true,
      onHub,
      // The queue is replayed from nothing: no store "before" this replay to read, and what
      // land uses (the claims the replay leaves, its violations) reads none. The default would
      // read this repository's local queue and reviews (six git processes) for nothing.
      () => null,
    );
    if (facts.violations.length || !('claims' in facts.claims))
      problems.push(
        `${config.remote}'s refs/lanes/queue does not replay as the hub accepts it (${facts.violations.map((v) => v.why).join('; ')}): no claim counts`,
      );
    else claims = facts.claims.claims as Claim[];
  }
  let reviews: ReviewEntry[] = [];
  if (reviewsTip) {
    // A review entry is judged on its own: a sign-off of a SHA the lane has since rebased away is
    // no longer on its branch, yet was valid when pushed; it simply bears on nothing now.
    const bad = new Set<ReviewEntry>();
    const v = checkStoreUpdate(
      reviewStore,
      { ref: REVIEWS_REF, old: ZERO_SHA, new: reviewsTip },
      (e: ReviewEntry, before: ReviewEntry[]) => {
        // The hub checked that the SHA was on the lane's branch when the entry came; a rebase
        // since has taken it off (and its sign-off may carry over): now it must be a commit here.
        const branch = `refs/heads/${roleBranch(config, e.target)}`;
        const asPushed = (ref: string) => (ref === branch ? e.sha : onHub(ref));
        if (reviewProblem(replayConfig, e, asPushed, () => true, before)) bad.add(e);
        return null;
      },
    );
    if (v.violations.length || !v.state)
      problems.push(
        `${config.remote}'s refs/lanes/reviews does not replay as the hub accepts it (${v.violations.map((x) => x.why).join('; ')}): no sign-off counts`,
      );
    else reviews = v.state.filter((e) => !bad.has(e));
  }
  return { claims, reviews, problems };
}

/**
 * What the local store says about `role` at `sha` that the hub's does not: an active claim of its
 * branch, sign-offs of that exact SHA. Empty when they agree. Each names the fix (the entry is
 * shared by the lane that made it: `lanes-hooks sync`) and the other possibility (it was forged).
 */
export function localOnly(
  config: LanesConfig,
  hub: HubStores,
  role: string,
  sha: string,
  local?: { claims: Claim[]; reviews: ReviewEntry[] },
): string[] {
  let mine: { claims: Claim[]; reviews: ReviewEntry[] };
  try {
    mine = local ?? { claims: readQueue().claims, reviews: readReviews() };
  } catch {
    return []; // a damaged local store: doctor says so; the hub's decides anyway
  }
  const branch = roleBranch(config, role);
  const out: string[] = [];
  const active = (cs: Claim[]) => cs.find((c) => c.state === 'active' && c.branch === branch);
  const here = active(mine.claims);
  if (here && !active(hub.claims))
    out.push(
      `the local refs/lanes/queue has an active claim of ${showName(branch)} (owner ${showName(here.owner)}) that ${config.remote}'s has not: the local store differs from the hub's, and only the hub's counts (lanes-hooks sync shares it, and the hub checks who may); if the lane did not make it, it was forged`,
    );
  const hubSigned = new Set(signoffsFor(hub.reviews, role, sha).map((s) => s.role));
  const extra = signoffsFor(mine.reviews, role, sha).filter(
    (s) => !hubSigned.has(s.role) && !s.from,
  );
  for (const s of extra)
    out.push(
      `the local refs/lanes/reviews has ${showName(s.role)}'s sign-off of ${sha.slice(0, 12)} that ${config.remote}'s has not: the local store differs from the hub's, and only the hub's counts (lanes-hooks sync shares it, and the hub checks who may); if ${showName(s.role)} did not make it, it was forged`,
    );
  return out;
}
