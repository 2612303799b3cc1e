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
import { nearestName } from '../util/nearest.js';
import { caretLines, jsonSyntaxError } from './json-position.js';
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
    throw new UserError(unreadable(root, e as Error & { filepath?: string }, label), EXIT.usage);
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
  opts: { code?: boolean } = {},
): LoadedConfig | null {
  if (!files.length) return null;
  // A policy read from a commit is data only: loading a JS or TS config runs it (require), as the
  // git server's user on the hub, in CI, and in every lane's hooks, and its author is whoever
  // pushed it. Refused here unless the caller trusts the file (a file the admin pins on the hub).
  const code = opts.code ? undefined : files.find((f) => isCodeConfig(f.place));
  if (code)
    throw new UserError(
      `${origin}:${code.place}: a JS or TS config is code, and a policy read from a commit is data only (loading it would run whatever was pushed, on the hub, in CI and in every lane).\n` +
        `  fix: keep the policy in .lanesrc.json (or .lanesrc.yaml, package.json#lanes) on the integration branch; where a JS config is wanted, the hub's admin pins a reviewed copy: git config lanes.config /path/to/lanes.config.cjs   (in CI: lanes-hooks guard pre-receive --config <file>)`,
      EXIT.usage,
    );
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lanes-policy-'));
  try {
    for (const f of files) {
      const file = path.join(dir, f.place);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, f.content);
    }
    // An empty origin names the files as they are (the index: what a commit would hold).
    const at = (rel: string) => (origin ? `${origin}:${rel}` : rel);
    const loaded = loadConfig(dir, at);
    if (!loaded.file) return null;
    return { config: loaded.config, file: at(path.relative(dir, loaded.file)) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Config places whose loader runs the file (JS and TS): never loaded from a commit. */
export const isCodeConfig = (place: string): boolean => /\.(c|m)?(js|ts)$/.test(place);

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
      return issue.keys.map((k) => {
        if (k === 'paths' && isRole(issue.path))
          return `${at([...issue.path, k])}unknown key (a review role has no paths)`;
        const known = isRole(issue.path) ? roleKeys(issue.input) : knownKeys(issue.path);
        const near = nearestName(k, known);
        return `${at([...issue.path, k])}unknown key (${near ? `did you mean ${near}?` : 'not part of the lanes config'})`;
      });
    case 'invalid_type':
      // A message of the schema's own (e.g. "a delivery role needs paths") says it best.
      if (!/^Invalid input/.test(issue.message)) return [`${at(issue.path)}${issue.message}`];
      return [
        `${at(issue.path)}expected ${issue.expected}, got ${typeName(issue.input)}${ownerHint(issue.path, issue.input)}`,
      ];
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

/** A role's keys by its kind, and the keys of every other object, for "did you mean". */
const isRole = (p: readonly PropertyKey[]) => p.length === 2 && p[0] === 'roles';
const roleKeys = (input: unknown) =>
  (input as { kind?: unknown } | undefined)?.kind === 'delivery'
    ? ['kind', 'paths', 'owner', 'owners']
    : ['kind', 'owner', 'owners'];
function knownKeys(p: readonly PropertyKey[]): string[] {
  let shape: unknown = configSchema;
  for (const k of p) {
    const def = (shape as { shape?: Record<string, unknown> } | undefined)?.shape;
    shape = def?.[String(k)];
    // Unwrap .default()/.prefault()/.optional() to the object inside.
    while (
      shape &&
      !(shape as { shape?: unknown }).shape &&
      (shape as { def?: { innerType?: unknown } }).def?.innerType
    )
      shape = (shape as { def: { innerType: unknown } }).def.innerType;
  }
  const keys = (shape as { shape?: Record<string, unknown> } | undefined)?.shape;
  return keys ? Object.keys(keys) : [];
}

/**
 * A role's `owner` (one name: whose claims let the lane push) and `owners` (a list: the pusher
 * identities the hub lets push its branch) are one letter apart: a value of the other's shape
 * names the key it was probably meant for.
 */
function ownerHint(p: readonly PropertyKey[], input: unknown): string {
  if (p.length !== 3 || p[0] !== 'roles') return '';
  if (p[2] === 'owner' && Array.isArray(input))
    return ' (owner is the one name whose claims the lane pushes under; a list of pusher identities goes in owners)';
  if (p[2] === 'owners' && typeof input === 'string')
    return ` (owners is a list of pusher identities: ["${input}"]; the one name whose claims the lane pushes under is owner)`;
  return '';
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

/**
 * Why a config file could not be read, where in it, as compilers and git say it: `file: line N,
 * column M: what was expected`, then the line and a caret. JSON is scanned again for the position
 * (json-position.ts); a JS or TS module's own error gives its first line (never Node's "Require
 * stack:" that follows it), and the position from the SyntaxError header (`file:line`) or from
 * the first stack frame inside the file.
 */
function unreadable(
  root: string,
  err: Error & { filepath?: string },
  label: (rel: string) => string,
): string {
  const file = err.filepath;
  const where = file ? label(path.relative(root, file)) : 'config';
  if (file?.endsWith('.json')) {
    let text: string | null = null;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      // unreadable as a file: the message below says why
    }
    const bad = text === null ? null : jsonSyntaxError(text);
    if (bad)
      return [
        `${where}: line ${bad.line}, column ${bad.column}: ${bad.message}`,
        ...caretLines(bad.text, bad.column),
      ].join('\n');
  }
  // cosmiconfig prefixes "JSON Error in /abs/file:" (or YAML, TypeScript); the file is named already.
  const message = err.message
    .replace(/^\w+ Error in [^\n]*?:\s*/, '')
    .split(/\n\s*Require stack:/)[0]!
    .trim();
  const first = message.split('\n').find((l) => l.trim()) ?? message;
  const stack = err.stack ?? '';
  const header = file
    ? new RegExp(`^${escapeRe(file)}:(\\d+)\\n([^\\n]*)\\n([ \\t]*\\^+)`).exec(stack)
    : null;
  if (header)
    return [
      `${where}: line ${header[1]}: ${first.trim()}`,
      `  ${header[2]}`,
      `  ${header[3]}`,
    ].join('\n');
  const frame = file ? new RegExp(`${escapeRe(file)}:(\\d+):(\\d+)`).exec(stack) : null;
  if (frame)
    return `${where}: cannot be read: ${first.trim()} (line ${frame[1]}, column ${frame[2]})`;
  return `${where}: cannot be read: ${first.trim()}`;
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
