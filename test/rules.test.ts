// One declaration per rule (src/policy/rules.ts): every rule id has one, every rule id used in the
// sources is declared, the reference's table of layers is the declaration, and the briefs list
// what it says. Pure reads of the sources: no git.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LAYERS, RULES } from '../src/policy/rules.js';
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
