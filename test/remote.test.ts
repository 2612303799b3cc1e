// The networked layer (src/git/remote.ts, simple-git): a hung remote ends with a clear error
// within the timeout, and a push the server refuses is reported ref by ref with its remote: lines.
import { chmodSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Sandbox } from '../src/demo/sandbox.js';
import { describePush, pushRemote } from '../src/git/remote.js';
import { CLI, commit, tmpDir } from './helpers/world.js';

describe('a remote that never answers', () => {
  // A git daemon that accepts the connection and then says nothing, ever.
  const sockets: net.Socket[] = [];
  const server = net.createServer((s) => sockets.push(s));
  afterAll(() => {
    for (const s of sockets) s.destroy();
    server.close();
  });

  it('sync gives up after LANES_REMOTE_TIMEOUT seconds with an error naming the remote', async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    const sb = new Sandbox(tmpDir(), CLI);
    sb.createCoordinator();
    sb.must(sb.coordinator, 'remote', 'add', 'silent', `git://127.0.0.1:${port}/lanes.git`);
    const { spawn } = await import('node:child_process');
    // sync follows "remote" from the config.
    const cfg = JSON.parse(sb.must(sb.coordinator, 'show', 'HEAD:.lanesrc.json'));
    cfg.remote = 'silent';
    sb.write(sb.coordinator, '.lanesrc.json', JSON.stringify(cfg));
    const t0 = Date.now();
    const hung = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [CLI, 'sync'], {
        cwd: sb.coordinator,
        env: { ...sb.env, LANES_REMOTE_TIMEOUT: '2' },
      });
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      child.on('exit', (code) => resolve({ code, stderr }));
    });
    const seconds = (Date.now() - t0) / 1000;
    expect(hung.code).not.toBe(0);
    expect(hung.stderr).toContain('git fetch silent: no answer from the remote within 2 s');
    expect(hung.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(seconds).toBeLessThan(15);
  });
});

describe('a push the server refuses', () => {
  it('is reported per ref, with the server’s remote: lines', async () => {
    const sb = new Sandbox(tmpDir(), CLI);
    sb.createCoordinator({ install: false });
    const hook = path.join(sb.remote, 'hooks', 'pre-receive');
    writeFileSync(
      hook,
      '#!/bin/sh\nwhile read o n r; do case $r in refs/heads/blocked) echo "no pushes to $r here" >&2; exit 1 ;; esac; done\n',
    );
    chmodSync(hook, 0o755);
    commit(sb, sb.coordinator, ['docs/a.md']);
    const outcome = await pushRemote('origin', ['HEAD:refs/heads/blocked'], {
      cwd: sb.coordinator,
    });
    expect(outcome.ok).toBe(false);
    expect(outcome.refs).toEqual([
      expect.objectContaining({
        remote: 'refs/heads/blocked',
        ok: false,
        summary: '[remote rejected]',
        reason: 'pre-receive hook declined',
      }),
    ]);
    expect(outcome.remoteLines).toContain('no pushes to refs/heads/blocked here');
    expect(describePush('origin', outcome)).toContain(
      'refs/heads/blocked: [remote rejected] (pre-receive hook declined)',
    );
    const ok = await pushRemote('origin', ['HEAD:refs/heads/open'], { cwd: sb.coordinator });
    expect(ok).toMatchObject({
      ok: true,
      refs: [expect.objectContaining({ remote: 'refs/heads/open', ok: true })],
    });
  });
});
