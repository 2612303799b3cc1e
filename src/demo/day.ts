// The demo's second chapter, the coordinator's day with five lanes: an overlapping claim refused,
// two lanes that the radar sees conflicting before anyone merges, `land` taking one and asking the
// other two to rebase, a sign-off that carries over a clean rebase and one that does not carry
// over a rebase that changed a patch. Its own sandbox, so the first chapter's state stays out.
import path from 'node:path';
import type { InProcessCli } from './in-process.js';
import { Sandbox, type RunResult } from './sandbox.js';
import { cliSeq, runSteps, seq, type Step } from './steps.js';

interface LaneRow {
  role: string;
  merge: string | null;
  conflicts: { integration: string[]; lanes: Record<string, string[]> };
}
interface Landing {
  landed: { role: string; sha: string }[];
  waiting: { role: string; reason: string; rebase?: boolean }[];
}

const DELIVERY = ['A-backend', 'B-ui', 'C-ops'];

/** Coordinator with `shared/**` open to every delivery lane, D-arch's sign-off required and
 *  allowed to carry over a clean rebase; the five lanes made by `setup`. */
function world(root: string, cliFile: string, inProcess: InProcessCli | null): Sandbox {
  const sb = new Sandbox(root, cliFile);
  sb.inProcess = inProcess;
  // The day's policy and shared file are in the first commit (no second commit and push to set
  // them: the hooks of a commit and a push, and the hub's receive, a tour).
  sb.createCoordinator({
    config: (cfg) => ({
      ...cfg,
      shared: ['shared/**'],
      reviews: { ...(cfg.reviews as object), required: ['D-arch'], carryOver: true },
    }),
    files: { 'shared/theme.json': theme('blue') },
  });
  sb.mustCli(sb.coordinator, 'setup');
  return sb;
}

const edit = (file: string, content: string) => (sb: Sandbox, dir: string) => {
  sb.write(dir, file, content);
  sb.must(dir, 'add', '--', file);
  return sb.git(dir, 'commit', '-q', '-m', `edit ${file}`);
};

/** Several acts in one step; the first failure is the step's result. */
const all =
  (...acts: ((sb: Sandbox, dir: string) => RunResult)[]) =>
  (sb: Sandbox, dir: string) => {
    let last: RunResult = { status: 0, stdout: '', stderr: '' };
    for (const act of acts) {
      last = act(sb, dir);
      if (last.status !== 0) return last;
    }
    return last;
  };

const claim = (task: string, role: string, owner: string) => (sb: Sandbox, dir: string) =>
  sb.cli(
    dir,
    'queue',
    'claim',
    '--task',
    task,
    '--role',
    role,
    '--owner',
    owner,
    '--branch',
    `agent/${role}`,
  );

const hubSha = (sb: Sandbox, ref: string) =>
  sb.git(sb.remote, 'rev-parse', '-q', '--verify', ref).stdout.trim();

function rows(sb: Sandbox): LaneRow[] {
  return JSON.parse(sb.mustCli(sb.coordinator, 'status', '--json')).lanes;
}

/** The land report's JSON, or a description of what is wrong with the run. */
function landed(r: RunResult): Landing | string {
  try {
    return JSON.parse(r.stdout) as Landing;
  } catch {
    return `land printed no report: ${r.stderr.trim()}`;
  }
}

function landCheck(want: {
  landed: string[];
  rebase?: string[];
  signoff?: string[];
  carried?: boolean;
}) {
  return (r: RunResult, sb: Sandbox): string | null => {
    const report = landed(r);
    if (typeof report === 'string') return report;
    const got = report.landed.map((l) => l.role);
    if (got.join() !== want.landed.join()) return `landed [${got}], expected [${want.landed}]`;
    for (const role of want.rebase ?? []) {
      const w = report.waiting.find((x) => x.role === role);
      if (!w?.rebase) return `${role} was not asked to rebase: ${w?.reason ?? 'not waiting'}`;
    }
    for (const role of want.signoff ?? []) {
      const w = report.waiting.find((x) => x.role === role);
      if (!w?.reason.includes('no sign-off from D-arch'))
        return `${role} should wait for a new sign-off: ${w?.reason ?? 'not waiting'}`;
    }
    if (want.carried && !/sign-off of \w+ carried over to/.test(r.stderr))
      return `no sign-off carried over: ${r.stderr.trim()}`;
    const last = report.landed.at(-1);
    if (last && hubSha(sb, 'master') !== last.sha)
      return `the remote's master is not ${last.role}'s tip`;
    return null;
  };
}

