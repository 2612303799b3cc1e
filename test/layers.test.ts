// The layers (docs/architecture.md), bottom to top; nothing imports from a layer above its own.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const LAYERS: string[][] = [
  ['util', '.'], // errors, small utils, the version
  ['config'],
  ['git'],
  ['lanes', 'agents'], // lane facts: names, resolution; agents' payloads read into facts
  ['policy'],
  ['store'],
  ['queue', 'reviews'],
  ['hooks'],
  ['lifecycle'],
  ['coordinator', 'guard', 'dashboard'], // dashboard: the coordinator's live page (a server)
  ['demo'],
  ['cli'],
];
const rank = (folder: string) => LAYERS.findIndex((l) => l.includes(folder));

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}
const folderOf = (file: string) => {
  const rel = path.relative('src', file).split(path.sep);
  return rel.length > 1 ? rel[0]! : '.';
};

describe('layers', () => {
  it('every folder of src/ has a layer, and no import runs upward', () => {
    const upward: string[] = [];
    for (const file of files('src')) {
      const from = folderOf(file);
      expect(rank(from), `${from} has no layer`).toBeGreaterThanOrEqual(0);
      for (const m of readFileSync(file, 'utf8').matchAll(/from '(\.[^']+)'/g)) {
        const to = folderOf(path.join(path.dirname(file), m[1]!));
        if (rank(to) > rank(from)) upward.push(`${file} -> ${m[1]}`);
      }
    }
    expect(upward).toEqual([]);
  });

  it('git is started only by src/git/ (the pins and the environment in one place)', () => {
    const outside = files('src')
      .filter((f) => folderOf(f) !== 'git')
      .filter((f) =>
        /\b(spawnSync|spawn|execFileSync|execFile|execSync|exec)\(\s*'git'/.test(
          readFileSync(f, 'utf8'),
        ),
      );
    expect(outside).toEqual([]);
  });
});

/** The anchors GitHub gives a Markdown file's headings (its slugger: lower case, punctuation dropped). */
function anchors(file: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  let fenced = false;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (/^```/.test(line)) fenced = !fenced;
    const m = !fenced && /^#{1,6}\s+(.*?)\s*#*$/.exec(line);
    if (!m) continue;
    const base = m[1]!
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\- _]/gu, '')
      .replace(/ /g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n ? `${base}-${n}` : base);
  }
  return out;
}

describe('documentation', () => {
  it('every #anchor in the README and docs/ names a heading of the file it points to', () => {
    const docs = ['README.md', ...readdirSync('docs').map((f) => path.join('docs', f))];
    const broken: string[] = [];
    for (const doc of docs.filter((d) => d.endsWith('.md'))) {
      for (const m of readFileSync(doc, 'utf8').matchAll(/\]\(([^)\s]*#[^)\s]+)\)/g)) {
        if (/^[a-z]+:/i.test(m[1]!)) continue;
        const [target, anchor] = m[1]!.split('#') as [string, string];
        const file = target ? path.normalize(path.join(path.dirname(doc), target)) : doc;
        if (!file.endsWith('.md')) continue;
        let known: Set<string>;
        try {
          known = anchors(file);
        } catch {
          broken.push(`${doc}: ${m[1]} (no such file)`);
          continue;
        }
        if (!known.has(anchor)) broken.push(`${doc}: ${m[1]} (no such heading in ${file})`);
      }
    }
    expect(broken).toEqual([]);
    // The check sees headings the way GitHub does.
    expect(anchors('docs/reference.md').has('the-store-under-refslanes')).toBe(true);
  });

  it('every link in the README and docs/ finds a file the package ships', () => {
    const shipped: string[] = JSON.parse(readFileSync('package.json', 'utf8')).files;
    const docs = ['README.md', ...readdirSync('docs').map((f) => path.join('docs', f))];
    const broken: string[] = [];
    for (const doc of docs.filter((d) => d.endsWith('.md'))) {
      for (const m of readFileSync(doc, 'utf8').matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = m[1]!.split('#')[0]!;
        if (!target || /^[a-z]+:/i.test(m[1]!)) {
          if (/^[a-z]+:/i.test(m[1]!)) broken.push(`${doc}: ${m[1]} (leaves the repository)`);
          continue;
        }
        const file = path.normalize(path.join(path.dirname(doc), target));
        if (file.startsWith('..') || path.isAbsolute(file) || target.startsWith('..'))
          broken.push(`${doc}: ${m[1]} (leaves the repository, or docs/)`);
        else if (!shipped.some((f) => file === f || file.startsWith(f)))
          broken.push(`${doc}: ${m[1]} (not in the published package)`);
        else {
          try {
            statSync(file);
          } catch {
            broken.push(`${doc}: ${m[1]} (no such file)`);
          }
        }
      }
    }
    expect(broken).toEqual([]);
  });
});
