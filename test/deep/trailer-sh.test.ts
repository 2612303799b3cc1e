// The shell's trailer appender (src/hooks/trailer-sh.ts) against `git interpret-trailers` itself,
// with the same pins as addTrailers (git/trailers.ts): for every message, either both write the
// same bytes, or the shell declines (and the shim runs git) and leaves the file as it was. The
// messages are written by hand for git's corner cases and captured from real `git commit`s in
// every mode prepare-commit-msg sees (-m, -F, the editor's template, each --cleanup, -v, a commit
// template, core.commentChar, merge and squash messages, --amend).
import { spawnSync } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { LINES_MAX, PLAIN_SEEN, SH_TRAILERS, SH_UNCHANGED } from '../../src/hooks/trailer-sh.js';
import { TRAILER_PINS } from '../../src/git/trailers.js';

const root = mkdtempSync(path.join(tmpdir(), 'lanes-trailer-sh-'));
const home = path.join(root, 'home');
mkdirSync(home);
/** git with no config but the repository's own (no system, an empty HOME). */
const env: NodeJS.ProcessEnv = {
  ...process.env,
  HOME: home,
  XDG_CONFIG_HOME: path.join(home, '.config'),
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: path.join(home, 'gitconfig'),
  GIT_AUTHOR_NAME: 'T',
  GIT_AUTHOR_EMAIL: 't@example.com',
  GIT_COMMITTER_NAME: 'T',
  GIT_COMMITTER_EMAIL: 't@example.com',
  GIT_EDITOR: 'true',
};
delete env.GIT_CONFIG_PARAMETERS;
delete env.GIT_CONFIG_COUNT;
delete env.GIT_DIR;
delete env.GIT_INDEX_FILE;
writeFileSync(env.GIT_CONFIG_GLOBAL!, '');

const run = (cwd: string, cmd: string, args: string[], extra: NodeJS.ProcessEnv = {}) => {
  const r = spawnSync(cmd, args, { cwd, env: { ...env, ...extra }, timeout: 30_000 });
  if (r.status !== 0)
    throw new Error(`${cmd} ${args.join(' ')}: ${r.status} ${r.stderr.toString()}`);
  return r.stdout.toString();
};
const git = (cwd: string, ...args: string[]) => run(cwd, 'git', args);

const TRAILERS: [string, string][] = [
  ['Lane', 'A-backend'],
  ['Task', 'T12'],
  ['Agent', 'claude-code'],
];

/** The message files, by name. */
const cases = new Map<string, Buffer>();
const add = (name: string, text: string | Buffer) =>
  cases.set(name, Buffer.isBuffer(text) ? text : Buffer.from(text, 'utf8'));

