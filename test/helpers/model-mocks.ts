// Loopback mocks of the two model APIs the real agent binaries call, so that a test can script the
// model's tool calls and read what the agent sent back (tool results, context). They listen on
// 127.0.0.1 only and answer every request from the conversation they are sent: step i of the
// script is played when the conversation holds i earlier tool calls, so retries and side requests
// do not shift it.
//
// - Claude Code: the Messages API (POST /v1/messages, `stream: true`) as server-sent events:
//   message_start, content_block_start / content_block_delta (`input_json_delta` for a tool_use
//   block, `text_delta` for text) / content_block_stop, message_delta (stop_reason), message_stop.
//   Claude Code finds it through ANTHROPIC_BASE_URL and authenticates with ANTHROPIC_API_KEY.
// - Codex: the Responses API (POST /v1/responses, streaming): response.created, one
//   response.output_item.done per output item (`function_call` with JSON `arguments`, or
//   `custom_tool_call` with raw `input` for freeform tools such as apply_patch, or a `message`),
//   response.completed. Codex reaches it through a model provider with `base_url` in config.toml.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type Step = { tool: string; input: Record<string, unknown> | string } | { text: string };

export interface MockServer {
  url: string;
  /** Every request body received (parsed JSON). */
  requests: Record<string, unknown>[];
  close(): Promise<void>;
}

async function serve(
  handle: (body: Record<string, unknown>, res: http.ServerResponse, path: string) => void,
): Promise<MockServer> {
  const requests: Record<string, unknown>[] = [];
  const server = http.createServer((req, res) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => {
      let body: Record<string, unknown> = {};
      try {
        body = data ? JSON.parse(data) : {};
      } catch {
        /* not JSON: answered as an empty request */
      }
      if (req.method === 'POST') requests.push(body);
      handle(body, res, req.url ?? '');
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

const sse = (res: http.ServerResponse, events: [string, unknown][]) => {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  for (const [event, data] of events)
    res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  res.end();
};

/**
 * Claude Code's Messages API. `script` may be a function of the request, for sessions that hold
 * more than one conversation (a sub-agent's requests carry its own messages beside the parent's).
 */
export function claudeMock(
  script: Step[] | ((body: Record<string, unknown>, done: number) => Step | undefined),
): Promise<MockServer> {
  let ids = 0;
  return serve((body, res, url) => {
    if (!url.startsWith('/v1/messages')) {
      res.writeHead(404).end('{}');
      return;
    }
    if (url.startsWith('/v1/messages/count_tokens')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ input_tokens: 10 }));
      return;
    }
    const messages = (body.messages as { role: string; content: unknown }[]) ?? [];
    const tools = Array.isArray(body.tools) ? body.tools.length : 0;
    const done = messages.filter((m) => m.role === 'assistant').length;
    const next = typeof script === 'function' ? script(body, done) : script[done];
    const step: Step = tools && next ? next : { text: 'done' };
    const id = `msg_${++ids}`;
    const start = {
      type: 'message_start',
      message: {
        id,
        type: 'message',
        role: 'assistant',
        model: String(body.model ?? 'claude-mock'),
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: 10, output_tokens: 1 },
      },
    };
    const events: [string, unknown][] = [['message_start', start]];
    if ('tool' in step) {
      events.push(
        [
          'content_block_start',
          {
            type: 'content_block_start',
            index: 0,
            content_block: { type: 'tool_use', id: `toolu_${ids}`, name: step.tool, input: {} },
          },
        ],
        [
          'content_block_delta',
          {
            type: 'content_block_delta',
            index: 0,
            delta: { type: 'input_json_delta', partial_json: JSON.stringify(step.input) },
          },
        ],
      );
    } else {
      events.push(
        [
          'content_block_start',
          { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
        ],
        [
          'content_block_delta',
          { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: step.text } },
        ],
      );
    }
    events.push(
      ['content_block_stop', { type: 'content_block_stop', index: 0 }],
      [
        'message_delta',
        {
          type: 'message_delta',
          delta: { stop_reason: 'tool' in step ? 'tool_use' : 'end_turn', stop_sequence: null },
          usage: { output_tokens: 5 },
        },
      ],
      ['message_stop', { type: 'message_stop' }],
    );
    sse(res, events);
  });
}

