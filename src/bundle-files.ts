// The bundles' file names (scripts/build.mjs writes them into dist/): the same names where install
// copies them into `<common git dir>/lanes-hooks/` and hub install into `<hub>/lanes-hooks/`. At the
// bottom layer so that the hooks (install, the shims), the lifecycle (doctor) and the guards (hub
// install) name one file the same way without importing upward.

/** The full CLI: every command; `lanes-hooks/bin/lanes-hooks` and the agents' hook commands run it. */
export const RUNTIME = 'lanes-hooks.mjs';

/**
 * The hook entry (src/cli/hook-main.ts): `guard` and `hook <name>` alone, about half the CLI's
 * size. What the git hooks' shims start when a decision needs Node, and a hub's pre-receive runs.
 */
export const HOOK_ENTRY = 'lanes-hooks-hook.mjs';
