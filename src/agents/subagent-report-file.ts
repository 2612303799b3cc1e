// Where a sub-agent's report waits for its parent session (subagent-runs.ts). A module of its own so
// that agent-hook's light entry (fast.ts) can look for the file without loading what writes it
// (node:crypto, which an allowed write must not load).
import path from 'node:path';

export const subagentReportFile = (gitDir: string) =>
  path.join(gitDir, 'lanes-hooks.subagent-report.json');
