// verify and hub: the hub's decision in a forge's CI, and what a hub needs (forge files, or the
// guard on a bare repository). Argument parsing and printing only; the work is in src/guard/.
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { HOOK_ENTRY } from '../../bundle-files.js';
import { hubInstall, hubReport } from '../../guard/hub-install.js';
import { FORGES, forgeFiles, type Forge } from '../../guard/forges.js';
import { eventFromEnv, recordVerified, verify, type VerifyEvent } from '../../guard/verify.js';
import { parseRefUpdates } from '../../hooks/reference-transaction.js';
import { currentWorktree } from '../../git/repo.js';
import { lanePolicy } from '../../lanes/policy.js';
import { VERSION } from '../../hooks/install.js';
import { formatViolation, showName } from '../../policy/format.js';
import type { Violation } from '../../policy/types.js';
import { EXIT, UserError } from '../../util/errors.js';
import { parse } from '../args.js';

const log = (s: string) => console.log(s);

/**
 * A GitHub workflow command's message: `%`, CR and LF escaped as the runner expects
 * ("Workflow commands for GitHub Actions": escape data with %25, %0D, %0A).
 */
const ghData = (s: string) =>
  s.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
/** A property (title=…) also escapes `:` and `,`. */
const ghProp = (s: string) => ghData(s).replaceAll(':', '%3A').replaceAll(',', '%2C');

/** A Markdown table cell: no pipe, no line break, no HTML from a lane. */
const mdCell = (s: string) =>
  showName(s)
    .replace(/[|\\`*_<>[\]]/g, (c) => `\\${c}`)
    .replace(/\n/g, ' ');

export function verifyCommand(argv: string[]): number {
  const { values } = parse('verify', argv);
  let event: VerifyEvent | null;
  if (values.stdin) {
    const name = values.pusher?.trim();
    event = {
      kind: 'given',
      forge: 'command line',
      updates: parseRefUpdates(readFileSync(0, 'utf8')),
      pusher: name ? { name, source: '--pusher' } : null,
    };
  } else event = eventFromEnv(process.env);
  if (!event)
    throw new UserError(
      'verify: no event to judge: run it in GitHub Actions, Forgejo Actions or GitLab CI, or pass "<old> <new> <ref>" lines with --stdin (see lanes-hooks verify --help)',
    );
  const top = currentWorktree().top ?? process.cwd();
  const opts = {
    cwd: top,
    remote: values.remote ?? 'origin',
    config: values.config,
    integration: values.integration,
    noFetch: values['no-fetch'],
  };
  const result = verify(event, opts);
  const refused = result.violations.length > 0;
  const recorded = !refused && values.record ? recordVerified(opts, result.stores) : [];

  if (values.json)
    console.log(
      JSON.stringify(
        {
          ok: !refused,
          event: { kind: event.kind, forge: event.forge, pusher: event.pusher?.name ?? null },
          updates: event.updates,
          integration: result.integration,
          policy: result.policy,
          violations: result.violations,
          stores: result.stores,
          recorded,
        },
        null,
        2,
      ),
    );
  else {
    const who = event.pusher ? ` by ${showName(event.pusher.name)}` : '';
    log(
      `lanes-hooks verify: ${event.kind} (${event.forge})${who}, policy ${showName(result.policy)}`,
    );
    for (const u of event.updates)
      log(`  ${showName(u.ref)} ${u.old.slice(0, 12)} -> ${u.new.slice(0, 12)}`);
    if (refused)
      process.stderr.write(result.violations.map((v) => formatViolation(v)).join('\n\n') + '\n');
    log(
      refused
        ? `refused: ${result.violations.length} violation(s)`
        : 'allowed: what the hub would accept',
    );
    for (const r of recorded) log(`  verified: ${r}`);
  }
  // With --json, stdout is the JSON alone: the summary file still gets the table.
  if (event.forge === 'github' || event.forge === 'forgejo')
    report(result.violations, event, !values.json);
  return refused ? EXIT.refused : EXIT.ok;
}

/** GitHub's step summary and error annotations (read by Forgejo's runner too, where it supports them). */
function report(violations: Violation[], event: VerifyEvent, annotate: boolean): void {
  if (annotate)
    for (const v of violations)
      process.stdout.write(
        `::error title=${ghProp(`lanes-hooks ${v.rule}`)}::${ghData(`${showName(v.object)}: ${v.why}`)}\n`,
      );
  const file = process.env.GITHUB_STEP_SUMMARY;
  if (!file) return;
  const rows = violations.map(
    (v) => `| \`${v.rule}\` | ${mdCell(v.object)} | ${mdCell(v.why)} | ${mdCell(v.fix[0] ?? '')} |`,
  );
  const updates = event.updates.map(
    (u) => `\`${u.old.slice(0, 12)}\` → \`${u.new.slice(0, 12)}\` ${mdCell(u.ref)}`,
  );
  appendFileSync(
    file,
    [
      `### lanes-hooks verify: ${violations.length ? `refused (${violations.length})` : 'allowed'}`,
      '',
      `${event.kind}${event.pusher ? ` by ${mdCell(event.pusher.name)}` : ''}: ${updates.join(', ')}`,
      '',
      ...(rows.length ? ['| rule | what | why | fix |', '|---|---|---|---|', ...rows, ''] : []),
    ].join('\n') + '\n',
  );
}

export function hubCommand(argv: string[]): number {
  const [sub, ...rest] = argv;
  if (sub === 'install') {
    const { values, positionals } = parse('hub install', rest);
    if (positionals.length !== 1)
      throw new UserError(
        'hub install: name the bare repository: lanes-hooks hub install <bare-repo>',
      );
    const r = hubInstall(positionals[0]!, values, {
      node: process.execPath,
      // The hook entry beside this bundle (scripts/build.mjs): what the hub's pre-receive runs.
      bundle: path.join(path.dirname(fileURLToPath(import.meta.url)), HOOK_ENTRY),
    });
    log(`lanes-hooks hub install: ${r.hub}`);
    for (const l of r.lines) log(`  ${l}`);
    const status = hubReport(r.hub);
    for (const l of status.lines) log(`  ${l}`);
    return status.ok ? EXIT.ok : EXIT.refused;
  }
  if ((FORGES as readonly string[]).includes(sub ?? '')) {
    const forge = sub as Forge;
    const { values } = parse(`hub ${forge}`, rest);
    const wt = currentWorktree();
    if (!wt.top) throw new UserError(`hub ${forge}: run it in a checkout of the repository`);
    const { config } = lanePolicy(wt);
    const files = forgeFiles(forge, config, VERSION);
    if (!values.write) {
      for (const f of files) log(`# ${f.path}: ${f.what}\n${f.content}`);
      return EXIT.ok;
    }
    // As init --scaffold: a file that differs is the user's; nothing is written then (exit 3).
    const differing = files.filter((f) => {
      const file = path.join(wt.top!, f.path);
      return existsSync(file) && readFileSync(file, 'utf8') !== f.content;
    });
    if (differing.length)
      throw new UserError(
        `hub ${forge} --write: ${differing.map((f) => f.path).join(', ')} already exist and differ; nothing written (move them aside, or compare with: lanes-hooks hub ${forge})`,
        EXIT.conflict,
      );
    for (const f of files) {
      const file = path.join(wt.top, f.path);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, f.content);
      log(`  wrote ${f.path}: ${f.what}`);
    }
    log('See docs/hosting.md for what each forge enforces and what it cannot.');
    return EXIT.ok;
  }
  throw new UserError(
    'hub: use hub github, hub gitlab, hub forgejo or hub install <bare-repo> (see lanes-hooks hub --help)',
  );
}
