// The last step of every hook: print the violations and decide, honouring LANES_OVERRIDE.
import { readFileSync } from 'node:fs';
import { formatViolation } from '../policy/format.js';
import type { Context, Violation } from '../policy/types.js';
import { recordAudit } from '../store/audit.js';
import { recordRefusals } from '../store/refusals.js';
import { gitMaybe } from '../git/exec.js';
import type { HookContext } from './context.js';
import { runnableAt } from './cli-command.js';

/** Blank is no override: a reason is mandatory. */
export const overrideReason = (env: NodeJS.ProcessEnv = process.env): string | null => {
  const r = env.LANES_OVERRIDE;
  return r && r.trim() ? r : null;
};

/** Print and decide: 0 when nothing was violated or every violation was overridden (and audited). */
export function verdict(ctx: Context, violations: Violation[], cwd?: string): number {
  if (!violations.length) return 0;
  const reason = overrideReason();
  if (!reason) {
    // The fixes are printed the way they run in this worktree (a lane has no node_modules).
    const common = gitMaybe(['rev-parse', '--path-format=absolute', '--git-common-dir'], { cwd });
    process.stderr.write(
      runnableAt(violations.map((v) => formatViolation(v)).join('\n\n'), common) + '\n',
    );
    noteRefusals(ctx, violations, cwd);
    return 1;
  }
  try {
    for (const v of violations) {
      recordAudit(
        {
          lane: ctx.lane.role ?? 'unassigned',
          rule: v.rule,
          object: v.object,
          reason,
          kind: 'override',
          operation: operationKey(),
        },
        cwd,
      );
    }
  } catch (e) {
    process.stderr.write(
      violations.map((v) => formatViolation(v)).join('\n\n') +
        `\nlanes-hooks: LANES_OVERRIDE given, but the override could not be recorded in the audit log (${(e as Error).message}): refused.\n`,
    );
    return 1;
  }
  process.stderr.write(
    violations.map((v) => formatViolation(v, reason)).join('\n\n') +
      '\n  (recorded in the audit log: lanes-hooks audit)\n',
  );
  return 0;
}

/** The git command this hook runs for: its pid (from the shim) and when that process started. */
function operationKey(): string | undefined {
  const pid = process.env.LANES_GIT_PID;
  if (!pid || !/^\d+$/.test(pid)) return undefined;
  try {
    // Field 22 of /proc/<pid>/stat is the start time: a recycled pid gets another.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return `${pid}@${stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]}`;
  } catch {
    return pid; // no /proc: the pid alone (a recycled pid within the last few entries is unlikely)
  }
}

/** Write the refusals down for `status` (a lane refused again and again is an agent in a loop). */
export function noteRefusals(
  ctx: Context,
  violations: Violation[],
  cwd?: string,
  by?: string,
): void {
  const commonDir =
    (ctx as Partial<HookContext>).wt?.commonDir ??
    gitMaybe(['rev-parse', '--path-format=absolute', '--git-common-dir'], { cwd });
  if (!commonDir) return;
  recordRefusals(
    commonDir,
    violations.map((v) => ({
      lane: ctx.lane.role ?? 'unassigned',
      rule: v.rule,
      object: v.object,
      by: by ?? process.env.LANES_HOOK ?? 'lanes-hooks',
    })),
  );
}
