// Bundle the CLI into one ESM file (the hooks load exactly this file) and emit the JSON Schema
// for .lanesrc.json generated from the zod schema, so editors and the runtime agree.
import { build as esbuild } from 'esbuild';
import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
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

const outfile = 'dist/lanes-hooks.mjs';
await mkdir('dist', { recursive: true });
const { version } = JSON.parse(await readFile('package.json', 'utf8'));
/** What both bundles share: one ESM file for the Node versions users run. */
const bundle = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20.17',
  minify: true,
  legalComments: 'none',
  define: { __LANES_VERSION__: JSON.stringify(version) },
};
await build({
  ...bundle,
  entryPoints: ['src/cli/main.ts'],
  outfile,
  // cosmiconfig pulls in CommonJS modules that call require(): give the ESM bundle one.
  banner: {
    js: "#!/usr/bin/env node\nimport { createRequire as __lanesRequire } from 'node:module'; const require = __lanesRequire(import.meta.url);",
  },
  external: ['typescript'],
});
await chmod(outfile, 0o755);

// agent-hook's light entry: decides an in-scope edit without loading the whole CLI (agents/fast.ts).
await build({ ...bundle, entryPoints: ['src/agents/fast.ts'], outfile: 'dist/agent-hook.mjs' });

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
