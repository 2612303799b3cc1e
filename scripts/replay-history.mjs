#!/usr/bin/env node
// Replay a real repository's history through `guard pre-receive` on a bare hub, push by push, and
// compare every verdict with an oracle that reads trees, not diffs (`git ls-tree` of each commit
// and of each parent named in its own header). Not part of `npm test`: point it at any clone.
//
//   node scripts/replay-history.mjs <repo> [--ref master] [--scope internal/,cmd/] [--step 1]
//        [--limit 600] [--hostile]
//
// Each push moves `agent/A-backend` on the hub from the previous step's commit to the next one of
// <ref>'s first-parent chain, so every merge, root and gitlink of that history is judged once.
// A refused push is moved by hand afterwards, so one refusal does not repeat in every later push.
// --hostile sets the keys of test/deep/hostile-config.test.ts in the hub's and the pusher's config.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i < 0 ? dflt : args[i + 1];
};
const source = path.resolve(args[0] ?? '.');
const ref = opt('ref', 'master');
const scope = opt('scope', 'internal/,cmd/').split(',');
const step = Number(opt('step', '1'));
const limit = Number(opt('limit', '600'));
const hostile = args.includes('--hostile');
const cli = path.resolve('dist/lanes-hooks.mjs');

const root = mkdtempSync(path.join(os.tmpdir(), 'lanes-replay-'));
const env = {
  ...process.env,
  GIT_CONFIG_GLOBAL: path.join(root, 'gitconfig'),
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_DIR: undefined,
};
delete env.GIT_DIR;
const HOSTILE = [
  'log.showRoot=false',
  'diff.ignoreSubmodules=all',
  'diff.renames=copies',
  'diff.relative=true',
  'core.quotePath=true',
  'color.ui=always',
  'core.useReplaceRefs=true',
  'log.diffMerges=first-parent',
  'diff.external=/bin/false',
];
writeFileSync(
  env.GIT_CONFIG_GLOBAL,
  '[user]\n\tname = Replay\n\temail = replay@example.com\n' +
    (hostile
      ? HOSTILE.map((kv) =>
          `[${kv.split('.')[0]}]\n\t${kv.split('.').slice(1).join('.')}\n`.replace(/=/, ' = '),
        ).join('')
      : ''),
);
const git = (cwd, ...a) => execFileSync('git', a, { cwd, env, maxBuffer: 1 << 30 }).toString();
const hub = path.join(root, 'hub.git');
const work = path.join(root, 'work');
git(root, 'init', '-q', '--bare', hub);
git(root, 'init', '-q', work);
// Borrow the source's objects instead of copying them (a snapshot may lack large blobs; no
// verdict reads a blob): both sides share them, so a push sends only what is new.
const objects = git(source, 'rev-parse', '--path-format=absolute', '--git-path', 'objects').trim();
for (const repo of [path.join(work, '.git'), hub])
  writeFileSync(path.join(repo, 'objects', 'info', 'alternates'), objects + '\n');
git(work, 'update-ref', 'refs/source', git(source, 'rev-parse', ref).trim());
// Integration: one commit holding only the policy, unrelated to the replayed history.
const config = {
  roles: { 'A-backend': { kind: 'delivery', paths: scope.map((s) => `${s}**`) } },
  queue: { requireClaim: false },
};
writeFileSync(path.join(work, '.lanesrc.json'), JSON.stringify(config));
git(work, 'add', '.lanesrc.json');
git(work, 'commit', '-q', '-m', 'policy');
git(work, 'push', '-q', hub, 'HEAD:refs/heads/master');
writeFileSync(
  path.join(hub, 'hooks', 'pre-receive'),
  `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(cli)} guard pre-receive\n`,
);
chmodSync(path.join(hub, 'hooks', 'pre-receive'), 0o755);

// The oracle: trees from ls-tree, parents from each commit's own header.
const trees = new Map();
const treeOf = (c) => {
  if (!trees.has(c)) {
    const m = new Map();
    for (const rec of git(work, 'ls-tree', '-r', '-z', '--full-tree', c).split('\0')) {
      const t = rec.indexOf('\t');
      if (t > 0) m.set(rec.slice(t + 1), rec.slice(0, t).replace(/ \w+ /, ' '));
    }
    trees.set(c, m);
  }
  return trees.get(c);
};
const parentsOf = (c) =>
  git(work, 'cat-file', 'commit', c)
    .split('\n\n')[0]
    .split('\n')
    .filter((l) => l.startsWith('parent '))
    .map((l) => l.slice(7));
const inScope = (p) => scope.some((s) => p.startsWith(s));
function oracle(from, to) {
  const commits = git(work, 'rev-list', to, ...(from ? [`^${from}`] : []))
    .split('\n')
    .filter(Boolean);
  const bad = [];
  for (const c of commits) {
    const mine = treeOf(c);
    const ps = parentsOf(c).map(treeOf);
    const paths = new Set([...mine.keys(), ...ps.flatMap((t) => [...t.keys()])]);
    for (const p of paths) {
      const changed = ps.length ? ps.every((t) => t.get(p) !== mine.get(p)) : true;
      if (changed && !inScope(p)) bad.push(`${c.slice(0, 10)} ${p}`);
    }
  }
  return { commits: commits.length, bad };
}

const chain = git(work, 'rev-list', '--first-parent', '--reverse', 'refs/source')
  .split('\n')
  .filter(Boolean);
const picks = chain
  .filter((_, i) => i % step === step - 1 || i === chain.length - 1)
  .slice(0, limit);
const extra = hostile ? HOSTILE.flatMap((kv) => ['-c', kv]) : [];
if (hostile) for (const kv of HOSTILE) git(hub, 'config', ...kv.split('='));
let prev = null;
let merges = 0;
let pushes = 0;
let commitsJudged = 0;
let refused = 0;
const disagreements = [];
for (const sha of picks) {
  const expect = oracle(prev, sha);
  merges +=
    git(work, 'rev-list', '--merges', '--count', sha, ...(prev ? [`^${prev}`] : [])).trim() * 1;
  const r = spawnSync(
    'git',
    [...extra, 'push', '-q', '-f', hub, `${sha}:refs/heads/agent/A-backend`],
    {
      cwd: work,
      env,
      encoding: 'utf8',
    },
  );
  const accepted = r.status === 0;
  pushes++;
  if (!accepted) refused++;
  commitsJudged += expect.commits;
  if (accepted !== (expect.bad.length === 0)) {
    disagreements.push({
      sha,
      accepted,
      oracle: expect.bad.slice(0, 5),
      stderr: r.stderr.slice(0, 600),
    });
    process.stdout.write(
      `DISAGREE ${sha}: hub ${accepted ? 'accepted' : 'refused'}, oracle ${expect.bad.length} offences\n`,
    );
  }
  if (!accepted) git(hub, 'update-ref', 'refs/heads/agent/A-backend', sha);
  prev = sha;
}
console.log(
  JSON.stringify(
    {
      source,
      ref,
      scope,
      hostile,
      pushes,
      refused,
      commitsJudged,
      merges,
      disagreements: disagreements.length,
    },
    null,
    2,
  ),
);
if (disagreements.length) console.log(JSON.stringify(disagreements.slice(0, 5), null, 2));
process.exit(disagreements.length ? 1 : 0);
