// Real git servers on 127.0.0.1, started by the tests from the system's packages and stopped
// after (`.ci/run` installs them): git http-backend behind nginx and fcgiwrap with basic
// authentication (the pusher is the web server's REMOTE_USER), and gitolite behind sshd with one
// key per user (the pusher is gitolite's GL_USER). Which packages they need: helpers/system-deps.ts.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { userInfo } from 'node:os';
import path from 'node:path';

const BIN = {
  nginx: '/usr/sbin/nginx',
  fcgiwrap: '/usr/sbin/fcgiwrap',
  sshd: '/usr/sbin/sshd',
  gitoliteShell: '/usr/share/gitolite3/gitolite-shell',
};

/** A free TCP port on 127.0.0.1 (the OS picks it; closed again before the server binds it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** Wait until 127.0.0.1:port (or a unix socket) accepts a connection. */
async function listening(target: number | string, child: ChildProcess, log: () => string) {
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}): ${log()}`);
    const ok = await new Promise<boolean>((resolve) => {
      const c = typeof target === 'number' ? net.connect(target, '127.0.0.1') : net.connect(target);
      c.once('connect', () => (c.end(), resolve(true)));
      c.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`server did not listen: ${log()}`);
}

export interface Server {
  /** The URL a user pushes to (`null`: no credentials). */
  url(user: string | null): string;
  /** Environment for git on the client side (ssh's key for that user). */
  env(user: string | null): NodeJS.ProcessEnv;
  stop(): void;
}

const PASSWORD = 'lanes-test-password';

/**
 * git http-backend (git-http-backend(1): "Apache 2.x" and fcgiwrap setups) behind nginx with
 * auth_basic. `root` holds the bare repositories. Users in `users` log in with PASSWORD; the path
 * /anon/ takes anonymous pushes (http.receivepack must be true on the repository for those).
 */
export async function httpBackend(dir: string, root: string, users: string[]): Promise<Server> {
  mkdirSync(dir, { recursive: true });
  const sock = path.join(dir, 'fcgiwrap.sock');
  const hash = spawnSync('openssl', ['passwd', '-apr1', PASSWORD], {
    encoding: 'utf8',
  }).stdout.trim();
  writeFileSync(path.join(dir, 'htpasswd'), users.map((u) => `${u}:${hash}\n`).join(''));
  // fcgiwrap -c 2 forks two workers that outlive a SIGTERM to their parent: it gets a process
  // group of its own, and stop() ends the group.
  const fcgi = spawn(BIN.fcgiwrap, ['-c', '2', '-s', `unix:${sock}`], {
    stdio: 'ignore',
    env: { PATH: process.env.PATH },
    detached: true,
  });
  await listening(sock, fcgi, () => 'fcgiwrap');
  const port = await freePort();
  const backend = `
      include /etc/nginx/fastcgi_params;
      fastcgi_pass unix:${sock};
      fastcgi_param SCRIPT_FILENAME /usr/lib/git-core/git-http-backend;
      fastcgi_param GIT_PROJECT_ROOT ${root};
      fastcgi_param GIT_HTTP_EXPORT_ALL "";
      fastcgi_param PATH ${process.env.PATH};
      fastcgi_read_timeout 300s;
      client_max_body_size 0;`;
  writeFileSync(
    path.join(dir, 'nginx.conf'),
    `user root;
worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  fastcgi_temp_path ${dir}/fastcgi;
  proxy_temp_path ${dir}/proxy;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  server {
    listen 127.0.0.1:${port};
    location ~ ^/anon(/.*)$ {
      ${backend}
      fastcgi_param PATH_INFO $1;
    }
    location / {
      auth_basic "lanes hub";
      auth_basic_user_file ${dir}/htpasswd;
      ${backend}
      fastcgi_param PATH_INFO $uri;
      fastcgi_param REMOTE_USER $remote_user;
    }
  }
}
`,
  );
  const nginx = spawn(BIN.nginx, ['-c', path.join(dir, 'nginx.conf'), '-p', dir], {
    stdio: 'ignore',
  });
  const log = () => {
    try {
      return readFileSync(path.join(dir, 'error.log'), 'utf8');
    } catch {
      return '';
    }
  };
  await listening(port, nginx, log);
  return {
    url: (user) =>
      user ? `http://${user}:${PASSWORD}@127.0.0.1:${port}` : `http://127.0.0.1:${port}/anon`,
    env: () => ({}),
    stop() {
      nginx.kill('SIGTERM');
      try {
        process.kill(-fcgi.pid!, 'SIGTERM');
      } catch {
        // already gone
      }
    },
  };
}

