// init, install, uninstall, doctor, audit: thin wrappers that parse, call and print.
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from '../args.js';
import { EXIT, UserError } from '../../util/errors.js';
import { referenceConfigText } from '../../config/schema.js';
import { scaffold } from '../../lifecycle/scaffold.js';
import { proposeRoles, unmatchedPaths } from '../../lifecycle/init-roles.js';
import { topLevelEntries, treePaths } from '../../git/tree-files.js';
import { currentWorktree, guessIntegration, listWorktrees, resolveCommit } from '../../git/repo.js';
import {
  allWorktrees,
  install,
  installAgentHooks,
  installManagedHooks,
  uninstall,
} from '../../hooks/install.js';
import { geminiSkips, isManagedAgent, MANAGED_AGENTS } from '../../agents/managed.js';
import { shellQuote } from '../../util/sh.js';
import { cliCommand } from '../../hooks/cli-command.js';
import { HOOK_AGENTS, type HookAgent } from '../../agents/registry.js';
import { hookArgs } from '../../agents/payload.js';
import { agentHook } from '../../hooks/agent-hook.js';
import { laneBrief } from '../../hooks/brief.js';
import { lanePolicy } from '../../lanes/policy.js';
import { laneOf } from '../../lanes/facts.js';
import { doctor, type DoctorReport } from '../../lifecycle/doctor.js';
import { readAudit } from '../../store/audit.js';
import { writeFileAtomic } from '../../util/fs.js';
import { showName } from '../../policy/format.js';
import { hubReport } from '../../guard/hub-install.js';
import { inertLines, jsonText } from '../../util/text.js';
import { onPath } from '../../util/on-path.js';

export function initCommand(argv: string[]): number {
  const { values } = parse('init', argv);
  const wt = currentWorktree();
  if (!wt.top) throw new UserError('init: run it inside a worktree');
  const file = path.join(wt.top, '.lanesrc.json');
  const shown = path.relative(process.cwd(), file) || '.lanesrc.json';
  if (!existsSync(file)) {
    // The repository's own integration branch (not always master), and lanes named after the
    // repository, so that two repositories in one folder do not share ../gpuas-<role>.
    const guess = guessIntegration('origin', wt.top);
    const main = listWorktrees(wt.top)[0]?.path ?? wt.top;
    const name = path.basename(main).replace(/[{}]/g, '') || 'lanes';
    const worktrees = `../${name}-{role}`;
    const head = resolveCommit('HEAD', wt.top);
    // An existing repository: roles from its own top-level folders, not the reference model's.
    const proposal = head ? proposeRoles(topLevelEntries(head, wt.top)) : null;
    const text = referenceConfigText({
      integration: guess?.branch ?? 'master',
      worktrees,
      ...(proposal ? { roles: proposal.roles } : {}),
    });
    writeFileAtomic(file, text);
    console.log(`wrote ${file}`);
    console.log(
      `  integration: ${guess ? `${guess.branch} (${guess.why})` : 'master (no branch to go by)'}; lanes at ${worktrees}: edit the file to change them`,
    );
    if (proposal) {
      console.log(
        `  roles from this repository's top-level folders: ${Object.entries(proposal.roles)
          .map(
            ([r, v]) =>
              `${r} (${v.kind === 'delivery' ? v.paths.map(showName).join(', ') : 'a review lane'})`,
          )
          .join('; ')}`,
      );
      for (const s of proposal.skipped)
        console.log(`  folder ${showName(s.folder)} has no lane (${s.why}): add its role by hand`);
      console.log(
        '  top-level files and dot-folders are the coordinator\'s (or add them to "shared")',
      );
    }
    if (head) {
      const roles = (JSON.parse(text) as { roles: Parameters<typeof unmatchedPaths>[0] }).roles;
      for (const [role, glob] of unmatchedPaths(roles, treePaths(head, wt.top)))
        console.log(
          `  warning: ${showName(role)}'s path ${showName(glob)} matches no file in this repository`,
        );
    } else
      console.log(
        '  this repository has no commit yet: make a first commit (git add .lanesrc.json && git commit -m "lanes policy")',
      );
  } else if (!values.scaffold) {
    throw new UserError(`init: ${shown} already exists; not overwriting it`);
  } else console.log(`kept ${shown} (your config)`);
  if (!values.scaffold) return EXIT.ok;
  const r = scaffold(wt.top);
  if (r.conflicts.length) {
    process.stderr.write(
      `init --scaffold: these files exist with other content and are never overwritten:\n${r.conflicts.map((c) => `  ${c}`).join('\n')}\nMove them aside (or merge them by hand) and run it again. Nothing was written.\n`,
    );
    return EXIT.conflict;
  }
  for (const w of r.written) console.log(`wrote ${w}`);
  for (const u of r.unchanged) console.log(`unchanged ${u}`);
  console.log(`Makefile: ${r.makefile}`);
  return EXIT.ok;
}

