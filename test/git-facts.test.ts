// Git behaviours lanes-hooks builds on (docs/git-facts.md), pinned with plain git and a
// logging hook, so that a git upgrade that changes one fails here first, by name.
import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Sandbox } from '../src/demo/sandbox.js';
import { CLI, tmpDir } from './helpers/world.js';

const ZERO = '0'.repeat(40);

function logged() {
  const sb = new Sandbox(tmpDir(), CLI);
  const repo = path.join(sb.root, 'repo');
  sb.must(sb.root, 'init', '-q', repo);
  const log = path.join(sb.root, 'log');
  for (const hook of ['reference-transaction', 'post-checkout', 'pre-push']) {
    const file = path.join(repo, '.git/hooks', hook);
    writeFileSync(
      file,
      `#!/bin/sh\n{ echo "${hook} $* GIT_DIR=\${GIT_DIR-unset} PWD=$PWD"; [ ${hook} = post-checkout ] || cat; } >> '${log}'\n`,
    );
    chmodSync(file, 0o755);
  }
  sb.write(repo, 'a');
  sb.must(repo, 'add', '-A');
  sb.must(repo, 'commit', '-q', '-m', 'a');
  const take = () => {
    const text = readFileSync(log, 'utf8');
    writeFileSync(log, '');
    return text;
  };
  take();
  return { sb, repo, take };
}

/** The prepared-state lines of the reference-transaction calls in a log. */
const prepared = (log: string) =>
  log
    .split(/^(?=(?:reference-transaction|post-checkout|pre-push) )/m)
    .filter((b) => b.startsWith('reference-transaction prepared'))
    .map((b) =>
      b
        .split('\n')
        .slice(1)
        .filter(Boolean)
        .map((l) => l.split(' ')[2]),
    );

describe('reference-transaction', () => {
  it('a commit sends HEAD and the branch; --no-verify does not skip it', () => {
    const { sb, repo, take } = logged();
    sb.must(repo, 'commit', '-q', '--no-verify', '--allow-empty', '-m', 'b');
    expect(prepared(take())).toEqual([['HEAD', 'refs/heads/master']]);
  });

  it('a detach is a HEAD line alone; switching branches sends nothing', () => {
    const { sb, repo, take } = logged();
    sb.must(repo, 'branch', 'other');
    take();
    sb.must(repo, 'checkout', '-q', '--detach');
    expect(prepared(take())).toEqual([['HEAD']]);
    sb.must(repo, 'switch', '-q', 'other');
    expect(prepared(take())).toEqual([]);
  });

  it('a rebase moves its branch with a lone branch line at the end (no HEAD line)', () => {
    const { sb, repo, take } = logged();
    sb.must(repo, 'switch', '-q', '-c', 'topic');
    sb.must(repo, 'commit', '-q', '--allow-empty', '-m', 't');
    sb.must(repo, 'switch', '-q', 'master');
    sb.must(repo, 'commit', '-q', '--allow-empty', '-m', 'm');
    sb.must(repo, 'switch', '-q', 'topic');
    take();
    sb.must(repo, 'rebase', '-q', 'master');
    const blocks = prepared(take()).filter((refs) => refs.includes('refs/heads/topic'));
    expect(blocks).toEqual([['refs/heads/topic']]);
  });

  it('git worktree add sends HEAD and branch with old == new in the new worktree, whose hooks get an absolute GIT_DIR', () => {
    const { sb, repo, take } = logged();
    const wt = path.join(sb.root, 'wt');
    sb.must(repo, 'worktree', 'add', '-q', wt);
    const log = take();
    const reassert = log.split('\n').filter((l) => / HEAD$/.test(l));
    expect(reassert.length).toBeGreaterThan(0);
    for (const l of reassert) expect(l.split(' ')[0]).toBe(l.split(' ')[1]);
    expect(log).toContain(`GIT_DIR=${path.join(repo, '.git/worktrees/wt')} PWD=${wt}`);
  });

  it('the main worktree runs hooks at its top level with GIT_DIR unset', () => {
    const { sb, repo, take } = logged();
    sb.must(repo, 'commit', '-q', '--allow-empty', '-m', 'x');
    expect(take()).toContain(`GIT_DIR=unset PWD=${repo}`);
  });
});

