// A stand-in for the Gemini API, on 127.0.0.1 only, for driving the real Gemini CLI in tests
// (GOOGLE_GEMINI_BASE_URL points the CLI here). It plays a scripted model: the first streamed turn
// calls the given tools, every later one answers with text; it keeps every request body, so a test can
// read what the CLI sent back to the model (the tool's result, the context it added).
//
// The wire format is the Gemini API's: POST /v1beta/models/<model>:streamGenerateContent?alt=sse
// answered by `data: <GenerateContentResponse JSON>` events, POST …:generateContent by one
// GenerateContentResponse (the CLI's side questions, such as whether the model should go on,
// which expect JSON), POST …:countTokens by {totalTokens}.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface MockGemini {
  url: string;
  /** Every request: its path and its parsed JSON body. */
  requests: { url: string; body: unknown }[];
  close(): Promise<void>;
}

const response = (parts: unknown[]) => ({
  candidates: [{ content: { role: 'model', parts }, finishReason: 'STOP', index: 0 }],
  usageMetadata: { promptTokenCount: 1, candidatesTokenCount: 1, totalTokenCount: 2 },
});

export async function mockGemini(
  firstTurn: { name: string; args: Record<string, unknown> }[],
): Promise<MockGemini> {
  const requests: MockGemini['requests'] = [];
  let turns = 0;
  const server = http.createServer((req, res) => {
    let text = '';
    req.on('data', (c) => (text += c));
    req.on('end', () => {
      let body: unknown = null;
      try {
        body = JSON.parse(text);
      } catch {
        /* keep null */
      }
      const url = req.url ?? '';
      requests.push({ url, body });
      if (url.includes(':streamGenerateContent')) {
        const parts =
          turns++ === 0 ? firstTurn.map((call) => ({ functionCall: call })) : [{ text: 'done' }];
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.end(`data: ${JSON.stringify(response(parts))}\n\n`);
      } else if (url.includes(':generateContent')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify(response([{ text: '{"reasoning": "done", "next_speaker": "user"}' }])),
        );
      } else if (url.includes(':countTokens')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"totalTokens": 1}');
      } else {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end('{}');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
