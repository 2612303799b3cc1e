// The world of the off-switch tests (test/agents-switches.test.ts, the fast cell of
// hook-integrity; test/deep/agents-switches.test.ts, the rest): a coordinator and its lanes by
// `setup --agent all`, the agents' user files in a temporary HOME (test/helpers/agent-bins.ts),
// Claude Code's installed hook command run by hand, and doctor.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll } from 'vitest';
import { Sandbox } from '../../src/demo/sandbox.js';
import { agentBins, readJsonFile } from './agent-bins.js';
import { CLI, tmpDir } from './world.js';
import { claudeTerms } from './claude-terms.js';
import { coordinatorSandbox } from './template.js';

/**
 * Call at a test file's top (it registers the mocks' afterAll). With `template`, the coordinator
 * and lanes are a copy of the `setup --agent all` template that test/agents-real.test.ts and
 * test/agents-selfedit.test.ts copy too (built once per run, helpers/template.ts; agentBins only
 * makes directories and the user's environment, which setup does not read): the fast file's world.
 */
export function switchesWorld(opts: { template?: boolean } = {}) {
  let sb: Sandbox;
  let bins: ReturnType<typeof agentBins>;
  if (opts.template) {
    sb = coordinatorSandbox({ setup: true, agent: 'all' });
    bins = agentBins(sb);
  } else {
    sb = new Sandbox(tmpDir(), CLI);
    bins = agentBins(sb);
    sb.createCoordinator();
    sb.mustCli(sb.coordinator, 'setup', '--agent', 'all');
  }
  const A = sb.lane('A-backend');
  afterAll(() => bins.close());

  const claude = readJsonFile(path.join(A, '.claude', 'settings.local.json'))!;
  const commandOf = (event: string) => (claude.hooks as any)[event][0].hooks[0].command as string;
  function hook(event: string, extra: Record<string, unknown>) {
    const file = path.join(sb.root, 'payload.json');
    writeFileSync(
      file,
      JSON.stringify({
        session_id: 's',
        transcript_path: '/dev/null',
        cwd: A,
        permission_mode: 'default',
        hook_event_name: event,
        tool_use_id: 't',
        ...extra,
      }),
    );
    return claudeTerms(sb.run(A, 'sh', ['-c', `${commandOf(event)} < '${file}'`], bins.userEnv));
  }
  const afterShell = () =>
    hook('PostToolUse', { tool_name: 'Bash', tool_input: { command: 'true' }, tool_response: {} });
  const doctor = (...args: string[]) =>
    sb.run(A, process.execPath, [CLI, 'doctor', ...args], bins.userEnv);
  return { sb, bins, A, hook, afterShell, doctor };
}
