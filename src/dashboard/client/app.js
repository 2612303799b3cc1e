// lanes-hooks dashboard: renders the model the server sends (status --json's object and the
// stores) and keeps it live over Server-Sent Events. Every text goes in through textContent or
// setAttribute, never as HTML: branch names, paths, task titles and findings are untrusted.
'use strict';

const token = new URLSearchParams(location.search).get('token') || '';
const api = (p, params = {}) => `${p}?${new URLSearchParams({ ...params, token }).toString()}`;

/** h('div', { class: 'x', 'data-field': 'y' }, 'text', child, [children]) */
function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'on') for (const [ev, fn] of Object.entries(v)) el.addEventListener(ev, fn);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}
function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}
const $ = (id) => document.getElementById(id);
const short = (sha) => (sha ? sha.slice(0, 7) : '—');
const plural = (n, one, many = one + 's') => `${n} ${n === 1 ? one : many}`;
const when = (iso) => {
  const d = new Date(iso);
  return isNaN(d) ? iso : d.toLocaleString();
};
const ago = (iso) => {
  const s = (Date.now() - Date.parse(iso)) / 1000;
  if (!(s >= 0)) return '';
  if (s < 60) return 'just now';
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86400)} d ago`;
};
/** A badge says its state in words; the colour only repeats it. */
const badge = (tone, text, title) => h('span', { class: `badge ${tone}`, title }, text);
const some = (paths, max = 3) =>
  paths.length <= max
    ? paths.join(', ')
    : `${paths.slice(0, max).join(', ')} and ${paths.length - max} more`;

/** Text with its full commit ids cut to 7 characters (the whole text in the tooltip). */
const shortened = (text) =>
  h(
    'span',
    { class: 'v', title: text },
    String(text).replace(/\b[0-9a-f]{40}\b/g, (m) => m.slice(0, 7)),
  );

/** A path that may break after each `/` (a <wbr> there), never inside a name unless it must. */
const pathText = (p, cls = 'v path') => {
  const el = h('span', { class: cls, title: p });
  const parts = String(p).split('/');
  parts.forEach((part, i) => {
    el.append(document.createTextNode(i < parts.length - 1 ? `${part}/` : part));
    if (i < parts.length - 1) el.append(document.createElement('wbr'));
  });
  return el;
};

/** How long since `iso`, in the largest unit that fits (the exact time in the tooltip). */
const since = (iso) => {
  if (!iso) return '';
  const s = (Date.now() - Date.parse(iso)) / 1000;
  if (!(s >= 0)) return '';
  if (s < 60) return '< 1 min';
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
  return `${Math.floor(s / 86400)} d ${Math.floor((s % 86400) / 3600)} h`;
};

/**
 * Put `text` on the clipboard: the Clipboard API where the page may use it (127.0.0.1 is a secure
 * context), else a selected off-screen textarea and execCommand('copy'), the older way browsers
 * still honour inside a click.
 */
async function copyText(text) {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // fall through to the textarea
  }
  const area = h('textarea', { class: 'offscreen', readonly: true, 'aria-hidden': 'true' });
  area.value = text;
  document.body.append(area);
  area.select();
  let ok = false;
  try {
    ok = document.execCommand('copy');
  } catch {
    ok = false;
  }
  area.remove();
  return ok;
}

/** The command as text and a button that copies exactly that text. */
function copyable(cmd, field = 'command', buttonOnly = false) {
  if (!cmd) return h('span', { class: 'muted' }, '—');
  const button = h('button', {
    type: 'button',
    class: 'copy',
    title: `Copy: ${cmd.text}`,
    'aria-label': 'Copy the command',
    // The label is drawn by CSS (content: attr(data-label)): the command's text stays the
    // element's only text, so what a reader selects or a test reads is the command alone.
    'data-label': 'Copy',
    'data-copy': cmd.text,
    on: {
      click: async (e) => {
        e.stopPropagation();
        const ok = await copyText(cmd.text);
        button.setAttribute('data-label', ok ? 'Copied' : 'Copy failed');
        button.setAttribute('data-copied', ok ? 'yes' : 'no');
        setTimeout(() => button.setAttribute('data-label', 'Copy'), 1500);
      },
      keydown: (e) => e.stopPropagation(),
    },
  });
  if (buttonOnly) {
    button.setAttribute('data-field', field);
    return button;
  }
  return h(
    'span',
    { class: 'cmd', 'data-field': field },
    button,
    // Shown without its leading `cd -- <lane>` (the tooltip has it all); copied whole.
    h(
      'code',
      { class: 'cmd-text', title: cmd.text },
      cmd.text.startsWith('cd -- ') && cmd.text.includes(' && ')
        ? cmd.text.slice(cmd.text.indexOf(' && ') + 4)
        : cmd.text,
    ),
  );
}

const groupTone = { stuck: 'bad', ready: 'good', waiting: 'info', working: 'warn', idle: 'quiet' };
const groupText = {
  stuck: 'stuck or refused',
  ready: 'ready to land',
  waiting: 'waiting for review',
  working: 'working',
  idle: 'idle',
};
/** Above this many lanes the table is the default view (one row per lane). */
const TABLE_ABOVE = 8;
/** The user's choice of view, once made ('table' or 'cards'); null: by the number of lanes. */
let chosenView = null;

let model = null;
let openRole = null;
let openHead = null;

// ---- lanes -------------------------------------------------------------------------------

/** The one state a card leads with, worst first, in words and a tone. */
function laneState(r, m) {
  const off = (r.agents || []).filter((a) => !a.runs);
  const laneConflicts = Object.keys((r.conflicts && r.conflicts.lanes) || {});
  if (r.missing) return ['bad', 'missing'];
  if (m.stuck.includes(r.role)) return ['bad', 'stuck'];
  if (r.hooks !== 'ok' || off.length) return ['bad', 'hooks off'];
  if (r.merge === 'conflict') return ['bad', 'conflicts with integration'];
  if (r.landRebase) return ['warn', 'rebase asked'];
  if (laneConflicts.length) return ['warn', 'conflicts with a lane'];
  if (r.kind === 'delivery') {
    const signed = r.signoffs.map((s) => s.role);
    const waiting = m.reviewsRequired.filter((q) => !signed.includes(q));
    if (r.ahead > 0 && r.behind > 0) return ['warn', 'behind: rebase'];
    if (r.ahead > 0 && !r.claim) return ['warn', 'no claim'];
    if (r.ahead > 0 && waiting.length) return ['info', 'awaiting sign-off'];
    if (r.ahead > 0) return ['good', 'ready to land'];
    if (r.dirty > 0) return ['info', 'work in progress'];
    if (r.behind > 0) return ['warn', 'behind'];
    return ['quiet', 'idle'];
  }
  if (r.kind === 'review') {
    if (r.reviewing && r.reviewing.behind > 0) return ['warn', 'review behind'];
    if (r.reviewing) return ['info', `reviewing ${r.reviewing.role}`];
    return ['quiet', 'idle'];
  }
  if (r.kind === 'coordinator') return ['quiet', 'coordinator'];
  return ['quiet', r.kind];
}

function mergeText(r, against) {
  switch (r.merge) {
    case 'fast-forward':
      return ['good', 'fast-forwards'];
    case 'clean':
      return ['good', 'merges cleanly'];
    case 'conflict':
      return ['bad', `conflicts with ${against} on ${some(r.conflicts.integration)}`];
    case 'unknown':
      return ['warn', `cannot be merged with ${against}`];
    default:
      return null;
  }
}

function row(label, field, ...value) {
  return [h('dt', {}, label), h('dd', { 'data-field': field }, ...value)];
}

function laneCard(r, m) {
  const against = m.status.integration.name;
  const [tone, state] = laneState(r, m);
  const stuck = m.stuck.includes(r.role);
  const rows = [];
  rows.push(row('Branch', 'branch', h('code', { class: 'v' }, r.branch || '(detached)')));
  rows.push(row('HEAD', 'head', h('code', { class: 'v', title: r.head || '' }, short(r.head))));
  if (r.kind === 'delivery' || r.claim)
    rows.push(
      row(
        'Claim',
        'claim',
        r.claim
          ? [
              h('span', { class: 'v' }, r.claim.owner),
              r.claim.task ? [' · task ', h('span', { class: 'v' }, r.claim.task)] : '',
            ]
          : h('span', { class: 'muted' }, 'none'),
      ),
    );
  if (!r.missing) {
    const counts = h(
      'span',
      {},
      h('span', { 'data-field': 'ahead' }, `${r.ahead} ahead`),
      ' · ',
      h('span', { 'data-field': 'behind' }, `${r.behind} behind`),
    );
    rows.push(row(against, 'counts', counts));
    const merge = mergeText(r, against);
    if (merge) rows.push(row('Merge', 'merge', badge(merge[0], merge[1])));
    const lanes = Object.entries((r.conflicts && r.conflicts.lanes) || {});
    if (r.kind === 'delivery')
      rows.push(
        row(
          'Lanes',
          'lane-conflicts',
          lanes.length
            ? lanes.map(([other, paths]) =>
                h(
                  'div',
                  {},
                  badge('warn', `conflicts with ${other}`),
                  ' on ',
                  pathText(some(paths)),
                ),
              )
            : h('span', { class: 'muted' }, 'no conflicts'),
        ),
      );
    if (r.kind === 'delivery') {
      const signed = r.signoffs.map((s) => s.role);
      const waiting = m.reviewsRequired.filter((q) => !signed.includes(q));
      rows.push(
        row(
          'Sign-offs',
          'signoffs',
          signed.length
            ? r.signoffs.map((s) =>
                badge(
                  'good',
                  `✓ ${s.role}`,
                  s.from ? `carried over from ${s.from}` : `at ${s.sha}`,
                ),
              )
            : h('span', { class: 'muted' }, 'none of this HEAD'),
          waiting.length
            ? [' · ', h('span', { class: 'muted' }, `still needs ${waiting.join(', ')}`)]
            : '',
        ),
      );
    }
    if (r.reviewing)
      rows.push(
        row(
          'Reviews',
          'reviewing',
          h('span', { class: 'v' }, r.reviewing.role),
          r.reviewing.behind ? [' ', badge('warn', `${r.reviewing.behind} behind`)] : '',
        ),
      );
    rows.push(
      row(
        'Refusals',
        'refusals',
        r.refusals
          ? badge(stuck ? 'bad' : 'warn', `${plural(r.refusals, 'refusal')} in the last hour`)
          : h('span', { class: 'muted' }, 'none in the last hour'),
        stuck ? [' ', badge('bad', 'STUCK', `${r.recentRefusals} in the last 15 minutes`)] : '',
      ),
    );
    rows.push(
      row(
        'Files',
        'dirty',
        r.dirty
          ? badge('info', `${plural(r.dirty, 'uncommitted file')}`)
          : h('span', { class: 'muted' }, 'clean'),
      ),
    );
    if (r.provenance)
      rows.push(
        row(
          'Provenance',
          'provenance',
          h('span', { class: 'v' }, `Lane: ${r.provenance.lane}`),
          r.provenance.task ? ` · Task: ${r.provenance.task}` : '',
          r.provenance.agent ? ` · Agent: ${r.provenance.agent}` : '',
        ),
      );
  }
  rows.push(
    row(
      'Hooks',
      'hooks',
      r.hooks === 'ok' ? badge('good', 'git hooks ok') : badge('bad', `git hooks ${r.hooks}`),
      (r.agents || []).map((a) => [
        ' ',
        a.runs ? badge('good', `${a.agent} ok`) : badge('bad', `${a.agent} off`, a.problem || ''),
      ]),
    ),
  );
  if (r.landRebase)
    rows.push(row('Land', 'land', badge('warn', `rebase asked at ${when(r.landRebase.at)}`)));
  const x = extraOf(m, r.role);
  if (x && x.waitingSince)
    rows.push(row('Waited', 'waited', h('span', { title: x.waitingSince }, since(x.waitingSince))));
  if (x && x.lastLand) rows.push(row('Last land', 'last-land', lastLandBadge(x.lastLand)));
  if (x && x.command) rows.push(row('Next', 'next', copyable(x.command)));
  const card = h(
    'article',
    {
      class: `card ${tone}`,
      tabindex: 0,
      role: 'button',
      'data-role': r.role,
      'aria-label': `${r.role}, ${r.kind} lane: ${state}. Press Enter for details.`,
      on: opener(r.role),
    },
    h(
      'div',
      { class: 'card-head' },
      h('h3', { class: 'v' }, r.role),
      h('span', { class: 'kind', 'data-field': 'kind' }, r.kind),
      h('span', { class: `badge ${tone} state`, 'data-field': 'state' }, state),
    ),
    h('dl', {}, rows),
    h('div', { class: 'path muted' }, pathText(r.path, 'v')),
  );
  return card;
}

const extraOf = (m, role) => (m.lanes || []).find((x) => x.role === role) || null;

function lastLandBadge(l) {
  return badge(
    l.kind === 'landed' ? 'good' : 'warn',
    `${l.kind} ${ago(l.at)}`,
    `${when(l.at)}: ${l.reason}`,
  );
}

/** Open the lane's detail from a row or a card, by click or by Enter/Space. */
const opener = (role) => ({
  click: () => openDetail(role),
  keydown: (e) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      openDetail(role);
    }
  },
});

/** One row per lane: what a coordinator scans at 30 lanes. */
function laneRow(r, m, x) {
  const [tone, state] = laneState(r, m);
  const signed = r.kind === 'delivery' ? r.signoffs.map((s) => s.role) : [];
  const waiting = r.kind === 'delivery' ? m.reviewsRequired.filter((q) => !signed.includes(q)) : [];
  const cell = (label, field, ...content) =>
    h('td', { 'data-label': label, 'data-field': field }, ...content);
  return h(
    'tr',
    {
      class: `lane ${tone}`,
      tabindex: 0,
      'data-role': r.role,
      'data-group': x ? x.group : '',
      'aria-label': `${r.role}, ${r.kind} lane: ${state}. Press Enter for details.`,
      on: opener(r.role),
    },
    cell(
      'Lane',
      'role',
      h('span', { class: 'v role' }, r.role),
      ' ',
      h('span', { class: 'kind', 'data-field': 'kind' }, r.kind),
    ),
    cell('State', 'state', badge(tone, state)),
    cell(
      'Waited',
      'waited',
      x && x.waitingSince ? h('span', { title: x.waitingSince }, since(x.waitingSince)) : '',
    ),
    cell(
      'Branch',
      'branch',
      h('code', { class: 'v' }, r.branch || '(detached)'),
      ' ',
      h('code', { class: 'muted', title: r.head || '', 'data-field': 'head' }, short(r.head)),
    ),
    cell('± ' + m.status.integration.name, 'counts', r.missing ? '' : `+${r.ahead} −${r.behind}`),
    cell(
      'Claim',
      'claim',
      r.claim ? h('span', { class: 'v' }, r.claim.owner) : r.kind === 'delivery' ? '—' : '',
    ),
    cell(
      'Review',
      'review',
      r.kind === 'delivery'
        ? [
            signed.map((q) => badge('good', `✓ ${q}`)),
            waiting.length ? h('span', { class: 'muted' }, ` needs ${waiting.join(', ')}`) : '',
          ]
        : r.reviewing
          ? h('span', { class: 'v' }, `reviewing ${r.reviewing.role}`)
          : '',
    ),
    cell('Last land', 'last-land', x && x.lastLand ? lastLandBadge(x.lastLand) : ''),
    cell('Next', 'next', x && x.command ? copyable(x.command) : ''),
  );
}

function laneTable(rows, m) {
  const head = [
    'Lane',
    'State',
    'Waited',
    'Branch',
    `± ${m.status.integration.name}`,
    'Claim',
    'Review',
    'Last land',
    'Next',
  ];
  return h(
    'table',
    { class: 'lanes-table stack' },
    h(
      'colgroup',
      {},
      [
        'c-lane',
        'c-state',
        'c-waited',
        'c-branch',
        'c-counts',
        'c-claim',
        'c-review',
        'c-land',
        'c-next',
      ].map((c) => h('col', { class: c })),
    ),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        head.map((c) => h('th', { scope: 'col' }, c)),
      ),
    ),
    h('tbody', {}, rows),
  );
}

function renderSummary(m) {
  const s = m.summary || {};
  const lag = m.release && m.release.lag;
  $('summary').replaceChildren(
    ...['stuck', 'ready', 'waiting', 'working', 'idle'].map((g) =>
      h(
        'div',
        { class: `count ${groupTone[g]}`, 'data-group': g },
        h('b', { 'data-field': 'count' }, String(s[g] || 0)),
        ' ',
        groupText[g],
      ),
    ),
    h(
      'div',
      { class: 'count lag', 'data-field': 'release-lag' },
      lag
        ? lag.commits
          ? [
              h('b', {}, String(lag.commits)),
              ` ${lag.commits === 1 ? 'commit' : 'commits'} not released`,
              h(
                'span',
                { class: 'muted', title: lag.oldest || '' },
                ` (oldest ${since(lag.oldest)})`,
              ),
            ]
          : 'release is at integration'
        : m.release && m.release.sha
          ? 'release lag unknown'
          : 'nothing released',
    ),
  );
}

function renderLanes(m) {
  const order = (m.lanes || []).map((x) => x.role);
  const rank = (role) => {
    const i = order.indexOf(role);
    return i < 0 ? order.length : i;
  };
  const rows = [...m.status.lanes].sort((a, b) => rank(a.role) - rank(b.role));
  const view = chosenView || (rows.length > TABLE_ABOVE ? 'table' : 'cards');
  const toggle = $('lanes-view');
  toggle.textContent = view === 'table' ? 'Show cards' : 'Show table';
  toggle.setAttribute('aria-pressed', String(view === 'table'));
  const lanes = $('lanes');
  lanes.className = view === 'table' ? 'lanes as-table' : 'lanes';
  lanes.setAttribute('data-view', view);
  if (view === 'table')
    lanes.replaceChildren(
      laneTable(
        rows.map((r) => laneRow(r, m, extraOf(m, r.role))),
        m,
      ),
    );
  else lanes.replaceChildren(...rows.map((r) => laneCard(r, m)));
}

// ---- the other sections --------------------------------------------------------------------

function renderActions(m) {
  const list = $('actions');
  list.replaceChildren();
  if (!m.status.actions.length) {
    list.append(h('li', { class: 'muted' }, 'Nothing to do.'));
    return;
  }
  // The lane an action is about (it starts "<role>: "; the longest such role), and that lane's
  // command when the action suggests the same one: its copy button copies the quoted form.
  const byLength = [...(m.lanes || [])].sort((a, b) => b.role.length - a.role.length);
  for (const a of m.status.actions) {
    const at = a.indexOf(' → ');
    const [what, todo] = at < 0 ? [a, ''] : [a.slice(0, at), a.slice(at + 3)];
    const lane = byLength.find((x) => a.startsWith(`${x.role}: `));
    const cmd = lane && lane.command;
    const first = cmd ? cmd.text.split(' && ')[1] || '' : '';
    const same = cmd && todo && todo.includes(first.split(' ').slice(0, 2).join(' '));
    list.append(
      h(
        'li',
        {},
        h('span', { class: 'what' }, what),
        todo ? h('span', { class: 'todo' }, h('span', { 'aria-hidden': 'true' }, '→ '), todo) : '',
        same ? [' ', copyable(cmd, 'action-command', true)] : '',
      ),
    );
  }
}

function table(head, rows, empty) {
  if (!rows.length) return h('p', { class: 'muted' }, empty);
  return h(
    'table',
    { class: 'stack' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        head.map((c) => h('th', { scope: 'col' }, c)),
      ),
    ),
    h(
      'tbody',
      {},
      rows.map((cells) =>
        h(
          'tr',
          {},
          cells.map((c, i) => h('td', { 'data-label': head[i] }, c)),
        ),
      ),
    ),
  );
}

function renderQueue(m) {
  const { tasks, claims } = m.queue;
  const active = claims.filter((c) => c.state === 'active');
  const holder = (t) => active.find((c) => c.task === t.id);
  const stateTone = { open: 'info', claimed: 'warn', done: 'good' };
  const taskRow = (t) => {
    const c = holder(t);
    return [
      h('code', {}, t.id),
      h('span', { class: 'v' }, t.title),
      t.role || '—',
      badge(stateTone[t.state] || 'quiet', t.state),
      c
        ? [
            h('span', { class: 'v' }, c.owner),
            ' on ',
            pathText(c.branch, 'v path code'),
            h('span', { class: 'muted', title: c.at }, ` · ${ago(c.at)}`),
          ]
        : '—',
    ];
  };
  const head = ['Task', 'Title', 'Role', 'State', 'Held by'];
  // Open and claimed tasks first, in full; done ones (the newest 50) folded away.
  const live = [...tasks].reverse().filter((t) => t.state !== 'done');
  const done = [...tasks]
    .reverse()
    .filter((t) => t.state === 'done')
    .slice(0, 50);
  $('queue').replaceChildren(
    h('h3', {}, `Tasks (${live.length} open or claimed)`),
    table(head, live.map(taskRow), 'No open tasks.'),
    done.length
      ? h(
          'details',
          { class: 'done-tasks' },
          h('summary', {}, `${plural(done.length, 'done task')}`),
          table(head, done.map(taskRow), ''),
        )
      : '',
    // A claim for a task shows in the task's row; the others here.
    h(
      'h3',
      {},
      `Active claims without a task (${active.filter((c) => !c.task).length} of ${active.length})`,
    ),
    table(
      ['Claim', 'Role', 'Owner', 'Branch', 'Task', 'Since'],
      active
        .filter((c) => !c.task)
        .map((c) => [
          h('code', {}, c.id),
          h('span', { class: 'v' }, c.role),
          h('span', { class: 'v' }, c.owner),
          pathText(c.branch, 'v path code'),
          c.task ? h('span', { class: 'v' }, c.task) : '—',
          h('span', { title: c.at }, ago(c.at)),
        ]),
      'None.',
    ),
  );
}

function renderReviews(m) {
  const box = $('reviews');
  box.replaceChildren();
  if (!m.reviews.length) {
    box.append(h('p', { class: 'muted' }, 'No findings or sign-offs recorded.'));
    return;
  }
  const sevTone = { blocker: 'bad', major: 'bad', minor: 'warn', info: 'info' };
  for (const r of m.reviews) {
    box.append(
      h(
        'div',
        { class: 'review', 'data-review': r.role },
        h(
          'h3',
          {},
          h('span', { class: 'v' }, r.role),
          ' ',
          badge(r.open.length ? 'warn' : 'good', `${r.open.length} open`),
          ' ',
          badge('quiet', `${r.resolved.length} resolved`),
        ),
        r.open.length || r.resolved.length
          ? h(
              'ul',
              { class: 'findings' },
              [...r.open.map((f) => [f, false]), ...r.resolved.map((f) => [f, true])].map(
                ([f, done]) =>
                  h(
                    'li',
                    { class: done ? 'resolved' : '' },
                    h('code', { class: 'muted' }, `#${f.n} `),
                    badge(sevTone[f.severity] || 'quiet', f.severity || 'note'),
                    done ? [' ', badge('good', 'resolved')] : [' ', badge('warn', 'open')],
                    ' ',
                    h('span', { class: 'v' }, f.text || ''),
                    h(
                      'span',
                      { class: 'muted' },
                      ' — ',
                      h('span', { class: 'v' }, f.reviewer),
                      ' at ',
                      h('code', {}, short(f.sha)),
                    ),
                    !done && f.resolve
                      ? h('div', { class: 'resolve' }, copyable(f.resolve, 'resolve'))
                      : '',
                  ),
              ),
            )
          : h('p', { class: 'muted' }, 'Sign-offs only.'),
      ),
    );
  }
}

