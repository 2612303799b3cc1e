// status for people: fits an 80-column pane (the control room's coordinator pane) whatever the
// role names, and says everything `status --json` does that a coordinator acts on. Each lane is
// one sentence, wrapped at word boundaries with its continuation indented; each next action is
// what to see, then on its own lines what to do.
import { showName } from '../policy/format.js';
import { plural, somePaths, type LaneRow } from './actions.js';
import type { Status } from './status.js';

export const WIDTH = 80;

/** Greedy word wrap at `width`; continuation lines start with `indent`; a word too long is split. */
export function wrap(text: string, width = WIDTH, first = '', indent = '    '): string[] {
  const lines: string[] = [];
  let line = first;
  let fresh = true; // nothing but the prefix on this line yet
  for (let word of text.split(' ')) {
    if (!word) continue;
    if (!fresh && line.length + 1 + word.length > width) {
      lines.push(line);
      line = indent;
      fresh = true;
    }
    // A single word longer than a line (a deep path): cut it after a '/', else where the line ends.
    while (line.length + (fresh ? 0 : 1) + word.length > width) {
      const room = width - line.length - (fresh ? 0 : 1);
      const slash = word.lastIndexOf('/', room - 1);
      const cut = slash > 0 ? slash + 1 : room;
      lines.push(line + (fresh ? '' : ' ') + word.slice(0, cut));
      word = word.slice(cut);
      line = indent;
      fresh = true;
    }
    line += (fresh ? '' : ' ') + word;
    fresh = false;
  }
  lines.push(line);
  return lines;
}

function laneSentence(r: LaneRow, against: string): string {
  if (r.missing && r.kind !== 'missing') return `${r.role} (${r.kind}): no worktree at ${r.path}`;
  const parts: string[] = [];
  const where = `${r.branch ?? '(detached)'} ${(r.head ?? '').slice(0, 7) || '-'}`;
  const counts =
    r.ahead && r.behind
      ? `${plural(r.ahead, 'commit')} ahead of ${against}, ${r.behind} behind`
      : r.ahead
        ? `${plural(r.ahead, 'commit')} ahead of ${against}`
        : r.behind
          ? `${plural(r.behind, 'commit')} behind ${against}`
          : `even with ${against}`;
  parts.push(
    `${r.role} (${r.kind}) ${where}: ${counts}, ${r.dirty ? plural(r.dirty, 'dirty file') : 'clean'}`,
  );
  if (r.kind === 'delivery' || r.claim)
    parts.push(
      r.claim
        ? `claimed by ${r.claim.owner}${r.claim.task ? ` for ${r.claim.task}` : ''}`
        : 'no claim',
    );
  if (r.signoffs.length) parts.push(`signed off by ${r.signoffs.map((s) => s.role).join(', ')}`);
  if (r.reviewing)
    parts.push(
      `reviews ${r.reviewing.role}${r.reviewing.behind ? ` (${plural(r.reviewing.behind, 'commit')} behind it)` : ''}`,
    );
  if (r.merge === 'conflict')
    parts.push(`conflicts with ${against} on ${somePaths(r.conflicts?.integration ?? [])}`);
  else if (r.merge === 'clean') parts.push('merges cleanly');
  else if (r.merge === 'unknown') parts.push(`cannot be merged with ${against}`);
  // Lanes that conflict on the same paths, named together.
  const byPaths = new Map<string, string[]>();
  for (const [other, paths] of Object.entries(r.conflicts?.lanes ?? {})) {
    const key = somePaths(paths);
    byPaths.set(key, [...(byPaths.get(key) ?? []), other]);
  }
  for (const [paths, others] of byPaths)
    parts.push(`conflicts with ${others.join(', ')} on ${paths}`);
  if (r.refusals) parts.push(`${plural(r.refusals, 'refusal')} in the last hour`);
  parts.push(`hooks ${r.hooks}`);
  const agents = r.agents ?? [];
  if (agents.length)
    parts.push(`agents ${agents.map((a) => `${a.agent} ${a.runs ? 'ok' : 'OFF'}`).join(', ')}`);
  parts.push(r.path);
  return parts.join(' · ');
}

export function renderStatusText(status: Status, color = false): string {
  const paint = (code: number, s: string) => (color ? `\u001b[${code}m${s}\u001b[0m` : s);
  const t = status.integration;
  const out: string[] = [];
  const head = `integration: ${t.name} at ${(t.head ?? '').slice(0, 7) || '(none)'}`;
  const notes = [
    t.unpushed ? `${t.branch} is ${plural(t.unpushed, 'commit')} ahead of its remote copy` : '',
    !t.remote ? `no remote copy: lanes are counted against ${t.branch}` : '',
  ].filter(Boolean);
  out.push(
    ...wrap(showName(notes.length ? `${head} (${notes.join('; ')})` : head)).map((l) =>
      paint(1, l),
    ),
  );
  out.push('');
  for (const r of status.lanes) {
    const off = (r.agents ?? []).some((a) => !a.runs);
    const code =
      r.missing || r.hooks !== 'ok' || off || r.merge === 'conflict' ? 31 : r.dirty ? 33 : 0;
    for (const l of wrap(showName(laneSentence(r, t.name)))) out.push(code ? paint(code, l) : l);
  }
  out.push(status.actions.length ? '\nnext:' : '\nnext: nothing to do');
  for (const a of status.actions) {
    const at = a.indexOf(' → ');
    const [what, todo] = at < 0 ? [a, ''] : [a.slice(0, at), a.slice(at + 3)];
    // Wrapped uncoloured (escape codes take no columns), then the arrow painted.
    const lines = wrap(showName(what), WIDTH, '  → ', '    ');
    lines[0] = `  ${paint(36, '→')}${lines[0]!.slice(3)}`;
    out.push(...lines);
    if (todo) out.push(...wrap(showName(todo), WIDTH, '      ', '      '));
  }
  return out.join('\n') + '\n';
}