export function installCommand(argv: string[]): number {
  const { values } = parse('install', argv);
  const agents = values.agent === undefined ? [] : parseAgents('install', values.agent);
  if (values['user-hook'] && !agents.includes('claude'))
    throw new UserError('lanes-hooks install: --user-hook goes with --agent claude (or all)');
  if (values.sandbox && !agents.includes('claude') && !agents.includes('codex'))
    throw new UserError(
      'lanes-hooks install: --sandbox goes with --agent claude or codex (or all)',
    );
  if ((values.managed || values['managed-root'] !== undefined) && !agents.length)
    throw new UserError('lanes-hooks install: --managed goes with --agent <agent> (or all)');
  if (values['managed-root'] !== undefined && !values.managed)
    throw new UserError('lanes-hooks install: --managed-root goes with --managed');
  if (values.managed && !agents.some(isManagedAgent))
    throw new UserError(
      `lanes-hooks install: --managed: only ${MANAGED_AGENTS.join(', ')} have administrator-level settings; ${agents.join(', ')} has none`,
    );
  const r = install({ role: values.role });
  console.log(
    `lanes-hooks: hooks ${r.fresh ? 'installed' : r.changed ? 'updated' : 'already current'} in ${r.hooksDir} (for every worktree of this repository)`,
  );
  console.log(`  previous hooks still run from: ${r.chained}`);
  for (const a of r.adopted)
    console.log(
      `  moved ${a} (another tool's, written over the lanes hook) to ${r.chained}: it runs there after the lanes checks (lefthook: add \`no_auto_install: true\` to lefthook.yml, or its next run after a config change writes over the lanes hook again)`,
    );
  if (r.role) console.log(`  this worktree's role: ${r.role}`);
  const report = doctor();
  console.log(
    `  this worktree: ${report.role ? (report.role === report.kind ? report.role : `${report.role} (${report.kind})`) : 'unassigned: run `lanes-hooks install --role <role>`'}`,
  );
  for (const n of report.notes.filter((n) => n.includes('ignored'))) console.log(`  note: ${n}`);
  if (agents.length) {
    console.log(
      `  coding agents: ${installAgentHooks(agents, undefined, { userHook: values['user-hook'], sandbox: values.sandbox }).join(', ')} now call lanes-hooks agent-hook here`,
    );
    if (values.sandbox && agents.includes('codex'))
      console.log(
        '  codex: Codex\'s sandbox is on in .codex/config.toml (sandbox_mode = "workspace-write", the lane the one writable root besides the temp dirs): the OS refuses a shell command\'s writes to other worktrees; Codex reads it once the project is trusted (doctor)',
      );
    if (values.sandbox && agents.includes('claude')) {
      console.log(
        "  claude: Claude Code's sandbox is on in .claude/settings.local.json: the OS refuses a shell command's writes to the other worktrees and to this lane's out-of-scope top-level folders",
      );
      const missing =
        process.platform === 'linux' ? ['bwrap', 'socat'].filter((b) => !onPath(b)) : [];
      if (missing.length)
        console.log(
          `  ✖ claude: ${missing.join(' and ')} not found on PATH: Claude Code's sandbox needs bubblewrap and socat on Linux (apt-get install bubblewrap socat, or your distribution's packages); until then it cannot sandbox commands`,
        );
    }
    if (values.managed) {
      const root =
        values['managed-root'] === undefined ? null : path.resolve(values['managed-root']);
      const rerun = [
        cliCommand(currentWorktree()),
        'install',
        ...argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : shellQuote(a))),
      ].join(' ');
      const done = installManagedHooks(agents, root, rerun);
      for (const m of done)
        console.log(
          `  managed: ${m.agent}: administrator-level settings in ${showName(m.file)} (no project or user file switches its hook off)`,
        );
      for (const m of done.filter((m) => m.agent === 'gemini')) {
        const skips = geminiSkips(m.file);
        if (skips)
          console.log(
            `  ✖ gemini: Gemini CLI will skip ${showName(m.file)}: ${skips} (it reads system settings only from root's folders that group and others cannot write)`,
          );
      }
      const unmanaged = agents.filter((a) => !isManagedAgent(a));
      if (unmanaged.length)
        console.log(
          `  not managed: ${unmanaged.join(', ')}: these agents have no administrator-level settings; their hooks live in the lane's files only`,
        );
    }
    // Which agents' shell commands the OS holds, and which only the checks after them
    // (docs/agents.md, "Agent by agent").
    const unsandboxed = agents.filter(
      (a) => !((a === 'claude' || a === 'codex') && values.sandbox),
    );
    if (unsandboxed.length)
      console.log(
        `  not sandboxed: ${unsandboxed.join(', ')}: their shell commands are checked after they run${agents.includes('claude') && !values.sandbox ? ' (claude: add --sandbox for the OS to refuse writes outside the lane)' : ''}`,
      );
    for (const p of doctor().problems.filter((p) =>
      HOOK_AGENTS.some((a) => p.startsWith(`${a}: `)),
    ))
      console.log(`  ✖ ${p}`);
  }
  return EXIT.ok;
}