/** Run land --json; print its human lines (stderr) and the report's short form. */
function land(check: ReturnType<typeof landCheck>): Pick<Step, 'act' | 'check' | 'show'> {
  let last: RunResult | null = null;
  return {
    act: (sb, d) => (last = sb.cli(d, 'land', '--json')),
    check: (sb) => (last ? check(last, sb) : 'land did not run'),
    show: (r) => {
      const report = landed(r);
      if (typeof report === 'string') return report;
      return [
        ...r.stderr.split('\n').filter((l) => l.includes('carried over')),
        ...report.landed.map((l) => `landed ${l.role} at ${l.sha.slice(0, 12)}`),
        ...report.waiting.map((w) => `waits: ${w.role}: ${w.reason}`),
      ].join('\n');
    },
  };
}

const theme = (accent: string) => `{\n  "accent": "${accent}",\n  "font": "serif"\n}\n`;

/** A lane commits each file (one commit a file) and pushes its branch. */
function work(role: string, what: string, files: Record<string, string>): Step {
  return {
    lane: role,
    title: `commit ${what}: ${Object.keys(files).join(', ')}; push`,
    expect: { allowed: true },
    act: all(...Object.entries(files).map(([file, text]) => edit(file, text)), (sb, d) =>
      sb.git(d, 'push', '-q', 'origin', `agent/${role}`),
    ),
  };
}

