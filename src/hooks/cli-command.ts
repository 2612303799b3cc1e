// The lanes-hooks command as printed to agents and people (brief, refusals, doctor): one that runs
// in any worktree of the repository, fresh lanes included. A lane has no node_modules, and
// `npx lanes-hooks` there asks the npm registry, so install writes a tiny sh shim beside the
// hooks (`<common-git-dir>/lanes-hooks/bin/lanes-hooks`) that runs the installed copy with the
// Node.js recorded at install; that is what is printed once it exists.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Worktree } from '../git/repo.js';
import { shellQuote } from '../util/sh.js';

export const shimFile = (base: string) => path.join(base, 'bin', 'lanes-hooks');

/**
 * The shim's text: the installed bundle beside it (found from the shim's own path, so a moved
 * repository keeps a working shim), with the Node.js that installed it.
 */
export const shimText = (node: string) =>
  `#!/bin/sh\n# Written by lanes-hooks install: the installed copy, runnable from any worktree.\nexec ${shellQuote(node)} "$(dirname "$0")/../lanes-hooks.mjs" "$@"\n`;

/**
 * The shim's path as a line that runs in every worktree of any repository lanes-hooks governs:
 * what the hub prints, since it cannot know where the pusher's git dir is.
 */
export const LANE_CLI =
  '"$(git rev-parse --path-format=absolute --git-common-dir)/lanes-hooks/bin/lanes-hooks"';

/** How to spell `lanes-hooks` for this repository, in a line someone will paste. */
export function cliCommand(wt: Pick<Worktree, 'commonDir'>): string {
  const shim = shimFile(path.join(wt.commonDir, 'lanes-hooks'));
  return existsSync(shim) ? shellQuote(shim) : 'npx lanes-hooks';
}

/** `text` as it runs in the worktree at `cwd`: unchanged where no shim is installed (a hub). */
export function runnableAt(text: string, commonDir: string | null): string {
  if (!commonDir || !existsSync(shimFile(path.join(commonDir, 'lanes-hooks')))) return text;
  return runnable(text, cliCommand({ commonDir }));
}

/** `text` with every `lanes-hooks <command>` (or `npx lanes-hooks …`) spelled as `cli`. */
export function runnable(text: string, cli: string): string {
  if (cli === 'lanes-hooks') return text;
  return text.replace(
    /(?:npx )?\blanes-hooks (?=(?:init|install|uninstall|brief|doctor|setup|launch|status|tick|review|queue|sync|merge|promote|guard|audit|demo)\b)/g,
    `${cli} `,
  );
}
