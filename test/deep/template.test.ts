// The sandbox templates (helpers/template.ts) stand in for building every world from scratch:
// a copy must be that world, at its own paths, and must not lean on the template.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Sandbox } from '../../src/demo/sandbox.js';
import { CLI, claim, commit, head, tmpDir, world } from '../helpers/world.js';
import { coordinatorSandbox, template, templatesOff } from '../helpers/template.js';

const ROLES = ['A-backend', 'D-arch'];
const build = (sb: Sandbox) => {
  sb.createCoordinator();
  for (const r of ROLES) sb.addLane(r);
};

/** Every file outside the object stores: relative path -> [mode, content]. */
function tree(root: string, rel = ''): Map<string, [number, Buffer]> {
  const out = new Map<string, [number, Buffer]>();
  const walk = (r: string) => {
    for (const name of readdirSync(path.join(root, r), { withFileTypes: true })) {
      const f = path.join(r, name.name);
      if (name.isDirectory()) {
        if (name.name !== 'objects') walk(f);
      } else {
        const abs = path.join(root, f);
        out.set(f, [statSync(abs).mode, readFileSync(abs)]);
      }
    }
  };
  walk(rel);
  return out;
}

/** A file's text with `root` as ROOT and every object id as SHA (ids carry commit times). */
const normal = (b: Buffer, root: string) =>
  b
    .toString('utf8')
    .replaceAll(root, 'ROOT')
    .replace(/\b[0-9a-f]{40}\b/g, 'SHA');

describe.skipIf(templatesOff())('sandbox templates', () => {
  it('a copy is the template at its own root: same files, modes and contents, no path into the template', () => {
    const w = world(ROLES);
    const t = template(`world ${JSON.stringify(ROLES)}`, build);
    expect(w.root).not.toBe(t.root);
    const a = tree(t.tree);
    const b = tree(w.root);
    expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
    expect(t.pathful.length).toBeGreaterThan(0);
    for (const [f, [mode, data]] of a) {
      const [m2, d2] = b.get(f)!;
      expect(m2, f).toBe(mode);
      expect(d2.includes(t.root), f).toBe(false);
      expect(d2.toString('utf8'), f).toBe(data.toString('utf8').replaceAll(t.root, w.root));
      expect(d2.includes(t.tree), f).toBe(false);
    }
  });

  it('a copy has what a world built from scratch has (modulo root, object ids and times)', () => {
    const scratch = new Sandbox(tmpDir(), CLI);
    build(scratch);
    const w = world(ROLES);
    const a = tree(scratch.root);
    const b = tree(w.root);
    expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
    for (const [f, [mode, data]] of a) {
      const [m2, d2] = b.get(f)!;
      expect(m2, f).toBe(mode);
      // The index holds stat data and reflogs hold times: compared through git below. The fresh
      // note holds the pid of the git command whose hook wrote it (src/hooks/shims.ts).
      if (path.basename(f) === 'index' || f.includes(`${path.sep}logs${path.sep}`)) continue;
      if (path.basename(f) === 'lanes-hooks.fresh') {
        expect(normal(d2, w.root), f).toMatch(/^\d+\n$/);
        continue;
      }
      expect(normal(d2, w.root), f).toBe(normal(data, scratch.root));
    }
    for (const sb of [scratch, w]) {
      expect(sb.must(sb.coordinator, 'worktree', 'list', '--porcelain')).toContain(
        `worktree ${sb.lane('A-backend')}\n`,
      );
      for (const dir of [sb.coordinator, ...ROLES.map((r) => sb.lane(r))]) {
        expect(sb.must(dir, 'status', '--porcelain'), dir).toBe('');
        expect(sb.must(dir, 'ls-files', '-s').replace(/[0-9a-f]{40}/g, 'SHA')).toBe(
          scratch.must(scratch.coordinator, 'ls-files', '-s').replace(/[0-9a-f]{40}/g, 'SHA'),
        );
      }
      expect(head(sb, sb.lane('D-arch'))).toBe('agent/D-arch');
    }
    const doctor = (sb: Sandbox) => {
      const r = sb.cli(sb.lane('A-backend'), 'doctor');
      return [r.status, normal(Buffer.from(r.stdout + r.stderr), sb.root)];
    };
    expect(doctor(w)).toEqual(doctor(scratch));
  });

  it('a copy’s hooks guard the copy: refusals, commits and pushes land in the copy alone', () => {
    const w = world(ROLES);
    const t = template(`world ${JSON.stringify(ROLES)}`, build);
    const A = w.lanes['A-backend']!;
    const tplRemote = path.join(t.tree, 'remote.git');
    const before = w.must(tplRemote, 'for-each-ref');
    const refused = commit(w, A, ['web/page.html']);
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toContain('lanes-hooks: refused by');
    w.must(A, 'reset', '-q');
    w.must(A, 'clean', '-qfd');
    expect(commit(w, A, ['backend/x.ts']).status).toBe(0);
    claim(w, w.coordinator);
    const pushed = w.git(A, 'push', '-q', 'origin', 'agent/A-backend');
    expect(pushed.status, pushed.stderr).toBe(0);
    expect(w.must(w.remote, 'rev-parse', 'agent/A-backend')).toBe(w.must(A, 'rev-parse', 'HEAD'));
    expect(w.must(tplRemote, 'for-each-ref')).toBe(before);
  });

  it('two coordinators from one template are independent', () => {
    const a = coordinatorSandbox();
    const b = coordinatorSandbox();
    a.write(a.coordinator, 'README.md', 'changed\n');
    expect(b.must(b.coordinator, 'status', '--porcelain')).toBe('');
    expect(a.must(a.coordinator, 'config', 'remote.origin.url')).toBe(a.remote);
    const bare = coordinatorSandbox({ install: false });
    expect(bare.git(bare.coordinator, 'config', 'core.hooksPath').stdout).toBe('');
    expect(a.must(a.coordinator, 'config', 'core.hooksPath')).toContain(a.root);
  });
});