/** Codex's Responses API. */
export function codexMock(script: Step[]): Promise<MockServer> {
  let ids = 0;
  return serve((body, res, url) => {
    if (!url.includes('/responses')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ models: [], data: [] }));
      return;
    }
    const input = (body.input as { type?: string }[]) ?? [];
    const done = input.filter(
      (i) => i.type === 'function_call' || i.type === 'custom_tool_call',
    ).length;
    const step: Step = script[done] ?? { text: 'done' };
    const id = `resp_${++ids}`;
    let item: Record<string, unknown>;
    if ('tool' in step) {
      item =
        typeof step.input === 'string'
          ? {
              type: 'custom_tool_call',
              id: `ctc_${ids}`,
              call_id: `call_${ids}`,
              name: step.tool,
              input: step.input,
              status: 'completed',
            }
          : {
              type: 'function_call',
              id: `fc_${ids}`,
              call_id: `call_${ids}`,
              name: step.tool,
              arguments: JSON.stringify(step.input),
              status: 'completed',
            };
    } else {
      item = {
        type: 'message',
        id: `m_${ids}`,
        role: 'assistant',
        status: 'completed',
        content: [{ type: 'output_text', text: step.text, annotations: [] }],
      };
    }
    sse(res, [
      ['response.created', { type: 'response.created', response: { id } }],
      ['response.output_item.done', { type: 'response.output_item.done', output_index: 0, item }],
      [
        'response.completed',
        {
          type: 'response.completed',
          response: {
            id,
            usage: {
              input_tokens: 10,
              input_tokens_details: { cached_tokens: 0 },
              output_tokens: 5,
              output_tokens_details: { reasoning_tokens: 0 },
              total_tokens: 15,
            },
          },
        },
      ],
    ]);
  });
}

/**
 * The OpenAI Chat Completions API (POST …/chat/completions, `stream: true`), as OpenCode's custom
 * providers (`@ai-sdk/openai-compatible`) and Qwen Code's OpenAI auth call it: server-sent `data:`
 * lines, each a `chat.completion.chunk` (a `tool_calls` delta with the whole JSON `arguments`, or a
 * `content` delta), then a chunk with `finish_reason` and usage, then `data: [DONE]`. A request
 * without tools (OpenCode's title, Qwen Code's side queries) is answered with text.
 */
export function openaiMock(script: Step[]): Promise<MockServer> {
  let ids = 0;
  return serve((body, res, url) => {
    // A registry that has nothing (OpenCode's background install of @opencode-ai/plugin asks one):
    // a 404 fails that install at once, where a closed port is retried for a minute.
    if (url.startsWith('/npm/')) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"error":"Not found"}');
      return;
    }
    if (!url.includes('/chat/completions')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ object: 'list', data: [{ id: 'mock-model', object: 'model' }] }));
      return;
    }
    const messages = (body.messages as { role: string; tool_calls?: unknown[] }[]) ?? [];
    const tools = Array.isArray(body.tools) ? body.tools.length : 0;
    const done = messages.filter((m) => m.role === 'assistant' && m.tool_calls?.length).length;
    const step: Step = tools && script[done] ? script[done]! : { text: 'done' };
    const id = `chatcmpl_${++ids}`;
    const chunk = (delta: unknown, finish: string | null, usage?: unknown) => ({
      id,
      object: 'chat.completion.chunk',
      created: 0,
      model: String(body.model ?? 'mock-model'),
      choices: [{ index: 0, delta, finish_reason: finish }],
      ...(usage ? { usage } : {}),
    });
    const usage = { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 };
    const chunks =
      'tool' in step
        ? [
            chunk(
              {
                role: 'assistant',
                tool_calls: [
                  {
                    index: 0,
                    id: `call_${ids}`,
                    type: 'function',
                    function: {
                      name: step.tool,
                      arguments:
                        typeof step.input === 'string' ? step.input : JSON.stringify(step.input),
                    },
                  },
                ],
              },
              null,
            ),
            chunk({}, 'tool_calls', usage),
          ]
        : [chunk({ role: 'assistant', content: step.text }, null), chunk({}, 'stop', usage)];
    if (body.stream === false) {
      const last = chunks[0]!.choices[0]!;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          id,
          object: 'chat.completion',
          created: 0,
          model: String(body.model ?? 'mock-model'),
          choices: [
            {
              index: 0,
              message: { content: null, ...(last.delta as object), role: 'assistant' },
              finish_reason: 'tool' in step ? 'tool_calls' : 'stop',
            },
          ],
          usage,
        }),
      );
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    for (const c of chunks) res.write(`data: ${JSON.stringify(c)}\n\n`);
    res.end('data: [DONE]\n\n');
  });
}