function renderRelease(m) {
  const t = m.status.integration;
  const rel = m.release;
  const notes = [];
  if (t.unpushed) notes.push(badge('warn', `${plural(t.unpushed, 'commit')} not pushed`));
  if (!t.remote) notes.push(badge('info', 'no remote copy'));
  $('release').replaceChildren(
    h(
      'dl',
      { class: 'kv' },
      h('dt', {}, 'Integration'),
      h(
        'dd',
        { 'data-field': 'integration' },
        h('code', { class: 'v' }, t.name),
        ' at ',
        h('code', { title: t.head || '' }, short(t.head)),
        ' ',
        notes,
      ),
      h('dt', {}, 'Release'),
      h(
        'dd',
        { 'data-field': 'release' },
        h('code', { class: 'v' }, rel.branch),
        ' at ',
        h('code', { title: rel.sha || '' }, rel.sha ? short(rel.sha) : 'none'),
      ),
      h('dt', {}, 'Release lags'),
      h(
        'dd',
        { 'data-field': 'lag' },
        rel.lag
          ? rel.lag.commits
            ? [
                badge('warn', `${plural(rel.lag.commits, 'commit')} behind integration`),
                ' ',
                h(
                  'span',
                  { class: 'muted', title: rel.lag.oldest || '' },
                  `oldest waiting ${since(rel.lag.oldest)}`,
                ),
              ]
            : badge('good', 'at integration')
          : h('span', { class: 'muted' }, '—'),
      ),
      h('dt', {}, 'Promotion'),
      h(
        'dd',
        { 'data-field': 'promotion' },
        rel.promotion
          ? [
              badge('good', 'audited'),
              ' ',
              shortened(rel.promotion.object),
              h(
                'div',
                { class: 'muted' },
                `by ${rel.promotion.who} in ${rel.promotion.lane}, ${when(rel.promotion.at)}: `,
                h('span', { class: 'v' }, rel.promotion.reason),
              ),
            ]
          : rel.sha
            ? badge('warn', 'no promotion entry for this SHA')
            : h('span', { class: 'muted' }, 'nothing released'),
      ),
    ),
  );
}

