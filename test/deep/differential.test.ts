// The differential suite (issue: every verdict reads history exactly). Random histories — clean and
// evil merges, octopus and criss-cross merges, merges with older integration commits, histories
// that start from one or from an unrelated root, several roots, renames as delete+add, deletions,
// mode changes, symlinks, gitlinks, names with spaces, newlines, quotes and unicode — each pushed
// through a lane's pre-push and into a bare hub running guard pre-receive, both compared with the
// model's own answer. Seeds are fixed per run offset so a failure names the seed to replay.
import { describe, expect, it } from 'vitest';
import { timeout } from '../helpers/tier.js';
import {
  cpuPerHistory,
  cpuSeconds,
  replayOne,
  replayWorld,
  type Outcome,
} from '../helpers/replay.js';

// The deep tier's full size (issue 29: the fast tier had cut it to 10). LANES_DIFF_HISTORIES and
// LANES_DIFF_SEED replay a smaller or another range.
const HISTORIES = Number(process.env.LANES_DIFF_HISTORIES ?? 120);
const FIRST_SEED = Number(process.env.LANES_DIFF_SEED ?? 1);

describe('differential: pre-push and guard pre-receive against the model', () => {
  it(
    `agrees on ${HISTORIES} random histories`,
    { timeout: timeout(120_000 + HISTORIES * 20_000) },
    () => {
      const w = replayWorld();
      const outcomes: Outcome[] = [];
      const cpu0 = cpuSeconds();
      for (let seed = FIRST_SEED; seed < FIRST_SEED + HISTORIES; seed++)
        outcomes.push(replayOne(w, seed));
      const disagree = outcomes.filter((o) => o.prePush !== o.oracle || o.server !== o.oracle);
      const sum = (f: (o: Outcome) => number) => outcomes.reduce((n, o) => n + f(o), 0);
      console.log(
        `differential: ${outcomes.length} histories, ${sum((o) => o.commits)} commits ` +
          `(${sum((o) => o.merges)} merges, ${sum((o) => o.roots)} roots), ` +
          `${outcomes.filter((o) => !o.oracle).length} to refuse (${outcomes.filter((o) => o.netOnly).length} by the net effect alone), ${2 * outcomes.length} verdicts (pre-push, hub) compared with the model, ` +
          `${disagree.length} disagreements${cpuPerHistory(cpu0, outcomes.length)}`,
      );
      expect(disagree).toEqual([]);
      // The suite must exercise both answers, or it proves nothing.
      expect(outcomes.filter((o) => o.oracle).length).toBeGreaterThan(HISTORIES / 5);
      expect(outcomes.filter((o) => !o.oracle).length).toBeGreaterThan(HISTORIES / 5);
      // And the net effect must decide some on its own: the blind spot of a per-commit reader.
      expect(outcomes.filter((o) => o.netOnly).length).toBeGreaterThan(HISTORIES / 20);
    },
  );
});