/** `--agent claude|codex|gemini|qwen|opencode|copilot|cursor|all` */
export function parseAgents(command: string, value: string): HookAgent[] {
  if (value === 'all') return [...HOOK_AGENTS];
  if ((HOOK_AGENTS as readonly string[]).includes(value)) return [value as HookAgent];
  throw new UserError(
    `lanes-hooks ${command}: --agent takes ${HOOK_AGENTS.join(', ')} or all, not ${JSON.stringify(value)}`,
  );
}

export function agentHookCommand(argv: string[]): number {
  const { agent, lane, user, managed } = hookArgs(argv);
  if (!agent || !(HOOK_AGENTS as readonly string[]).includes(agent))
    throw new UserError(`lanes-hooks agent-hook: name the agent: ${HOOK_AGENTS.join(', ')}`);
  if (process.env.LANES_HOOKS_TRACE)
    appendFileSync(process.env.LANES_HOOKS_TRACE, `agent-hook ${agent}\n`);
  // The light entry (agents/fast.ts) read stdin already when it hands over.
  const handed = (globalThis as { __lanesAgentInput?: string }).__lanesAgentInput;
  return agentHook(agent as HookAgent, handed ?? readFileSync(0, 'utf8'), { lane, user, managed });
}

export function briefCommand(argv: string[]): number {
  const { values } = parse('brief', argv);
  const wt = currentWorktree();
  const { config } = lanePolicy(wt);
  const brief = laneBrief({ config, lane: laneOf(wt, config) }, wt);
  if (values.json) {
    const { text: _text, ...rest } = brief;
    console.log(jsonText(rest));
  } else process.stdout.write(inertLines(brief.text));
  return EXIT.ok;
}

export function uninstallCommand(argv: string[]): number {
  parse('uninstall', argv);
  const r = uninstall({});
  if (!r) console.log('lanes-hooks: not installed here; nothing to undo');
  else
    console.log(
      `lanes-hooks: uninstalled; core.hooksPath ${r.restored === null ? 'unset again' : `restored to ${r.restored}`}`,
    );
  return EXIT.ok;
}

export function doctorCommand(argv: string[]): number {
  const { values } = parse('doctor', argv);
  // In a bare repository: the hub's own report (what its pre-receive enforces).
  const here = currentWorktree();
  if (here.top === null) {
    const r = hubReport(here.gitDir);
    if (values.json)
      console.log(JSON.stringify({ ok: r.ok, hub: here.gitDir, lines: r.lines }, null, 2));
    else for (const l of [`${r.ok ? '✔' : '✖'} hub ${here.gitDir}`, ...r.lines]) console.log(l);
    return r.ok ? EXIT.ok : EXIT.refused;
  }
  // The store is the repository's, not a worktree's: checked (and repaired) once, with the first report.
  const opts = (i: number) => ({ stores: i === 0, repair: values.repair ?? false });
  const reports: DoctorReport[] = values.all
    ? allWorktrees().map((w, i) => doctor(w.path, opts(i)))
    : [doctor(undefined, opts(0))];
  const ok = reports.every((r) => r.problems.length === 0);
  if (values.json) {
    console.log(jsonText({ ok, worktrees: reports }));
  } else {
    for (const r of reports) {
      console.log(
        `${r.problems.length ? '✖' : '✔'} ${showName(r.path)}: ${showName(r.role ?? 'unassigned')} (${r.kind})`,
      );
      for (const n of r.notes) console.log(`    ${inertLines(n)}`);
      for (const p of r.problems) console.log(`  ✖ ${inertLines(p)}`);
    }
  }
  return ok ? EXIT.ok : EXIT.refused;
}

export function auditCommand(argv: string[]): number {
  const { values } = parse('audit', argv);
  const entries = readAudit();
  if (values.json) {
    console.log(jsonText({ entries }));
    return EXIT.ok;
  }
  if (!entries.length) console.log('audit log is empty');
  for (const e of entries) {
    console.log(`${showName(e.at)}  ${e.kind}  ${showName(e.rule)}  ${showName(e.object)}`);
    console.log(`    by ${showName(e.who)} in ${showName(e.lane)}: ${showName(e.reason)}`);
  }
  return EXIT.ok;
}
