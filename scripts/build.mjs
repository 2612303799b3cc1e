// Bundle the CLI into one ESM file (the hooks load exactly this file) and emit the JSON Schema
// for .lanesrc.json generated from the zod schema, so editors and the runtime agree.
import { build as esbuild } from 'esbuild';
import { chmod, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * esbuild, with each output written to a temporary file and renamed into place: a hook that
 * starts while a build runs loads the old bundle or the new one, never an empty one (which Node
 * runs as a no-op, exit 0 — an allow).
 */
async function build(options) {
  if (!options.outfile) return esbuild(options);
  const result = await esbuild({ ...options, write: false });
  for (const out of result.outputFiles) {
    const tmp = `${out.path}.tmp-${process.pid}`;
    await writeFile(tmp, out.contents);
    await rename(tmp, out.path);
  }
  return result;
}

/** One section per bundled package: name, version, license, and its license file's text. */
async function writeNotices(metafiles, file) {
  const roots = new Set();
  for (const meta of metafiles)
    for (const input of Object.keys(meta.inputs)) {
      // node_modules/<name>/… or node_modules/@scope/<name>/… (nested node_modules: the last one)
      const m = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
      if (m) roots.add(m[1]);
    }
  const sections = [];
  for (const root of [...roots].sort()) {
    const pkg = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8'));
    const names = (await readdir(root)).filter((f) => /^(licen[sc]e|copying)(\.|$)/i.test(f));
    if (!names.length) throw new Error(`${root}: bundled, but ships no license file`);
    const text = (await readFile(path.join(root, names.sort()[0]), 'utf8')).trim();
    sections.push(`${pkg.name}@${pkg.version} (${pkg.license})\n\n${text}\n`);
  }
  const rule = '\n' + '-'.repeat(78) + '\n\n';
  await writeFile(
    file,
    `lanes-hooks bundles the following packages into dist/. Their licenses follow.\n${rule}${sections.join(rule)}`,
  );
}

const outfile = 'dist/lanes-hooks.mjs';
await mkdir('dist', { recursive: true });
const { version } = JSON.parse(await readFile('package.json', 'utf8'));
// The dashboard's page, script and style, embedded so that the command serves every asset itself.
const client = (name) => readFile(path.join('src/dashboard/client', name), 'utf8');
const dashboard = {
  html: await client('index.html'),
  css: await client('app.css'),
  js: await client('app.js'),
};
/** What both bundles share: one ESM file for the Node versions users run. */
const bundle = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20.17',
  minify: true,
  legalComments: 'none',
  define: {
    __LANES_VERSION__: JSON.stringify(version),
    __LANES_DASHBOARD__: JSON.stringify(dashboard),
  },
};
const main = await build({
  ...bundle,
  metafile: true,
  entryPoints: ['src/cli/main.ts'],
  outfile,
  // cosmiconfig pulls in CommonJS modules that call require(): give the ESM bundle one.
  banner: {
    js: "#!/usr/bin/env node\nimport { createRequire as __lanesRequire } from 'node:module'; const require = __lanesRequire(import.meta.url);",
  },
  external: ['typescript'],
});
await chmod(outfile, 0o755);

// The hook entry: guard pre-receive (a hub runs it on every push) and `hook <name>` (the git hooks'
// shims, when a decision needs Node), bundled alone so that they load and evaluate only their own
// modules (cli/hook-main.ts; docs/speed.md, "The hook entry"). One file, as the hooks require.
const hookEntry = await build({
  ...bundle,
  metafile: true,
  entryPoints: ['src/cli/hook-main.ts'],
  outfile: 'dist/lanes-hooks-hook.mjs',
  banner: {
    js: "import { createRequire as __lanesRequire } from 'node:module'; const require = __lanesRequire(import.meta.url);",
  },
  external: ['typescript'],
});

// agent-hook's light entry: decides an in-scope edit without loading the whole CLI (agents/fast.ts),
// as CommonJS: on Node 20 an ES module entry costs an ESM loader and builtin facades on top of
// Node's own start (fast.ts says why). agent-hook.mjs stays for hook commands written by an older
// install: it loads the same entry.
const light = await build({
  ...bundle,
  format: 'cjs',
  metafile: true,
  entryPoints: ['src/agents/fast.ts'],
  outfile: 'dist/agent-hook.cjs',
});
await writeFile(
  'dist/agent-hook.mjs.tmp',
  "// Hook commands written by an older install name this file: the light entry is agent-hook.cjs.\nimport { createRequire } from 'node:module';\ncreateRequire(import.meta.url)('./agent-hook.cjs');\n",
);
await rename('dist/agent-hook.mjs.tmp', 'dist/agent-hook.mjs');

// The bundles drop license comments (legalComments: 'none'): the licenses of every package they
// contain go into THIRD-PARTY-NOTICES instead, found from esbuild's own list of bundled inputs,
// so that the notices cannot miss a package the bundle has.
await writeNotices([main.metafile, hookEntry.metafile, light.metafile], 'THIRD-PARTY-NOTICES');

const schemaModule = await build({
  entryPoints: ['src/config/json-schema.ts'],
  bundle: true,
  platform: 'node',
  format: 'esm',
  write: false,
});
const tmp = 'dist/.json-schema.mjs';
await writeFile(tmp, schemaModule.outputFiles[0].text);
const { lanesJsonSchema } = await import(pathToFileURL(tmp).href);
await rm(tmp);
await mkdir('schema', { recursive: true });
await writeFile('schema/lanesrc.schema.json', JSON.stringify(lanesJsonSchema(), null, 2) + '\n');
