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
import { paddedMidi } from '../../../tests/integration/kit/files';
import { closeFrame, frame, openApi, rawCall, rawUpgrade, text, upgradeHeaders } from '../../../tests/integration/kit/rawWs';
import { startWebServer, type WebServer } from './server';

let server: WebServer;
let engine: Engine;
let userData: string;
const logged: string[] = [];

beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'ds-web-'));
  await writeFile(join(dir, 'index.html'), '<!doctype html><title>t</title>');
  await mkdir(join(dir, 'assets'));
  await writeFile(join(dir, 'assets', 'a.js'), 'export {}');
  const secret = join(dir, '..', `secret-${Date.now()}.txt`);
  await writeFile(secret, 'secret');
  userData = join(dir, 'user');
  engine = new Engine({ mode: 'web', paths: { userData, cache: join(dir, 'cache') } });
  server = await startWebServer({ engine, dispatcher: new Dispatcher(createHandlers(engine)), rendererDir: dir, log: (m) => logged.push(m) });
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

describe('web server under hostile input', () => {
  const port = () => Number(new URL(server.origin).port);
  async function stillAnswers(): Promise<void> {
    const ws = await open(`?token=${server.token}`);
    expect(await call(ws, 99, 'app.echo', ['alive'])).toEqual({ id: 99, result: { ok: true, value: 'alive' } });
    ws.close();
  }

  it('answers 400 to an upgrade target that is not a URL path, logs it, and keeps serving', async () => {
    for (const target of ['//[/x', 'http://a:99999/api', '*', '//127.0.0.1/api']) {
      logged.length = 0;
      const conn = await rawUpgrade(port(), target, upgradeHeaders(server.origin));
      expect(conn.status, target).toBe(400);
      expect(await conn.waitClosed()).toBe(true);
      expect(logged.join('\n'), target).toMatch(/upgrade/);
    }
    await stillAnswers();
  });

  it('closes only the connection that breaks the WebSocket protocol', async () => {
    const cases: Array<[string, Buffer, number]> = [
      ['unmasked frame', text('{}', { mask: false }), 1002],
      ['RSV1 without an extension', text('{}', { rsv1: true }), 1002],
      ['reserved opcode 3', frame({ opcode: 3, payload: 'x' }), 1002],
      ['close code 999', closeFrame(999), 1002],
      ['invalid UTF-8', text(Buffer.from([0x7b, 0xff, 0xfe, 0x7d])), 1007],
      ['a message over the size limit', frame({ opcode: 1, declaredLength: 2 ** 31 }), 1009],
    ];
    const bystander = await openApi(server.origin, server.token);
    for (const [what, bytes, code] of cases) {
      logged.length = 0;
      const conn = await openApi(server.origin, server.token);
      conn.send(bytes);
      expect(await conn.waitClosed(), what).toBe(true);
      expect(conn.closeCode(), what).toBe(code);
      expect(logged.join('\n'), what).toMatch(/protocol error/);
      // The other connection, and the engine behind it, are untouched.
      expect(await rawCall(bystander, 'app.echo', [what])).toMatchObject({ result: { ok: true, value: what } });
    }
    bystander.destroy();
    await stillAnswers();
  });

  it('answers a call whose result cannot be encoded with a named error, and keeps serving', async () => {
    // A project file edited by hand to nest a million levels deep inside a field the schema passes through.
    await mkdir(join(userData, 'projects'), { recursive: true });
    const deep = '['.repeat(1_000_000) + ']'.repeat(1_000_000);
    const file = `{"format":"deep-symphony-project","version":1,"name":"Deep","savedAt":1,"fragments":[{"id":"f","name":"n","createdAt":1,"origin":{"kind":"edited","from":${deep}},"sequence":{"ppq":480,"notes":[],"tracks":[],"tempos":[],"timeSignatures":[],"keySignatures":[],"pedals":[],"sections":[],"meta":{}},"plagiarism":null}],"arrangement":{"sections":[],"form":[]},"settings":{"bpm":120,"snap":0,"metronome":false}}`;
    await writeFile(join(userData, 'projects', 'Deep.dsproj.json'), file);
    const ws = await open(`?token=${server.token}`);
    expect(await call(ws, 5, 'studio.openProject', ['Deep'])).toMatchObject({ id: 5, result: { ok: false, error: { name: 'AnswerEncodingError' } } });
    ws.close();
    await stillAnswers();
  });

  it('answers 400, not 500, to a malformed percent escape in a static path', async () => {
    for (const path of ['/%', '/%E0%A4%A', '/assets/%zz.js']) {
      expect((await fetch(server.origin + path)).status, path).toBe(400);
    }
    expect((await fetch(server.origin + '/assets/a%2Ejs')).status).toBe(200);
  });
});

describe('importing large files in web mode', () => {
  const big = paddedMidi(50 * 1024 * 1024);

  it('closes only the connection of a whole 50 MB file, and refuses 20 MB in one call with a named error', async () => {
    const ws = await open(`?token=${server.token}`);
    const closed = new Promise<number>((r) => ws.once('close', (code) => r(code)));
    ws.send(JSON.stringify({ id: 1, method: 'studio.importFile', args: ['big.mid', big.toString('base64')] }));
    expect(await closed).toBe(1009);
    const ws2 = await open(`?token=${server.token}`);
    const mid = await call(ws2, 2, 'studio.importFile', ['mid.mid', paddedMidi(20 * 1024 * 1024).toString('base64')]);
    expect(mid).toMatchObject({ result: { ok: false, error: { name: 'InvalidArgumentError', message: expect.stringMatching(/chunks \(beginUpload\)/) } } });
    ws2.close();
  });

  it('imports a 50 MB MIDI file sent in chunks', async () => {
    const ws = await open(`?token=${server.token}`);
    const begun = (await call(ws, 1, 'studio.beginUpload', ['big.mid', big.length])) as { result: { ok: true; value: { uploadId: string; chunkBytes: number } } };
    expect(begun.result.ok).toBe(true);
    const { uploadId, chunkBytes } = begun.result.value;
    let id = 10;
    for (let o = 0; o < big.length; o += chunkBytes) {
      const r = await call(ws, id++, 'studio.uploadChunk', [uploadId, o, big.subarray(o, o + chunkBytes).toString('base64')]);
      expect(r).toMatchObject({ result: { ok: true, value: { received: Math.min(big.length, o + chunkBytes) } } });
    }
    const done = await call(ws, id++, 'studio.finishUpload', [uploadId]);
    expect(done).toMatchObject({ result: { ok: true, value: { problems: [], fragments: [{ origin: { fileName: 'big.mid' } }] } } });
    const tooBig = await call(ws, id, 'studio.beginUpload', ['huge.mid', 300 * 1024 * 1024]);
    expect(tooBig).toMatchObject({ result: { ok: false, error: { name: 'FileTooLargeError', message: expect.stringMatching(/up to 256\.0 MB/) } } });
    ws.close();
  });
});