const SC = '# ------------------------ >8 ------------------------';
const HAND: Record<string, string> = {
  empty: '',
  newline: '\n',
  'blank lines': '\n\n\n',
  'subject only': 'fix: a thing\n',
  'subject, no final newline': 'fix: a thing',
  'body, no final newline': 'fix\n\nbody text',
  'spaces, no final newline': 'fix\n\n   ',
  'existing trailers': 'fix\n\nbody\n\nReviewed-by: X <x@y>\nRefs: #12\n',
  'existing trailers, no final newline': 'fix\n\nbody\n\nRefs: #12',
  'a Task trailer already': 'fix\n\nTask: T99\n',
  'a lowercase task trailer': 'fix\n\ntask: T99\n',
  'a prefix of a key': 'fix\n\nLa: x\nAg: y\n',
  'a longer key': 'fix\n\nLane-Id: 7\nTasks: 3\n',
  'a dash token': 'fix\n\n-: x\n',
  'a dash-ended token': 'fix\n\nTask-: x\n',
  'spaces around the separator': 'fix\n\nKey :   value   \nOther:value\n',
  'a tab before the separator': 'fix\n\nKey\t: value\n',
  'an empty value': 'fix\n\nKey:\nOther:   \n',
  'continuation lines': 'fix\n\nKey: one\n  two\n\tthree\nNext: x\n',
  'a continuation after a blank-ish line': 'fix\n\nKey: one\n\n  two\n',
  'trailing whitespace-only lines': 'fix\n\nKey: v\n  \n\t\n',
  'comments in the block': 'fix\n\nKey: v\n# a comment\nOther: w\n',
  'comment then continuation': 'fix\n\nKey: v\n# c\n  cont\n',
  'comments after the block': 'fix\n\nKey: v\n\n# Please enter the commit message\n# more\n',
  'comments before the title': '# a\n# b\nfix\n\nKey: v\n',
  'only comments': '# a\n# b\n',
  'a comment at the start, then blank': '# a\n\nKey: v\n',
  'not all trailers': 'fix\n\nKey: v\nsome prose\n',
  'signed-off-by and prose (25%)': 'fix\n\nprose one\nSigned-off-by: A <a@b>\nKey: v\n',
  'signed-off-by and too much prose':
    'fix\n\nprose one\nprose two\nprose three\nprose four\nSigned-off-by: A <a@b>\n',
  'cherry-picked':
    'fix\n\nbody\n\n(cherry picked from commit 0123456789abcdef0123456789abcdef01234567)\n',
  'one paragraph of trailers': 'Key: v\nOther: w\n',
  'a colon first': 'fix\n\n: x\n',
  'a token with spaces inside': 'fix\n\nBug 12: x\n',
  'a hash separator token': 'fix\n\nBug #12\n',
  'unicode token': 'fix\n\nÜber: x\n',
  'unicode value': 'fix\n\nKey: žluťoučký kůň\n',
  'shell metacharacters': 'fix $(rm -rf /) `x` "q" \'s\' \\n \\\n\nKey: $HOME * ? [a]\n',
  'CRLF message': 'fix\r\n\r\nbody\r\n\r\nKey: v\r\nOther: w\r\n',
  'CRLF subject only': 'fix\r\n',
  'CRLF, no final newline': 'fix\r\n\r\nKey: v',
  'a patch divider': 'fix\n\nKey: v\n---\n a/file | 2 +-\n',
  'a patch divider with text': 'fix\n\nKey: v\n--- a/file\n+++ b/file\n',
  'not a divider': 'fix\n\n---x\nKey: v\n',
  'divider at the end without newline': 'fix\n\nKey: v\n---',
  'a divider first': '--- x\nfix\n',
  scissors: `fix\n\nKey: v\n${SC}\n# Do not modify\ndiff --git a/x b/x\n--- a/x\n+++ b/x\n`,
  'scissors first': `${SC}\nfix\n`,
  'scissors without newline': `fix\n\nKey: v\n${SC}`,
  'scissors after a divider': `fix\n\n---\nKey: v\n${SC}\nrest\n`,
  'two scissors': `fix\n${SC}\nKey: v\n${SC}\n`,
  'conflicts block': 'Merge x\n\nConflicts:\n\ta.txt\n\tb.txt\n',
  'conflicts then text': 'Merge x\n\nKey: v\nConflicts:\n\ta.txt\nmore\n',
  'conflicts at the start': 'Conflicts:\n\ta\ntext\n',
  'a Lane-like line in the body': 'fix\n\nLaneway: 3\n',
  'long subject line': `${'x'.repeat(5000)}\n\nKey: v\n`,
  'many lines (git decides)': `fix\n\n${'line\n'.repeat(LINES_MAX + 10)}`,
  'exactly the line limit': `fix\n\n${'line\n'.repeat(LINES_MAX - 2)}`,
  backslashes: 'fix \\ back\\slash\n\nKey: a\\b\\\n',
  'blank line with CR in the block': 'fix\n\nKey: v\n\r\n',
  'CR-only lines': 'fix\n\r\n\rKey: v\n',
  'trailing spaces after title': 'fix\n   \nKey: v\n',
};
for (const [name, text] of Object.entries(HAND)) add(name, text);

