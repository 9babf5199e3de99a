// Web mode: serves the built renderer on loopback and carries the engine contract over a token-guarded WebSocket.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { z } from 'zod';
import type { WebMessage } from '../../shared/bridge';
import type { Engine } from '../engine';
import { callEnvelope, type Dispatcher } from '../ipc/dispatch';

const webRequest = callEnvelope.extend({ id: z.number().int().nonnegative() });

export interface WebServerOptions {
  engine: Engine;
  dispatcher: Dispatcher;
  /** The built renderer (out/renderer). */
  rendererDir: string;
  /** Extra read-only folders served under a URL prefix, e.g. { '/samples/': dir }. */
  mounts?: Record<string, string>;
  port?: number;
  /** A fixed token (tests); by default a fresh random one per launch. */
  token?: string;
}

export interface WebServer {
  /** The address to open, with the token in the fragment. */
  url: string;
  origin: string;
  token: string;
  close(): Promise<void>;
}

const HOST = '127.0.0.1';
const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.wasm': 'application/wasm',
  '.mp3': 'audio/mpeg',
  '.woff2': 'font/woff2',
};

export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const tokenBytes = Buffer.from(token);
  const server = createServer((req, res) => {
    void serveStatic(req, res, options).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, HOST, () => resolveListen());
  });
  const port = (server.address() as AddressInfo).port;
  const allowedOrigins = new Set([`http://${HOST}:${port}`, `http://localhost:${port}`]);

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', `http://${HOST}`);
    const given = Buffer.from(url.searchParams.get('token') ?? '');
    const tokenOk = given.length === tokenBytes.length && timingSafeEqual(given, tokenBytes);
    // A page from another origin must not drive the engine even if it learned the port.
    const originOk = allowedOrigins.has(req.headers.origin ?? '');
    if (url.pathname !== '/api' || !tokenOk || !originOk) {
      socket.write('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => attach(ws, options));
  });

  return {
    url: `http://${HOST}:${port}/#token=${token}`,
    origin: `http://${HOST}:${port}`,
    token,
    async close() {
      for (const c of wss.clients) c.terminate();
      wss.close();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

function attach(ws: WebSocket, { engine, dispatcher }: WebServerOptions): void {
  const send = (m: WebMessage) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(m));
  };
  const off = engine.on((event) => send({ event }));
  ws.on('close', off);
  ws.on('message', (raw) => {
    let id = 0;
    void (async () => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw.toString());
      } catch {
        send({ id, result: { ok: false, error: { name: 'InvalidArgumentError', message: 'message is not valid JSON' } } });
        return;
      }
      const env = webRequest.safeParse(parsed);
      const maybeId = (parsed as { id?: unknown } | null)?.id;
      id = typeof maybeId === 'number' ? maybeId : 0;
      if (!env.success) {
        send({ id, result: { ok: false, error: { name: 'InvalidArgumentError', message: 'a call needs { id, method, args[] }' } } });
        return;
      }
      send({ id, result: await dispatcher.call(env.data.method, env.data.args) });
    })();
  });
}

async function serveStatic(req: IncomingMessage, res: ServerResponse, options: WebServerOptions): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { Allow: 'GET, HEAD' }).end();
    return;
  }
  const pathname = decodeURIComponent(new URL(req.url ?? '/', `http://${HOST}`).pathname);
  let root = options.rendererDir;
  let rel = pathname === '/' ? '/index.html' : pathname;
  for (const [prefix, dir] of Object.entries(options.mounts ?? {})) {
    if (pathname.startsWith(prefix)) {
      root = dir;
      rel = pathname.slice(prefix.length - 1);
      break;
    }
  }
  const file = safeJoin(root, rel);
  if (!file) {
    res.writeHead(400).end();
    return;
  }
  const info = await stat(file).catch(() => null);
  if (!info?.isFile()) {
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
    return;
  }
  const body = await readFile(file);
  res.writeHead(200, {
    'Content-Type': MIME[extname(file)] ?? 'application/octet-stream',
    'Content-Length': body.length,
    'X-Content-Type-Options': 'nosniff',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Cache-Control': extname(file) === '.html' ? 'no-store' : 'max-age=3600',
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}

/** Resolves a URL path inside root, or null if it tries to leave it. */
function safeJoin(root: string, urlPath: string): string | null {
  if (urlPath.includes('\0')) return null;
  const base = resolve(root);
  const full = resolve(join(base, normalize(urlPath)));
  return full === base || full.startsWith(base + sep) ? full : null;
}
