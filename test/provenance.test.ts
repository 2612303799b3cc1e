// Provenance: a commit made in a lane carries Lane:, Task: (the active claim's task) and Agent:
// (when an agent session is known), added by prepare-commit-msg from the shell without touching
// the user's text; where the config requires them, pre-push and the hub refuse commits without.
// The two cells of the coverage map (docs/testing.md); the author's trailers never replaced, the
// editor's forms, and status, merge and land showing them: test/deep/provenance.test.ts.
import { describe, it } from 'vitest';
import { SLOW } from './attacks/hub.js';
import { provenanceWorld, trailersAdded, trailersRequired } from './helpers/provenance-world.js';
import { useInProcessCli } from './helpers/in-process.js';

// The CLI steps run in this process (helpers/in-process.ts): the queue and sync around the
// trailers; the hooks that write and judge them, and the hub's guard, stay real processes started
// by git.
useInProcessCli();

describe('provenance trailers', () => {
  const w = provenanceWorld();

  it('are added to a lane commit, after the untouched text, without starting Node', SLOW, () =>
    trailersAdded(w),
  );

  it(
    'are required at pre-push and at the hub: a commit without them is refused by commit-trailers',
    SLOW,
    () => trailersRequired(w),
  );
});
