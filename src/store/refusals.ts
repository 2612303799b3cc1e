// Refusals, recorded so that `status` can tell a lane that keeps being refused (an agent stuck in
// a loop) from one that is working. Written only when something is refused, so an allowed
// operation pays nothing: one JSON line appended (O_APPEND keeps concurrent lines whole) to a file
// beside the hooks in the common git dir. Not the audit log: nothing here is evidence, and an old
// half is dropped once the file grows past a bound.
import { appendFileSync, mkdirSync, readFileSync, renameSync, statSync } from 'node:fs';
import path from 'node:path';

export interface Refusal {
  at: string;
  lane: string;
  rule: string;
  object: string;
  /** Which layer refused: a git hook's name, or `agent-hook`. */
  by: string;
}

const FILE = 'refusals.jsonl';
const MAX_BYTES = 256 * 1024;

export const refusalsFile = (commonDir: string) => path.join(commonDir, 'lanes-hooks', FILE);

export function recordRefusals(commonDir: string, entries: Omit<Refusal, 'at'>[]): void {
  if (!entries.length) return;
  const file = refusalsFile(commonDir);
  const at = new Date().toISOString();
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    try {
      if (statSync(file).size > MAX_BYTES) renameSync(file, `${file}.1`);
    } catch {
      /* no file yet */
    }
    appendFileSync(
      file,
      entries
        .map((e) => JSON.stringify({ at, ...e, object: e.object.slice(0, 300) }) + '\n')
        .join(''),
    );
  } catch {
    // Recording is a courtesy to status: a refusal stands even when it cannot be written down.
  }
}

/** Refusals since `since` (ms since the epoch), oldest first; unreadable lines are skipped. */
export function readRefusals(commonDir: string, since: number): Refusal[] {
  const file = refusalsFile(commonDir);
  const out: Refusal[] = [];
  for (const f of [`${file}.1`, file]) {
    let text: string;
    try {
      text = readFileSync(f, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n')) {
      try {
        const r = JSON.parse(line) as Refusal;
        if (typeof r.at === 'string' && Date.parse(r.at) >= since) out.push(r);
      } catch {
        /* a torn or foreign line */
      }
    }
  }
  return out;
}