describe('reference-transaction and packed refs', () => {
  /** Every prepared-state line, whole: `<old> <new> <ref>`. */
  const lines = (log: string) =>
    log
      .split(/^(?=(?:reference-transaction|post-checkout|pre-push) )/m)
      .filter((b) => b.startsWith('reference-transaction prepared'))
      .flatMap((b) => b.split('\n').slice(1).filter(Boolean));

  it('pack-refs sends every loose ref as created from zeros at its value, then deletes each loose file', () => {
    const { sb, repo, take } = logged();
    sb.must(repo, 'branch', 'other');
    const sha = sb.must(repo, 'rev-parse', 'HEAD');
    take();
    sb.must(repo, 'pack-refs', '--all');
    const sent = lines(take());
    expect(sent.slice(0, 2)).toEqual([
      `${ZERO} ${sha} refs/heads/master`,
      `${ZERO} ${sha} refs/heads/other`,
    ]);
    expect(sent.slice(2).sort()).toEqual([
      `${sha} ${ZERO} refs/heads/master`,
      `${sha} ${ZERO} refs/heads/other`,
    ]);
  });

  it('deleting a packed branch arrives as all zeros on both sides', () => {
    const { sb, repo, take } = logged();
    sb.must(repo, 'branch', 'gone');
    sb.must(repo, 'pack-refs', '--all');
    take();
    sb.must(repo, 'branch', '-q', '-D', 'gone');
    expect(new Set(lines(take()))).toEqual(new Set([`${ZERO} ${ZERO} refs/heads/gone`]));
  });
});

describe('deletes and names the hooks must know', () => {
  /** Every prepared-state line, whole: `<old> <new> <ref>`. */
  const lines = (log: string) =>
    log
      .split(/^(?=(?:reference-transaction|post-checkout|pre-push) )/m)
      .filter((b) => b.startsWith('reference-transaction prepared'))
      .flatMap((b) => b.split('\n').slice(1).filter(Boolean));

  it('update-ref -d and branch -D of a loose branch send an unchecked (zero) old value', () => {
    const { sb, repo, take } = logged();
    sb.must(repo, 'branch', 'one');
    sb.must(repo, 'branch', 'two');
    take();
    sb.must(repo, 'update-ref', '-d', 'refs/heads/one');
    expect(new Set(lines(take()))).toEqual(new Set([`${ZERO} ${ZERO} refs/heads/one`]));
    sb.must(repo, 'branch', '-q', '-D', 'two');
    expect(new Set(lines(take()))).toEqual(new Set([`${ZERO} ${ZERO} refs/heads/two`]));
  });

  it('branch -m sends the old name as a delete and nothing for the name it creates', () => {
    const { sb, repo, take } = logged();
    sb.must(repo, 'branch', 'before');
    const sha = sb.must(repo, 'rev-parse', 'HEAD');
    take();
    sb.must(repo, 'branch', '-m', 'before', 'after');
    expect(lines(take())).toEqual([`${sha} ${ZERO} refs/heads/before`]);
    expect(sb.must(repo, 'rev-parse', 'refs/heads/after')).toBe(sha);
  });

  it('symbolic-ref runs no reference-transaction hook', () => {
    const { sb, repo, take } = logged();
    sb.must(repo, 'symbolic-ref', 'refs/tags/sym', 'refs/heads/master');
    expect(lines(take())).toEqual([]);
  });

  it('a tag resolves before the branch of the same name (gitrevisions), with a warning', () => {
    const { sb, repo } = logged();
    const branchTip = sb.must(repo, 'rev-parse', 'HEAD');
    sb.must(repo, 'branch', 'release/platform-control');
    sb.must(repo, 'commit', '-q', '--allow-empty', '-m', 'elsewhere');
    sb.must(repo, 'tag', 'release/platform-control');
    const tagTip = sb.must(repo, 'rev-parse', 'HEAD');
    const r = sb.git(repo, 'rev-parse', 'release/platform-control');
    expect(r.stdout.trim()).toBe(tagTip);
    expect(r.stderr).toContain("refname 'release/platform-control' is ambiguous");
    // refs/<name> comes before refs/tags/<name>, and both before refs/heads/<name>.
    sb.must(repo, 'update-ref', 'refs/release/platform-control', branchTip);
    expect(sb.git(repo, 'rev-parse', 'release/platform-control').stdout.trim()).toBe(branchTip);
    sb.must(repo, 'update-ref', 'refs/release/platform-control', tagTip);
    expect(sb.must(repo, 'rev-parse', 'heads/release/platform-control')).toBe(branchTip);
  });
});