/** Capture the message files git hands prepare-commit-msg in each mode. */
function captureFromGit() {
  const repo = path.join(root, 'repo');
  const caps = path.join(root, 'caps');
  mkdirSync(caps);
  git(root, 'init', '-q', '-b', 'main', repo);
  writeFileSync(
    path.join(repo, '.git/hooks/prepare-commit-msg'),
    `#!/bin/sh\ncp "$1" "${caps}/$CAP_NAME.$2"\n`,
    { mode: 0o755 },
  );
  let k = 0;
  const commit = (name: string, args: string[], extra: NodeJS.ProcessEnv = {}, stage = true) => {
    if (stage) {
      writeFileSync(path.join(repo, `f${++k}.txt`), `${k}\n`);
      git(repo, 'add', '-A');
    }
    // The capture is what counts: a commit git then aborts (an unedited template) still ran it.
    const r = spawnSync('git', ['commit', '-q', ...args], {
      cwd: repo,
      env: { ...env, CAP_NAME: name, ...extra },
      timeout: 30_000,
    });
    if (r.error) throw new Error(`${name}: ${r.error.message}`);
  };
  commit('m', ['-m', 'feat: x\n\nbody']);
  commit('m-two', ['-m', 'feat: x', '-m', 'Reviewed-by: A <a@b>']);
  commit('m-empty', ['--allow-empty-message', '-m', '']);
  for (const mode of ['strip', 'whitespace', 'verbatim', 'scissors', 'default'])
    commit(`editor-${mode}`, [`--cleanup=${mode}`, '-m', 'feat: y\n\nKey: v', '-e']);
  commit('editor-plain', []);
  commit('verbose', ['-v', '-m', 'feat: z', '-e']);
  commit('verbose-scissors', ['-v', '--cleanup=scissors', '-m', 'feat: z\n\nKey: w', '-e']);
  writeFileSync(path.join(root, 'crlf.txt'), 'feat: crlf\r\n\r\nbody\r\n\r\nKey: v\r\n');
  commit('file-crlf', ['--cleanup=verbatim', '-F', path.join(root, 'crlf.txt')]);
  writeFileSync(path.join(root, 'nonl.txt'), 'feat: no newline\n\nKey: v');
  commit('file-nonl', ['--cleanup=verbatim', '-F', path.join(root, 'nonl.txt')]);
  commit('file-nonl-e', ['-F', path.join(root, 'nonl.txt'), '-e']);
  writeFileSync(path.join(root, 'template.txt'), 'Subject here\n\n# explain why\nRefs: \n');
  commit('template', ['-t', path.join(root, 'template.txt')]);
  git(repo, 'config', 'commit.template', path.join(root, 'template.txt'));
  commit('template-config', []);
  git(repo, 'config', '--unset', 'commit.template');
  git(repo, 'config', 'core.commentChar', ';');
  commit('commentchar', ['-m', 'feat: c', '-e']);
  git(repo, 'config', 'core.commentChar', 'auto');
  commit('commentchar-auto', ['-m', 'feat: # not a comment', '-e']);
  git(repo, 'config', '--unset', 'core.commentChar');
  commit('amend', ['--amend', '-m', 'feat: amended\n\nLane: X'], {}, false);
  commit('amend-editor', ['--amend'], {}, false);
  // A merge (MERGE_MSG, with a conflict's comment lines) and a squash (SQUASH_MSG).
  git(repo, 'switch', '-q', '-c', 'side');
  writeFileSync(path.join(repo, 'c.txt'), 'side\n');
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'side: c\n\nKey: side');
  git(repo, 'switch', '-q', 'main');
  writeFileSync(path.join(repo, 'c.txt'), 'main\n');
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'main: c');
  spawnSync('git', ['merge', '-q', 'side'], { cwd: repo, env, timeout: 30_000 });
  writeFileSync(path.join(repo, 'c.txt'), 'both\n');
  git(repo, 'add', '-A');
  commit('merge-conflict', ['--no-edit'], {}, false);
  git(repo, 'switch', '-q', '-c', 'side2', 'HEAD~1');
  writeFileSync(path.join(repo, 'd.txt'), 'd\n');
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'side2: d');
  git(repo, 'switch', '-q', 'main');
  run(repo, 'git', ['merge', '-q', '--no-ff', '--no-edit', 'side2'], { CAP_NAME: 'merge' });
  git(repo, 'switch', '-q', '-c', 'side3');
  writeFileSync(path.join(repo, 'e.txt'), 'e\n');
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'side3: e\n\nKey: e');
  git(repo, 'switch', '-q', 'main');
  git(repo, 'merge', '-q', '--squash', 'side3');
  commit('squash', ['--no-edit'], {}, false);
  for (const f of readdirSync(caps)) add(`git: ${f}`, readFileSync(path.join(caps, f)));
  return readdirSync(caps);
}

