// Hostile-client probes of web mode, shared by the CI suite (tests/integration/hostile.test.ts) and the long run (scripts/hostile-long.ts).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { emptySequence } from '../../../src/shared/song';
import { emptyProject, type Project } from '../../../src/shared/studio';
import { asFragmentId } from '../../../src/shared/units';
import { closeFrame, frame, openApi, rawCall, rawUpgrade, text, upgradeHeaders, type RawConnection } from './rawWs';

export interface EngineUnderTest {
  origin: string;
  token: string;
  port: number;
  child: ChildProcess;
  /** What the engine printed on stderr (its log): protocol errors and refusals land here. */
  log: string[];
  exited(): boolean;
  stop(): Promise<void>;
}

const root = fileURLToPath(new URL('../../../', import.meta.url));

/** Starts web mode in a child process with a throwaway user folder and a stub renderer. */
export async function startEngine(): Promise<EngineUnderTest> {
  const dir = mkdtempSync(join(tmpdir(), 'ds-hostile-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>t</title>');
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'tests/integration/kit/webChild.ts'), join(dir, 'user'), dir], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log: string[] = [];
  let exited = false;
  child.on('exit', () => (exited = true));
  child.stderr!.on('data', (d: Buffer) => log.push(...d.toString().split('\n').filter(Boolean)));
  const first = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`web mode did not start within 60 s: ${log.join('\n')}`)), 60_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const nl = out.indexOf('\n');
      if (nl >= 0) {
        clearTimeout(timer);
        resolve(out.slice(0, nl));
      }
    });
    child.once('exit', (code) => reject(new Error(`web mode exited with ${code} before starting: ${log.join('\n')}`)));
  });
  const { origin, token } = JSON.parse(first) as { origin: string; token: string };
  return {
    origin,
    token,
    port: Number(new URL(origin).port),
    child,
    log,
    exited: () => exited,
    async stop() {
      if (exited) return;
      const gone = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await gone;
      clearTimeout(timer);
    },
  };
}

/** The unsaved work the suite autosaves first and expects back after every group. */
export function unsavedProject(): Project {
  const p = emptyProject('Unsaved sketch');
  const seq = emptySequence();
  for (let i = 0; i < 64; i++) seq.notes.push({ pitch: 60 + (i % 12), velocity: 90, startTick: i * 240, endTick: i * 240 + 200, track: 0 });
  p.fragments.push({ id: asFragmentId('frag-hostile'), name: 'Theme under attack', createdAt: 1, origin: { kind: 'edited', from: null }, sequence: seq, plagiarism: null });
  return p;
}

type Reply = { result?: { ok: boolean; value?: unknown; error?: { name: string; message: string } } };

/** Throws unless the engine process is alive, answers app.echo on a fresh connection, and still holds the autosave. */
export async function assertHealthy(engine: EngineUnderTest, group: string): Promise<void> {
  if (engine.exited()) throw new Error(`the engine died during "${group}": ${engine.log.slice(-5).join('\n')}`);
  const conn = await openApi(engine.origin, engine.token);
  try {
    const echo = (await rawCall(conn, 'app.echo', [`after ${group}`])) as Reply;
    if (echo.result?.value !== `after ${group}`) throw new Error(`app.echo after "${group}" answered ${JSON.stringify(echo)}`);
    const recovery = (await rawCall(conn, 'studio.recovery', [])) as Reply;
    const project = recovery.result?.value as Project | null | undefined;
    if (project?.fragments[0]?.name !== 'Theme under attack' || project.fragments[0].sequence.notes.length !== 64) {
      throw new Error(`the autosaved project was lost after "${group}": ${JSON.stringify(recovery).slice(0, 300)}`);
    }
  } finally {
    conn.destroy();
  }
}

