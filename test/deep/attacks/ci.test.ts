// Route 15: CI must not run the checker (or read the policy) that the pushed commit brings. A lane
// that may change package.json (a shared path) points the lanes-hooks devDependency at a stub in
// its own scope; `npm ci && npx lanes-hooks …` in the pushed checkout would then run the stub and
// turn a red check green. The example's own shell steps are run here, in a sandbox that plays
// GitHub (a clone at the pushed commit, $RUNNER_TEMP, a stand-in `npm ci` that links whatever the
// package.json of its working directory names), and must judge with integration's checker.
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { Sandbox } from '../../../src/demo/sandbox.js';
import { CLI } from '../../helpers/world.js';
import { hub } from '../../attacks/hub.js';
import { timeout } from '../../helpers/tier.js';

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  env?: Record<string, string>;
}
const workflow = parse(readFileSync('examples/github-actions.yml', 'utf8')) as {
  jobs: Record<string, { steps: Step[] }>;
};

function exe(file: string, text: string) {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  chmodSync(file, 0o755);
}

/** `npm ci` as far as this test needs: link node_modules/.bin/lanes-hooks to what package.json here names. */
function fakeTools(sb: Sandbox): string {
  const bin = path.join(sb.root, 'fakebin');
  const real = path.join(sb.root, 'real-lanes-hooks');
  exe(real, `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} "$@"\n`);
  exe(
    path.join(bin, 'npm'),
    `#!/bin/sh
[ "$1" = ci ] || [ "$1" = install ] || exit 0
spec=$(${JSON.stringify(process.execPath)} -e 'const p=require(process.cwd()+"/package.json");process.stdout.write((p.devDependencies||{})["lanes-hooks"]||"")')
mkdir -p node_modules/.bin
case $spec in
  file:*) target="$PWD/\${spec#file:}/bin.sh" ;;
  *) target=${JSON.stringify(real)} ;;
esac
ln -sf "$target" node_modules/.bin/lanes-hooks
`,
  );
  exe(
    path.join(bin, 'npx'),
    `#!/bin/sh\nname=$1; shift\nexec "$PWD/node_modules/.bin/$name" "$@"\n`,
  );
  return bin;
}

/** The `run` steps of a job, in a shell like GitHub's (bash -eo pipefail). */
function runJob(sb: Sandbox, job: Step[], cwd: string, env: NodeJS.ProcessEnv) {
  let out = '';
  for (const step of job) {
    if (!step.run) continue;
    const r = sb.run(cwd, 'bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run], {
      ...env,
      ...(step.env ? Object.fromEntries(Object.keys(step.env).map((k) => [k, env[k]])) : {}),
    });
    out += r.stdout + r.stderr;
    if (r.status !== 0) return { status: r.status, out };
  }
  return { status: 0, out };
}

describe('route 15: CI runs the checker and the policy from integration', () => {
  it(
    'route 15: no step runs npm ci / npx in the pushed checkout, nor expands ${{ }} in a shell',
    () => {
      for (const [name, job] of Object.entries(workflow.jobs)) {
        for (const step of job.steps) {
          if (!step.run) continue;
          expect(step.run, `${name}: ${step.name}`).not.toMatch(/\bnpx\b/);
          expect(step.run, `${name}: ${step.name}`).not.toContain('${{');
          for (const line of step.run.split('\n').filter((l) => /\bnpm\b/.test(l)))
            expect(line, `${name}: ${step.name}`).toMatch(
              /^\s*\(cd "\$RUNNER_TEMP\/policy" && npm ci --ignore-scripts/,
            );
          if (/lanes-hooks" guard|lanes-hooks guard/.test(step.run))
            expect(step.run).toMatch(
              /\$RUNNER_TEMP\/policy\/node_modules\/\.bin\/lanes-hooks|cd "\$RUNNER_TEMP\/policy" && node_modules\/\.bin\/lanes-hooks/,
            );
        }
      }
    },
    timeout(180_000),
  );

  it(
    'route 15: a pushed tree whose devDependency is a stub checker: the example’s steps still refuse it',
    () => {
      const sb = hub(
        (cfg) => {
          cfg.shared = ['package.json', 'package-lock.json'];
        },
        { hook: false },
      );
      const C = sb.coordinator;
      sb.write(C, 'package.json', JSON.stringify({ devDependencies: { 'lanes-hooks': '^0.1.0' } }));
      sb.must(C, 'add', 'package.json');
      sb.must(C, 'commit', '-qm', 'lanes-hooks as a devDependency');
      sb.must(C, 'push', '-q', 'origin', 'master');
      sb.mustCli(C, 'setup');
      const A = sb.lane('A-backend');
      sb.must(A, '-c', 'core.hooksPath=/dev/null', 'push', '-q', 'origin', 'agent/A-backend');
      // The lane's attack: a stub checker in its own scope, the devDependency pointed at it (package.json
      // is shared), and a change out of its scope that the stub waves through. No hooks on GitHub.
      sb.write(
        A,
        'package.json',
        JSON.stringify({ devDependencies: { 'lanes-hooks': 'file:backend/stub' } }),
      );
      sb.write(A, 'backend/stub/bin.sh', '#!/bin/sh\necho "stub checker: all good"\nexit 0\n');
      chmodSync(path.join(A, 'backend/stub/bin.sh'), 0o755);
      sb.write(A, 'web/index.html', 'defaced\n');
      sb.must(A, 'add', '-A');
      sb.must(A, 'commit', '-qm', 'stub the checker', '--no-verify');
      const before = sb.must(sb.remote, 'rev-parse', 'refs/heads/agent/A-backend');
      const after = sb.must(A, 'rev-parse', 'HEAD');
      sb.must(A, '-c', 'core.hooksPath=/dev/null', 'push', '-q', 'origin', 'agent/A-backend');
      // GitHub's checkout: a clone at the pushed commit.
      const ci = path.join(sb.root, 'ci');
      sb.must(sb.root, 'clone', '-q', sb.remote, ci);
      sb.must(ci, 'checkout', '-q', '--detach', after);
      const temp = path.join(sb.root, 'runner-temp');
      mkdirSync(temp);
      const env = {
        PATH: `${fakeTools(sb)}:${process.env.PATH}`,
        RUNNER_TEMP: temp,
        GITHUB_ENV: path.join(temp, 'github-env'),
        BEFORE: before,
        AFTER: after,
        REF: 'refs/heads/agent/A-backend',
      };

      // The naive job (what the example did): npm ci and npx in the pushed checkout — the stub wins.
      const naive = runJob(
        sb,
        [
          { run: 'npm ci' },
          { run: `git show origin/master:.lanesrc.json > "$RUNNER_TEMP/naive.json"` },
          {
            run: 'printf "%s %s %s\\n" "$BEFORE" "$AFTER" "$REF" | npx lanes-hooks guard pre-receive --config "$RUNNER_TEMP/naive.json"',
          },
        ],
        ci,
        env,
      );
      expect(naive.out).toContain('stub checker: all good');
      expect(naive.status).toBe(0);

      // The example's own steps: integration's checker, which refuses.
      const r = runJob(sb, workflow.jobs['pushed-range']!.steps, path.join(ci), env);
      expect(r.out).not.toContain('stub checker');
      expect(r.status).not.toBe(0);
      expect(r.out).toContain('refused by path-scope');
      expect(r.out).toContain('web/index.html');
    },
    timeout(180_000),
  );
});