const SHOULD_DECLINE = new Set(['many lines (git decides)']);
/** Where git 2.39 loops for ever (a scissors line after a divider): sh adds nothing, says 2. */
const GIT_HANGS = new Set(['scissors after a divider']);

describe('the trailer appender in sh gives what git interpret-trailers gives', () => {
  let captured: string[] = [];
  let hangs: string[] = [];
  let bashDiffers: string[] = [];
  const results = new Map<string, { git: Buffer; sh: Buffer; declined: boolean }>();

  beforeAll(() => {
    captured = captureFromGit();
    const dir = path.join(root, 'cases');
    mkdirSync(dir);
    const names = [...cases.keys()];
    names.forEach((name, i) => {
      writeFileSync(path.join(dir, `${i}.git`), cases.get(name)!);
      writeFileSync(path.join(dir, `${i}.sh`), cases.get(name)!);
      writeFileSync(path.join(dir, `${i}.bash`), cases.get(name)!);
      if (GIT_HANGS.has(name)) return;
      git(
        dir,
        ...TRAILER_PINS,
        'interpret-trailers',
        '--in-place',
        '--where',
        'end',
        '--if-exists',
        'doNothing',
        '--if-missing',
        'add',
        ...TRAILERS.flatMap(([k, v]) => ['--trailer', `${k}: ${v}`]),
        `${i}.git`,
      );
    });
    // Every case in one sh: the appender as the shim sources it, declines listed.
    const args = TRAILERS.flat()
      .map((a) => `'${a}'`)
      .join(' ');
    const script = `${SH_TRAILERS}
k=0
while [ $k -lt ${names.length} ]; do
  lanes_append_trailers "$k.sh" ${args}
  case $? in 0) ;; 2) echo $k >> hangs ;; *) echo $k >> declined ;; esac
  k=$((k + 1))
done
`;
    writeFileSync(path.join(dir, 'run.sh'), script);
    run(dir, 'sh', ['run.sh']);
    // bash as sh (macOS's /bin/sh) reads the same script: it must write the same bytes as dash.
    writeFileSync(
      path.join(dir, 'run.bash'),
      script.replace('"$k.sh"', '"$k.bash"').replace(/>> (hangs|declined)/g, '>> $1.bash'),
    );
    run(dir, 'bash', ['--posix', 'run.bash']);
    bashDiffers = names.filter(
      (_, i) =>
        !readFileSync(path.join(dir, `${i}.bash`)).equals(readFileSync(path.join(dir, `${i}.sh`))),
    );
    const listed = (file: string) => {
      try {
        return readFileSync(path.join(dir, file), 'utf8').split('\n');
      } catch {
        return []; // none
      }
    };
    const declined = listed('declined');
    hangs = listed('hangs')
      .filter(Boolean)
      .map((i) => names[Number(i)]!);
    names.forEach((name, i) =>
      results.set(name, {
        git: readFileSync(path.join(dir, `${i}.git`)),
        sh: readFileSync(path.join(dir, `${i}.sh`)),
        declined: declined.includes(String(i)) || GIT_HANGS.has(name),
      }),
    );
  });

  it('captured a message from every mode of git commit', () => {
    for (const mode of [
      'm.message',
      'm-empty.message',
      'editor-strip.message',
      'editor-scissors.message',
      'editor-verbatim.message',
      'editor-whitespace.message',
      'editor-plain.',
      'verbose.message',
      'file-crlf.message',
      'file-nonl.message',
      'template.template',
      'template-config.template',
      'commentchar.message',
      'commentchar-auto.message',
      'amend.message',
      'amend-editor.commit',
      'merge-conflict.merge',
      'merge.merge',
      'squash.squash',
    ])
      expect(captured).toContain(mode);
  });

  it('writes the same bytes as git, or declines and leaves the file as it was', () => {
    const differ: string[] = [];
    for (const [name, r] of results) {
      const want = r.declined ? cases.get(name)! : r.git;
      if (!r.sh.equals(want))
        differ.push(
          `${name}${r.declined ? ' (declined)' : ''}:\n  git: ${JSON.stringify(r.git.toString())}\n  sh:  ${JSON.stringify(r.sh.toString())}`,
        );
    }
    expect(differ.join('\n')).toBe('');
  });

  it('writes the same under bash as under dash', () => {
    expect(bashDiffers).toEqual([]);
  });

  it('declines only where it says it would (so the fast path is the usual one)', () => {
    const declined = [...results].filter(([, r]) => r.declined).map(([n]) => n);
    expect(declined.sort()).toEqual([...SHOULD_DECLINE, ...GIT_HANGS].sort());
    expect(hangs).toEqual([...GIT_HANGS]);
    // A verbose commit's diff is long in real life; this one is short enough for sh.
    expect(results.get('git: verbose.message')!.declined).toBe(false);
  });

  it('git itself does loop on a scissors line after a divider (why sh says 2 there)', () => {
    const file = path.join(root, 'hang.txt');
    writeFileSync(file, cases.get('scissors after a divider')!);
    const r = spawnSync('git', ['interpret-trailers', '--trailer', 'Lane: x', file], {
      env,
      timeout: 2000,
    });
    expect(r.status).toBe(null); // killed by the timeout
  });

  it('the messages git captured differ from the input where trailers were added', () => {
    const r = results.get('git: m.message')!;
    expect(r.sh.toString()).toBe(
      'feat: x\n\nbody\n\nLane: A-backend\nTask: T12\nAgent: claude-code\n',
    );
  });
});

