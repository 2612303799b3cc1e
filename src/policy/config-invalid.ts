// config-invalid: a policy file that does not load never reaches integration. Once committed
// there it is every lane's, the hub's and CI's policy (lanes/policy.ts): a lane then refuses
// everything, the hub admits only the coordinators' repair. So it is refused where it is made
// (pre-commit: the staged file, from the index), where it leaves (pre-push of integration) and
// where it lands (guard pre-receive, verify), each time with the loader's own message about the
// NEW file: file, line, column and reason (a schema error: file, key path and what was expected).
import { compactProblem } from '../config/json-position.js';
import type { Violation } from './types.js';

export interface ConfigFacts {
  /** The loader's message about the policy files judged; null when they load. */
  problem: string | null;
  /** What was refused: `commit on master`, `push HEAD -> refs/heads/master`. */
  object: string;
  /** Where the files were judged: the index of a commit, or a pushed tip of integration. */
  at: 'commit' | 'push' | 'hub';
  integration: string;
}

export function configInvalid(f: ConfigFacts): Violation[] {
  if (f.problem === null) return [];
  // The first line as file:line:column (what editors jump to); the rest is the bad line and caret.
  const [first, ...rest] = f.problem.split('\n');
  // Continuation lines under `why:` (8 columns), so the caret stays under its column.
  const why = [
    `${f.at === 'commit' ? 'the staged lanes config does not load' : `the lanes config of this ${f.integration} does not load`}: ${compactProblem(first!)}`,
    ...rest,
    `committed on ${f.integration}, it would be every lane's policy, the hub's and CI's: every lane would refuse everything until it is repaired`,
  ].join('\n        ');
  const fix =
    f.at === 'commit'
      ? [
          'correct the file where the message says, stage it again (git add <file>) and commit; lanes-hooks doctor lists every problem of the config in the working tree',
        ]
      : [
          `commit a config that loads on ${f.integration} (lanes-hooks doctor says why this one does not), then push again`,
          ...(f.at === 'hub'
            ? [
                `while ${f.integration}'s policy is broken, a coordinator's push of the repaired config on ${f.integration} alone is admitted`,
              ]
            : []),
        ];
  return [{ rule: 'config-invalid', object: f.object, why, fix }];
}
