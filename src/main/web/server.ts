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
  /** Where refused requests and protocol errors are reported; console.warn by default, at most a few lines a second. */
  log?: (message: string) => void;
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
/** The studio opens one connection per tab; more than this is a runaway page or a probe. */
const MAX_CONNECTIONS = 32;
/** Calls of one connection being worked on at once; past it the connection is read no further until some finish. */
const MAX_IN_FLIGHT = 64;
/** Answers not yet taken by a slow reader: reading pauses past the first, and the connection is dropped past the second. */
const SEND_HIGH_WATER = 16 * 1024 * 1024;
const SEND_HARD_LIMIT = 256 * 1024 * 1024;

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
  const log = rateLimited(options.log ?? ((m) => console.warn(`web: ${m}`)));
  const server = createServer((req, res) => {
    void serveStatic(req, res, options, log).catch((err: unknown) => {
      log(`static ${redact(req.url)} failed: ${err instanceof Error ? err.message : String(err)}`);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  // No compression (a small compressed frame could inflate to gigabytes); a message in at most 16,384 fragments.
  // ws also drops a connection that owes more than 60 pongs (a ping flood): tests/integration/hostile.test.ts checks it.
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES, perMessageDeflate: false, maxFragments: 16 * 1024 });
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, HOST, () => resolveListen());
  });
  const port = (server.address() as AddressInfo).port;
  const allowedOrigins = new Set([`http://${HOST}:${port}`, `http://localhost:${port}`]);

  server.on('upgrade', (req, socket, head) => {
    // Node hands the socket over without its error listener: a reset during the refusal below must not become an
    // uncaught exception (ws adds its own once it takes the socket).
    socket.on('error', () => socket.destroy());
    const refuse = (status: string, why: string) => {
      log(`refused an upgrade to ${redact(req.url)}: ${why}`);
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      // A client that never reads the refusal must not hold the socket open.
      setTimeout(() => socket.destroy(), 1000).unref();
    };
    const url = parseTarget(req.url);
    if (!url) return refuse('400 Bad Request', 'not a URL path');
    const tokens = url.searchParams.getAll('token');
    const given = Buffer.from(tokens[0] ?? '');
    const tokenOk = tokens.length === 1 && given.length === tokenBytes.length && timingSafeEqual(given, tokenBytes);
    // A page from another origin must not drive the engine even if it learned the port.
    const originOk = allowedOrigins.has(req.headers.origin ?? '');
    if (url.pathname !== '/api' || !tokenOk || !originOk) {
      return refuse('403 Forbidden', url.pathname !== '/api' ? 'not /api' : !tokenOk ? 'wrong token' : 'foreign origin');
    }
    if (wss.clients.size >= MAX_CONNECTIONS) return refuse('503 Service Unavailable', `already ${MAX_CONNECTIONS} connections`);
    wss.handleUpgrade(req, socket, head, (ws) => attach(ws, options, log));
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

function attach(ws: WebSocket, { engine, dispatcher }: WebServerOptions, log: (m: string) => void): void {
  let inFlight = 0;
  let unflushed = 0;
  let paused = false;
  // Reading stops while the engine is busy with this connection's calls or the client is slow to take the answers,
  // so neither a flood of calls nor a client that never reads can grow the engine's memory without bound.
  const throttle = () => {
    const over = inFlight >= MAX_IN_FLIGHT || unflushed > SEND_HIGH_WATER;
    if (over && !paused) ws.pause();
    else if (!over && paused) ws.resume();
    paused = over;
  };
  const send = (m: WebMessage) => {
    if (ws.readyState !== ws.OPEN) return;
    let data: string;
    try {
      data = JSON.stringify(m);
    } catch (err) {
      // A value too deep or too large to encode (say, a project file nested a million levels) fails its own call only.
      const message = `the answer could not be encoded: ${err instanceof Error ? err.message : String(err)}`;
      log(message);
      if (!('id' in m)) return;
      data = JSON.stringify({ id: m.id, result: { ok: false, error: { name: 'AnswerEncodingError', message } } } satisfies WebMessage);
    }
    unflushed += data.length;
    if (unflushed > SEND_HARD_LIMIT) {
      log(`dropped a connection that left ${unflushed} bytes of answers unread`);
      ws.terminate();
      return;
    }
    ws.send(data, () => {
      unflushed -= data.length;
      throttle();
    });
    throttle();
  };
  const off = engine.on((event) => send({ event }));
  ws.on('close', off);
  // ws closes the connection with the right status code after a protocol error (bad frame, oversized or invalid
  // UTF-8 message); without a listener the error would stop the whole engine.
  ws.on('error', (err) => log(`closed a connection after a protocol error: ${err.message}`));
  ws.on('message', (raw) => {
    inFlight++;
    throttle();
    void handle(raw)
      .catch((err: unknown) => log(`a call failed outside the dispatcher: ${err instanceof Error ? err.message : String(err)}`))
      .finally(() => {
        inFlight--;
        throttle();
      });
  });

  async function handle(raw: WebSocket.RawData): Promise<void> {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw.toString());
    } catch {
      send({ id: 0, result: { ok: false, error: { name: 'InvalidArgumentError', message: 'message is not valid JSON' } } });
      return;
    }
    const maybeId = typeof parsed === 'object' && parsed !== null ? (parsed as { id?: unknown }).id : undefined;
    const id = typeof maybeId === 'number' && Number.isFinite(maybeId) ? maybeId : 0;
    const env = webRequest.safeParse(parsed);
    if (!env.success) {
      send({ id, result: { ok: false, error: { name: 'InvalidArgumentError', message: 'a call needs { id, method, args[] }' } } });
      return;
    }
    send({ id, result: await dispatcher.call(env.data.method, env.data.args) });
  }
}

/** A request target fit for the log: the token replaced, control characters escaped, at most 200 characters. */
function redact(target: string | undefined): string {
  return JSON.stringify((target ?? '').replace(/token=[^&#]*/gi, 'token=…').slice(0, 200));
}

/** The request target of an upgrade as a URL, or null for anything but a plain path ("/api?token=..."). */
function parseTarget(target: string | undefined): URL | null {
  if (!target || !target.startsWith('/') || target.startsWith('//')) return null;
  try {
    return new URL(target, `http://${HOST}`);
  } catch {
    return null;
  }
}

/** The path of a static request, percent-decoded, or null when the target or an escape in it is malformed. */
function staticPath(target: string | undefined): string | null {
  const url = parseTarget(target ?? '/');
  if (!url) return null;
  try {
    return decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
}

/** Passes on the first lines of each few seconds and counts the rest, so a flood of bad requests cannot flood the log. */
function rateLimited(write: (m: string) => void, perWindow = 20, windowMs = 10_000): (m: string) => void {
  let windowStart = 0;
  let count = 0;
  let suppressed = 0;
  return (message) => {
    const now = Date.now();
    if (now - windowStart > windowMs) {
      if (suppressed > 0) write(`${suppressed} more like these were not logged`);
      windowStart = now;
      count = 0;
      suppressed = 0;
    }
    if (count++ < perWindow) write(message);
    else suppressed++;
  };
}

async function serveStatic(req: IncomingMessage, res: ServerResponse, options: WebServerOptions, log: (m: string) => void): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { Allow: 'GET, HEAD' }).end();
    return;
  }
  const pathname = staticPath(req.url);
  if (pathname === null) {
    log(`answered 400 to a malformed path ${redact(req.url)}`);
    res.writeHead(400, { 'Content-Type': 'text/plain' }).end('bad request');
    return;
  }
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