function renderAudit(m) {
  const list = $('audit');
  list.replaceChildren();
  if (!m.audit.length) {
    list.append(h('li', { class: 'muted' }, 'The audit log is empty.'));
    return;
  }
  const kindTone = { override: 'bad', promotion: 'good', landing: 'good', rebase: 'warn' };
  for (const e of m.audit)
    list.append(
      h(
        'li',
        {},
        h('time', { datetime: e.at, title: e.at }, when(e.at)),
        badge(kindTone[e.kind] || 'quiet', e.kind),
        h('code', {}, e.rule),
        ' ',
        shortened(e.object),
        h(
          'div',
          { class: 'muted' },
          'by ',
          h('span', { class: 'v' }, e.who),
          ' in ',
          h('span', { class: 'v' }, e.lane),
          ': ',
          h('span', { class: 'v' }, e.reason),
        ),
      ),
    );
  if (m.auditTotal > m.audit.length)
    list.append(
      h(
        'li',
        { class: 'muted' },
        `… and ${m.auditTotal - m.audit.length} older entries (lanes-hooks audit)`,
      ),
    );
}

function render(m) {
  model = m;
  const focused =
    document.activeElement &&
    document.activeElement.closest &&
    document.activeElement.closest('.card, tr.lane');
  const focusRole = focused ? focused.getAttribute('data-role') : null;
  $('where').textContent = m.coordinator;
  const t = m.status.integration;
  $('integration').replaceChildren(
    'integration ',
    h('code', { class: 'v' }, t.name),
    ' at ',
    h('code', {}, short(t.head)),
  );
  const problems = $('problems');
  problems.hidden = !m.problems.length;
  problems.replaceChildren(...m.problems.map((p) => h('div', {}, `Could not read ${p}`)));
  renderSummary(m);
  renderActions(m);
  renderLanes(m);
  if (focusRole) {
    const again = [...$('lanes').querySelectorAll('[data-role]')].find(
      (c) => c.getAttribute('data-role') === focusRole,
    );
    if (again) again.focus({ preventScroll: true });
  }
  renderQueue(m);
  renderReviews(m);
  renderRelease(m);
  renderAudit(m);
  document.body.setAttribute('data-generated', m.generatedAt);
  if (!performance.getEntriesByName('lanes:cards').length) performance.mark('lanes:cards');
  // An open detail follows its lane: a new HEAD fetches it again.
  if (openRole) {
    const r = m.status.lanes.find((x) => x.role === openRole);
    if (r && r.head !== openHead) void loadDetail(openRole);
  }
}

