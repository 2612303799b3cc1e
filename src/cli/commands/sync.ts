// sync: exchange the lanes store (queue, audit) with the configured remote.
import { lanePolicy } from '../../lanes/policy.js';
import { currentWorktree } from '../../git/repo.js';
import { ALL_STORES } from '../../lifecycle/stores.js';
import { syncStores } from '../../store/sync.js';
import { showName } from '../../policy/format.js';
import { parse } from '../args.js';
import { EXIT } from '../../util/errors.js';
import { inertLines } from '../../util/text.js';

export async function syncCommand(argv: string[]): Promise<number> {
  parse('sync', argv);
  const wt = currentWorktree();
  const { config } = lanePolicy(wt);
  const reports = await syncStores(ALL_STORES, config.remote);
  let lost = 0;
  for (const r of reports) {
    console.log(`${r.ref}: ${r.action}`);
    for (const n of r.notes) console.log(`  note: ${inertLines(n)}`);
    for (const l of r.lost) console.log(`  LOST: ${showName(l)}`);
    lost += r.lost.length;
  }
  if (lost)
    console.error(
      `sync: ${lost} local change(s) lost to changes made elsewhere (above); the remote's state stands`,
    );
  return lost ? EXIT.conflict : EXIT.ok;
}
