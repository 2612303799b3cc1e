// Find the config with cosmiconfig (module "lanes") in the worktree root, validate it with zod,
// and turn every problem into one line: `file: key.path: what was expected`.
import {
  cosmiconfigSync,
  getDefaultSearchPlaces,
  type CosmiconfigResult,
  type LoaderSync,
} from 'cosmiconfig';
import { createRequire } from 'node:module';
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

export function loadConfig(root: string): LoadedConfig {
  let found: CosmiconfigResult;
  try {
    found = searchConfig(root);
  } catch (e) {
    const err = e as Error & { filepath?: string };
    const where = err.filepath ? path.relative(root, err.filepath) : 'config';
    throw new UserError(`${where}: cannot be read: ${firstLine(err.message)}`, EXIT.usage);
  }
  if (!found) return { config: configSchema.parse({}), file: null };
  return {
    config: parseConfig(found.isEmpty ? {} : found.config, displayName(root, found.filepath)),
    file: found.filepath,
  };
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
