// The demo's walk: each step runs real git in a lane and says whether the policy behaved.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Sandbox } from './sandbox.js';
import { runDay } from './day.js';
import { inProcessCli } from './in-process.js';
import { commitFile, runSteps, seq, type Step } from './steps.js';

const onBranch = (branch: string) => (sb: Sandbox, dir: string) => {
  const head = sb.git(dir, 'symbolic-ref', '-q', '--short', 'HEAD').stdout.trim();
  if (head !== branch) return `HEAD is ${head || 'detached'}, expected ${branch}`;
  const dirty = sb.git(dir, 'status', '--porcelain').stdout.trim();
  return dirty ? `git status is not clean: ${dirty}` : null;
};

function steps(): Step[] {
  return [
    {
      lane: 'A-backend',
      title: 'commit backend/api.ts (in scope)',
      expect: { allowed: true },
      act: commitFile('backend/api.ts'),
    },
    {
      lane: 'A-backend',
      title: 'commit a hostile in-scope name: backend/my "file" ünï\\n.ts',
      expect: { allowed: true },
      act: commitFile('backend/my "file" ünï\n.ts'),
    },
    {
      lane: 'B-ui',
      title:
        "a coding agent's Write of backend/api.ts (Claude Code's PreToolUse payload → agent-hook)",
      expect: { refused: 'path-scope' },
      act: agentWrite('claude', 'backend/api.ts'),
      check: absent('backend/api.ts'),
      show: () =>
        'a "deny" decision: Claude Code shows the model the reason and never writes the file',
    },
    {
      lane: 'B-ui',
      title: "a coding agent's apply_patch adding web/button.tsx (Codex's payload → agent-hook)",
      expect: { allowed: true },
      act: agentWrite('codex', 'web/button.tsx'),
    },
    {
      lane: 'A-backend',
      title: 'commit web/app.tsx (B-ui owns it)',
      expect: { refused: 'path-scope' },
      act: commitFile('web/app.tsx'),
      check: unstage('web/app.tsx'),
    },
    {
      lane: 'A-backend',
      title: 'commit backend-x/evil.ts (look-alike prefix)',
      expect: { refused: 'path-scope' },
      act: commitFile('backend-x/evil.ts'),
      check: unstage('backend-x/evil.ts'),
    },
    {
      lane: 'A-backend',
      title: 'git push -u origin agent/A-backend without a queue claim',
      expect: { refused: 'claim-required' },
      act: seq(['push', '-q', '-u', 'origin', 'agent/A-backend']),
    },
    {
      lane: 'coordinator',
      title: 'lanes-hooks queue add "Build the API" / queue claim --role A-backend --owner agent-a',
      expect: { allowed: true },
      act: (sb, d) => {
        const task = sb
          .cli(d, 'queue', 'add', 'Build the API', '--role', 'A-backend')
          .stdout.trim();
        return sb.cli(
          d,
          'queue',
          'claim',
          '--role',
          'A-backend',
          '--owner',
          'agent-a',
          '--branch',
          'agent/A-backend',
          '--task',
          task,
        );
      },
    },
    {
      lane: 'B-ui',
      title: "B-ui claims A-backend's branch for itself",
      expect: { refused: 'claim-required' },
      act: (sb, d) =>
        sb.cli(
          d,
          'queue',
          'claim',
          '--role',
          'A-backend',
          '--owner',
          'agent-b',
          '--branch',
          'agent/A-backend',
        ),
    },
    {
      lane: 'coordinator',
      title: 'a second claim of the same branch, for agent-b',
      expect: { conflict: 'already claimed' },
      act: (sb, d) =>
        sb.cli(
          d,
          'queue',
          'claim',
          '--role',
          'A-backend',
          '--owner',
          'agent-b',
          '--branch',
          'agent/A-backend',
        ),
    },
    {
      lane: 'A-backend',
      title: 'git push -u origin agent/A-backend with the claim',
      expect: { allowed: true },
      act: seq(['push', '-q', '-u', 'origin', 'agent/A-backend']),
    },
    {
      lane: 'B-ui',
      title: 'commit web/app.tsx (in scope)',
      expect: { allowed: true },
      act: commitFile('web/app.tsx'),
    },
    {
      lane: 'B-ui',
      title: 'git push origin HEAD:master from a lane',
      expect: { refused: 'integration-ff-only' },
      act: seq(['push', '-q', 'origin', 'HEAD:master']),
    },
    {
      lane: 'coordinator',
      title: 'git switch release/platform-control (mirrors the remote)',
      expect: { allowed: true },
      act: seq(['switch', '-q', 'release/platform-control']),
    },
    {
      lane: 'coordinator',
      title: 'commit on the release branch',
      expect: { refused: 'release-branch-commit' },
      act: commitFile('hotfix.txt'),
    },
    {
      lane: 'coordinator',
      title: 'commit --no-verify on the release branch',
      expect: { refused: 'release-branch-commit' },
      act: (sb, d) => sb.run(d, 'git', ['commit', '-q', '--no-verify', '-m', 'sneaky']),
      check: (sb, d) => (
        sb.must(d, 'reset', '-q', '--hard', 'HEAD'),
        sb.must(d, 'switch', '-q', 'master'),
        null
      ),
    },
    {
      lane: 'coordinator',
      title: 'commit on master (the coordinator is unrestricted)',
      expect: { allowed: true },
      act: commitFile('docs/notes.md'),
    },
    {
      lane: 'coordinator',
      title: 'git branch -f release/platform-control master',
      expect: { refused: 'release-branch-commit' },
      act: seq(['branch', '-f', 'release/platform-control', 'master']),
    },
    {
      lane: 'coordinator',
      title: 'git update-ref refs/heads/release/platform-control master',
      expect: { refused: 'release-branch-commit' },
      act: seq(['update-ref', 'refs/heads/release/platform-control', 'master']),
    },
    {
      lane: 'D-arch',
      title:
        "the seed's review refresh by hand: fetch, rebase origin/master, branch -f review/A-backend, switch",
      expect: { allowed: true },
      act: seq(
        ['fetch', '-q', 'origin'],
        ['rebase', '-q', 'origin/master'],
        ['fetch', '-q', 'origin', 'agent/A-backend'],
        ['branch', '-f', 'review/A-backend', 'origin/agent/A-backend'],
        ['switch', '-q', 'review/A-backend'],
      ),
      check: onBranch('review/A-backend'),
    },
    {
      lane: 'D-arch',
      title: 'git checkout <sha> (detach)',
      expect: { undone: 'review-detached-head' },
      act: (sb, d) => sb.git(d, 'checkout', '-q', sb.must(d, 'rev-parse', 'HEAD~1')),
      check: onBranch('review/A-backend'),
    },
    {
      lane: 'D-arch',
      title: 'git checkout FETCH_HEAD',
      expect: { undone: 'review-detached-head' },
      act: seq(['fetch', '-q', 'origin', 'master'], ['checkout', '-q', 'FETCH_HEAD']),
      check: onBranch('review/A-backend'),
    },
    {
      lane: 'D-arch',
      title: 'git switch --detach',
      expect: { undone: 'review-detached-head' },
      act: seq(['switch', '-q', '--detach']),
      check: onBranch('review/A-backend'),
    },
    {
      lane: 'D-arch',
      title: 'lanes-hooks review refresh A-backend (again, while on review/A-backend)',
      expect: { allowed: true },
      act: (sb, d) => sb.cli(d, 'review', 'refresh', 'A-backend'),
      check: onBranch('review/A-backend'),
    },
    {
      lane: 'D-arch',
      title: 'lanes-hooks review signoff A-backend, then sync (merge decides on the hub)',
      expect: { allowed: true },
      act: (sb, d) => {
        const r = sb.cli(d, 'review', 'signoff', 'A-backend');
        return r.status === 0 ? sb.cli(d, 'sync') : r;
      },
    },
    {
      lane: 'coordinator',
      title: 'lanes-hooks status: the next actions',
      expect: { allowed: true },
      act: (sb, d) => sb.cli(d, 'status'),
      // The coordinator's own commit on master is not pushed yet: lanes count against the local
      // master, so status asks A-backend (signed off, claimed) to rebase first. No merge or land
      // made that commit, so status names it with its author instead of advising a push (a lane
      // shares this git dir: it cannot tell the coordinator's hand from anyone else's).
      check: (_sb, _d, r) => {
        const out = r.stdout;
        const flat = out.replace(/\n +/g, ' ');
        return flat.includes('not made by merge or land (unverified)') &&
          flat.includes('Demo User <demo@example.com>') &&
          !flat.includes('git push origin master') &&
          flat.includes('A-backend: 1 commit behind master')
          ? null
          : `status neither names master's unverified commit nor asks A-backend to rebase:\n${out}`;
      },
      show: (r) => r.stdout.slice(r.stdout.indexOf('next:')).trimEnd(),
    },
    {
      lane: 'D-arch',
      title: 'commit on the review/A-backend mirror',
      expect: { refused: 'lane-branch' },
      act: commitFile('doc/governance/reviews/a.md'),
      check: unstage('doc/governance/reviews/a.md'),
    },
    {
      lane: 'D-arch',
      title: 'commit findings on agent/D-arch',
      expect: { allowed: true },
      act: (sb, d) => (
        sb.must(d, 'switch', '-q', 'agent/D-arch'),
        commitFile('doc/governance/reviews/A-backend.md')(sb, d)
      ),
    },
    {
      lane: 'coordinator',
      title: 'lanes-hooks merge B-ui (never pushed)',
      expect: { fails: 'the B-ui lane pushes its branch first' },
      act: (sb, d) => (
        sb.must(d, 'switch', '-q', 'master'),
        sb.must(d, 'push', '-q', 'origin', 'master'),
        sb.cli(d, 'merge', 'B-ui')
      ),
    },
    {
      lane: 'A-backend',
      title: 'rebase onto origin/master and push again (the claim still holds)',
      expect: { allowed: true },
      act: seq(
        ['fetch', '-q', 'origin'],
        ['rebase', '-q', 'origin/master'],
        ['push', '-q', '-f', 'origin', 'agent/A-backend'],
      ),
    },
    {
      lane: 'coordinator',
      title: 'lanes-hooks merge A-backend',
      expect: { allowed: true },
      act: (sb, d) => sb.cli(d, 'merge', 'A-backend'),
      show: (r) => r.stdout.trimEnd(),
    },
    {
      lane: 'coordinator',
      title: 'lanes-hooks promote (release := origin/master)',
      expect: { allowed: true },
      act: (sb, d) => sb.cli(d, 'promote'),
      show: (r) => r.stdout.trimEnd(),
    },
    {
      lane: 'coordinator',
      title: 'lanes-hooks promote <a SHA that is not on master>',
      expect: { refused: 'release-exact-sha' },
      act: (sb, d) =>
        sb.cli(
          d,
          'promote',
          sb.must(d, 'commit-tree', 'HEAD^{tree}', '-p', 'HEAD', '-m', 'not on master'),
        ),
    },
    {
      lane: 'A-backend',
      title: 'LANES_OVERRIDE="hotfix approved by ops" commit web/hotfix.tsx',
      expect: { allowed: true },
      act: commitFile('web/hotfix.tsx', { LANES_OVERRIDE: 'hotfix approved by ops' }),
      check: auditHas('path-scope'),
    },
    {
      lane: 'scratch',
      title: 'a plain `git worktree add ../scratch`, then commit',
      expect: { refused: 'lane-unassigned' },
      act: commitFile('backend/x.ts'),
    },
    {
      lane: 'from-lane',
      title: 'a worktree made from the A-backend lane does not inherit its role',
      expect: { refused: 'lane-unassigned' },
      act: commitFile('backend/y.ts'),
    },
  ];
}

