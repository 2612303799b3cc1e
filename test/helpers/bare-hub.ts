// A bare hub running `guard pre-receive`, filled by a plain clone with no lanes-hooks of its own:
// what an admin sets up, and what a pusher who skips every local hook talks to.
import { chmodSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { TestSandbox } from './in-process.js';
import { CLI, tmpDir, HOOK_CLI } from './world.js';

export const PRE_RECEIVE = `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(HOOK_CLI)} guard pre-receive "$@"\n`;

export interface BareHub {
  sb: TestSandbox;
  hub: string;
  /** A plain clone (no lanes-hooks): every push from it reaches the hub with no local check. */
  work: string;
  /** Commit `files` (name -> content; null deletes) in the clone. */
  commit(files: Record<string, string | null>, message?: string): string;
  push(who: string | null, ...args: string[]): { status: number; stderr: string };
  tip(ref: string): string;
  /** Install the guard as the hub's pre-receive hook. */
  guard(): void;
}

/** An empty bare hub whose HEAD names `branch`, and a clone of it. */
export function bareHub(branch = 'master'): BareHub {
  const sb = new TestSandbox(tmpDir('lanes-hub-'), CLI);
  const hub = path.join(sb.root, 'hub.git');
  const work = path.join(sb.root, 'work');
  sb.must(sb.root, 'init', '-q', '--bare', `--initial-branch=${branch}`, hub);
  sb.must(sb.root, 'clone', '-q', hub, work);
  sb.must(work, 'switch', '-q', '-c', branch);
  const h: BareHub = {
    sb,
    hub,
    work,
    commit(files, message = 'change') {
      for (const [f, text] of Object.entries(files)) {
        if (text === null) sb.must(work, 'rm', '-q', '--', f);
        else {
          sb.write(work, f, text);
          sb.must(work, 'add', '--', f);
        }
      }
      sb.must(work, 'commit', '-q', '--allow-empty', '-m', message);
      return sb.must(work, 'rev-parse', 'HEAD');
    },
    push(who, ...args) {
      const r = sb.run(work, 'git', ['push', '-q', ...args], who ? { LANES_PUSHER: who } : {});
      return { status: r.status, stderr: r.stderr };
    },
    tip(ref) {
      return sb.git(hub, 'rev-parse', '-q', '--verify', ref).stdout.trim();
    },
    guard() {
      const hook = path.join(hub, 'hooks', 'pre-receive');
      writeFileSync(hook, PRE_RECEIVE);
      chmodSync(hook, 0o755);
    },
  };
  return h;
}

/**
 * A config with coordinators named (so that a push needs a coordinator identity), who alone change
 * the policy (`reviews.policy: []`: no governance sign-off, which a hub with no lanes cannot give).
 */
export const coordinated = (over: Record<string, unknown> = {}) =>
  JSON.stringify(
    { server: { coordinators: ['coord'] }, reviews: { policy: [] }, ...over },
    null,
    2,
  ) + '\n';