/**
 * gitolite 3 behind its own sshd: gitolite's home is `dir/home`; each user gets a key, and the
 * authorized_keys line gitolite's docs describe (command="gitolite-shell <user>",no-pty,…), with
 * HOME pointing at that home since the ssh account is the test's own. sshd runs with its own
 * config, host key and port, as root, on 127.0.0.1 only.
 *
 * sshd runs the forced command through the account's login shell (`bash -c …`), and Debian's
 * bash sources ~/.bashrc when it is run by sshd at shell level < 2 (bash's shell.c,
 * run_startup_files: `run_by_ssh && shell_level < 2`, SSH_SOURCE_BASHRC). The test account's
 * .bashrc is the machine's, not ours: on these machines it runs `pyenv rehash`, which waits 60 s
 * on a stale lock, so every ssh operation took a minute. SHLVL=1 in the key's environment (the
 * one variable sshd is told to accept) makes bash start at level 2 and skip it.
 */
export async function gitolite(dir: string, users: string[]): Promise<Server & { repos: string }> {
  const home = path.join(dir, 'home');
  mkdirSync(path.join(dir, 'keys'), { recursive: true });
  mkdirSync(home, { recursive: true });
  const key = (u: string) => path.join(dir, 'keys', u);
  for (const u of ['admin', ...users])
    spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', u, '-f', key(u)]);
  const glEnv = { ...process.env, HOME: home };
  const setup = spawnSync('gitolite', ['setup', '-pk', `${key('admin')}.pub`], {
    env: glEnv,
    encoding: 'utf8',
  });
  if (setup.status !== 0) throw new Error(`gitolite setup: ${setup.stderr}`);
  // Every user may push anything: the lanes guard, not gitolite's access rules, is under test.
  writeFileSync(
    path.join(home, '.gitolite', 'conf', 'gitolite.conf'),
    `repo gitolite-admin\n    RW+ = admin\n\nrepo hub\n    RW+ = @all\n`,
  );
  const compile = spawnSync('gitolite', ['setup'], { env: glEnv, encoding: 'utf8' });
  if (compile.status !== 0) throw new Error(`gitolite setup: ${compile.stderr}`);
  const shell = BIN.gitoliteShell;
  writeFileSync(
    path.join(dir, 'authorized_keys'),
    users
      .map(
        (u) =>
          `environment="SHLVL=1",command="env HOME=${home} ${shell} ${u}",no-port-forwarding,no-X11-forwarding,no-agent-forwarding,no-pty ${readFileSync(`${key(u)}.pub`, 'utf8').trim()}\n`,
      )
      .join(''),
  );
  spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(dir, 'host_key')]);
  const port = await freePort();
  writeFileSync(
    path.join(dir, 'sshd_config'),
    `Port ${port}
ListenAddress 127.0.0.1
HostKey ${dir}/host_key
PidFile ${dir}/sshd.pid
AuthorizedKeysFile ${dir}/authorized_keys
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
StrictModes no
UsePAM no
PermitUserEnvironment SHLVL
`,
  );
  mkdirSync('/run/sshd', { recursive: true }); // sshd's privilege separation directory
  const sshd = spawn(BIN.sshd, ['-D', '-e', '-f', path.join(dir, 'sshd_config')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  sshd.stderr!.on('data', (d) => (err += d));
  await listening(port, sshd, () => err);
  const account = userInfo().username;
  return {
    repos: path.join(home, 'repositories'),
    url: () => `ssh://${account}@127.0.0.1:${port}/hub.git`,
    env: (user) => ({
      GIT_SSH_COMMAND: `ssh -i ${key(user ?? 'nobody-has-this-key')} -o IdentitiesOnly=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -o BatchMode=yes`,
    }),
    stop() {
      sshd.kill('SIGTERM');
    },
  };
}
