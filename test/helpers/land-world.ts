// land.test.ts's world, shared by its fast half (test/land.test.ts) and its deep half
// (test/deep/land.test.ts): a coordinator whose config requires D-arch's sign-off and runs a check
// that fails on "FAIL", and three delivery lanes claimed, pushed and signed off in queue order.
import { Sandbox } from '../../src/demo/sandbox.js';
import { claim, commit } from './world.js';
import { COORDINATOR, committedDefault, editedConfig, fromTemplate } from './template.js';

/** The config coordinated() commits: D-arch's sign-off required, a check that fails on "FAIL". */
function landConfig(edit: (cfg: Record<string, any>) => void) {
  return editedConfig((cfg) => {
    cfg.reviews.required = ['D-arch'];
    // The checks run in a throwaway clone, sandboxed: what they checked is said in their output.
    cfg.checks =
      'echo "checked $(git rev-parse HEAD)"; ! grep -rqs FAIL --exclude=.lanesrc.json --exclude-dir=.git .';
    edit(cfg);
  });
}

/** coordinated()'s steps, on a copy of the bare coordinator (COORDINATOR, helpers/template.ts). */
function buildCoordinated(sb: Sandbox, cfg: Record<string, any>): void {
  committedDefault(sb);
  sb.write(sb.coordinator, '.lanesrc.json', JSON.stringify(cfg, null, 2));
  sb.must(sb.coordinator, 'commit', '-qam', 'require D-arch, checks');
  sb.must(sb.coordinator, 'push', '-q', 'origin', 'master');
  for (const role of ['A-backend', 'B-ui', 'C-ops', 'D-arch']) sb.addLane(role);
}

/** Coordinator and the lanes it needs; D-arch's sign-off required; a check that fails on "FAIL". */
export function coordinated(edit: (cfg: Record<string, any>) => void = () => {}): Sandbox {
  // A copy of a template (helpers/template.ts) keyed by the edited config.
  const cfg = landConfig(edit);
  return fromTemplate(
    `land.test coordinated ${JSON.stringify(cfg)}`,
    (sb) => buildCoordinated(sb, cfg),
    undefined,
    COORDINATOR,
  );
}
export const hubSha = (sb: Sandbox, ref: string) =>
  sb.git(sb.remote, 'rev-parse', '-q', '--verify', ref).stdout.trim();

export function signoff(sb: Sandbox, role: string) {
  const D = sb.lane('D-arch');
  sb.mustCli(D, 'review', 'refresh', role);
  sb.mustCli(D, 'review', 'signoff', role);
  // land decides on the hub's store: the sign-off counts once it is there.
  sb.mustCli(D, 'sync');
}

/** landWorld()'s queue: C-ops (its check fails), A-backend, B-ui; each claimed, pushed, signed off. */
function buildQueue(sb: Sandbox): void {
  const [A, B, C] = ['A-backend', 'B-ui', 'C-ops'].map((r) => sb.lane(r)) as [
    string,
    string,
    string,
  ];
  // Queue order: C-ops first (its check fails), then A-backend, then B-ui.
  claim(sb, C, 'C-ops', 'agent-c');
  sb.write(C, 'ops/run.sh', 'echo FAIL\n');
  sb.must(C, 'add', '-A');
  sb.must(C, 'commit', '-qm', 'ops: a failing change');
  sb.must(C, 'push', '-q', 'origin', 'agent/C-ops');
  claim(sb, A, 'A-backend', 'agent-a');
  commit(sb, A, ['backend/api.ts']);
  sb.must(A, 'push', '-q', 'origin', 'agent/A-backend');
  claim(sb, B, 'B-ui', 'agent-b');
  commit(sb, B, ['web/page.tsx']);
  sb.must(B, 'push', '-q', 'origin', 'agent/B-ui');
  // signoff()'s steps for each lane, with one sync at the end instead of one per lane: the hub's
  // store gets the same three sign-offs (a sync carries every entry the lane has not shared), for
  // two fewer round trips of the store (issue 29).
  const D = sb.lane('D-arch');
  for (const r of ['C-ops', 'A-backend', 'B-ui']) {
    sb.mustCli(D, 'review', 'refresh', r);
    sb.mustCli(D, 'review', 'signoff', r);
  }
  sb.mustCli(D, 'sync');
}

/** The queue in order C-ops (its check fails), A-backend, B-ui; each pushed and signed off. */
export function landWorld() {
  // The whole world is a template (helpers/template.ts): coordinated()'s steps and the queue's,
  // some forty git commands, three pushes through the lanes' hooks and nine CLI steps, built once
  // per run and copied for the fast file and the deep one.
  const cfg = landConfig(() => {});
  const sb = fromTemplate(
    `land.test landWorld one-sync ${JSON.stringify(cfg)}`,
    (sb) => {
      buildCoordinated(sb, cfg);
      buildQueue(sb);
    },
    undefined,
    COORDINATOR,
  );
  const [A, B, C] = ['A-backend', 'B-ui', 'C-ops'].map((r) => sb.lane(r)) as [
    string,
    string,
    string,
  ];
  const land = (...args: string[]) => sb.cli(sb.coordinator, 'land', ...args);
  const audit = () => JSON.parse(sb.mustCli(sb.coordinator, 'audit', '--json')).entries;
  const claims = () => JSON.parse(sb.mustCli(sb.coordinator, 'queue', 'list', '--json')).claims;
  const tips = Object.fromEntries(
    ['A-backend', 'B-ui', 'C-ops'].map((r) => [r, hubSha(sb, `agent/${r}`)]),
  );
  const master0 = hubSha(sb, 'master');
  return { sb, A, B, C, land, audit, claims, tips, master0 };
}
