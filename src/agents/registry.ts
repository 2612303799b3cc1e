// The coding agents agent-hook serves beyond Claude Code and Codex (payload.ts), one module each,
// in one table: install --agent, agent-hook and the light entry all read it.
import type { AgentAdapter, Json } from './adapter.js';
import { copilot } from './copilot.js';
import { cursor } from './cursor.js';
import { gemini } from './gemini.js';
import { opencode } from './opencode.js';
import { qwen } from './qwen.js';
import {
  AGENTS,
  isUnreadable,
  payloadObject,
  readPayload,
  type Agent,
  type AgentEvent,
} from './payload.js';

export const EXTRA_AGENTS = { gemini, qwen, opencode, copilot, cursor } satisfies Record<
  string,
  AgentAdapter
>;
export type ExtraAgent = keyof typeof EXTRA_AGENTS;

/** Every agent `install --agent` and `agent-hook` take. */
export type HookAgent = Agent | ExtraAgent;
export const HOOK_AGENTS: readonly HookAgent[] = [
  ...AGENTS,
  ...(Object.keys(EXTRA_AGENTS) as ExtraAgent[]),
];

export const isExtraAgent = (agent: string): agent is ExtraAgent =>
  Object.hasOwn(EXTRA_AGENTS, agent);
export const adapterOf = (agent: HookAgent): AgentAdapter | null =>
  isExtraAgent(agent) ? EXTRA_AGENTS[agent] : null;

/** `agent`'s payload read into facts (Claude Code's and Codex's by payload.ts). */
export function readAgentPayload(agent: HookAgent, text: string): AgentEvent {
  const adapter = adapterOf(agent);
  if (!adapter) return readPayload(agent as Agent, text);
  const p = payloadObject(text);
  return isUnreadable(p) ? p : adapter.read(p as Json);
}
