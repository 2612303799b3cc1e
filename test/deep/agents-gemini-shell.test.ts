// Gemini CLI's shell tool (run_shell_command) wrote out of scope unseen: lanes-hooks had only its
// BeforeTool hook on the file tools. Now its AfterTool hook (docs/hooks/reference.md, "AfterTool")
// runs the same after-shell check as Claude Code's Bash: what the command changed outside the
// lane's paths, the commits it made, the hooks it touched — told to the model in place of the
// tool's result. The REAL Gemini CLI, driven by a stand-in for its model (helpers/mock-gemini.ts).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { mockGemini } from '../helpers/mock-gemini.js';
import { coordinatorSandbox } from '../helpers/template.js';
import { timeout } from '../helpers/tier.js';
import { tmpDir } from '../helpers/world.js';

const sb = coordinatorSandbox({ setup: true });
const B = sb.lane('B-ui'); // paths: web/**, e2e/**
const GEMINI = path.resolve('node_modules/@google/gemini-cli/bundle/gemini.js');

describe('Gemini CLI 0.61.0 (real binary): AfterTool after run_shell_command', () => {
  it(
    'install writes the AfterTool hook; a shell write outside the lane is told to the model',
    async () => {
      sb.mustCli(B, 'install', '--agent', 'gemini');
      const settings = JSON.parse(readFileSync(path.join(B, '.gemini', 'settings.json'), 'utf8'));
      expect(settings.hooks.AfterTool[0].matcher).toBe('^run_shell_command$');
      const home = tmpDir('lanes-gemini-home-');
      mkdirSync(path.join(home, '.gemini'));
      writeFileSync(
        path.join(home, '.gemini', 'settings.json'),
        JSON.stringify({
          security: { auth: { selectedType: 'gemini-api-key' } },
          privacy: { usageStatisticsEnabled: false },
        }),
      );
      const model = await mockGemini([
        {
          name: 'run_shell_command',
          args: { command: 'mkdir -p backend && echo z > backend/from-shell.ts' },
        },
      ]);
      try {
        const env: NodeJS.ProcessEnv = { ...process.env };
        for (const k of Object.keys(env))
          if (/^(GOOGLE_|GEMINI_|CLOUDSDK_)|_PROXY$|^CI$/i.test(k)) delete env[k];
        Object.assign(env, {
          HOME: home,
          GEMINI_API_KEY: 'test-key',
          GOOGLE_GEMINI_BASE_URL: model.url,
          GEMINI_CLI_TRUST_WORKSPACE: 'true',
          NO_COLOR: '1',
        });
        const run = spawn(
          process.execPath,
          [GEMINI, '-p', 'run it', '--approval-mode', 'yolo', '-m', 'gemini-2.5-flash'],
          { cwd: B, env, stdio: ['ignore', 'pipe', 'pipe'] },
        );
        let output = '';
        run.stdout.on('data', (d) => (output += d));
        run.stderr.on('data', (d) => (output += d));
        const code = await new Promise((resolve) => run.on('close', resolve));
        expect(code, output).toBe(0);
        // The command ran (nothing stops a shell command before it runs)...
        expect(existsSync(path.join(B, 'backend', 'from-shell.ts'))).toBe(true);
        // ...and the model's next turn carries the report as the tool's result.
        const turns = model.requests.filter((r) => r.url.includes(':streamGenerateContent'));
        expect(turns.length, output).toBe(2);
        const results = JSON.stringify(turns[1]!.body);
        expect(results).toContain('refused by path-scope');
        expect(results).toContain('run_shell_command changed the worktree');
        expect(results).toContain('backend/from-shell.ts');
        expect(results).toContain('git clean -f');
      } finally {
        await model.close();
      }
    },
    timeout(120_000),
  );
});