function steps(): Step[] {
  return [
    {
      lane: 'coordinator',
      title: 'queue add three tasks, each naming its paths; A-backend and B-ui claim theirs',
      expect: { allowed: true },
      act: (sb, d) => {
        for (const [title, ...paths] of [
          ['Orders API', 'backend/**', 'shared/api.json'],
          ['Checkout page', 'web/**'],
          ['API contract docs', 'shared/*.json'],
        ] as string[][])
          sb.mustCli(d, 'queue', 'add', title!, ...paths.flatMap((p) => ['--paths', p]));
        return all(claim('T1', 'A-backend', 'agent-a'), claim('T2', 'B-ui', 'agent-b'))(sb, d);
      },
    },
    {
      lane: 'C-ops',
      title: 'C-ops claims "API contract docs" (shared/*.json meets the Orders API task)',
      expect: { conflict: 'agent-a' },
      act: claim('T3', 'C-ops', 'agent-c'),
      show: (r) =>
        r.stderr
          .split('\n')
          .filter((l) => l.trimStart().startsWith('why:'))
          .join('\n'),
    },
    {
      lane: 'C-ops',
      title: 'queue add "Deploy checkout" --paths ops/** / queue claim: no overlap',
      expect: { allowed: true },
      act: all(
        (sb, d) => sb.cli(d, 'queue', 'add', 'Deploy checkout', '--paths', 'ops/**'),
        claim('T4', 'C-ops', 'agent-c'),
      ),
    },
    work('A-backend', 'orders', { 'backend/orders.ts': 'export const orders = [];\n' }),
    work('B-ui', 'a darker accent', {
      'web/checkout.tsx': 'export const Checkout = () => null;\n',
      'shared/theme.json': theme('navy'),
    }),
    work('C-ops', 'a brighter accent', {
      'ops/checkout.sh': 'echo deploy checkout\n',
      'shared/theme.json': theme('sky'),
    }),
    {
      lane: 'coordinator',
      title: 'lanes-hooks status: the conflict radar, before anyone merges',
      expect: { allowed: true },
      act: (sb, d) => sb.cli(d, 'status'),
      check: (sb) => {
        const b = rows(sb).find((r) => r.role === 'B-ui');
        return b?.conflicts.lanes['C-ops']?.includes('shared/theme.json')
          ? null
          : `the radar does not see B-ui and C-ops meet on shared/theme.json: ${JSON.stringify(b)}`;
      },
      // The two lanes' rows (unwrapped) and the action the radar asks for.
      show: (r) =>
        r.stdout
          .replace(/\n {4}(?=\S)/g, ' ')
          .split('\n')
          .filter((l) => /^(B-ui|C-ops) /.test(l) || l.includes('conflict on'))
          .join('\n'),
    },
    {
      lane: 'D-arch',
      title:
        'review refresh + signoff of A-backend, B-ui and C-ops, then sync (land reads the hub)',
      expect: { allowed: true },
      act: cliSeq(
        ...DELIVERY.flatMap((role) => [
          ['review', 'refresh', role],
          ['review', 'signoff', role],
        ]),
        ['sync'],
      ),
    },
    {
      lane: 'coordinator',
      title: 'lanes-hooks land: A-backend lands; B-ui and C-ops are now behind',
      expect: { allowed: true },
      ...land(landCheck({ landed: ['A-backend'], rebase: ['B-ui', 'C-ops'] })),
    },
    {
      lane: 'B-ui',
      title: 'rebase onto origin/master (clean: the same patches) and push',
      expect: { allowed: true },
      act: seq(
        ['fetch', '-q', 'origin'],
        ['rebase', '-q', 'origin/master'],
        ['push', '-q', '-f', 'origin', 'agent/B-ui'],
      ),
    },
    {
      lane: 'coordinator',
      title: "lanes-hooks land: D-arch's sign-off carries over B-ui's clean rebase; B-ui lands",
      expect: { allowed: true },
      ...land(landCheck({ landed: ['B-ui'], rebase: ['C-ops'], carried: true })),
    },
    {
      lane: 'C-ops',
      title: 'rebase onto origin/master: shared/theme.json conflicts; resolve, continue, push',
      expect: { allowed: true },
      act: (sb, d) => {
        sb.must(d, 'fetch', '-q', 'origin');
        const r = sb.git(d, 'rebase', '-q', 'origin/master');
        if (r.status === 0) return { ...r, status: 1, stderr: 'the rebase did not conflict' };
        sb.write(d, 'shared/theme.json', theme('teal'));
        sb.must(d, 'add', '--', 'shared/theme.json');
        return all(
          (s, w) => s.run(w, 'git', ['rebase', '--continue'], { GIT_EDITOR: 'true' }),
          (s, w) => s.git(w, 'push', '-q', '-f', 'origin', 'agent/C-ops'),
        )(sb, d);
      },
    },
    {
      lane: 'coordinator',
      title: 'lanes-hooks land: the resolved patch is new, so C-ops waits for a new sign-off',
      expect: { allowed: true },
      ...land(landCheck({ landed: [], signoff: ['C-ops'] })),
    },
    {
      lane: 'D-arch',
      title: 'review refresh + signoff C-ops (its new HEAD), then sync',
      expect: { allowed: true },
      act: cliSeq(['review', 'refresh', 'C-ops'], ['review', 'signoff', 'C-ops'], ['sync']),
    },
    {
      lane: 'coordinator',
      title: 'lanes-hooks land: C-ops lands; every lane is in',
      expect: { allowed: true },
      ...land(landCheck({ landed: ['C-ops'] })),
    },
  ];
}

/** The chapter, in `<root>/day`; true when every step behaved. */
export function runDay(
  root: string,
  cliFile: string,
  log: (s: string) => void,
  inProcess: InProcessCli | null = null,
): boolean {
  const sb = world(path.join(root, 'day'), cliFile, inProcess);
  log(`\nthe coordinator's day, in ${sb.root}: five lanes by setup, shared/** open to every`);
  log('delivery lane, D-arch signs off, sign-offs may carry over a clean rebase\n');
  const lanes: Record<string, string> = { coordinator: sb.coordinator };
  for (const role of [...DELIVERY, 'D-arch', 'E-governance']) lanes[role] = sb.lane(role);
  return runSteps(sb, lanes, steps(), log);
}
