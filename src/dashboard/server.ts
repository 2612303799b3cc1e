// `lanes-hooks dashboard`: a read-only HTTP server on 127.0.0.1 for one page that shows every lane,
// updated live with Server-Sent Events. Every request needs the run's random token; a Host header
// other than 127.0.0.1:<port> or localhost:<port> is refused (DNS rebinding: a page from another
// site whose name now resolves to 127.0.0.1 sends its own name as Host). Nothing here changes a
// ref or runs a command on a page's behalf: GET (and HEAD) only, and the only git commands are the
// reads status, the fingerprint and the lane detail make.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { hookContext, type HookContext } from '../hooks/context.js';
import { refsFingerprint } from '../git/fingerprint.js';
import { refusalsFile } from '../store/refusals.js';
import { dashboardAssets } from './assets.js';
import { laneDetail } from './detail.js';
import { dashboardModel, type DashboardModel } from './model.js';

export interface DashboardOptions {
  /** 0: a free port. */
  port: number;
  /** How often the fingerprint is taken, in ms. */
  pollMs: number;
  /** At most this long between two recomputes while a page is open (uncommitted edits, time). */
  refreshMs?: number;
  /** Fixed for tests; random otherwise. */
  token?: string;
  /** Builds the hook context (the config may change while the dashboard runs). */
  context?: () => HookContext;
}

export interface Dashboard {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

/** Strict: scripts and styles from this server only, no inline code, no framing, no other hosts. */
export const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const HEADERS = {
  'content-security-policy': CSP,
  'x-content-type-options': 'nosniff',
  // The token is in the URL: never send it on in a Referer.
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
  'x-frame-options': 'DENY',
  'cross-origin-resource-policy': 'same-origin',
};

export async function startDashboard(opts: DashboardOptions): Promise<Dashboard> {
  const token = opts.token ?? randomBytes(24).toString('hex');
  const makeContext = opts.context ?? hookContext;
  const refreshMs = opts.refreshMs ?? 15_000;
  const assets = dashboardAssets();
  const clients = new Set<http.ServerResponse>();

  let model: DashboardModel | null = null;
  let modelJson = '';
  let problem: string | null = null;
  let fingerprint = '';
  let computedAt = 0;
  /** Fingerprints taken and models computed (response headers, for tests and the curious). */
  let polls = 0;
  let computes = 0;
  let running: Promise<void> | null = null;
  const first = makeContext();
  let config = first.config;
  const where = first.wt;
  const watched = [refusalsFile(where.commonDir), path.join(where.top ?? '', '.lanesrc.json')];

  /** Recompute the model only when the fingerprint moved (or refreshMs passed); tell every page. */
  function refresh(force = false): Promise<void> {
    running ??= (async () => {
      try {
        // The fingerprint costs one git command and a few stats; the context (config, policy,
        // lane: several git commands) is made only when the model is recomputed.
        const now = await refsFingerprint(where.commonDir, watched);
        polls++;
        if (!force && now === fingerprint && Date.now() - computedAt < refreshMs && model) return;
        const ctx = makeContext();
        const next = await dashboardModel(ctx);
        computes++;
        config = ctx.config;
        fingerprint = now;
        computedAt = Date.now();
        problem = null;
        // generatedAt changes every time: compare without it.
        const json = JSON.stringify({ ...next, generatedAt: '' });
        if (json === modelJson) return;
        modelJson = json;
        model = next;
        broadcast('model', JSON.stringify(next));
      } catch (e) {
        const message = (e as Error).message;
        if (message !== problem) broadcast('problem', JSON.stringify({ message }));
        problem = message;
      } finally {
        running = null;
      }
    })();
    return running;
  }

  function broadcast(event: string, data: string) {
    for (const res of clients) res.write(`event: ${event}\ndata: ${data}\n\n`);
  }

  const server = http.createServer((req, res) => {
    void handle(req, res).catch((e) => {
      if (!res.headersSent)
        send(res, 500, 'text/plain', `lanes-hooks dashboard: ${(e as Error).message}`);
      else res.end();
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const port = (server.address() as AddressInfo).port;
    const host = req.headers.host ?? '';
    if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`)
      return send(res, 403, 'text/plain', 'lanes-hooks dashboard: refused (unexpected Host)\n');
    const url = new URL(req.url ?? '/', `http://${host}`);
    if (!tokenOk(url.searchParams.get('token')))
      return send(res, 403, 'text/plain', 'lanes-hooks dashboard: refused (no or wrong token)\n');
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return send(res, 405, 'text/plain', 'lanes-hooks dashboard: read-only\n', {
        allow: 'GET, HEAD',
      });
    switch (url.pathname) {
      case '/':
        return send(res, 200, 'text/html', assets.html.replaceAll('{{token}}', token));
      case '/app.js':
        return send(res, 200, 'text/javascript', assets.js);
      case '/app.css':
        return send(res, 200, 'text/css', assets.css);
      case '/api/model':
        if (!model) await refresh(true);
        if (!model) return send(res, 500, 'application/json', JSON.stringify({ problem }));
        return send(res, 200, 'application/json', JSON.stringify(model), {
          'x-lanes-polls': String(polls),
          'x-lanes-computes': String(computes),
        });
      case '/api/lane': {
        if (!model) await refresh(true);
        const role = url.searchParams.get('role') ?? '';
        const detail = model && laneDetail(model.status, config, role);
        if (!detail)
          return send(res, 404, 'application/json', JSON.stringify({ problem: `no lane ${role}` }));
        return send(res, 200, 'application/json', JSON.stringify(detail));
      }
      case '/api/events':
        return events(req, res);
      default:
        return send(res, 404, 'text/plain', 'not found\n');
    }
  }

  function events(req: http.IncomingMessage, res: http.ServerResponse) {
    res.writeHead(200, {
      ...HEADERS,
      'content-type': 'text/event-stream; charset=utf-8',
      connection: 'keep-alive',
    });
    if (req.method === 'HEAD') return res.end();
    res.write('retry: 1000\n\n');
    clients.add(res);
    req.on('close', () => clients.delete(res));
    if (model) res.write(`event: model\ndata: ${JSON.stringify(model)}\n\n`);
    else void refresh(true);
    if (problem) res.write(`event: problem\ndata: ${JSON.stringify({ message: problem })}\n\n`);
  }

  function tokenOk(given: string | null): boolean {
    if (!given) return false;
    const [a, b] = [Buffer.from(given), Buffer.from(token)];
    return a.length === b.length && timingSafeEqual(a, b);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, '127.0.0.1', () => resolve());
  });
  // Timers only once listening: a port in use must leave nothing running. Poll while a page is
  // open; a keep-alive comment now and then keeps proxies and timers honest.
  const poll = setInterval(() => {
    if (clients.size) void refresh();
  }, opts.pollMs);
  const keepAlive = setInterval(() => {
    for (const res of clients) res.write(': keep-alive\n\n');
  }, 20_000);

  // The first page paints from a model that is already there.
  void refresh(true);
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    close: async () => {
      clearInterval(poll);
      clearInterval(keepAlive);
      for (const res of clients) res.end();
      clients.clear();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await running;
    },
  };
}

function send(
  res: http.ServerResponse,
  status: number,
  type: string,
  body: string,
  extra: Record<string, string> = {},
) {
  res.writeHead(status, {
    ...HEADERS,
    ...extra,
    'content-type': `${type}; charset=utf-8`,
    'content-length': Buffer.byteLength(body),
  });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}