export async function autosave(engine: EngineUnderTest): Promise<void> {
  const conn = await openApi(engine.origin, engine.token);
  const r = (await rawCall(conn, 'studio.autosave', [unsavedProject()])) as Reply;
  conn.destroy();
  if (!r.result?.ok) throw new Error(`autosave failed: ${JSON.stringify(r)}`);
}

/** What a group did, for the report. */
export interface GroupReport {
  probes: number;
  /** Probes answered as intended (refused, closed, or answered with a named error). */
  handled: number;
  notes: string[];
}

type Rng = () => number;

/** A deterministic generator, so a failing long run can be replayed from its seed. */
export function rng(seed: number): Rng {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t ^= t + Math.imul(t ^ (t >>> 7), 61 | t);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Malformed upgrade targets and headers: each must get a refusal (or a closed socket), never a 101 or a crash. */
export async function upgradeProbes(e: EngineUnderTest, random: Rng, scale = 1): Promise<GroupReport> {
  const report: GroupReport = { probes: 0, handled: 0, notes: [] };
  const tok = encodeURIComponent(e.token);
  const targets = ['//[/x', 'http://a:99999/api', '*', 'api', `//127.0.0.1/api?token=${tok}`, '/%', `/api%?token=${tok}`, '/api?token=%zz', `/API?token=${tok}`, `/api/?token=${tok}`, '/' + 'a'.repeat(20_000), `/api?token=${tok}&token=x`, `/api?\u0000token=${tok}`];
  const good = () => upgradeHeaders(e.origin);
  const headerCases: Array<Record<string, string> | string> = [
    { ...good(), 'Sec-WebSocket-Key': '' },
    { ...good(), 'Sec-WebSocket-Key': 'not base64 !!' },
    { ...good(), 'Sec-WebSocket-Version': '7' },
    { ...good(), Upgrade: 'h2c' },
    { ...good(), Origin: 'null' },
    { ...good(), Origin: `${e.origin}.evil.example` },
    { ...good(), Origin: e.origin.replace('127.0.0.1', '127.0.0.2') },
    { ...good(), Connection: 'keep-alive' },
    { ...good(), 'X-Big': 'x'.repeat(70_000) },
    `Host: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nBad Header Without Colon\r\n`,
    `Host: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nOrigin: ${e.origin}\r\nOrigin: http://evil.example\r\n`,
    `Host: x\r\n${'X-A: b\r\n'.repeat(3000)}`,
  ];
  const expectRefused = async (target: string, headers: Record<string, string> | string, label: string) => {
    report.probes++;
    try {
      const conn = await rawUpgrade(e.port, target, headers);
      conn.destroy();
      if (conn.status === 101) report.notes.push(`${label}: accepted (101)`);
      else report.handled++;
    } catch (err) {
      report.notes.push(`${label}: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
  for (const t of targets) await expectRefused(t, good(), `target ${JSON.stringify(t.slice(0, 40))}`);
  for (let i = 0; i < headerCases.length; i++) await expectRefused(`/api?token=${tok}`, headerCases[i]!, `header case ${i}`);
  // Sockets reset halfway through a request line or the headers.
  for (let i = 0; i < 40 * scale; i++) {
    report.probes++;
    await new Promise<void>((resolve) => {
      const s = connect(e.port, '127.0.0.1', () => {
        const req = `GET /api?token=${tok} HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${Buffer.alloc(16, i).toString('base64')}\r\nSec-WebSocket-Version: 13\r\nOrigin: ${e.origin}\r\n\r\n`;
        s.write(req.slice(0, Math.floor(random() * req.length) + 1));
        setTimeout(() => {
          s.resetAndDestroy();
          resolve();
        }, random() * 5);
      });
      s.on('error', () => resolve());
    });
    report.handled++;
  }
  return report;
}

/** Malformed, oversized and fragmented frames on an authenticated connection: that connection alone is closed. */
export async function frameProbes(e: EngineUnderTest, random: Rng, scale = 1): Promise<GroupReport> {
  const report: GroupReport = { probes: 0, handled: 0, notes: [] };
  const reason = (code: number, why: string) => Buffer.concat([Buffer.from([code >> 8, code & 0xff]), Buffer.from(why)]);
  const bad: Array<[string, Buffer]> = [
    ['unmasked', text('{}', { mask: false })],
    ['rsv1', text('{}', { rsv1: true })],
    ['rsv2', Buffer.from([0xa1, 0x80, 0, 0, 0, 0])],
    ['rsv3', Buffer.from([0x91, 0x80, 0, 0, 0, 0])],
    ...[3, 4, 5, 6, 7, 11, 12, 13, 14, 15].map((op): [string, Buffer] => [`opcode ${op}`, frame({ opcode: op, payload: 'x' })]),
    ['control frame over 125 bytes', frame({ opcode: 9, payload: Buffer.alloc(126) })],
    ['fragmented ping', frame({ opcode: 9, fin: false, payload: 'p' })],
    ['continuation without a start', frame({ opcode: 0, payload: '{}' })],
    ['text inside a fragmented message', Buffer.concat([text('{"id":', { fin: false }), text('1}')])],
    ['close code 999', closeFrame(999)],
    ['close code 1005', closeFrame(1005)],
    ['close code 5000', closeFrame(5000)],
    ['close with 1 byte', frame({ opcode: 8, payload: Buffer.from([3]) })],
    ['close reason not UTF-8', frame({ opcode: 8, payload: Buffer.concat([reason(1000, ''), Buffer.from([0xc3, 0x28])]) })],
    ['text not UTF-8', text(Buffer.from([0x22, 0xed, 0xa0, 0x80, 0x22]))],
    ['fragmented text not UTF-8', Buffer.concat([text(Buffer.from([0x22, 0xe2, 0x82]), { fin: false }), frame({ opcode: 0, payload: Buffer.from([0x28, 0x22]) })])],
    ['declared 2^53 bytes', frame({ opcode: 1, declaredLength: 2 ** 53 })],
    ['declared 64 MiB + 1', frame({ opcode: 2, declaredLength: 64 * 1024 * 1024 + 1 })],
  ];
  const bystander = await openApi(e.origin, e.token);
  const probe = async (label: string, bytes: Buffer | Buffer[], expectClose: boolean) => {
    report.probes++;
    const conn = await openApi(e.origin, e.token);
    for (const b of Array.isArray(bytes) ? bytes : [bytes]) conn.send(b);
    const closed = await conn.waitClosed(expectClose ? 5000 : 300);
    if (closed === expectClose) report.handled++;
    else report.notes.push(`${label}: ${closed ? 'closed' : 'left open'}`);
    conn.destroy();
    const echo = (await rawCall(bystander, 'app.echo', [label.slice(0, 100)])) as Reply;
    if (echo.result?.value !== label.slice(0, 100)) report.notes.push(`${label}: the bystander got ${JSON.stringify(echo)}`);
  };
  for (const [label, bytes] of bad) await probe(label, bytes, true);
  // A message over the limit sent as 1 MiB fragments: closed once the total passes 64 MiB.
  const mib = Buffer.alloc(1024 * 1024, 0x20);
  await probe('65 MiB in fragments', [text(mib, { fin: false }), ...Array.from({ length: 64 }, () => frame({ opcode: 0, fin: false, payload: mib }))], true);
  // More fragments than ws buffers for one message.
  await probe('20,000 fragments', [text('[', { fin: false }), ...Array.from({ length: 20_000 }, () => frame({ opcode: 0, fin: false, payload: ' ' }))], true);
  // Random garbage after a valid handshake.
  for (let i = 0; i < 20 * scale; i++) {
    const junk = Buffer.from(Array.from({ length: 2 + Math.floor(random() * 64) }, () => Math.floor(random() * 256)));
    report.probes++;
    const conn = await openApi(e.origin, e.token);
    conn.send(junk);
    await conn.waitClosed(50);
    conn.destroy();
    report.handled++;
  }
  // Valid but awkward: a call split into 200 fragments with pings between them is answered.
  report.probes++;
  const conn = await openApi(e.origin, e.token);
  const call = Buffer.from(JSON.stringify({ id: 7, method: 'app.echo', args: ['in pieces'] }));
  const parts: Buffer[] = [];
  const step = Math.ceil(call.length / 200);
  for (let o = 0; o < call.length; o += step) {
    const last = o + step >= call.length;
    parts.push(frame({ opcode: o === 0 ? 1 : 0, fin: last, payload: call.subarray(o, o + step) }));
    if (!last) parts.push(frame({ opcode: 9, payload: 'p' }));
  }
  for (const p of parts) conn.send(p);
  const reply = (await conn.reply(7)) as Reply;
  if (reply.result?.value === 'in pieces') report.handled++;
  else report.notes.push(`fragmented call: ${JSON.stringify(reply)}`);
  conn.destroy();
  bystander.destroy();
  return report;
}

/** Floods bounded in count and time: connections past the limit, pipelined calls, pings, a reader that never reads. */
export async function floodProbes(e: EngineUnderTest, _random: Rng, scale = 1): Promise<GroupReport> {
  const report: GroupReport = { probes: 0, handled: 0, notes: [] };
  // Connections: past the limit the engine answers 503 instead of holding them all.
  const held: RawConnection[] = [];
  let refused = 0;
  for (let i = 0; i < 40; i++) {
    report.probes++;
    const c = await rawUpgrade(e.port, `/api?token=${encodeURIComponent(e.token)}`, upgradeHeaders(e.origin));
    if (c.status === 101) held.push(c);
    else if (c.status === 503) refused++;
  }
  if (held.length <= 32 && refused === 40 - held.length) report.handled += 40;
  else report.notes.push(`connections: ${held.length} accepted, ${refused} refused with 503`);
  for (const c of held) c.destroy();
  await sleep(100);
  // Pipelined calls and garbage on one connection: every call is answered, in bounded time.
  const n = 3000 * scale;
  const conn = await openApi(e.origin, e.token);
  const frames: Buffer[] = [];
  for (let i = 0; i < n; i++) frames.push(i % 3 === 0 ? text('garbage{') : text(JSON.stringify({ id: i, method: 'app.echo', args: [`m${i}`] })));
  conn.send(Buffer.concat(frames));
  report.probes += n;
  try {
    await conn.reply(n - 1, 20_000);
    report.handled += n;
  } catch (err) {
    report.notes.push(`pipelined calls: ${err instanceof Error ? err.message : String(err)}`);
  }
  conn.destroy();
  // A ping flood: ws drops a connection with more than 60 pongs owed, so the flood costs one connection, not memory.
  report.probes++;
  const pinger = await openApi(e.origin, e.token);
  pinger.send(Buffer.concat(Array.from({ length: 1000 * scale }, () => frame({ opcode: 9, payload: 'ping' }))));
  if (await pinger.waitClosed(5000)) report.handled++;
  else report.notes.push('a ping flood left its connection open');
  pinger.destroy();
  // A client that sends 100 MB of calls and never reads an answer: the engine stops reading it, memory stays bounded.
  report.probes++;
  const greedy = await openApi(e.origin, e.token);
  greedy.socket.pause();
  const big = text(JSON.stringify({ id: 1, method: 'app.echo', args: ['y'.repeat(9000)] }));
  const limit = 100_000_000;
  const until = Date.now() + 5000;
  let sent = 0;
  let pushedBack = false;
  while (Date.now() < until && sent < limit) {
    sent += big.length;
    if (greedy.socket.write(big)) continue;
    // Wait for the socket to drain; if it does not within 300 ms, the engine has stopped reading this client.
    const drained = await Promise.race([new Promise<boolean>((r) => greedy.socket.once('drain', () => r(true))), sleep(300).then(() => false)]);
    if (!drained) {
      pushedBack = true;
      break;
    }
  }
  greedy.destroy();
  if (pushedBack) report.handled++;
  else report.notes.push(`a reader that never reads got ${Math.round(sent / 1e6)} MB in without the engine pushing back`);
  report.notes.push(`a reader that never reads got ${Math.round(sent / 1e6)} MB in before the engine stopped reading it`);
  return report;
}

/** Deeply nested and huge JSON: a named error, never a stack overflow or a stall. */
export async function jsonProbes(e: EngineUnderTest, _random: Rng, scale = 1): Promise<GroupReport> {
  const report: GroupReport = { probes: 0, handled: 0, notes: [] };
  const conn = await openApi(e.origin, e.token);
  const depth = 200_000 * scale;
  const cases: Array<[string, string, RegExp]> = [
    ['100k-deep array as the message', '['.repeat(depth) + ']'.repeat(depth), /InvalidArgumentError/],
    ['100k-deep object in args', `{"id":1,"method":"app.echo","args":[${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}]}`, /InvalidArgumentError/],
    ['deep project to autosave', `{"id":2,"method":"studio.autosave","args":[{"format":"deep-symphony-project","version":1,"name":"x","savedAt":0,"fragments":[{"id":"f","name":"n","createdAt":1,"origin":{"kind":"edited","from":${'['.repeat(depth)}${']'.repeat(depth)}},"sequence":{},"plagiarism":null}],"arrangement":{"sections":[],"form":[]},"settings":{"bpm":120,"snap":0,"metronome":false}}]}`, /InvalidArgumentError/],
    ['40 MB string', `{"id":3,"method":"app.echo","args":["${'z'.repeat(40_000_000)}"]}`, /InvalidArgumentError/],
    ['5M-element array', `{"id":4,"method":"app.echo","args":[${'0,'.repeat(5_000_000)}0]}`, /InvalidArgumentError/],
    ['2M-key object', `{"id":5,"method":"app.echo","args":[{${Array.from({ length: 2_000_000 }, (_, i) => `"k${i}":0`).join(',')}}]}`, /InvalidArgumentError/],
    ['__proto__ method', '{"id":6,"method":"__proto__.constructor","args":[]}', /UnknownMethodError/],
    ['constructor method', '{"id":7,"method":"app.constructor","args":[]}', /UnknownMethodError/],
    ['prototype pollution', '{"id":8,"method":"app.echo","args":["x"],"__proto__":{"polluted":true}}', /"ok":true/],
    ['id 1e309', '{"id":1e309,"method":"app.echo","args":["x"]}', /InvalidArgumentError/],
    ['args not an array', '{"id":9,"method":"app.echo","args":{"0":"x","length":1}}', /InvalidArgumentError/],
    ['lone surrogate', '{"id":10,"method":"app.echo","args":["\\ud800"]}', /"ok":true/],
    ['numbers as method', '{"id":11,"method":12,"args":[]}', /InvalidArgumentError/],
  ];
  for (const [label, json, expected] of cases) {
    report.probes++;
    const before = conn.frames.length;
    conn.send(text(json));
    const until = Date.now() + 20_000;
    while (conn.frames.length === before && !conn.closed && Date.now() < until) await sleep(5);
    const answer = conn.frames[before]?.payload.toString() ?? '';
    if (expected.test(answer)) report.handled++;
    else report.notes.push(`${label}: ${conn.closed ? 'connection closed' : answer.slice(0, 200) || 'no answer in 20 s'}`);
  }
  const polluted = ({} as Record<string, unknown>).polluted;
  if (polluted !== undefined) report.notes.push('Object.prototype was polluted in the test process');
  conn.destroy();
  return report;
}

export const GROUPS = { upgrade: upgradeProbes, frames: frameProbes, floods: floodProbes, json: jsonProbes } as const;
