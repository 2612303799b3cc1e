// Route 13: text quoted for every consumer that reads it, not just for sh. A worktree path holding
// `#(...)` is a tmux format that runs a command (tmux expands `-c start-directory` as a format);
// `make queue-claim ROLE=…` put ROLE inside single quotes and `make promote SHA=…` left SHA bare.
// How a lane would go around it: name its directory, branch or task so that the text closes the
// quote, or carries `$(…)`, `;`, backquotes or `#(…)`. Each is a case here, with real tmux and make.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tmuxCommands, tmuxLiteral, tmuxScript } from '../../src/lifecycle/launch.js';
import { SCAFFOLD } from '../../src/lifecycle/scaffold.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'lanes-quoting-'));
const marker = (name: string) => path.join(root, `pwned-${name}`);

describe('tmux formats (launch --multiplexer tmux, and --print pasted into a shell)', () => {
  it('doubles every # so that nothing in a path is a format', () => {
    expect(tmuxLiteral('/w/#(touch x)/#{pane_id}/##')).toBe('/w/##(touch x)/##{pane_id}/####');
    expect(tmuxLiteral('/plain/path')).toBe('/plain/path');
  });

  const hasTmux = !spawnSync('tmux', ['-V']).error;
  it.skipIf(!hasTmux && !process.env.CI)(
    'a worktree path holding #(...) starts a pane there and runs nothing (real tmux)',
    () => {
      for (const how of ['spawn', 'print'] as const) {
        const dir = path.join(root, `lane #(touch ${marker(how)}) ${how}`);
        mkdirSync(dir, { recursive: true });
        const panes = [
          { title: 'COORDINATOR', cwd: dir, command: ['sleep', '30'] },
          { title: 'A-backend', cwd: dir },
        ];
        const session = `quoting-${how}`;
        // A private tmux server: nothing of the user's sessions is touched.
        const env = {
          ...process.env,
          TMUX_TMPDIR: mkdtempSync(path.join(root, 'tmux-')),
          TMUX: '',
        };
        try {
          if (how === 'spawn')
            for (const c of tmuxCommands(panes, session)) {
              const r = spawnSync('tmux', c, { env, encoding: 'utf8' });
              expect(r.status, r.stderr).toBe(0);
            }
          else {
            const r = spawnSync('sh', ['-c', tmuxScript(panes, session).join('\n')], {
              env,
              encoding: 'utf8',
            });
            expect(r.status, r.stderr).toBe(0);
          }
          const list = spawnSync(
            'tmux',
            ['list-panes', '-t', `${session}:lanes`, '-F', '#{pane_current_path}'],
            { env, encoding: 'utf8' },
          );
          expect(list.stdout.trim().split('\n')).toEqual([dir, dir]);
          expect(existsSync(marker(how)), `${how}: the path's #(...) ran`).toBe(false);
        } finally {
          spawnSync('tmux', ['kill-server'], { env });
        }
      }
    },
  );
});

describe('lanes.mk (init --scaffold)', () => {
  const dir = path.join(root, 'make');
  mkdirSync(dir);
  writeFileSync(path.join(dir, 'lanes.mk'), SCAFFOLD.find((f) => f.path === 'lanes.mk')!.content);
  writeFileSync(path.join(dir, 'Makefile'), 'include lanes.mk\n');
  // LANES stands in for the CLI: one argument a line, exactly as the shell passed them.
  const args = path.join(dir, 'args');
  writeFileSync(
    path.join(dir, 'show.sh'),
    `for a in "$@"; do printf '%s\\n' "$a"; done >> '${args}'\n`,
  );
  const make = (...vars: string[]) => {
    rmSync(args, { force: true });
    const r = spawnSync('make', ['-s', ...vars, 'LANES=sh show.sh'], {
      cwd: dir,
      encoding: 'utf8',
    });
    return {
      ...r,
      args: existsSync(args) ? readFileSync(args, 'utf8').split('\n').slice(0, -1) : [],
    };
  };
  const hasMake = !spawnSync('make', ['--version']).error;

  it.skipIf(!hasMake)(
    'passes ROLE, OWNER, BRANCH, TASK and SHA as text, whatever they hold',
    () => {
      const values = {
        ROLE: `x';touch ${marker('role')};'`,
        OWNER: `$(shell touch ${marker('owner')})`,
        BRANCH: `a"b\`touch ${marker('branch')}\`$HOME`,
        TASK: `T1; touch ${marker('task')}`,
      };
      const r = make(...Object.entries(values).map(([k, v]) => `${k}=${v}`), 'queue-claim');
      expect(r.status, r.stderr).toBe(0);
      expect(r.args).toEqual([
        'queue',
        'claim',
        '--role',
        values.ROLE,
        '--owner',
        values.OWNER,
        '--branch',
        values.BRANCH,
        '--task',
        values.TASK,
      ]);
      const sha = `;touch ${marker('sha')}`;
      expect(make(`SHA=${sha}`, 'promote').args).toEqual(['promote', sha]);
      expect(make('promote').args).toEqual(['promote']);
      expect(make(`ROLE=$(touch ${marker('refresh')})`, 'review-refresh').args).toEqual([
        'review',
        'refresh',
        `$(touch ${marker('refresh')})`,
      ]);
      expect(make(`BRANCH=agent/A-backend`, 'queue-done').args).toEqual([
        'queue',
        'done',
        '--branch',
        'agent/A-backend',
      ]);
      for (const m of ['role', 'owner', 'branch', 'task', 'sha', 'refresh'])
        expect(existsSync(marker(m)), m).toBe(false);
    },
  );

  it.skipIf(!hasMake)('still says which variable is missing', () => {
    const r = make('ROLE=A-backend', 'queue-claim');
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('OWNER= is required');
    expect(r.args).toEqual([]);
  });
});
