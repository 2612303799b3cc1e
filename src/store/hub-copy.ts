// The hub's copy of the stores (issues 29, 31): every store ref the remote has (its refs/lanes/*),
// brought over by ONE fetch into refs/lanes-sync/<remote>/hub/*. A sync of several stores
// fetched one store at a time before (a fetch is git fetch, a shell and upload-pack, and more):
// one fetch now serves them all. land's one fetch brings the copy with the branches
// (coordinator/merge.ts pullIntegration) and reads what it fetched from FETCH_HEAD.
//
// Why a pattern refspec and not one exact refspec per store: with several exact refspecs, one
// store the remote does not have yet ("couldn't find remote ref") fails the whole fetch and moves
// nothing (GIT-FACTS, "fetch"); a pattern that matches nothing is no error. --prune drops the copy
// of a store the remote no longer has, and prunes only under this refspec's destination (never
// refs/remotes/ or the sync's tracking refs, refs/lanes-sync/<remote>/<store>).
//
// The copy is never trusted as it stands: it is what the remote had at the fetch, in a namespace
// every worktree of the repository can write. sync moves a store's tracking ref onto it only on
// that store's turn and verifies it there (store/sync.ts, adoptable()); land replays what it
// fetched through the hub's validators (coordinator/hub-stores.ts). The reference-transaction shim skips
// refs/lanes-sync/* in sh: no Node starts for these moves.
import { fetchedRefs, fetchRemote } from '../git/remote.js';
import { refTips } from '../git/tree-files.js';

/** Where `ref` (refs/lanes/<store>) of `remote` is copied by fetchHubCopy(). */
export const hubCopyRef = (remote: string, ref: string): string =>
  ref.replace(/^refs\/lanes\//, `refs/lanes-sync/${remote}/hub/`);

/**
 * Fetch every store ref `remote` has, at once; the tips of the copies of `refs` (absent: the
 * remote has no such store) and of `also` (read in the same for-each-ref), by exact name.
 */
export async function fetchHubCopy(
  remote: string,
  refs: readonly string[],
  opts: { cwd?: string; what: string; also?: readonly string[] },
): Promise<Map<string, string>> {
  await fetchRemote(remote, [`+refs/lanes/*:${hubCopyRef(remote, 'refs/lanes/')}*`], {
    cwd: opts.cwd,
    noTags: true,
    prune: true,
    what: opts.what,
  });
  return refTips([...refs.map((r) => hubCopyRef(remote, r)), ...(opts.also ?? [])], opts.cwd);
}

/**
 * `git fetch <remote>` as the remote is configured (its branches: land, promote), with every store
 * ref it has brought in the same fetch (`-c` adds the copy's refspec to the remote's own:
 * docs/git-facts.md, "fetch"); the store refs that fetch brought, from FETCH_HEAD (`gitDir`: the
 * worktree's own git directory). The copy itself cannot be pruned by this fetch (that would prune
 * the remote-tracking branches too): a store the remote dropped stays in the copy, but is absent
 * here.
 */
export async function fetchWithStores(
  remote: string,
  gitDir: string,
  what: string,
): Promise<Map<string, string>> {
  await fetchRemote(remote, [], {
    what,
    config: [`remote.${remote}.fetch=+refs/lanes/*:${hubCopyRef(remote, 'refs/lanes/')}*`],
    writeFetchHead: true,
  });
  return new Map([...fetchedRefs(gitDir)].filter(([ref]) => ref.startsWith('refs/lanes/')));
}
