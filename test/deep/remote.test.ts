// The networked layer (src/git/remote.ts): a hung remote ends with a clear error within the
// timeout, git and the processes it started end with it, and a push the server refuses is reported ref by ref with its remote: lines.
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { describePush, pushRemote } from '../../src/git/remote.js';
import { CLI, commit } from '../helpers/world.js';
import { coordinatorSandbox } from '../helpers/template.js';

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
    const sb = coordinatorSandbox();
    sb.must(sb.coordinator, 'remote', 'add', 'silent', `git://127.0.0.1:${port}/lanes.git`);
    const { spawn } = await import('node:child_process');
    // sync follows "remote" from the config.
    const cfg = JSON.parse(sb.must(sb.coordinator, 'show', 'HEAD:.lanesrc.json'));
    cfg.remote = 'silent';
    sb.write(sb.coordinator, '.lanesrc.json', JSON.stringify(cfg));
    sb.must(sb.coordinator, 'commit', '-qam', 'remote: silent'); // the policy is what is committed
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

/** A process that still runs (a zombie waiting for init to reap it has ended). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return true;
  }
}

describe('a remote that never answers, over ssh', () => {
  const sockets: net.Socket[] = [];
  const server = net.createServer((s) => sockets.push(s));
  afterAll(() => {
    for (const s of sockets) s.destroy();
    server.close();
  });

  it('gives up, ends git and every process under it, and exits', async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    const sb = coordinatorSandbox();
    // The "ssh" git starts: a wrapper script whose relay (a child of the script, as with a
    // ProxyCommand) connects to the silent server, holding git's pipes and our stderr pipe. git
    // ends the script it started when it is killed; the relay below it survives on its own.
    const pidFile = path.join(sb.root, 'relay.pid');
    const ssh = path.join(sb.root, 'fake-ssh');
    const relay = `const s = require("net").connect(${port}, "127.0.0.1"); require("fs").writeFileSync(${JSON.stringify(pidFile)}, String(process.pid)); process.stdin.pipe(s, { end: false }); s.pipe(process.stdout)`;
    writeFileSync(ssh, `#!/bin/sh\n'${process.execPath}' -e '${relay}'\n`);
    chmodSync(ssh, 0o755);
    sb.must(sb.coordinator, 'remote', 'add', 'silent', `ssh://127.0.0.1:${port}/x`);
    const cfg = JSON.parse(sb.must(sb.coordinator, 'show', 'HEAD:.lanesrc.json'));
    cfg.remote = 'silent';
    sb.write(sb.coordinator, '.lanesrc.json', JSON.stringify(cfg));
    sb.must(sb.coordinator, 'commit', '-qam', 'remote: silent'); // the policy is what is committed
    const { spawn } = await import('node:child_process');
    const t0 = Date.now();
    const hung = await new Promise<{ code: number | null; stderr: string; how: string }>(
      (resolve) => {
        const child = spawn(process.execPath, [CLI, 'sync'], {
          cwd: sb.coordinator,
          env: { ...sb.env, LANES_REMOTE_TIMEOUT: '1', GIT_SSH_COMMAND: ssh },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let stderr = '';
        child.stderr.on('data', (d) => (stderr += d));
        // 'close': every holder of the CLI's stderr pipe is gone, not only the CLI itself.
        const bound = setTimeout(() => {
          child.kill('SIGKILL');
          resolve({ code: null, stderr, how: 'still running after 20 s' });
        }, 20_000);
        child.on('close', (code) => {
          clearTimeout(bound);
          resolve({ code, stderr, how: 'exited' });
        });
      },
    );
    const seconds = (Date.now() - t0) / 1000;
    expect(hung.how).toBe('exited');
    expect(hung.code).not.toBe(0);
    expect(hung.stderr).toContain(
      'git fetch silent: no answer from the remote within 1 s; gave up',
    );
    expect(seconds).toBeLessThan(15);
    expect(existsSync(pidFile)).toBe(true);
    const relayPid = Number(readFileSync(pidFile, 'utf8'));
    expect(alive(relayPid)).toBe(false);
  }, 30_000);
});

describe('a push the server refuses', () => {
  it('is reported per ref, with the server’s remote: lines', async () => {
    const sb = coordinatorSandbox({ install: false });
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
