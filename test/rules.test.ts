// One declaration per rule (src/policy/rules.ts): every rule id has one, every rule id used in the
// sources is declared, the reference's table of layers is the declaration, and the briefs list
// what it says. Pure reads of the sources, and the generated shims run by sh: no git.
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { earlyLines, earlyNeeds, handOffFunction, policyShim } from '../src/hooks/shims.js';
import { HOOK_ENTRY } from '../src/bundle-files.js';
import {
  LAYERS,
  REF_CLASSES,
  RULES,
  SHIM_HOOKS,
  type RefClass,
  type RuleDeclaration,
} from '../src/policy/rules.js';
import { RULE_IDS } from '../src/policy/types.js';

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sources(path.join(dir, e.name))
      : e.name.endsWith('.ts')
        ? [path.join(dir, e.name)]
        : [],
  );
}

describe('rule declarations', () => {
  it('every rule id of src/policy has exactly one declaration', () => {
    expect(Object.keys(RULES).sort()).toEqual([...RULE_IDS].sort());
  });

  it('every rule id the sources name is a declared rule id', () => {
    const named = new Set<string>();
    for (const file of sources('src'))
      for (const m of readFileSync(file, 'utf8').matchAll(/\brule(?:Id)?: '([a-z-]+)'/g))
        named.add(m[1]!);
    expect(named.size).toBeGreaterThan(5);
    expect([...named].filter((r) => !(r in RULES))).toEqual([]);
  });

  it("docs/reference.md's table of layers is the declaration, cell by cell", () => {
    const lines = readFileSync('docs/reference.md', 'utf8').split('\n');
    const cells = (line: string) =>
      line
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((c) => c.trim().replace(/\\\|/g, '|'));
    const header = lines.findIndex((l) => l.startsWith('| rule id'));
    expect(header).toBeGreaterThan(0);
    expect(cells(lines[header]!).slice(1)).toEqual(
      LAYERS.map((l) => (l === 'guard pre-receive' ? '`guard pre-receive` (server, CI)' : l)),
    );
    const rows = new Map<string, string[]>();
    for (const line of lines.slice(header + 2)) {
      if (!line.startsWith('|')) break;
      const [id, ...rest] = cells(line);
      rows.set(id!.replace(/`/g, ''), rest);
    }
    expect([...rows.keys()].sort()).toEqual([...RULE_IDS].sort());
    for (const [id, decl] of Object.entries(RULES))
      expect(rows.get(id), id).toEqual(LAYERS.map((l) => decl.layers[l] ?? '—'));
  });

  it('the lane briefs list exactly the rules declared for them', () => {
    const brief = readFileSync('src/hooks/brief.ts', 'utf8');
    const listed = [...brief.matchAll(/rule: '([a-z-]+)'/g)].map((m) => m[1]!).sort();
    const declared = Object.entries(RULES)
      .filter(([, d]) => d.brief.length)
      .map(([id]) => id)
      .sort();
    expect(listed).toEqual(declared);
    // review-detached-head is listed for review lanes only.
    expect(RULES['review-detached-head'].brief).toEqual(['review']);
    expect(brief).toMatch(
      /lane\.kind === 'review'\)\s*refused\.push\(\{\s*rule: 'review-detached-head'/,
    );
  });
});

// The shims' first lines and the fast path's hand-offs are generated from the declarations
// (src/hooks/shims.ts earlyLines, handOffFunction): each declaration must show in the script git
// runs. The reference-transaction and post-checkout shims are run by sh (no git) with a stand-in
// for Node that records its calls and no compiled policy, so every line the first lines let
// through reaches "Node": a ref class is let through exactly when some rule declares it.
describe('the shims derive from the declarations', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lanes-rules-'));
  const gitDir = path.join(dir, 'gitdir');
  mkdirSync(gitDir);
  // The hook entry the shims start (and check for): a stand-in, never run (the `node` below is one).
  writeFileSync(path.join(dir, HOOK_ENTRY), '// stand-in\n');
  const node = path.join(dir, 'node');
  const calls = path.join(dir, 'calls');
  writeFileSync(node, `#!/bin/sh\ncat > /dev/null\necho "$*" >> '${calls}'\n`);
  chmodSync(node, 0o755);
  const params = { version: '0.0.0', base: dir, node, previous: '' };
  const run = (script: string, args: string[], input: string, head = 'ref: refs/heads/x') => {
    writeFileSync(path.join(gitDir, 'HEAD'), `${head}\n`);
    const file = path.join(dir, 'hook');
    writeFileSync(file, script);
    chmodSync(file, 0o755);
    rmSync(calls, { force: true });
    const r = spawnSync(file, args, {
      cwd: dir,
      input,
      env: { PATH: process.env.PATH, GIT_DIR: gitDir },
    });
    expect(r.status, r.stderr.toString()).toBe(0);
    return existsSync(calls);
  };
  const a = '1'.repeat(40);
  const b = '2'.repeat(40);
  const zero = '0'.repeat(40);
  const sample: Record<RefClass, string> = {
    head: 'HEAD',
    branch: 'refs/heads/x',
    tag: 'refs/tags/v1',
    store: 'refs/lanes/queue',
    'remote-tracking': 'refs/remotes/origin/x',
    'store-sync': 'refs/lanes-sync/origin/queue',
    pseudo: 'ORIG_HEAD',
    other: 'refs/notes/commits',
  };
  const classes = Object.keys(REF_CLASSES) as RefClass[];
  const only = (e: NonNullable<RuleDeclaration['early']>): Record<string, RuleDeclaration> => ({
    x: { layers: {}, brief: [], shell: [], early: e },
  });
  const rt = (rules: Record<string, RuleDeclaration>) =>
    policyShim('reference-transaction', params, rules);

  it('every rule a shim hook enforces is decided in sh or handed to Node, as declared', () => {
    for (const [id, d] of Object.entries(RULES))
      for (const hook of SHIM_HOOKS) {
        const enforced = hook in d.layers;
        const decided = d.shell.includes(hook);
        expect(!!d.handOff?.[hook], `${id} at ${hook}`).toBe(enforced && !decided);
        if (decided || d.early?.[hook as keyof typeof d.early])
          expect(enforced, `${id} at ${hook}`).toBe(true);
        if (d.handOff?.[hook]) {
          const fn = handOffFunction(hook);
          expect(fn).toContain(`${d.handOff[hook]} && return 0 # ${id}`);
          expect(policyShim(hook as 'pre-commit', params)).toContain(fn);
        }
      }
  });

  it("reference-transaction's first lines let through exactly the declared moves and deletes", () => {
    const need = earlyNeeds();
    // The rules as declared: the union of their moves and deletes reaches Node, nothing else.
    for (const c of classes) {
      const move = run(
        policyShim('reference-transaction', params),
        ['prepared'],
        `${a} ${b} ${sample[c]}\n`,
      );
      expect(move, `move of ${c}`).toBe(need.moves.has(c));
      if (c === 'head') continue; // HEAD is never deleted (a detach is a move)
      const del = run(
        policyShim('reference-transaction', params),
        ['prepared'],
        `${a} ${zero} ${sample[c]}\n`,
      );
      expect(del, `delete of ${c}`).toBe(need.deletes.has(c));
    }
    expect(need.moves.size).toBeGreaterThan(3);
    // Any single declaration: its class alone reaches Node (so a new rule's class cannot be missed).
    for (const c of classes)
      for (const o of classes) {
        const rules = only({
          'reference-transaction': { moves: [c], deletes: [c], transientHead: false },
        });
        expect(
          run(rt(rules), ['prepared'], `${a} ${b} ${sample[o]}\n`),
          `${c} declared, ${o} moves`,
        ).toBe(c === o);
      }
    // Other states never reach Node; a HEAD-only move in a rebase does only if a rule says so.
    expect(
      run(policyShim('reference-transaction', params), ['committed'], `${a} ${b} refs/heads/x\n`),
    ).toBe(false);
    mkdirSync(path.join(gitDir, 'rebase-merge'));
    try {
      expect(
        run(policyShim('reference-transaction', params), ['prepared'], `${a} ${b} HEAD\n`),
      ).toBe(false);
      const rules = only({
        'reference-transaction': { moves: ['head'], deletes: [], transientHead: true },
      });
      expect(rt(rules)).not.toBe(policyShim('reference-transaction', params));
      expect(run(rt(rules), ['prepared'], `${a} ${b} HEAD\n`)).toBe(true);
    } finally {
      rmSync(path.join(gitDir, 'rebase-merge'), { recursive: true });
    }
  });

  it("post-checkout's first lines skip exactly what no rule acts on", () => {
    const shim = (rules?: Record<string, RuleDeclaration>) =>
      policyShim('post-checkout', params, rules);
    const detached = a;
    // As declared (review-detached-head only): a branch checkout leaving HEAD detached, no new worktree.
    expect(run(shim(), [a, b, '1'], '', detached)).toBe(true);
    expect(run(shim(), [a, b, '0'], '', detached)).toBe(false);
    expect(run(shim(), [zero, b, '1'], '', detached)).toBe(false);
    expect(run(shim(), [a, b, '1'], '')).toBe(false);
    // With no rule at all the hook is skipped entirely.
    expect(earlyLines('post-checkout', params, {})).toMatch(/^\s*exit 0$/m);
    // Each flag, declared, lets its case through the first lines.
    const decl = (f: boolean, n: boolean, h: boolean) =>
      only({ 'post-checkout': { fileCheckouts: f, newWorktrees: n, attachedHead: h } });
    expect(earlyLines('post-checkout', params, decl(true, false, false))).not.toContain('"$3" = 1');
    expect(earlyLines('post-checkout', params, decl(false, true, false))).not.toContain('*[!0]*');
    expect(earlyLines('post-checkout', params, decl(false, false, true))).not.toContain("'ref: '");
    expect(earlyLines('post-checkout', params, decl(false, false, false))).toContain('"$3" = 1');
  });
});
