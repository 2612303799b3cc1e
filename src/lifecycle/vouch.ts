// Whose store entries this worktree's `sync` may push (issue 28, route a; store/journal.ts): a
// lane pushes the entries in its own role's name that its own lanes-hooks wrote, and whatever the
// coordinator's journal says the coordinator wrote; the coordinator pushes what its own
// lanes-hooks wrote and what each lane's own lanes-hooks wrote in that lane's name. Anything in a
// name a worktree answers for that no journal vouches for is a forgery in the shared store;
// anything else is left for the worktree it belongs to.
import { existsSync } from 'node:fs';
import type { LanesConfig } from '../config/schema.js';
import { currentWorktree, listWorktrees, type Worktree } from '../git/repo.js';
import { laneOf } from '../lanes/facts.js';
import type { Lane } from '../lanes/resolve.js';
import { opKey, readJournal } from '../store/journal.js';
import type { Vouch } from '../store/sync.js';

/** `me`: the worktree's lane where the caller has it already (its config is not read again). */
export function storeVouch(
  wt: Worktree,
  config: LanesConfig,
  me: Lane = laneOf(wt, config),
): Vouch {
  const mineHas = journalOf(wt.gitDir);
  if (me.kind !== 'coordinator') {
    const role = me.role ?? 'unassigned';
    // What the coordinator's journal says it wrote (its tasks, and entries in a lane's name such
    // as land's carry-over of a reviewer's sign-off) the lane's sync carries on: they come before
    // the lane's own later entries (a claim on the coordinator's new task), and the hub judges
    // them as it judges every entry.
    const byCoordinator = journalOf(wt.commonDir);
    return (ref, op, author) => {
      const key = opKey(ref, op);
      if (author !== role) return byCoordinator(key) ? 'own' : 'other';
      return mineHas(key) || byCoordinator(key) ? 'own' : 'forged';
    };
  }
  // Each lane's journal, under the role that lane resolves to now (a worktree whose recorded role
  // disagrees with its path is unassigned, and vouches for no role's entries).
  let byRole: Map<string, (key: string) => boolean> | null = null;
  const journals = () => {
    if (byRole) return byRole;
    byRole = new Map();
    for (const w of listWorktrees()) {
      if (w.bare || !existsSync(w.path)) continue;
      try {
        const other = currentWorktree(w.path);
        if (other.isMain) continue;
        const role = laneOf(other, config).role;
        if (role) byRole.set(role, journalOf(other.gitDir));
      } catch {
        /* a worktree that no longer reads vouches for nothing */
      }
    }
    return byRole;
  };
  return (ref, op, author) => {
    const key = opKey(ref, op);
    if (mineHas(key)) return 'own';
    if (author === 'coordinator') return 'forged';
    return journals().get(author)?.(key) ? 'own' : 'forged';
  };
}

/**
 * Whether the journal in `gitDir` holds a key. A journal read before the store was read may miss a
 * key noted since: a command in another process notes its entry before the ref moves (store.ts,
 * commitOp), so a miss reads the journal again before the entry is called someone else's or forged.
 */
function journalOf(gitDir: string): (key: string) => boolean {
  let keys: Set<string> | null = null;
  return (key) => (keys ??= readJournal(gitDir)).has(key) || (keys = readJournal(gitDir)).has(key);
}
