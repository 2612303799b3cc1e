// sync: exchange the lanes store (queue, audit) with the configured remote.
import { lanePolicy } from '../../lanes/policy.js';
import { currentWorktree } from '../../git/repo.js';
import { ALL_STORES } from '../../lifecycle/stores.js';
import { syncStores } from '../../store/sync.js';
import { storeVouch } from '../../lifecycle/vouch.js';
import { formatViolation } from '../../policy/format.js';
import { showName } from '../../policy/format.js';
import { parse } from '../args.js';
import { EXIT } from '../../util/errors.js';
import { inertLines } from '../../util/text.js';

export async function syncCommand(argv: string[]): Promise<number> {
  parse('sync', argv);
  const wt = currentWorktree();
  const { config } = lanePolicy(wt);
  const reports = await syncStores(ALL_STORES, config.remote, undefined, storeVouch(wt, config));
  let lost = 0;
  const withheld = reports.flatMap((r) => (r.withheld ?? []).map((w) => ({ ref: r.ref, w })));
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
  // A forged entry in this worktree's name: named, never pushed (route a).
  for (const { ref, w } of withheld)
    console.error(
      inertLines(
        formatViolation({
          rule: 'store-integrity',
          object: ref,
          why: w,
          fix: [
            'nothing to do for your own entries: they were pushed; if the entry above is really yours, record it again with the lanes-hooks command in this worktree',
            'give each lane its own OS user or container and hub identity (docs/server.md, "What the coordinator trusts")',
          ],
        }),
      ),
    );
  if (withheld.length) return EXIT.refused;
  return lost ? EXIT.conflict : EXIT.ok;
}
