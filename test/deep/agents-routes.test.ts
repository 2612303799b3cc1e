// The compiled-facts route (issue 27) with the REAL Claude Code binary (the pinned release, model
// mocked on loopback: test/helpers/agent-bins.ts): a Bash command widens the lane's compiled
// scope in lanes-hooks.compiled.json, which agent-hook's light entry decides file writes from;
// the check after that command puts the file back and tells the model, and the Write out of scope
// that follows in the same session is refused. test/deep/agents-routes-hooks.test.ts runs the same route
// (and the forged pair, which this does not close) by hand.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Sandbox } from '../../src/demo/sandbox.js';
import { agentBins, claudeResults, sentBack } from '../helpers/agent-bins.js';
import { timeout } from '../helpers/tier.js';
import { CLI, tmpDir } from '../helpers/world.js';

const sb = new Sandbox(tmpDir(), CLI);
const bins = agentBins(sb);
sb.createCoordinator();
sb.mustCli(sb.coordinator, 'setup', '--agent', 'claude');
const A = sb.lane('A-backend'); // paths: backend/**, services/**, contracts/**, workers/**
afterAll(() => bins.close());

describe('Claude Code (real binary): a Bash command that widens the compiled scope', () => {
  it(
    'is told by hook-integrity, the facts are back, and the next Write out of scope is refused',
    async () => {
      const json = path.join(
        sb.must(A, 'rev-parse', '--absolute-git-dir'),
        'lanes-hooks.compiled.json',
      );
      const before = readFileSync(json, 'utf8');
      const target = path.join(A, 'web', 'widened.tsx');
      // A program writing the file (Claude Code's own permission check stops `echo >` into .git).
      const widen = `node -e "const f=process.argv[1],fs=require('fs'),j=JSON.parse(fs.readFileSync(f));j.scopeRe=[{glob:'**',source:'^.*$',flags:''}];fs.writeFileSync(f,JSON.stringify(j))" '${json}'`;
      const r = await bins.claude(A, [
        { tool: 'Bash', input: { command: widen } },
        { tool: 'Write', input: { file_path: target, content: 'x' } },
      ]);
      const told = sentBack(r);
      expect(told).toContain('refused by hook-integrity');
      expect(told).toContain("Bash changed the lane's compiled policy");
      expect(readFileSync(json, 'utf8')).toBe(before);
      const [, write] = claudeResults(r);
      expect(write).toContain('refused by path-scope');
      expect(existsSync(target)).toBe(false);
    },
    timeout(180_000),
  );
});
