// post-checkout: a review lane that was just detached is put back on its branch (GIT-FACTS: a
// detach cannot be refused in reference-transaction without splitting HEAD from the files).
import { gitMaybe, gitRun, isZeroSha } from '../git/exec.js';
import { detachesOnItsOwn, headBranch, transientState } from '../git/repo.js';
import { afterCheckout } from '../policy/review-detached-head.js';
import { hookContext } from './context.js';

export function postCheckout(prev: string, _next: string, flag: string): number {
  const ctx = hookContext();
  const previous = gitMaybe(['rev-parse', '--symbolic-full-name', '@{-1}']);
  const decision = afterCheckout(ctx, {
    branchCheckout: flag === '1',
    newWorktree: isZeroSha(prev),
    headDetached: headBranch() === null,
    transient: detachesOnItsOwn(transientState(ctx.wt.gitDir)),
    reflogSubject: gitMaybe([
      'log',
      '-g',
      '-1',
      '--no-show-signature',
      '--no-color',
      '--no-notes',
      '--format=%gs',
      'HEAD',
    ]),
    previousBranch: previous?.startsWith('refs/heads/')
      ? previous.slice('refs/heads/'.length)
      : null,
  });
  if (decision.action === 'none') return 0;
  process.stderr.write(`lanes-hooks: ${decision.message}\n`);
  if (decision.action === 'warn') return 1;
  const r = gitRun(['switch', '--quiet', decision.branch], { inherit: true });
  if (!r.ok) {
    process.stderr.write(
      `lanes-hooks: could not switch back to ${decision.branch}; the lane is still detached. Fix: git switch ${decision.branch}\n`,
    );
    return 1;
  }
  return 0;
}
