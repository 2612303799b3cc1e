// Route 8: overrides on the hub. LANES_OVERRIDE in the pusher's environment (which reaches the hook
// over a local path) waives nothing; only the hub repository's own config file overrides, with an
// expiry, optionally for one ref, and every use is logged on the hub and printed to the pusher.
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Sandbox } from '../../../src/demo/sandbox.js';
import { CLI, commit } from '../../helpers/world.js';
import { hub } from '../../attacks/hub.js';
import { timeout } from '../../helpers/tier.js';

const tip = (sb: Sandbox, ref: string) =>
  sb.git(sb.remote, 'rev-parse', '-q', '--verify', ref).stdout.trim();
const day = (offset: number) => new Date(Date.now() + offset * 86400e3).toISOString().slice(0, 10);

describe('route 8: overrides on the hub come from the hub, never from the pusher', () => {
  const sb = hub();
  const C = sb.coordinator;
  sb.mustCli(C, 'queue', 'add', 'a task');
  sb.run(C, process.execPath, [CLI, 'promote'], {}); // an audit entry
  sb.mustCli(C, 'sync'); // the hub holds refs/lanes/audit and refs/lanes/queue
  expect(tip(sb, 'refs/lanes/queue')).not.toBe('');
  expect(tip(sb, 'refs/lanes/audit')).not.toBe('');
  const log = path.join(sb.remote, 'lanes-hooks', 'overrides.log');
  const hubConfig = (...args: string[]) => sb.must(sb.remote, 'config', ...args);
  const unsetAll = () => {
    for (const k of ['lanes.override', 'lanes.overrideUntil', 'lanes.overrideRef'])
      sb.git(sb.remote, 'config', '--unset', k);
  };
  const deleteQueue = (env: NodeJS.ProcessEnv = {}, ...git: string[]) =>
    sb.run(C, 'git', [...git, 'push', '--no-verify', 'origin', ':refs/lanes/queue'], env);

  it(
    'route 8: LANES_OVERRIDE in the pusher’s environment waives nothing (a delete of the queue)',
    () => {
      const before = tip(sb, 'refs/lanes/queue');
      const r = deleteQueue({ LANES_OVERRIDE: 'I want through', LANES_OVERRIDE_UNTIL: day(5) });
      expect(r.status).not.toBe(0);
      expect(r.stderr).toContain('refused by store-integrity');
      expect(r.stderr).toContain('LANES_OVERRIDE in the environment does not count on the hub');
      expect(tip(sb, 'refs/lanes/queue')).toBe(before);
      expect(existsSync(log)).toBe(false);
    },
    timeout(180_000),
  );

  it(
    'route 8: -c, GIT_CONFIG_PARAMETERS/COUNT, GIT_CONFIG_GLOBAL, GIT_DIR/GIT_CONFIG via --receive-pack cannot inject lanes.override',
    () => {
      const before = tip(sb, 'refs/lanes/audit');
      const global = path.join(sb.root, 'evil.gitconfig');
      writeFileSync(global, `[lanes]\n\toverride = via global\n\toverrideUntil = ${day(5)}\n`);
      const dele = (env: NodeJS.ProcessEnv, ...git: string[]) =>
        sb.run(C, 'git', [...git, 'push', '--no-verify', 'origin', ':refs/lanes/audit'], env);
      const tries = [
        dele({}, '-c', 'lanes.override=via -c', '-c', `lanes.overrideUntil=${day(5)}`),
        dele({ GIT_CONFIG_GLOBAL: global }),
        dele({
          GIT_CONFIG_COUNT: '2',
          GIT_CONFIG_KEY_0: 'lanes.override',
          GIT_CONFIG_VALUE_0: 'via count',
          GIT_CONFIG_KEY_1: 'lanes.overrideUntil',
          GIT_CONFIG_VALUE_1: day(5),
        }),
        // receive-pack started with the pusher's own environment (only possible over a local path
        // or a shell account): git's own -c channel reaches the hook, lanes-hooks does not read it.
        sb.run(
          C,
          'git',
          [
            'push',
            '--no-verify',
            `--receive-pack=env GIT_CONFIG_PARAMETERS="'lanes.override=via rp' 'lanes.overrideuntil=${day(5)}'" git-receive-pack`,
            'origin',
            ':refs/lanes/audit',
          ],
          {},
        ),
        // ... or with GIT_DIR / GIT_CONFIG naming a repository of the pusher's, with an override:
        // receive-pack runs hooks with GIT_DIR=. in the hub, and the hook reads only that file.
        (() => {
          const evil = path.join(sb.root, 'evil.git');
          sb.must(sb.root, 'init', '-q', '--bare', evil);
          sb.must(evil, 'config', 'lanes.override', 'via GIT_DIR');
          sb.must(evil, 'config', 'lanes.overrideUntil', day(5));
          return sb.run(
            C,
            'git',
            [
              'push',
              '--no-verify',
              `--receive-pack=env GIT_DIR=${evil} GIT_CONFIG=${evil}/config git-receive-pack`,
              'origin',
              ':refs/lanes/audit',
            ],
            {},
          );
        })(),
      ];
      for (const r of tries) {
        expect(r.status).not.toBe(0);
        expect(r.stderr).toContain('refused by store-integrity');
        expect(r.stderr).not.toContain('OVERRIDDEN');
      }
      expect(tip(sb, 'refs/lanes/audit')).toBe(before);
    },
    timeout(180_000),
  );

  it(
    'route 8: the hub’s own config overrides, with an expiry, and each use is logged and printed',
    () => {
      hubConfig('lanes.override', 'admin: queue rebuilt by hand');
      // no expiry: not an override
      let r = deleteQueue();
      expect(r.status).not.toBe(0);
      expect(r.stderr).toContain('lanes.overrideUntil=<YYYY-MM-DD> is missing');
      // expired
      hubConfig('lanes.overrideUntil', day(-1));
      r = deleteQueue();
      expect(r.status).not.toBe(0);
      expect(r.stderr).toContain('expired');
      // limited to another ref: this push is not covered
      hubConfig('lanes.overrideUntil', day(3));
      hubConfig('lanes.overrideRef', 'refs/heads/master');
      r = deleteQueue();
      expect(r.status).not.toBe(0);
      expect(r.stderr).toContain('holds only for a push of refs/heads/master alone');
      expect(tip(sb, 'refs/lanes/queue')).not.toBe('');
      // valid, for this ref
      hubConfig('lanes.overrideRef', 'refs/lanes/queue');
      r = deleteQueue({ GL_USERNAME: 'admin' });
      expect(r.status).toBe(0);
      expect(r.stderr).toContain('OVERRIDDEN by the hub');
      expect(r.stderr).toContain('admin: queue rebuilt by hand');
      expect(tip(sb, 'refs/lanes/queue')).toBe('');
      const lines = readFileSync(log, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({
        pusher: 'admin',
        source: 'GL_USERNAME',
        rule: 'store-integrity',
        reason: 'admin: queue rebuilt by hand',
        until: day(3),
      });
      expect(lines[0].refs[0]).toMatch(/^refs\/lanes\/queue [0-9a-f]{40} -> 0{40}$/);
      expect(Date.parse(lines[0].at)).toBeGreaterThan(Date.now() - 60e3);
      unsetAll();
    },
    timeout(180_000),
  );

  it(
    'route 8: the hub cannot write refs/lanes/audit from pre-receive (quarantine): why the log is a file',
    () => {
      const probe = path.join(sb.root, 'probe.git');
      sb.must(sb.root, 'init', '-q', '--bare', probe);
      writeFileSync(
        path.join(probe, 'hooks', 'pre-receive'),
        '#!/bin/sh\nread old new ref\ngit update-ref refs/lanes/audit "$new"\n',
      );
      chmodSync(path.join(probe, 'hooks', 'pre-receive'), 0o755);
      commit(sb, C, ['docs/probe.md']);
      const r = sb.git(C, 'push', '--no-verify', probe, 'HEAD:refs/heads/x');
      expect(r.stderr).toContain('ref updates forbidden inside quarantine environment');
      expect(sb.git(probe, 'rev-parse', '-q', '--verify', 'refs/lanes/audit').stdout).toBe('');
    },
    timeout(180_000),
  );
});
