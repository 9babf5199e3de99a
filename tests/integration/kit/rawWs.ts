// A WebSocket client written from scratch on node:net, so tests can send what no real client library would: bad targets, bad headers and bad frames.
import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';

export interface FrameSpec {
  opcode: number;
  payload?: Uint8Array | string;
  fin?: boolean;
  rsv1?: boolean;
  /** Clients must mask; false sends an unmasked frame (a protocol error). */
  mask?: boolean;
  /** Declares a length other than the payload's (for truncated or lying frames). */
  declaredLength?: number;
}

/** Encodes one frame exactly as specified, valid or not. */
export function frame(spec: FrameSpec): Buffer {
  const payload = typeof spec.payload === 'string' ? Buffer.from(spec.payload) : Buffer.from(spec.payload ?? new Uint8Array());
  const length = spec.declaredLength ?? payload.length;
  const mask = spec.mask ?? true;
  const head: number[] = [((spec.fin ?? true) ? 0x80 : 0) | (spec.rsv1 ? 0x40 : 0) | (spec.opcode & 0x0f)];
  const maskBit = mask ? 0x80 : 0;
  let ext = Buffer.alloc(0);
  if (length < 126) head.push(maskBit | length);
  else if (length < 65536) {
    head.push(maskBit | 126);
    ext = Buffer.alloc(2);
    ext.writeUInt16BE(length);
  } else {
    head.push(maskBit | 127);
    ext = Buffer.alloc(8);
    ext.writeBigUInt64BE(BigInt(length));
  }
  if (!mask) return Buffer.concat([Buffer.from(head), ext, payload]);
  const key = randomBytes(4);
  const masked = Buffer.alloc(payload.length);
  for (let i = 0; i < payload.length; i++) masked[i] = payload[i]! ^ key[i & 3]!;
  return Buffer.concat([Buffer.from(head), ext, key, masked]);
}

export const text = (payload: string | Uint8Array, more: Partial<FrameSpec> = {}): Buffer => frame({ opcode: 1, payload, ...more });

/** A close frame with a status code (any number, valid or not). */
export function closeFrame(code: number): Buffer {
  const p = Buffer.alloc(2);
  p.writeUInt16BE(code);
  return frame({ opcode: 8, payload: p });
}

export interface ServerFrame {
  opcode: number;
  payload: Buffer;
}

/** A raw connection: the socket, what the server answered to the handshake, and the frames it sent since. */
export class RawConnection {
  readonly frames: ServerFrame[] = [];
  closed = false;
  private buffer = Buffer.alloc(0);
  private waiters: Array<() => void> = [];

  constructor(readonly socket: Socket, readonly status: number, rest: Buffer) {
    socket.on('data', (d: Buffer) => this.feed(d));
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    socket.on('error', () => undefined);
    if (rest.length) this.feed(rest);
  }

  send(data: Uint8Array): void {
    if (!this.socket.destroyed) this.socket.write(data);
  }

  /** Resolves once the server has closed the connection (or after timeoutMs, with false). */
  async waitClosed(timeoutMs = 5000): Promise<boolean> {
    const until = Date.now() + timeoutMs;
    while (!this.closed && Date.now() < until) await this.waitChange(until - Date.now());
    return this.closed;
  }

  /** The close code the server sent, if it sent a close frame. */
  closeCode(): number | undefined {
    const c = this.frames.find((f) => f.opcode === 8);
    return c && c.payload.length >= 2 ? c.payload.readUInt16BE(0) : undefined;
  }

  /** Waits for a text frame whose JSON has this id. */
  async reply(id: number, timeoutMs = 10_000): Promise<unknown> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      for (const f of this.frames) {
        if (f.opcode !== 1) continue;
        const msg = JSON.parse(f.payload.toString()) as { id?: number };
        if (msg.id === id) return msg;
      }
      if (this.closed || Date.now() >= until) throw new Error(`no reply to call ${id} (closed: ${this.closed})`);
      await this.waitChange(until - Date.now());
    }
  }

  destroy(): void {
    this.socket.destroy();
  }

  private waitChange(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(resolve, Math.max(1, ms));
      this.waiters.push(() => {
        clearTimeout(t);
        resolve();
      });
    });
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  private feed(d: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, d]);
    for (;;) {
      if (this.buffer.length < 2) break;
      const b1 = this.buffer[1]!;
      let len = b1 & 0x7f;
      let off = 2;
      if (len === 126) {
        if (this.buffer.length < 4) break;
        len = this.buffer.readUInt16BE(2);
        off = 4;
      } else if (len === 127) {
        if (this.buffer.length < 10) break;
        len = Number(this.buffer.readBigUInt64BE(2));
        off = 10;
      }
      if (this.buffer.length < off + len) break;
      this.frames.push({ opcode: this.buffer[0]! & 0x0f, payload: this.buffer.subarray(off, off + len) });
      this.buffer = this.buffer.subarray(off + len);
    }
    this.wake();
  }
}

/**
 * Sends a hand-written upgrade request and resolves with the server's status code, or 0 if the server closed the
 * connection without answering.
 */
export function rawUpgrade(port: number, target: string, headers: Record<string, string> | string, timeoutMs = 5000): Promise<RawConnection> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let got = Buffer.alloc(0);
    let done = false;
    const finish = (status: number, rest: Buffer) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.off('data', onData);
      resolve(new RawConnection(socket, status, rest));
    };
    const timer = setTimeout(() => {
      if (done) return;
      done = true;
      socket.destroy();
      reject(new Error(`no answer to an upgrade for ${JSON.stringify(target)} within ${timeoutMs} ms`));
    }, timeoutMs);
    const onData = (d: Buffer) => {
      got = Buffer.concat([got, d]);
      const end = got.indexOf('\r\n\r\n');
      if (end < 0) return;
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(got.subarray(0, end).toString('latin1'))?.[1] ?? 0);
      finish(status, got.subarray(end + 4));
    };
    socket.on('data', onData);
    socket.once('close', () => finish(0, Buffer.alloc(0)));
    socket.on('error', () => undefined);
    const head = typeof headers === 'string' ? headers : Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('');
    socket.write(`GET ${target} HTTP/1.1\r\n${head}\r\n`);
  });
}

/** The headers of a valid upgrade from the studio's own page. */
export function upgradeHeaders(origin: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    Host: origin.replace(/^http:\/\//, ''),
    Upgrade: 'websocket',
    Connection: 'Upgrade',
    'Sec-WebSocket-Key': randomBytes(16).toString('base64'),
    'Sec-WebSocket-Version': '13',
    Origin: origin,
    ...extra,
  };
}

/** A valid, authenticated connection to the engine's API over a raw socket. */
export async function openApi(origin: string, token: string): Promise<RawConnection> {
  const port = Number(new URL(origin).port);
  const conn = await rawUpgrade(port, `/api?token=${encodeURIComponent(token)}`, upgradeHeaders(origin));
  if (conn.status !== 101) throw new Error(`the upgrade was refused with ${conn.status}`);
  return conn;
}

let nextId = 1_000_000;

/** One call over a raw connection, answered or thrown. */
export async function rawCall(conn: RawConnection, method: string, args: unknown[], timeoutMs?: number): Promise<unknown> {
  const id = nextId++;
  conn.send(text(JSON.stringify({ id, method, args })));
  return conn.reply(id, timeoutMs);
}
