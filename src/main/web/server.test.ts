// The web bridge serves the UI on loopback only and refuses engine calls without the launch token or from other origins.
import { mkdtemp, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { WebMessage } from '../../shared/bridge';
import { Engine } from '../engine';
import { Dispatcher } from '../ipc/dispatch';
import { createHandlers } from '../ipc/handlers';
import { startWebServer, type WebServer } from './server';

let server: WebServer;
let engine: Engine;

beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'ds-web-'));
  await writeFile(join(dir, 'index.html'), '<!doctype html><title>t</title>');
  await mkdir(join(dir, 'assets'));
  await writeFile(join(dir, 'assets', 'a.js'), 'export {}');
  const secret = join(dir, '..', `secret-${Date.now()}.txt`);
  await writeFile(secret, 'secret');
  engine = new Engine({ mode: 'web', paths: { userData: join(dir, 'user'), cache: join(dir, 'cache') } });
  server = await startWebServer({ engine, dispatcher: new Dispatcher(createHandlers(engine)), rendererDir: dir });
});
afterAll(async () => {
  await server.close();
  await engine.dispose();
});

/** origin null sends no Origin header at all (a non-browser client). */
function open(query: string, origin: string | null = server.origin): Promise<WebSocket> {
  const ws = new WebSocket(`${server.origin.replace('http', 'ws')}/api${query}`, origin === null ? {} : { origin });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

function call(ws: WebSocket, id: number, method: string, args: unknown[]): Promise<WebMessage> {
  return new Promise((resolve) => {
    const onMessage = (raw: WebSocket.RawData) => {
      const msg = JSON.parse(raw.toString()) as WebMessage;
      if ('id' in msg && msg.id === id) {
        ws.off('message', onMessage);
        resolve(msg);
      }
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify({ id, method, args }));
  });
}

describe('web server', () => {
  it('listens on loopback only', () => {
    expect(server.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.url).toContain(`#token=${server.token}`);
  });

  it('serves the renderer and refuses paths outside it', async () => {
    const index = await fetch(server.origin + '/');
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toMatch(/text\/html/);
    expect((await fetch(server.origin + '/assets/a.js')).status).toBe(200);
    expect((await fetch(server.origin + '/../secret.txt')).status).not.toBe(200);
    expect((await fetch(server.origin + '/%2e%2e/%2e%2e/etc/passwd')).status).not.toBe(200);
    expect((await fetch(server.origin + '/', { method: 'POST' })).status).toBe(405);
  });

  it('refuses a connection without the token', async () => {
    await expect(open('')).rejects.toThrow(/403/);
    await expect(open('?token=wrong')).rejects.toThrow(/403/);
  });

  it('refuses a connection from another origin even with the token', async () => {
    await expect(open(`?token=${server.token}`, 'http://evil.example')).rejects.toThrow(/403/);
    await expect(open(`?token=${server.token}`, null)).rejects.toThrow(/403/);
  });

  it('answers calls with the token, and malformed calls with typed errors', async () => {
    const ws = await open(`?token=${server.token}`);
    expect(await call(ws, 1, 'app.echo', ['hi'])).toEqual({ id: 1, result: { ok: true, value: 'hi' } });
    const bad = await call(ws, 2, 'app.echo', [{ not: 'a string' }]);
    expect(bad).toMatchObject({ id: 2, result: { ok: false, error: { name: 'InvalidArgumentError' } } });
    ws.send('not json');
    const garbage = await new Promise<WebMessage>((r) => ws.once('message', (raw) => r(JSON.parse(raw.toString()) as WebMessage)));
    expect(garbage).toMatchObject({ result: { ok: false, error: { name: 'InvalidArgumentError' } } });
    ws.close();
  });
});
