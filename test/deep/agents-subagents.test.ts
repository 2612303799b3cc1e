// Claude Code's sub-agents with the REAL binaries (the pinned release and the newest, side by
// side): the model starts a sub-agent through the client's own sub-agent tool (its name and input
// schema read from the tools the client sends the mock), and the sub-agent's Bash writes one file
// outside the lane and one inside. What must hold (issue 27, "Sub-agents"): the brief reaches the
// sub-agent, the sub-agent is told about its write, and so is the PARENT session, in the request
// it sends after the sub-agent returned (agents/subagent-runs.ts). 2.1.197 runs a sub-agent in the
// foreground (the report comes with the Agent tool's result); 2.1.328 runs it in the background
// by default (the report comes with the completion notice, at the UserPromptSubmit it raises) and
// in the foreground with `run_in_background: false`.
//
// The route a lane that wants through would take: do the out-of-scope work in a sub-agent, whose
// own report the parent never sees. Each case below is that route.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { timeout } from '../helpers/tier.js';
import { Sandbox } from '../../src/demo/sandbox.js';
import { agentBins, CLAUDE_VERSIONS } from '../helpers/agent-bins.js';
import type { Step } from '../helpers/model-mocks.js';
import { CLI, tmpDir } from '../helpers/world.js';

const sb = new Sandbox(tmpDir(), CLI);
const bins = agentBins(sb);
sb.createCoordinator();
sb.mustCli(sb.coordinator, 'setup', '--agent', 'all');
const A = sb.lane('A-backend'); // paths: backend/**, services/**, contracts/**, workers/**
afterAll(() => bins.close());

const MARK = 'SUBTASK-lanes-7f3';
const BRIEF = 'lanes-hooks: this worktree is the A-backend lane';
type Msg = { role: string; content: unknown };
const json = (v: unknown) => JSON.stringify(v ?? '');

const CASES: [keyof typeof CLAUDE_VERSIONS, string, boolean | undefined][] = [
  ['pinned', 'foreground', undefined],
  ['latest', 'background (its default)', undefined],
  ['latest', 'foreground (run_in_background: false)', false],
];

describe.each(CASES)('Claude Code %s, a sub-agent in the %s', (release, _how, background) => {
  it(
    'hears the brief; its Bash write out of scope is reported to it and to the parent session',
    { timeout: timeout(240_000) },
    async () => {
      const tag = `${release}-${background === false ? 'fg' : 'default'}`;
      const outside = `web/by-sub-${tag}.html`;
      const inside = `backend/by-sub-${tag}.ts`;
      let schema: { properties?: Record<string, unknown>; required?: string[] } = {};
      const script = (body: Record<string, unknown>, done: number): Step | undefined => {
        const messages = (body.messages as Msg[]) ?? [];
        const tools = (body.tools as { name: string; input_schema?: typeof schema }[]) ?? [];
        if (json(messages[0]?.content).includes(MARK))
          // the sub-agent's own conversation
          return done === 0
            ? { tool: 'Bash', input: { command: `echo x > ${outside} && echo y > ${inside}` } }
            : undefined;
        if (done > 0) return undefined;
        // The parent: the client's sub-agent tool (Agent; Task before 2.1), as its schema says.
        const t = tools.find((x) => x.name === 'Agent' || x.name === 'Task');
        if (!t) return undefined;
        schema = t.input_schema ?? {};
        return {
          tool: t.name,
          input: {
            description: 'write two files',
            prompt: MARK,
            subagent_type: 'general-purpose',
            ...(background === undefined ? {} : { run_in_background: background }),
          },
        };
      };
      const r = await bins.claude(A, script, { tools: 'Write,Edit,Bash,Agent,Task', release });
      expect(r.status, r.stderr).toBe(0);
      expect(schema.required).toEqual(expect.arrayContaining(['description', 'prompt']));
      if (background !== undefined) expect(schema.properties).toHaveProperty('run_in_background');
      expect(existsSync(path.join(A, outside))).toBe(true);
      expect(existsSync(path.join(A, inside))).toBe(true);

      const isSub = (q: Record<string, unknown>) =>
        json(((q.messages as Msg[]) ?? [])[0]?.content).includes(MARK);
      const sub = r.requests.filter(isSub);
      const parent = r.requests.filter((q) => !isSub(q) && Array.isArray(q.tools));
      expect(sub.length, 'the sub-agent ran').toBeGreaterThanOrEqual(2);
      // The brief reached the sub-agent's first request (SubagentStart's additionalContext).
      expect(json(sub[0]!.messages)).toContain(BRIEF);
      // The sub-agent was told after its own Bash.
      const subLast = json(sub[sub.length - 1]!.messages);
      expect(subLast).toContain('refused by path-scope');
      expect(subLast).toContain('Bash changed the worktree');

      // The parent: everything it was sent after its first prompt, in its last request.
      const last = (parent[parent.length - 1]!.messages as Msg[]).slice(1);
      const told = json(last);
      expect(told).toContain('the sub-agent general-purpose (Agent tool) changed the worktree');
      expect(told).toContain(outside);
      expect(told).toContain(`git clean -f -- '${outside}'`);
      expect(told).not.toContain(inside); // the in-scope file is not blamed
      // Told once, not by both entries 2.1.328 runs (the lane's and the main checkout's).
      expect(told.split('(Agent tool) changed the worktree').length - 1).toBe(1);
    },
  );
});
