// `install --agent gemini|qwen|opencode|copilot|cursor`: the same promise as agent-settings.ts
// makes for Claude Code and Codex — per-worktree settings, untracked (info/exclude), merged with
// what is there, an unreadable file refused and left alone, idempotent, and undone by `uninstall`
// byte for byte — for the agents of agents/registry.ts, each settings file described by its
// adapter (a JSON file lanes-hooks adds entries to, or a file it owns whole).
import { existsSync, mkdirSync, readFileSync, rmdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../util/errors.js';
import { EXTRA_AGENTS, type ExtraAgent } from '../agents/registry.js';
import type { Json } from '../agents/adapter.js';
import type { Worktree } from '../git/repo.js';
import { writeFileAtomic } from '../util/fs.js';
import {
  agentCommand,
  exclude,
  normalized,
  parseSettings,
  sameJson,
  unexclude,
} from './agent-settings.js';

/** What install changed in one file, so that uninstall restores exactly that. */
interface ExtraRecord {
  agent: ExtraAgent;
  file: string;
  /** The file's bytes before the first install (base64); null: lanes-hooks created it. */
  original: string | null;
  /** The directories lanes-hooks created for it, deepest first. */
  createdDirs: string[];
  /** The line added to info/exclude, if it was not there. */
  excluded: string | null;
}

const recordFile = (base: string) => path.join(base, 'agents-extra.json');

function readRecords(base: string): ExtraRecord[] {
  try {
    return JSON.parse(readFileSync(recordFile(base), 'utf8')) as ExtraRecord[];
  } catch {
    return [];
  }
}

/** The directories from `dir` up to (not including) `top` that do not exist yet, deepest first. */
function missingDirs(dir: string, top: string): string[] {
  const out: string[] = [];
  for (
    let d = dir;
    d !== top && d.startsWith(top + path.sep) && !existsSync(d);
    d = path.dirname(d)
  )
    out.push(d);
  return out;
}

/** The next content of `agent`'s file, or a UserError before anything is written. */
function planned(agent: ExtraAgent, rel: string, before: Buffer | null, command: string): string {
  const spec = EXTRA_AGENTS[agent].settings;
  if (spec.kind === 'owned') {
    if (before && !spec.isOurs(before.toString('utf8')))
      throw new UserError(
        `install --agent ${agent}: ${rel} exists and was not written by lanes-hooks; move it aside first, nothing was changed`,
      );
    return spec.render(command);
  }
  const settings = before ? parseSettings(rel, before.toString('utf8')) : {};
  const next = spec.add(settings, command);
  return before && sameJson(settings, next)
    ? before.toString('utf8')
    : JSON.stringify(next, null, 2) + '\n';
}

export function installExtraAgents(
  wt: Worktree,
  base: string,
  node: string,
  agents: ExtraAgent[],
): string[] {
  if (!wt.top) throw new UserError('install --agent: a bare repository has no worktree for agents');
  const top = wt.top;
  // Every file is read and checked before any is written: one unreadable file changes nothing.
  const plans = agents.map((agent) => {
    const rel = EXTRA_AGENTS[agent].settings.file;
    const file = path.join(top, rel);
    const before = existsSync(file) ? readFileSync(file) : null;
    return {
      agent,
      rel,
      file,
      before,
      next: planned(agent, rel, before, agentCommand(node, base, agent, { lane: top })),
    };
  });
  const records = readRecords(base);
  for (const { agent, rel, file, before, next } of plans) {
    let record = records.find((r) => r.file === file);
    if (!record) {
      record = {
        agent,
        file,
        original: before ? before.toString('base64') : null,
        createdDirs: missingDirs(path.dirname(file), top),
        excluded: null,
      };
      records.push(record);
    }
    if (!before || before.toString('utf8') !== next) {
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileAtomic(file, next);
    }
    record.excluded ??= exclude(wt, `/${rel}`);
    writeFileAtomic(recordFile(base), JSON.stringify(records, null, 2) + '\n');
  }
  return plans.map((p) => p.rel);
}

/** `kept` (the settings with lanes-hooks' entries taken out) as they compare with the original. */
function withoutAddedKeys(kept: Json, original: Json): Json {
  const out = { ...kept };
  if (!('version' in original) && out.version === 1) delete out.version; // flat formats add it
  return out;
}

/** Undo every install of these agents in this repository: each file back to its bytes, or gone. */
export function uninstallExtraAgents(wt: Worktree, base: string): string[] {
  const undone: string[] = [];
  for (const r of readRecords(base)) {
    const spec = EXTRA_AGENTS[r.agent]?.settings;
    const original = r.original === null ? null : Buffer.from(r.original, 'base64');
    if (spec && existsSync(r.file)) {
      const now = readFileSync(r.file, 'utf8');
      if (spec.kind === 'owned') {
        if (spec.isOurs(now)) {
          if (original) writeFileAtomic(r.file, original);
          else rmSync(r.file, { force: true });
        }
      } else {
        let current: Json | null = null;
        try {
          current = parseSettings(r.file, now);
        } catch {
          current = null; // edited into something else since: leave it be
        }
        if (current) {
          const before = original ? (JSON.parse(original.toString('utf8')) as Json) : {};
          const kept = withoutAddedKeys(spec.remove(current), before);
          if (original && sameJson(normalized(kept), normalized(before)))
            writeFileAtomic(r.file, original);
          else if (!original && !Object.keys(normalized(kept)).length)
            rmSync(r.file, { force: true });
          else writeFileAtomic(r.file, JSON.stringify(kept, null, 2) + '\n');
        }
      }
    }
    for (const dir of r.createdDirs ?? []) {
      try {
        rmdirSync(dir); // only when empty
      } catch {
        /* the user put something there */
      }
    }
    if (r.excluded) unexclude(wt, r.excluded);
    undone.push(r.file);
  }
  rmSync(recordFile(base), { force: true });
  return undone;
}
