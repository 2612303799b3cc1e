// npm's prepack and postpack (docs.npmjs.com/cli/using-npm/scripts): `npm pack` and `npm publish`
// build first, so the package always has dist/ and THIRD-PARTY-NOTICES; and the published
// package.json leaves out this repository's own `prepare` (husky installs our git hooks, which a
// consumer has no use for). husky documents the same pair for its own install script
// (typicode.github.io/husky: pinst --disable / --enable).
//
//   node scripts/pack.mjs prepack    restore a leftover backup, build, then back up and strip
//   node scripts/pack.mjs postpack   put the backed-up package.json back
//
// If packing fails between the two, the backup stays; the next prepack (or postpack) restores it
// first, so package.json is never left stripped for longer than one failed pack.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';

const FILE = 'package.json';
const BACKUP = '.package.json.prepack';

function restore() {
  if (existsSync(BACKUP)) renameSync(BACKUP, FILE);
}

const step = process.argv[2];
if (step === 'prepack') {
  restore();
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
  const text = readFileSync(FILE, 'utf8');
  const pkg = JSON.parse(text);
  delete pkg.scripts?.prepare;
  writeFileSync(BACKUP, text);
  writeFileSync(FILE, JSON.stringify(pkg, null, 2) + '\n');
} else if (step === 'postpack') {
  restore();
} else {
  console.error('usage: node scripts/pack.mjs prepack|postpack');
  process.exit(2);
}