describe('post-checkout', () => {
  it('runs in a new worktree with an all-zero previous HEAD', () => {
    const { sb, repo, take } = logged();
    sb.must(repo, 'worktree', 'add', '-q', '--detach', path.join(sb.root, 'wt2'));
    expect(take()).toMatch(new RegExp(`^post-checkout ${ZERO} [0-9a-f]{40} 1 `, 'm'));
  });
});

describe('worktrees and config', () => {
  it('git worktree add copies the invoking worktree config.worktree', () => {
    const { sb, repo } = logged();
    sb.must(repo, 'config', 'extensions.worktreeConfig', 'true');
    sb.must(repo, 'config', '--worktree', 'lanes.role', 'A-backend');
    const wt = path.join(sb.root, 'copy');
    sb.must(repo, 'worktree', 'add', '-q', wt);
    expect(sb.must(wt, 'config', '--worktree', '--get', 'lanes.role')).toBe('A-backend');
  });
});

describe('pushes', () => {
  it('pre-push stdin omits refs that are up to date and refs git itself rejects as non-fast-forward', () => {
    const { sb, repo, take } = logged();
    const remote = path.join(sb.root, 'remote.git');
    sb.must(sb.root, 'init', '-q', '--bare', remote);
    sb.must(repo, 'remote', 'add', 'origin', remote);
    sb.must(repo, 'push', '-q', 'origin', 'master');
    take();
    expect(sb.git(repo, 'push', '-q', 'origin', 'master').status).toBe(0);
    sb.must(repo, 'commit', '-q', '--amend', '--allow-empty', '-m', 'rewritten');
    expect(sb.git(repo, 'push', '-q', 'origin', 'master').status).not.toBe(0);
    const pushes = take()
      .split(/^(?=(?:reference-transaction|post-checkout|pre-push) )/m)
      .filter((b) => b.startsWith('pre-push'));
    expect(pushes).toHaveLength(2);
    for (const p of pushes) expect(p.split('\n').slice(1).filter(Boolean)).toEqual([]);
  });
});

