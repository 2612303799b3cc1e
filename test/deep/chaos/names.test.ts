// Random file names through real git: the verdict is right every time, and names print unambiguously.
import { describe, expect, it } from 'vitest';
import { timeout } from '../../helpers/tier.js';
import { globMatcher } from '../../../src/policy/scope.js';
import { showName } from '../../../src/policy/format.js';
import { commit, world } from '../../helpers/world.js';

// The deep tier's full size (issue 29: the fast tier had cut it to 6).
const ROUNDS = Number(process.env.LANES_NAME_ROUNDS ?? 40);
/** Bytes git allows in a name (no NUL, no slash inside a segment), weighted toward trouble. */
const CHARS = [
  'a',
  'Z',
  '0',
  ' ',
  '\t',
  '\n',
  '"',
  "'",
  '\\',
  '*',
  '?',
  '[',
  ']',
  '{',
  '}',
  '!',
  '-',
  '.',
  'ü',
  '日',
  '\u200b',
  '\u202e',
  '$',
  '`',
  '#',
  '%',
  ':',
  ';',
  '|',
  '&',
  '<',
  '>',
  '(',
  ')',
  '\u001b',
];
const PREFIXES = [
  'backend/',
  'services/',
  'backend-evil/',
  'backendx',
  'Backend/',
  'web/',
  '',
  'contracts/.',
  'workers/deep/er/',
];

function rng(seed: number) {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

describe('random names in and out of scope, through real commits', () => {
  it(
    `${ROUNDS} rounds: refused exactly when a name is out of scope, and every offender is listed`,
    () => {
      const w = world(['A-backend']);
      const A = w.lanes['A-backend']!;
      const rand = rng(7);
      const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)]!;
      const inScope = globMatcher(['backend/**', 'services/**', 'contracts/**', 'workers/**']);
      let names = 0;
      for (let round = 0; round < ROUNDS; round++) {
        const files = new Set<string>();
        for (let i = 0; i < 4; i++) {
          let leaf = Array.from({ length: 1 + Math.floor(rand() * 6) }, () => pick(CHARS)).join('');
          if (leaf === '.' || leaf === '..' || /^\.git$/i.test(leaf)) leaf = `${leaf}x`;
          files.add(`${pick(PREFIXES)}${leaf}`.replace(/\/+$/, '/x'));
        }
        const list = [...files].filter(
          (f) =>
            !f
              .split('/')
              .some((s) => s === '' || s === '.' || s === '..' || s.toLowerCase() === '.git'),
        );
        if (!list.length) continue;
        names += list.length;
        const expected = list.every(inScope);
        const r = commit(w, A, list);
        expect(r.status === 0, `round ${round}: ${JSON.stringify(list)}\n${r.stderr}`).toBe(
          expected,
        );
        if (!expected) {
          for (const f of list.filter((f) => !inScope(f))) {
            // As git quotes it (showName's own tests pin that against git's core.quotePath).
            const shown = showName(f);
            expect(r.stderr, `round ${round}`).toContain(shown);
          }
          expect(r.stderr).not.toContain('\u001b');
          w.must(A, 'reset', '-q');
        }
      }
      console.log(`random names: ${ROUNDS} rounds, ${names} names committed or refused`);
    },
    timeout(60_000 + ROUNDS * 10_000),
  ); // real commits, a Node run each: slow on a loaded 2-core machine

  it('a symlink inside the scope pointing out of it is a change of the link, not of its target', () => {
    const w = world(['A-backend']);
    const A = w.lanes['A-backend']!;
    w.run(A, 'ln', ['-s', '../web/index.html', 'backend/link-to-web']);
    w.must(A, 'add', 'backend/link-to-web');
    expect(w.git(A, 'commit', '-q', '-m', 'link').status).toBe(0);
  });
});
