// init --scaffold (its main path), the reference configuration, and status --watch. The seed's
// command lines typed verbatim through the wrappers it writes, and the rest: test/deep/scaffold.test.ts
// (issue 29).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { referenceConfigText } from '../src/config/schema.js';
import { CLI } from './helpers/world.js';
import { scaffoldWorld } from './helpers/setups.js';

const { sb, C } = scaffoldWorld();

describe('init --scaffold', () => {
  it('writes the entry points, includes lanes.mk from a new Makefile, and a second run changes nothing', () => {
    const first = sb.cli(C, 'init', '--scaffold');
    expect(first.status).toBe(0);
    expect(first.stdout).toContain('wrote scripts/ops/setup_agent_lanes.sh');
    expect(readFileSync(path.join(C, 'Makefile'), 'utf8')).toBe('include lanes.mk\n');
    const again = sb.cli(C, 'init', '--scaffold');
    expect(again.stdout).not.toContain('wrote');
    expect(again.stdout).toContain('Makefile: already includes lanes.mk');
    sb.must(C, 'add', '-A');
    sb.must(C, 'commit', '-q', '-m', 'the lane model entry points');
    sb.must(C, 'push', '-q', 'origin', 'master');
  });
});

describe('the reference configuration', () => {
  it('ships at the repository root as the same document init writes', () => {
    const shipped = JSON.parse(readFileSync('.lanesrc.json', 'utf8'));
    const written = JSON.parse(referenceConfigText());
    expect(shipped.$schema).toBe('./schema/lanesrc.schema.json');
    expect(written.$schema).toBe('./node_modules/lanes-hooks/schema/lanesrc.schema.json');
    expect({ ...shipped, $schema: null }).toEqual({ ...written, $schema: null });
  });
});

describe('status --watch and the control room', () => {
  it('prints plain repeated refreshes off a terminal and stops cleanly on Ctrl-C (SIGINT)', async () => {
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, [CLI, 'status', '--watch', '--interval', '0.2'], {
      cwd: C,
      env: sb.env,
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const code = await new Promise<number | null>((resolve) => {
      const poll = setInterval(() => {
        if (out.split('lanes-hooks status --watch').length > 2) {
          clearInterval(poll);
          child.kill('SIGINT');
        }
      }, 50);
      child.on('exit', (c) => resolve(c));
    });
    expect(code).toBe(0);
    expect(out).not.toContain('\u001b[2J'); // no screen clearing into a pipe
    expect(out.split('lanes-hooks status --watch').length).toBeGreaterThan(2);
    expect(out).toContain('A-backend');
  });
});
