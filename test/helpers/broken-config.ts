// config-broken.test.ts's world, shared by its fast cells (test/config-broken.test.ts) and the
// cases beyond them (test/deep/config-broken-more.test.ts, issue 29): a coordinator with hooks and
// a bare hub running guard pre-receive, and the broken files the tests stage.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { hub, local } from '../attacks/hub.js';

/** Line 3, column 14: a comma where a key belongs. */
export const BROKEN = '{\n  "integration": "master",\n  "roles": { ,\n}\n';
/** A partial repair: line 3 fixed, line 5 still wrong (a key after a closing brace). */
export const PARTIAL = '{\n  "integration": "master",\n  "roles": {\n  }\n  "queue": {}\n}\n';

/** The hub, its coordinator C and the committed (good) config, with C's commit helpers. */
export function brokenConfigWorld() {
  const sb = hub();
  const C = sb.coordinator;
  const good = readFileSync(path.join(C, '.lanesrc.json'), 'utf8');
  const trace = path.join(sb.root, 'trace');
  /** Whether `hook` started Node in the last commitC (LANES_HOOKS_TRACE). */
  const nodeRan = (hook: string) =>
    existsSync(trace) &&
    readFileSync(trace, 'utf8')
      .split('\n')
      .some((l) => l.startsWith(hook));
  const commitC = (message: string, flags: string[] = []) => {
    rmSync(trace, { force: true });
    return sb.run(C, 'git', ['commit', '-q', ...flags, '-m', message], {
      LANES_HOOKS_TRACE: trace,
    });
  };
  /** Write `text` as C's config and stage it. */
  const stage = (text: string) => {
    sb.write(C, '.lanesrc.json', text);
    sb.must(C, 'add', '.lanesrc.json');
  };
  const head = () => local(sb, C, 'HEAD');
  return { sb, C, good, nodeRan, commitC, stage, head };
}