describe('reading history (docs/git-facts.md: configuration that could change a verdict)', () => {
  /** A repository with an evil merge: both sides touch backend/, the merge itself adds web/evil. */
  function evil() {
    const { sb, repo } = logged();
    sb.must(repo, 'switch', '-q', '-c', 'side');
    sb.write(repo, 'backend/side');
    sb.must(repo, 'add', '-A');
    sb.must(repo, 'commit', '-q', '-m', 'side');
    sb.must(repo, 'switch', '-q', 'master');
    sb.write(repo, 'backend/main');
    sb.must(repo, 'add', '-A');
    sb.must(repo, 'commit', '-q', '-m', 'main');
    sb.must(repo, 'merge', '-q', '--no-commit', 'side');
    sb.write(repo, 'web/evil');
    sb.must(repo, 'add', '-A');
    sb.must(repo, 'commit', '-q', '-m', 'merge');
    return { sb, repo };
  }

  it('git log -z --diff-merges=c lays a merge out differently: the SHA is followed by an empty field', () => {
    const { sb, repo } = evil();
    const sha = sb.must(repo, 'rev-parse', 'HEAD');
    const out = sb.git(
      repo,
      'log',
      '-1',
      '-z',
      '--name-only',
      '--diff-merges=c',
      '--format=%x00%H',
    ).stdout;
    expect(out).toBe(`\0${sha}\0\0web/evil\0`);
    const plain = sb.git(
      repo,
      'log',
      '-1',
      '-z',
      '--name-only',
      '--format=%x00%H',
      'HEAD^1',
    ).stdout;
    expect(plain).toMatch(/^\0[0-9a-f]{40}\0\nbackend\/main\0$/);
  });

  it('diff-tree --stdin --always prints a header for every input line, an empty diff included', () => {
    const { sb, repo } = evil();
    const m = sb.must(repo, 'rev-parse', 'HEAD');
    const p1 = sb.must(repo, 'rev-parse', 'HEAD^1');
    const r = sb.run(repo, 'sh', [
      '-c',
      `printf '%s %s\\n%s %s\\n' ${m} ${p1} ${m} ${m} | git diff-tree --stdin --always -r -z --raw`,
    ]);
    const fields = r.stdout.split('\0');
    expect(fields.filter((f) => f === m)).toHaveLength(2);
    expect(fields.filter((f) => f.startsWith(':'))).toHaveLength(2); // backend/side, web/evil
  });

  it('core.useReplaceRefs=true undoes --no-replace-objects; grafts ignore it, GIT_GRAFT_FILE does not', () => {
    const { sb, repo } = evil();
    const m = sb.must(repo, 'rev-parse', 'HEAD');
    const p1 = sb.must(repo, 'rev-parse', 'HEAD^1');
    sb.must(repo, 'replace', m, p1);
    const treeOf = (...pre: string[]) => sb.must(repo, ...pre, 'rev-parse', `${m}^{tree}`);
    const real = sb.must(repo, '--no-replace-objects', 'rev-parse', `${m}^{tree}`);
    expect(treeOf()).not.toBe(real);
    expect(treeOf('--no-replace-objects', '-c', 'core.useReplaceRefs=true')).not.toBe(real);
    expect(treeOf('--no-replace-objects', '-c', 'core.useReplaceRefs=false')).toBe(real);
    sb.must(repo, 'replace', '-d', m);
    writeFileSync(path.join(repo, '.git/info/grafts'), `${m}\n`);
    const count = (env: NodeJS.ProcessEnv) =>
      sb
        .run(repo, 'git', ['--no-replace-objects', 'rev-list', '--count', 'HEAD'], env)
        .stdout.trim();
    expect(count({})).toBe('1');
    expect(count({ GIT_GRAFT_FILE: '/nonexistent/grafts' })).toBe('4');
  });

  it('porcelain diff obeys diff.ignoreSubmodules=all and hides a gitlink; diff-index does not', () => {
    const { sb, repo } = logged();
    const sha = sb.must(repo, 'rev-parse', 'HEAD');
    sb.must(repo, 'update-index', '--add', '--cacheinfo', `160000,${sha},web/mod`);
    const opts = ['-c', 'diff.ignoreSubmodules=all'];
    expect(sb.must(repo, ...opts, 'diff', '--cached', '--name-only')).toBe('');
    expect(sb.must(repo, ...opts, 'diff-index', '--cached', '--name-only', 'HEAD')).toBe('web/mod');
  });

  it('log.showRoot=false hides a root commit’s paths from git log; diff-tree --root does not care', () => {
    const { sb, repo } = logged();
    const root = sb.must(repo, 'rev-list', '--max-parents=0', 'HEAD');
    expect(sb.must(repo, '-c', 'log.showRoot=false', 'log', '--format=', '--name-only', root)).toBe(
      '',
    );
    expect(
      sb.must(
        repo,
        '-c',
        'log.showRoot=false',
        'diff-tree',
        '--root',
        '-r',
        '--name-only',
        '--no-commit-id',
        root,
      ),
    ).toBe('a');
  });

  it('pre-push runs for git push --dry-run, and --no-verify skips it', () => {
    const { sb, repo, take } = logged();
    const bare = path.join(sb.root, 'bare.git');
    sb.must(sb.root, 'init', '-q', '--bare', bare);
    sb.must(repo, 'push', '-q', '--dry-run', bare, 'master');
    expect(take()).toContain('pre-push');
    sb.must(repo, 'push', '-q', '--dry-run', '--no-verify', bare, 'master');
    expect(take()).not.toContain('pre-push');
  });
});