// ---- lane detail ---------------------------------------------------------------------------

const scopeTone = { 'in scope': 'good', shared: 'info', refused: 'bad' };
const scopeText = { 'in scope': 'in scope', shared: 'shared', refused: 'outside scope (refused)' };

async function loadDetail(role) {
  const body = $('detail-body');
  const res = await fetch(api('api/lane', { role }));
  const d = await res.json();
  if (openRole !== role) return;
  if (!res.ok) {
    body.replaceChildren(h('p', { class: 'badge bad' }, d.problem || `HTTP ${res.status}`));
    return;
  }
  openHead = d.head;
  $('detail-title').replaceChildren(
    h('span', { class: 'v' }, d.role),
    ' ',
    h('span', { class: 'kind' }, d.kind),
    ' ',
    h('code', { class: 'v' }, d.branch || '(detached)'),
    ' at ',
    h('code', { title: d.head || '' }, short(d.head)),
  );
  const commits = d.commits.length
    ? h(
        'ol',
        { class: 'commits' },
        d.commits.map((c) =>
          h(
            'li',
            {},
            h('code', { title: c.sha }, short(c.sha)),
            ' ',
            h('span', { class: 'v subject' }, c.subject),
            h('div', { class: 'muted' }, h('span', { class: 'v' }, c.author), `, ${when(c.date)}`),
            Object.keys(c.trailers).length
              ? h(
                  'div',
                  { class: 'trailers' },
                  Object.entries(c.trailers).flatMap(([k, vs]) =>
                    vs.map((v) =>
                      h(
                        'span',
                        { class: 'trailer' },
                        h('b', {}, `${k}:`),
                        ' ',
                        h('span', { class: 'v' }, v),
                      ),
                    ),
                  ),
                )
              : h('div', { class: 'muted' }, 'no trailers'),
          ),
        ),
      )
    : h('p', { class: 'muted' }, `No commits beyond ${d.integration.name}.`);
  const scope = d.scope.own
    ? h(
        'p',
        { class: 'muted' },
        'Scope: ',
        h('span', { class: 'v' }, d.scope.own.join(', ') || '(none)'),
        d.scope.shared.length
          ? ['; shared: ', h('span', { class: 'v' }, d.scope.shared.join(', '))]
          : '',
      )
    : h('p', { class: 'muted' }, 'Scope: unrestricted (coordinator).');
  const t = d.totals;
  const files = d.files.length
    ? h(
        'table',
        { class: 'files' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ['Path', 'Scope', 'Added', 'Deleted'].map((c) => h('th', { scope: 'col' }, c)),
          ),
        ),
        h(
          'tbody',
          {},
          d.files.map((f) =>
            h(
              'tr',
              { 'data-scope': f.scope },
              h('td', { 'data-label': 'Path' }, h('code', {}, pathText(f.shown))),
              h('td', {}, badge(scopeTone[f.scope], scopeText[f.scope])),
              h('td', { class: 'num add' }, f.added === null ? 'binary' : `+${f.added}`),
              h('td', { class: 'num del' }, f.deleted === null ? '' : `−${f.deleted}`),
            ),
          ),
        ),
        h(
          'tfoot',
          {},
          h(
            'tr',
            {},
            h(
              'td',
              { colspan: 2 },
              `${plural(t.files, 'file')} changed${t.binary ? `, ${t.binary} binary` : ''}`,
            ),
            h('td', { class: 'num add' }, `+${t.added}`),
            h('td', { class: 'num del' }, `−${t.deleted}`),
          ),
        ),
      )
    : h('p', { class: 'muted' }, 'No paths changed.');
  body.replaceChildren(
    h('h3', {}, `Commits beyond ${d.integration.name} (${d.commits.length})`),
    commits,
    h('h3', {}, 'Paths against scope, and the diff stat'),
    scope,
    files,
  );
}