describe('the shell leaves the trailers to git wherever config could make git differ', () => {
  const dir = path.join(root, 'plain');
  const gd = path.join(dir, 'gitdir');
  const common = path.join(dir, 'common');
  const sys = path.join(dir, 'sysconfig');
  mkdirSync(gd, { recursive: true });
  mkdirSync(common, { recursive: true });
  const userHome = path.join(dir, 'home');
  mkdirSync(path.join(userHome, '.config/git'), { recursive: true });
  const reset = () => {
    writeFileSync(sys, '[credential]\n\thelper = store\n');
    writeFileSync(path.join(userHome, '.gitconfig'), '[user]\n\tname = A\n');
    writeFileSync(path.join(userHome, '.config/git/config'), '');
    writeFileSync(path.join(common, 'config'), '[core]\n\tbare = false\n');
    writeFileSync(path.join(gd, 'config.worktree'), '');
  };
  /** Whether the shim would append in sh (lanes_trailers_plain), with this environment. */
  const plain = (extra: NodeJS.ProcessEnv = {}, sysconfig = sys) => {
    const script = `${SH_UNCHANGED}${SH_TRAILERS}\nlanes_trailers_plain && echo plain || echo git\n`;
    const e: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: userHome, ...extra };
    const r = spawnSync(
      'sh',
      [
        '-c',
        `gd=$1 lanes_c_common=$2 lanes_c_sysconfig=$3\n${script}`,
        'sh',
        gd,
        common,
        sysconfig,
      ],
      {
        env: e,
        encoding: 'utf8',
      },
    );
    return r.stdout.trim();
  };
  const cases: [string, () => void, NodeJS.ProcessEnv?][] = [
    [
      'core.commentChar in the repository',
      () => writeFileSync(path.join(common, 'config'), '[core]\n\tcommentChar = ;\n'),
    ],
    [
      'core.commentchar=auto in the worktree config',
      () => writeFileSync(path.join(gd, 'config.worktree'), '[Core]\n\tCommentChar = auto\n'),
    ],
    [
      'a trailer section in ~/.gitconfig',
      () =>
        writeFileSync(
          path.join(userHome, '.gitconfig'),
          '[trailer "sign"]\n\tkey = Signed-off-by\n',
        ),
    ],
    [
      'trailer.ifexists in the XDG config',
      () =>
        writeFileSync(
          path.join(userHome, '.config/git/config'),
          '[trailer]\n\tifexists = replace\n',
        ),
    ],
    [
      'an includeIf in the system config',
      () => writeFileSync(sys, '[includeIf "gitdir:/x/"]\n\tpath = /elsewhere\n'),
    ],
    [
      'a trailer key in a file the repository config includes',
      () => {
        mkdirSync(path.join(common, 'lanes-hooks'), { recursive: true });
        writeFileSync(path.join(common, 'lanes-hooks/inc'), '[trailer]\n\twhere = start\n');
        writeFileSync(path.join(common, 'config'), '[include]\n\tpath = lanes-hooks/inc\n');
      },
    ],
    [
      'a quoted include path',
      () => writeFileSync(path.join(common, 'config'), '[include]\n\tpath = "x y"\n'),
    ],
    [
      'core.commentString in the system config',
      () => writeFileSync(sys, '[core]\n\tcommentString = //\n'),
    ],
  ];

  it('appends in sh with config that does not bear on trailers (includes followed)', () => {
    reset();
    expect(plain()).toBe('plain');
    // lanes-hooks' own include, as install writes it into every repository (comments say "include")
    mkdirSync(path.join(common, 'lanes-hooks'), { recursive: true });
    writeFileSync(
      path.join(common, 'lanes-hooks/inc'),
      '# .git/config includes this file\n[core]\n\thooksPath = /h\n',
    );
    writeFileSync(path.join(common, 'config'), '[include]\n\tpath = lanes-hooks/inc\n');
    expect(plain()).toBe('plain');
  });
  for (const [name, set] of cases)
    it(`goes to git: ${name}`, () => {
      reset();
      set();
      expect(plain()).toBe('git');
    });
  it('reads only the files git reads: no system file under GIT_CONFIG_NOSYSTEM, only GIT_CONFIG_GLOBAL when it is set', () => {
    // What git itself reads then (git-config(1), ENVIRONMENT), pinned: a key set in the files the
    // shim skips is not seen by git either.
    const seen = (key: string, extra: NodeJS.ProcessEnv) =>
      spawnSync('git', ['config', '--get', key], {
        cwd: dir,
        env: { PATH: process.env.PATH, HOME: userHome, GIT_CONFIG_SYSTEM: sys, ...extra },
        encoding: 'utf8',
      }).stdout.trim();
    const empty = path.join(dir, 'empty-global');
    writeFileSync(empty, '');
    reset();
    writeFileSync(sys, '[trailer]\n\twhere = start\n');
    expect(plain()).toBe('git');
    expect(seen('trailer.where', {})).toBe('start');
    for (const off of ['1', 'true', 'Yes', 'on']) {
      expect(plain({ GIT_CONFIG_NOSYSTEM: off })).toBe('plain');
      expect(seen('trailer.where', { GIT_CONFIG_NOSYSTEM: off })).toBe('');
    }
    // A value sh cannot be sure git calls true: the file is read.
    expect(plain({ GIT_CONFIG_NOSYSTEM: '0' })).toBe('git');
    expect(plain({ GIT_CONFIG_NOSYSTEM: '2' })).toBe('git');
    reset();
    writeFileSync(path.join(userHome, '.gitconfig'), '[trailer "sign"]\n\tkey = Signed-off-by\n');
    writeFileSync(path.join(userHome, '.config/git/config'), '[trailer]\n\tifexists = replace\n');
    expect(plain()).toBe('git');
    expect(seen('trailer.sign.key', {})).toBe('Signed-off-by');
    expect(plain({ GIT_CONFIG_GLOBAL: empty })).toBe('plain');
    expect(seen('trailer.sign.key', { GIT_CONFIG_GLOBAL: empty })).toBe('');
    expect(seen('trailer.ifexists', { GIT_CONFIG_GLOBAL: empty })).toBe('');
    // Set but empty: git reads no global file at all.
    expect(plain({ GIT_CONFIG_GLOBAL: '' })).toBe('plain');
    expect(seen('trailer.sign.key', { GIT_CONFIG_GLOBAL: '' })).toBe('');
  });
  it('notes a plain answer and takes it while every file it read is older (plain-seen)', () => {
    const note = path.join(gd, PLAIN_SEEN);
    const files = [
      sys,
      path.join(userHome, '.gitconfig'),
      path.join(userHome, '.config/git/config'),
      path.join(common, 'config'),
      path.join(gd, 'config.worktree'),
    ];
    const past = new Date(Date.now() - 120_000);
    const age = () => files.forEach((f) => utimesSync(f, past, past));
    reset();
    age();
    rmSync(note, { force: true });
    expect(plain()).toBe('plain');
    expect(readFileSync(note, 'utf8')).toBe(`\n${files.map((f) => `+${f}\n`).join('')}.\n`);
    // Taken: trailer config put back with an old mtime is not seen (the limit the note's comment
    // states: only where sh places the trailers)…
    writeFileSync(path.join(common, 'config'), '[trailer]\n\twhere = start\n');
    age();
    expect(plain()).toBe('plain');
    // …and left, once a file is newer than the note, a missing one appears, the environment names
    // other files, or the note is cut short.
    writeFileSync(path.join(common, 'config'), '[trailer]\n\twhere = start\n');
    expect(plain()).toBe('git');
    reset();
    age();
    const xdg = path.join(userHome, '.config/git/config');
    rmSync(xdg);
    expect(plain()).toBe('plain');
    expect(readFileSync(note, 'utf8')).toContain(`\n-${xdg}\n`);
    writeFileSync(xdg, '[trailer]\n\tifexists = replace\n');
    utimesSync(xdg, past, past);
    expect(plain()).toBe('git');
    reset();
    age();
    expect(plain()).toBe('plain');
    const other = path.join(dir, 'other-global');
    writeFileSync(other, '[trailer]\n\twhere = start\n');
    utimesSync(other, past, past);
    expect(plain({ GIT_CONFIG_GLOBAL: other })).toBe('git');
    expect(plain()).toBe('plain');
    writeFileSync(path.join(gd, 'config.worktree'), '[core]\n\tcommentChar = ;\n');
    utimesSync(path.join(gd, 'config.worktree'), past, past);
    writeFileSync(note, readFileSync(note, 'utf8').replace(/\.\n$/, ''));
    expect(plain()).toBe('git');
  });
  it('goes to git for `git -c core.commentChar=…`, GIT_CONFIG_COUNT, another global or system file, or an unknown system path', () => {
    reset();
    expect(plain({ GIT_CONFIG_PARAMETERS: "'core.commentchar'='auto'" })).toBe('git');
    expect(plain({ GIT_CONFIG_PARAMETERS: "'trailer.where'='start'" })).toBe('git');
    expect(plain({ GIT_CONFIG_PARAMETERS: "'user.name'='x'" })).toBe('plain');
    expect(
      plain({
        GIT_CONFIG_COUNT: '1',
        GIT_CONFIG_KEY_0: 'core.commentChar',
        GIT_CONFIG_VALUE_0: ';',
      }),
    ).toBe('git');
    const other = path.join(dir, 'other');
    writeFileSync(other, '[trailer]\n\twhere = start\n');
    expect(plain({ GIT_CONFIG_GLOBAL: other })).toBe('git');
    expect(plain({ GIT_CONFIG_SYSTEM: other })).toBe('git');
    expect(plain({}, '')).toBe('git');
  });
});