describe('fetch (docs/git-facts.md: fetch)', () => {
  it('one missing source among exact refspecs fails the whole fetch; a pattern that matches nothing does not; --prune stays under the pattern', () => {
    const { sb, repo } = logged();
    const hub = path.join(sb.root, 'hub.git');
    sb.must(sb.root, 'init', '-q', '--bare', hub);
    sb.must(repo, 'push', '-q', hub, 'HEAD:refs/lanes/queue', 'HEAD:refs/heads/main');
    sb.must(repo, 'tag', 'only-here');
    const refs = (prefix: string) =>
      sb.must(repo, 'for-each-ref', '--format=%(refname)', prefix).split('\n').filter(Boolean);
    const exact = sb.git(
      repo,
      'fetch',
      '--no-tags',
      hub,
      '+refs/lanes/queue:refs/t/queue',
      '+refs/lanes/audit:refs/t/audit',
    );
    expect(exact.status).toBe(128);
    expect(exact.stderr).toContain("couldn't find remote ref refs/lanes/audit");
    expect(refs('refs/t/')).toEqual([]); // the queue, which the hub has, did not come either
    // The pattern: what the hub has comes, a store it lacks is simply not there.
    sb.must(repo, 'update-ref', 'refs/c/gone', 'HEAD');
    sb.must(repo, 'update-ref', 'refs/keep/x', 'HEAD');
    const pattern = ['fetch', '-q', '--no-tags', '--prune', '--no-prune-tags', hub];
    sb.must(repo, '-c', 'fetch.pruneTags=true', ...pattern, '+refs/lanes/*:refs/c/*');
    expect(refs('refs/c/')).toEqual(['refs/c/queue']); // refs/c/gone pruned
    expect(refs('refs/keep/')).toEqual(['refs/keep/x']);
    expect(refs('refs/tags/')).toEqual(['refs/tags/only-here']);
    // A refspec added with -c joins the remote's own; FETCH_HEAD lists each ref fetched.
    sb.must(repo, 'remote', 'add', 'hub', hub);
    rmSync(path.join(repo, '.git/FETCH_HEAD'));
    sb.must(
      repo,
      '-c',
      'remote.hub.fetch=+refs/lanes/*:refs/d/*',
      '-c',
      'fetch.writeFetchHead=false',
      'fetch',
      '-q',
      '--write-fetch-head',
      'hub',
    );
    expect(refs('refs/remotes/hub/')).toEqual(['refs/remotes/hub/main']);
    expect(refs('refs/d/')).toEqual(['refs/d/queue']);
    const head = sb.must(repo, 'rev-parse', 'HEAD');
    expect(readFileSync(path.join(repo, '.git/FETCH_HEAD'), 'utf8')).toContain(
      `\n${head}\tnot-for-merge\t'refs/lanes/queue' of `,
    );
    // Nothing matches: no error, and the copy of the store the hub dropped is pruned.
    sb.must(hub, 'update-ref', '-d', 'refs/lanes/queue');
    sb.must(repo, ...pattern, '+refs/lanes/*:refs/c/*');
    expect(refs('refs/c/')).toEqual([]);
    sb.must(repo, '-c', 'remote.hub.fetch=+refs/lanes/*:refs/d/*', 'fetch', '-q', 'hub');
    expect(readFileSync(path.join(repo, '.git/FETCH_HEAD'), 'utf8')).not.toContain('refs/lanes/');
  });
});
