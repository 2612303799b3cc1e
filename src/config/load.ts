// Find the config with cosmiconfig (module "lanes") in the worktree root, validate it with zod,
// and turn every problem into one line: `file: key.path: what was expected`.
import {
  cosmiconfigSync,
  getDefaultSearchPlaces,
  type CosmiconfigResult,
  type LoaderSync,
} from 'cosmiconfig';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import type { z } from 'zod';
import { UserError, EXIT } from '../util/errors.js';
import { configSchema, type LanesConfig } from './schema.js';

export interface LoadedConfig {
  config: LanesConfig;
  /** Absolute path of the file it came from, or null when the defaults apply. */
  file: string | null;
}

/**
 * JS configs through Node's own require: cosmiconfig's default loader (import-fresh) expects to
 * run as a CommonJS module and fails inside our one-file ESM bundle ("__filename is not defined").
 * The hooks read config synchronously, so on Node 20 a JS config must be CommonJS.
 */
const requireConfig = createRequire(import.meta.url);
const loadJs: LoaderSync = (filepath) => {
  delete requireConfig.cache[filepath];
  const m = requireConfig(filepath) as Record<PropertyKey, unknown> | null;
  // Node 22.12+ can require an ES module: its namespace object holds the config as `default`.
  return m?.[Symbol.toStringTag] === 'Module' ? m.default : m;
};

/**
 * Where a config may live, in cosmiconfig's order, .mjs files included: the synchronous search
 * would skip them and silently fall back to the defaults. On Node 20 reading one fails (exit 2).
 */
export const CONFIG_PLACES = getDefaultSearchPlaces('lanes');

/** The config file for a worktree root, found (and loaded) the way every command and hook finds it. */
export function searchConfig(root: string): CosmiconfigResult {
  return cosmiconfigSync('lanes', {
    searchStrategy: 'none',
    searchPlaces: CONFIG_PLACES,
    loaders: { '.js': loadJs, '.cjs': loadJs, '.mjs': loadJs },
  }).search(root);
}

export function loadConfig(root: string, label: (rel: string) => string = (r) => r): LoadedConfig {
  let found: CosmiconfigResult;
  try {
    found = searchConfig(root);
  } catch (e) {
    const err = e as Error & { filepath?: string };
    const where = err.filepath ? label(path.relative(root, err.filepath)) : 'config';
    throw new UserError(`${where}: cannot be read: ${firstLine(err.message)}`, EXIT.usage);
  }
  if (!found) return { config: configSchema.parse({}), file: null };
  const sources = presentSources(root);
  if (sources.length > 1)
    throw new UserError(
      `${sources.map((s) => label(s)).join(' and ')}: two lanes configs; only ${label(sources[0]!)} would count. Keep one of them.`,
      EXIT.usage,
    );
  return {
    config: parseConfig(
      found.isEmpty ? {} : found.config,
      label(displayName(root, found.filepath)),
    ),
    file: found.filepath,
  };
}

/** Every place under `root` that holds a lanes config (package.json only with a `lanes` key). */
function presentSources(root: string): string[] {
  return CONFIG_PLACES.filter((place) => {
    const file = path.join(root, place);
    if (!existsSync(file)) return false;
    if (place !== 'package.json') return true;
    try {
      return (
        (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown> | null)?.lanes !==
        undefined
      );
    } catch {
      return false;
    }
  }).map((place) => (place === 'package.json' ? 'package.json#lanes' : place));
}

/**
 * A config kept in git (a branch's tree): the files of the config places that tree holds,
 * searched and validated exactly as a worktree's are, from a scratch folder. `origin` prefixes
 * every message (`master:.lanesrc.json: roles…`). null when none of them holds a config.
 */
export function loadConfigFiles(
  files: { place: string; content: Buffer }[],
  origin: string,
): LoadedConfig | null {
  if (!files.length) return null;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lanes-policy-'));
  try {
    for (const f of files) {
      const file = path.join(dir, f.place);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, f.content);
    }
    const loaded = loadConfig(dir, (rel) => `${origin}:${rel}`);
    if (!loaded.file) return null;
    return { config: loaded.config, file: `${origin}:${path.relative(dir, loaded.file)}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Validate raw config data; `name` is how messages refer to its source. */
export function parseConfig(raw: unknown, name: string): LanesConfig {
  const r = configSchema.safeParse(raw, { reportInput: true });
  if (r.success) return r.data;
  throw new UserError(r.error.issues.flatMap((i) => describeIssue(name, i)).join('\n'), EXIT.usage);
}

function displayName(root: string, file: string): string {
  const rel = path.relative(root, file);
  return path.basename(file) === 'package.json' ? `${rel}#lanes` : rel;
}

function describeIssue(file: string, issue: z.core.$ZodIssue): string[] {
  const at = (p: PropertyKey[]) => `${file}: ${keyPath(p) || '(top level)'}: `;
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map(
        (k) => `${at([...issue.path, k])}unknown key (not part of the lanes config)`,
      );
    case 'invalid_type':
      return [`${at(issue.path)}expected ${issue.expected}, got ${typeName(issue.input)}`];
    case 'invalid_union':
      if ('options' in issue && Array.isArray(issue.options)) {
        const got = (issue.input as Record<string, unknown> | undefined)?.[
          String(issue.path.at(-1))
        ];
        return [
          `${at(issue.path)}expected one of ${issue.options.map((o) => JSON.stringify(o)).join(', ')}, got ${show(got)}`,
        ];
      }
      return [`${at(issue.path)}${issue.message}`];
    default:
      return [`${at(issue.path)}${issue.message.replace(/^Invalid input: /, '')}`];
  }
}

/** `roles.B-ui.paths[1]`; keys that are not plain names are quoted: `roles["a b"]`. */
export function keyPath(p: readonly PropertyKey[]): string {
  let out = '';
  for (const k of p) {
    if (typeof k === 'number') out += `[${k}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(String(k))) out += (out ? '.' : '') + String(k);
    else out += `[${JSON.stringify(String(k))}]`;
  }
  return out;
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

function show(v: unknown): string {
  return v === undefined ? 'nothing' : (JSON.stringify(v) ?? typeName(v));
}

function firstLine(s: string): string {
  return s.split('\n').filter(Boolean).slice(0, 2).join(' ').trim();
}
