// Route 6 of issue 18: a name git resolves before the release branch (gitrevisions: refs/tags/<name>
// comes before refs/heads/<name>), refused by release-exact-sha in the lane's reference-transaction,
// in pre-push and on the hub (--no-verify). The other shadows (refs/<name>, the integration branch,
// names differing only in case, symbolic refs, promote) are test/deep/attacks/names.test.ts's.
import { describe, expect, it } from 'vitest';
import { commit } from '../helpers/world.js';
import { hub, local, pushAs, refusedBy, SLOW, tip } from './hub.js';

const RULE = 'release-exact-sha';

describe('names that shadow the release and integration branches', () => {
  const sb = hub(undefined, { setup: true });
  const B = sb.lane('B-ui');
  const C = sb.coordinator;
  commit(sb, B, ['web/stray.html']);
  const stray = sb.must(B, 'rev-parse', 'HEAD'); // a commit that is not on master
  const push = (dir: string, ...args: string[]) => pushAs(sb, null, dir, ...args);

  it('route 6: a tag named like the release branch', SLOW, () => {
    // The lane's reference-transaction: no such tag, lightweight or annotated, forced or not.
    expect(refusedBy(sb.git(B, 'tag', 'release/platform-control', stray), RULE, 'local')).toBe(
      null,
    );
    const annotated = sb.git(B, 'tag', '-a', '-m', 'x', 'release/platform-control', stray);
    expect(refusedBy(annotated, RULE, 'local')).toBe(null);
    expect(refusedBy(sb.git(B, 'tag', '-f', 'release/platform-control'), RULE, 'local')).toBe(null);
    expect(local(sb, B, 'refs/tags/release/platform-control')).toBe('');
    // pre-push, then the hub past --no-verify, whoever pushes.
    const ref = `${stray}:refs/tags/release/platform-control`;
    expect(refusedBy(push(B, 'origin', ref), RULE, 'local')).toBe(null);
    const hubbed = push(B, '--no-verify', 'origin', ref);
    expect(refusedBy(hubbed, RULE, 'hub')).toBe(null);
    expect(hubbed.stderr).toContain(
      'git resolves the tag refs/tags/release/platform-control before',
    );
    expect(refusedBy(push(C, '--no-verify', 'origin', ref), RULE, 'hub')).toBe(null);
    expect(tip(sb, 'refs/tags/release/platform-control')).toBe('');
  });
});