let returnFocus = null;
function openDetail(role) {
  const dialog = $('detail');
  openRole = role;
  openHead = null;
  returnFocus = document.activeElement;
  $('detail-title').textContent = role;
  $('detail-body').replaceChildren(h('p', { class: 'muted' }, 'Loading…'));
  if (!dialog.open) dialog.showModal();
  void loadDetail(role).catch((e) => {
    $('detail-body').replaceChildren(
      h('p', { class: 'badge bad' }, `Could not load: ${e.message}`),
    );
  });
}

function closed() {
  openRole = null;
  const role = returnFocus && returnFocus.getAttribute && returnFocus.getAttribute('data-role');
  const card =
    role &&
    [...$('lanes').querySelectorAll('[data-role]')].find(
      (c) => c.getAttribute('data-role') === role,
    );
  if (card) card.focus();
}

// ---- live ----------------------------------------------------------------------------------

function live(state, text) {
  const el = $('live');
  el.className = `live ${state}`;
  $('live-text').textContent = text;
}

function connect() {
  const source = new EventSource(api('api/events'));
  source.addEventListener('model', (e) => {
    render(JSON.parse(e.data));
    live('ok', 'live');
    $('updated').textContent = ` · updated ${new Date().toLocaleTimeString()}`;
  });
  source.addEventListener('problem', (e) => {
    const p = $('problems');
    p.hidden = false;
    p.replaceChildren(
      h('div', {}, `lanes-hooks could not read the lanes: ${JSON.parse(e.data).message}`),
    );
  });
  source.addEventListener('open', () => {
    if (model) live('ok', 'live');
  });
  source.addEventListener('error', () =>
    live('down', 'disconnected: retrying… (is lanes-hooks dashboard still running?)'),
  );
}

document.addEventListener('DOMContentLoaded', () => {
  $('detail-close').addEventListener('click', () => $('detail').close());
  $('lanes-view').addEventListener('click', () => {
    chosenView = $('lanes').getAttribute('data-view') === 'table' ? 'cards' : 'table';
    if (model) renderLanes(model);
  });
  $('detail').addEventListener('close', closed);
  // A click on the backdrop (outside the dialog's box) closes it too.
  $('detail').addEventListener('click', (e) => {
    if (e.target === $('detail')) $('detail').close();
  });
  connect();
});
