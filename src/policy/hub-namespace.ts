// hub-namespace: the hub holds only what the config names (guard pre-receive). Branches go on to
// their own rules, the store to refs/lanes/ (server-stores.ts); tags and notes are a
// coordinator's (a tag is what a deploy script or a reviewer reads as a version, a note shows up
// beside every commit in `git log`); `refs/replace/*` never (with replace refs honoured, anyone
// reading the hub would see other content behind release's unchanged SHA); anything else
// (`refs/for/master`, `refs/pull/…`, `refs/remotes/…`, `refs/x`) only where `server.namespaces`
// lets it in. Pure: the caller says whether the pusher is a coordinator.
import type { Violation } from './types.js';

export type Namespace = 'branch' | 'store' | 'tag' | 'note' | 'replace' | 'other';

export function namespaceOf(ref: string): Namespace {
  if (ref.startsWith('refs/heads/')) return 'branch';
  if (ref.startsWith('refs/lanes/')) return 'store';
  if (ref.startsWith('refs/tags/')) return 'tag';
  if (ref.startsWith('refs/notes/')) return 'note';
  if (ref.startsWith('refs/replace/')) return 'replace';
  return 'other';
}

/** A `server.namespaces` pattern as a RegExp: `*` within one path component, `**` across them. */
export function refPattern(pattern: string): RegExp {
  const body = pattern
    .split(/(\*\*|\*)/)
    .map((part) =>
      part === '**' ? '.*' : part === '*' ? '[^/]*' : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'),
    )
    .join('');
  return new RegExp(`^${body}$`);
}

export interface NamespaceInput {
  ref: string;
  object: string;
  isCoordinator: boolean;
  coordinators: readonly string[];
  /** `server.namespaces`. */
  allowed: readonly string[];
  /** Who pushes, for the message. */
  pusher: string;
}

export function hubNamespace(i: NamespaceInput): Violation[] {
  const ns = namespaceOf(i.ref);
  const named = i.allowed.some((p) => refPattern(p).test(i.ref));
  const refuse = (why: string, fix: string[]): Violation[] => [
    { rule: 'hub-namespace', object: i.object, why, fix },
  ];
  switch (ns) {
    case 'branch':
    case 'store':
      return [];
    case 'replace':
      return refuse(
        `${i.ref}: the hub never holds replace refs (with them, a reader sees other content behind an unchanged SHA, release's included)`,
        ['push the commit itself to a lane branch; nothing replaces a commit on the hub'],
      );
    case 'tag':
    case 'note':
      if (i.isCoordinator || named) return [];
      return refuse(
        `${ns === 'tag' ? 'tags' : 'notes'} are a coordinator's (${i.coordinators.join(', ')}); this push is from ${i.pusher}`,
        [
          `ask a coordinator to push it, or let everyone push them: "server": { "namespaces": ["${ns === 'tag' ? 'refs/tags/*' : 'refs/notes/*'}"] } in the committed config`,
        ],
      );
    default:
      if (named) return [];
      return refuse(
        `${i.ref} lies in a namespace the config does not name: the hub holds branches, refs/lanes/, tags and notes`,
        [
          `push a branch instead (refs/heads/…), or name the namespace in the committed config: "server": { "namespaces": ["${i.ref.split('/').slice(0, 2).join('/')}/*"] }`,
        ],
      );
  }
}

/** A push of more refs than `server.maxRefs`: refused whole, before any other work. */
export function tooManyRefs(count: number, max: number): Violation[] {
  if (count <= max) return [];
  return [
    {
      rule: 'hub-namespace',
      object: `a push of ${count} refs`,
      why: `the hub takes at most ${max} refs in one push (server.maxRefs): every ref costs the guard work`,
      fix: [
        `push them in batches of at most ${max}, or raise server.maxRefs in the committed config`,
      ],
    },
  ];
}
