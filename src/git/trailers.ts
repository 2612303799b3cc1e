// Commit trailers (provenance: Lane:, Task:, Agent:). Added to a message file with
// `git interpret-trailers --if-exists doNothing`, which appends to the trailer block and never
// rewrites the text above it; read back per commit with the trailer separators pinned.
import { gitBytes, gitJob, gitRun, type GitJob } from './exec.js';
import { showText } from '../util/text.js';

/** Trailer options pinned on the command line, whatever trailer.* says. */
export const TRAILER_PINS = ['-c', 'trailer.separators=:', '-c', 'trailer.where=end'] as const;

/** Append `Key: value` trailers to the message in `file` where no trailer of that key exists. */
export function addTrailers(file: string, trailers: [string, string][], cwd?: string): boolean {
  if (!trailers.length) return true;
  return gitRun(
    [
      ...TRAILER_PINS,
      'interpret-trailers',
      '--in-place',
      '--where',
      'end',
      '--if-exists',
      'doNothing',
      '--if-missing',
      'add',
      ...trailers.flatMap(([k, v]) => ['--trailer', `${k}: ${v}`]),
      file,
    ],
    { cwd },
  ).ok;
}

export interface CommitTrailers {
  commit: string;
  /** Each key's values, in order (keys as written). */
  trailers: Record<string, string[]>;
}

/** The trailers of the commits of `tips` not reachable from `exclude`, newest first. */
export function commitTrailers(tips: string[], exclude: string[], cwd?: string): CommitTrailers[] {
  if (!tips.length) return [];
  return readTrailers([...tips, '--not', ...exclude], cwd);
}

/** The trailers of exactly these commits (no walk), in the order given. */
export function trailersOf(commits: string[], cwd?: string): CommitTrailers[] {
  if (!commits.length) return [];
  return readTrailers(['--no-walk=unsorted', ...commits], cwd);
}

/** trailersOf as a job for runGitJobs (status asks it beside its other questions); null: git failed. */
export function trailersOfJob(commits: string[], cwd: string): GitJob<CommitTrailers[] | null> {
  const job = gitJob(trailerArgs(['--no-walk=unsorted', ...commits]), cwd);
  return {
    script: (p) => (commits.length ? job.script(p) : ': no commits'),
    read: (file) => {
      if (!commits.length) return [];
      const out = job.read(file);
      return out === null ? null : parseTrailers(out.toString('utf8'));
    },
  };
}

const trailerArgs = (revs: string[]) => [
  ...TRAILER_PINS,
  'log',
  '-z',
  '--no-show-signature',
  '--no-color',
  '--format=%H%n%(trailers:only=true,unfold=true)',
  ...revs,
  '--',
];

function readTrailers(revs: string[], cwd?: string): CommitTrailers[] {
  return parseTrailers(gitBytes(trailerArgs(revs), { cwd }).toString('utf8'));
}

function parseTrailers(out: string): CommitTrailers[] {
  return out
    .split('\0')
    .filter(Boolean)
    .map((rec) => {
      const [commit, ...lines] = rec.split('\n');
      const trailers: Record<string, string[]> = {};
      for (const l of lines) {
        // `s`: a value holding \r or U+2028 is still one value (JS `.` stops at line terminators).
        const m = /^([^:\s][^:]*):\s?(.*)$/s.exec(l);
        if (m) (trailers[m[1]!] ??= []).push(m[2]!.trim());
      }
      return { commit: commit!, trailers };
    });
}

/** Provenance at a glance: each key's distinct values over `commits` (Lane, Task, Agent). */
export function provenanceOf(commits: CommitTrailers[]): {
  lane: string[];
  task: string[];
  agent: string[];
  commits: number;
  without: number;
} {
  const values = (k: string) => [...new Set(commits.flatMap((c) => c.trailers[k] ?? []))];
  return {
    lane: values('Lane'),
    task: values('Task'),
    agent: values('Agent'),
    commits: commits.length,
    without: commits.filter((c) => !c.trailers.Lane?.length).length,
  };
}

export const provenanceText = (p: ReturnType<typeof provenanceOf>): string =>
  `Lane: ${p.lane.map(showText).join(', ') || '-'}; Task: ${p.task.map(showText).join(', ') || '-'}; Agent: ${p.agent.map(showText).join(', ') || '-'} (${p.commits} commits${p.without ? `, ${p.without} without trailers` : ''})`;
