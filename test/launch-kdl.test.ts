// The control room's zellij layout, parsed by a real KDL 1.0 parser (kdljs 0.2, the kdl-org
// reference implementation of KDL 1.0) and held to zellij's documented layout format
// (https://zellij.dev/documentation/creating-a-layout: a `layout` node; `pane` nodes with `name`,
// `cwd`, `command` properties, an `args` child, `split_direction`, `size`, `borderless`; `plugin
// location=`; no `tab` node means one tab). zellij reads layouts as KDL 1.0 (zellij-utils depends
// on the kdl crate 4.x). zellij itself cannot be installed here, so the structure is what is checked.
import { parse } from 'kdljs';
import { describe, expect, it } from 'vitest';
import { kdl, zellijLayout, type Pane } from '../src/lifecycle/launch.js';

type Node = {
  name: string;
  values: unknown[];
  properties: Record<string, unknown>;
  children: Node[];
};

function parsed(text: string): Node[] {
  const r = parse(text) as { output: Node[] | undefined; errors: unknown[] };
  expect(r.errors, text).toEqual([]);
  return r.output!;
}

/** Every pane node in the tree, depth first. */
const panes = (nodes: Node[]): Node[] =>
  nodes.flatMap((n) => [...(n.name === 'pane' ? [n] : []), ...panes(n.children)]);

const HOSTILE = [
  '/work/my projects/app-A-backend',
  '/work/"quoted"/app-B.ui',
  '/work/back\\slash/app-C_ops',
  '/work/new\nline/app-D',
  '/work/tab\tand\u0001control\u007f/app-E',
  '/work/ünïcödé 🚀/app-F',
  '/work/{role} $(rm -rf ~) `x`/app-G',
];

describe('launch: the zellij layout', () => {
  it('parses as KDL 1.0 and has zellij’s layout structure, with hostile paths kept exact', () => {
    const roles = ['A-backend', 'B.ui', 'C_ops', 'D', 'E', 'F', 'G'];
    const coordinator: Pane = {
      title: 'COORDINATOR',
      cwd: '/work/my "app"\n',
      command: [
        'sh',
        '-c',
        `'/usr/bin/node' '/x/lanes-hooks.mjs' status --watch; exec "\${SHELL:-sh}"`,
      ],
    };
    const lanes: Pane[] = roles.map((role, i) => ({ title: role, cwd: HOSTILE[i]! }));
    const doc = parsed(zellijLayout([coordinator, ...lanes]));
    expect(doc.map((n) => n.name)).toEqual(['layout']);
    const layout = doc[0]!;
    // One tab: no tab node anywhere, so zellij makes the layout's panes one tab.
    const names = (ns: Node[]): string[] => ns.flatMap((n) => [n.name, ...names(n.children)]);
    expect(names(layout.children)).not.toContain('tab');
    // Only node kinds zellij's layout documents, with its property names.
    for (const n of names(layout.children)) expect(['pane', 'plugin', 'args']).toContain(n);
    const all = panes(layout.children);
    for (const p of all)
      for (const k of Object.keys(p.properties))
        expect(['name', 'cwd', 'command', 'split_direction', 'size', 'borderless']).toContain(k);
    // The coordinator's pane: its command and args exactly, in its folder.
    const coord = all.filter((p) => p.properties.name === 'COORDINATOR');
    expect(coord).toHaveLength(1);
    expect(coord[0]!.properties.cwd).toBe(coordinator.cwd);
    expect(coord[0]!.properties.command).toBe('sh');
    expect(coord[0]!.children.find((c) => c.name === 'args')!.values).toEqual(
      coordinator.command!.slice(1),
    );
    // A named pane per lane, with its cwd byte for byte.
    for (const [i, role] of roles.entries()) {
      const p = all.filter((n) => n.properties.name === role);
      expect(p, role).toHaveLength(1);
      expect(p[0]!.properties.cwd).toBe(HOSTILE[i]);
    }
    // The lanes sit side by side with the coordinator: split, then stacked.
    const split = layout.children.find((n) => n.properties.split_direction === 'vertical')!;
    expect(split.children.map((c) => c.properties.name ?? c.properties.split_direction)).toEqual([
      'COORDINATOR',
      'horizontal',
    ]);
    for (const d of all.map((p) => p.properties.split_direction).filter(Boolean))
      expect(['vertical', 'horizontal']).toContain(d);
    expect(
      layout.children
        .flatMap((n) => n.children)
        .filter((c) => c.name === 'plugin')
        .map((c) => c.properties.location),
    ).toEqual(['zellij:tab-bar', 'zellij:status-bar']);
  });

  it('a string KDL 1.0 reads back as written, where JSON’s \\u0001 is no KDL 1.0 escape', () => {
    for (const s of [...HOSTILE, '', '\u0000\u001f', 'a"b\\c'])
      expect(parsed(`n ${kdl(s)}\n`)[0]!.values).toEqual([s]);
    expect(
      (parse(`n ${JSON.stringify('\u0001')}\n`) as { errors: unknown[] }).errors.length,
    ).toBeGreaterThan(0);
  });

  it('a coordinator alone: no empty lane split', () => {
    const doc = parsed(zellijLayout([{ title: 'COORDINATOR', cwd: '/c' }]));
    expect(
      panes(doc[0]!.children).filter((p) => p.properties.split_direction === 'horizontal'),
    ).toEqual([]);
  });
});