function unstage(file: string) {
  return (sb: Sandbox, dir: string) => {
    sb.must(dir, 'rm', '-q', '--cached', '--', file);
    return null;
  };
}

/** What a coding agent's hook system sends before a file write, piped into agent-hook. */
function agentWrite(agent: 'claude' | 'codex', file: string) {
  return (sb: Sandbox, dir: string) => {
    const payload =
      agent === 'claude'
        ? {
            session_id: 'demo',
            transcript_path: '/dev/null',
            cwd: dir,
            permission_mode: 'default',
            hook_event_name: 'PreToolUse',
            tool_name: 'Write',
            tool_input: { file_path: path.join(dir, file), content: 'export {}\n' },
            tool_use_id: 'toolu_demo',
          }
        : {
            session_id: 'demo',
            turn_id: 'turn-1',
            transcript_path: null,
            cwd: dir,
            hook_event_name: 'PreToolUse',
            model: 'demo',
            permission_mode: 'default',
            tool_name: 'apply_patch',
            tool_input: {
              command: `*** Begin Patch\n*** Add File: ${file}\n+export {}\n*** End Patch`,
            },
            tool_use_id: 'call-demo',
          };
    const r = spawnSync(process.execPath, [sb.cliFile, 'agent-hook', agent], {
      cwd: dir,
      env: sb.env,
      input: JSON.stringify(payload),
      encoding: 'utf8',
    });
    // Claude Code's entry answers in its documented decision shape (agents/claude-reply.ts): exit 0
    // and a JSON "deny" with the reason. Read as the refusal it is.
    const denied = agent === 'claude' ? claudeDenial(r.stdout ?? '') : null;
    if (denied !== null) return { status: 2, stdout: r.stdout ?? '', stderr: denied };
    return { status: r.status ?? 1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
  };
}

/** The reason of a PreToolUse "deny" decision on stdout, or null when it allowed. */
function claudeDenial(stdout: string): string | null {
  try {
    const o = JSON.parse(stdout.trim() || 'null') as {
      hookSpecificOutput?: { permissionDecision?: string; permissionDecisionReason?: string };
    } | null;
    const h = o?.hookSpecificOutput;
    return h?.permissionDecision === 'deny' ? (h.permissionDecisionReason ?? '') : null;
  } catch {
    return null;
  }
}

function absent(file: string) {
  return (_sb: Sandbox, dir: string) =>
    existsSync(path.join(dir, file)) ? `${file} exists: the write was not stopped` : null;
}

function auditHas(rule: string) {
  return (sb: Sandbox, dir: string) => {
    const out = sb.cli(dir, 'audit', '--json');
    const entries = JSON.parse(out.stdout || '{"entries":[]}').entries as { rule: string }[];
    return entries.some((e) => e.rule === rule) ? null : `the audit log has no ${rule} override`;
  };
}

export function runTour(dir?: string, log: (s: string) => void = console.log): boolean {
  const root = dir ? path.resolve(dir) : mkdtempSync(path.join(os.tmpdir(), 'lanes-demo-'));
  const sb = new Sandbox(root);
  // The tour's own lanes-hooks steps run in this process; git's hooks, agent-hook and the
  // commands that need one stay processes (demo/in-process.ts).
  const cli = inProcessCli(sb.cliFile);
  sb.inProcess = cli;
  try {
    log(`lanes-hooks demo in ${root}\n`);
    sb.createCoordinator();
    log('$ lanes-hooks setup   (in the coordinator)');
    log(sb.mustCli(sb.coordinator, 'setup').trimEnd().replace(/^/gm, '  '));
    const lanes: Record<string, string> = { coordinator: sb.coordinator };
    for (const role of ['A-backend', 'B-ui', 'C-ops', 'D-arch', 'E-governance'])
      lanes[role] = sb.lane(role);
    lanes.scratch = path.join(root, 'scratch');
    sb.must(sb.coordinator, 'worktree', 'add', '-q', lanes.scratch);
    lanes['from-lane'] = path.join(root, 'from-lane');
    sb.must(lanes['A-backend']!, 'worktree', 'add', '-q', lanes['from-lane']);
    log(
      '\nset up: bare remote, coordinator (master, release/platform-control), lanes by setup, two extra worktrees\n',
    );

    let ok = runSteps(sb, lanes, steps(), log);
    log('\naudit log:');
    log(sb.cli(sb.coordinator, 'audit').stdout.trimEnd());
    ok = runDay(root, sb.cliFile, log, cli) && ok;
    log(
      ok
        ? '\nevery step behaved as the policy says'
        : '\nSOME STEPS DID NOT BEHAVE AS THE POLICY SAYS',
    );
    return ok;
  } finally {
    cli.close();
  }
}
