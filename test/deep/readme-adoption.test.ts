// Issue 30's done-when: the README's adoption section, run command by command exactly as written
// (the blocks are read from README.md, so README and test cannot drift), on a fresh repository of
// a real project's shape (express: lib/, test/, examples/, dotfiles, package.json, `.npmrc` with
// package-lock=false and ignore-scripts=true), under a parent folder whose name has a space.
// `npm i -D lanes-hooks` is answered by a registry on 127.0.0.1 serving this package's `npm pack`
// (npm's registry contract: GET /<name> is the packument, `dist.tarball` its URL), so the install
// line runs verbatim with no network. Deep tier: npm and a whole day take a while.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Sandbox } from '../../src/demo/sandbox.js';
import { PRE_RECEIVE } from '../helpers/bare-hub.js';
import { CLI, tmpDir } from '../helpers/world.js';

/** The README's `sh` block marked `<!-- readme-test: <name> -->`, as written. */
export function readmeBlock(name: string): string {
  const readme = readFileSync(path.resolve('README.md'), 'utf8');
  const m = new RegExp(`<!-- readme-test: ${name} -->\\s*\`\`\`sh\\n([\\s\\S]*?)\`\`\``).exec(
    readme,
  );
  if (!m) throw new Error(`README.md has no block marked readme-test: ${name}`);
  return m[1]!;
}

/** A registry that knows one package: the tarball `npm pack` made. */
async function localRegistry(tgz: string) {
  const data = readFileSync(tgz);
  const pkg = JSON.parse(readFileSync(path.resolve('package.json'), 'utf8'));
  const file = `${pkg.name}-${pkg.version}.tgz`;
  const server = http.createServer((req, res) => {
    const url = decodeURIComponent(req.url ?? '');
    if (url === `/${pkg.name}`) {
      const port = (server.address() as AddressInfo).port;
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify({
          name: pkg.name,
          'dist-tags': { latest: pkg.version },
          versions: {
            [pkg.version]: {
              name: pkg.name,
              version: pkg.version,
              bin: pkg.bin,
              engines: pkg.engines,
              dist: {
                tarball: `http://127.0.0.1:${port}/${pkg.name}/-/${file}`,
                shasum: createHash('sha1').update(data).digest('hex'),
                integrity: `sha512-${createHash('sha512').update(data).digest('base64')}`,
              },
            },
          },
        }),
      );
    } else if (url === `/${pkg.name}/-/${file}`) res.end(data);
    else {
      res.statusCode = 404;
      res.end('{}');
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` };
}

/** `sh -e -x` on a README block, asynchronously (the registry answers from this process). */
function runBlock(cwd: string, block: string, env: NodeJS.ProcessEnv) {
  return new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn('sh', ['-e', '-x', '-c', block], { cwd, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

describe("the README's adoption section, verbatim, on a repository of express's shape", () => {
  const servers: http.Server[] = [];
  afterAll(() => servers.forEach((s) => s.close()));

  it('install block, then a lane’s first task through a hub with the guard', async () => {
    const root = path.join(tmpDir(), 'my projects');
    const sb = new Sandbox(root, CLI);
    const packDir = tmpDir('lanes-pack-');
    const pack = sb.run(process.cwd(), 'npm', [
      'pack',
      '--ignore-scripts',
      '--pack-destination',
      packDir,
    ]);
    expect(pack.status, pack.stderr).toBe(0);
    const tgz = path.join(
      packDir,
      readdirSync(packDir).find((f) => f.endsWith('.tgz'))!,
    );
    const registry = await localRegistry(tgz);
    servers.push(registry.server);

    // The hub and the project as it was before lanes-hooks.
    const hub = path.join(root, 'hub.git');
    const app = path.join(root, 'myapp');
    sb.must(root, 'init', '-q', '--bare', '--initial-branch=master', hub);
    sb.must(root, 'clone', '-q', hub, app);
    sb.must(app, 'switch', '-q', '-c', 'master');
    for (const f of [
      'lib/router.js',
      'lib/application.js',
      'test/app.router.js',
      'examples/hello world/index.js',
      '.github/workflows/ci.yml',
      'Readme.md',
      'History.md',
    ])
      sb.write(app, f);
    sb.write(app, '.npmrc', 'package-lock=false\nignore-scripts=true\n');
    sb.write(app, '.gitignore', 'node_modules/\n');
    sb.write(
      app,
      'package.json',
      JSON.stringify({ name: 'myapp', version: '5.0.0', scripts: { test: 'true' } }, null, 2) +
        '\n',
    );
    sb.must(app, 'add', '-A');
    sb.must(app, 'commit', '-q', '-m', 'the project before lanes-hooks');
    sb.must(app, 'push', '-q', 'origin', 'master');

    const env = {
      ...sb.env,
      npm_config_registry: registry.url,
      npm_config_cache: path.join(root, '.npm-cache'),
      npm_config_audit: 'false',
      npm_config_fund: 'false',
      npm_config_update_notifier: 'false',
    };
    const install = await runBlock(app, readmeBlock('install'), env);
    expect(install.status, install.stderr + install.stdout).toBe(0);
    const manifest = JSON.parse(readFileSync(path.join(app, 'package.json'), 'utf8'));
    expect(manifest.devDependencies['lanes-hooks']).toBeDefined();
    // init proposed the real folders (point 11); setup made them at init's path (point 2).
    const cfg = JSON.parse(sb.must(app, 'show', 'origin/master:.lanesrc.json'));
    expect(Object.keys(cfg.roles)).toEqual(['examples', 'lib', 'test', 'review']);
    for (const role of ['examples', 'lib', 'test', 'review']) {
      const lane = path.join(root, `myapp-${role}`);
      expect(existsSync(lane), lane).toBe(true);
      expect(existsSync(path.join(lane, 'node_modules'))).toBe(false);
    }
    // The coordinator is clean: nothing blocks land (point 3).
    expect(sb.must(app, 'status', '--porcelain', '--untracked-files=no')).toBe('');
    const dry = sb.cli(app, 'land', '--dry-run');
    expect(dry.status, dry.stderr).toBe(0);

    // The hub admin installs the guard (docs/server.md); then a lane's first task.
    writeFileSync(path.join(hub, 'hooks', 'pre-receive'), PRE_RECEIVE);
    chmodSync(path.join(hub, 'hooks', 'pre-receive'), 0o755);
    const lane = await runBlock(app, readmeBlock('lane'), env);
    expect(lane.status, lane.stderr + lane.stdout).toBe(0);
    expect(lane.stdout).toContain('lib'); // the brief names the lane
    expect(lane.stderr).not.toContain('refused');
    const laneDir = path.join(root, 'myapp-lib');
    expect(sb.must(hub, 'rev-parse', 'agent/lib')).toBe(sb.must(laneDir, 'rev-parse', 'HEAD'));
    const queue = sb.must(hub, 'log', '-1', '--format=%B', 'refs/lanes/queue');
    expect(queue).toContain('claim');
  }, 600_000);

  it('the README no longer sends a lane to npx or to a folder setup does not use', () => {
    const readme = readFileSync(path.resolve('README.md'), 'utf8');
    expect(readme).not.toMatch(/npx lanes-hooks install --role/);
    expect(readme).not.toContain('../gpuas-B-ui');
  });
});
