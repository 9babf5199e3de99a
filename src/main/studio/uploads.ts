// Chunked uploads of large imported files: bounded in number, size and idle time, so no client can fill the engine's memory.
import { randomUUID } from 'node:crypto';
import { IMPORT_MAX_BYTES, UPLOAD_CHUNK_BYTES, type UploadTicket } from '../../shared/api/studio';
import { NotFoundError, StudioError } from '../../shared/errors';

/** A file larger than the studio imports. */
export class FileTooLargeError extends StudioError {}
/** Too many uploads, or too many bytes, at once. */
export class UploadLimitError extends StudioError {}
/** A chunk out of order, too large, or a finish before every byte arrived. */
export class UploadSequenceError extends StudioError {}

export interface UploadLimits {
  maxFileBytes: number;
  maxUploads: number;
  /** The sum of the declared sizes of the uploads in flight. */
  maxTotalBytes: number;
  /** An upload that gets no chunk for this long is dropped. */
  idleMs: number;
  chunkBytes: number;
}

export const DEFAULT_UPLOAD_LIMITS: UploadLimits = {
  maxFileBytes: IMPORT_MAX_BYTES,
  maxUploads: 4,
  maxTotalBytes: 2 * IMPORT_MAX_BYTES,
  idleMs: 60_000,
  chunkBytes: UPLOAD_CHUNK_BYTES,
};

interface Upload {
  name: string;
  bytes: Buffer;
  received: number;
  touched: number;
}

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;

export class UploadStore {
  private readonly uploads = new Map<string, Upload>();
  private readonly limits: UploadLimits;
  private sweeper: ReturnType<typeof setInterval> | undefined;

  constructor(limits: Partial<UploadLimits> = {}, private readonly now: () => number = Date.now) {
    this.limits = { ...DEFAULT_UPLOAD_LIMITS, ...limits };
  }

  /** Uploads in flight (after dropping the expired ones). */
  get size(): number {
    this.expire();
    return this.uploads.size;
  }

  begin(name: string, size: number): UploadTicket {
    this.expire();
    const { maxFileBytes, maxUploads, maxTotalBytes } = this.limits;
    if (size > maxFileBytes) throw new FileTooLargeError(`"${name}" is ${mb(size)}; the studio imports files of up to ${mb(maxFileBytes)}`);
    if (this.uploads.size >= maxUploads) throw new UploadLimitError(`already ${this.uploads.size} uploads in progress (at most ${maxUploads}); wait for one to finish`);
    const total = [...this.uploads.values()].reduce((sum, u) => sum + u.bytes.length, 0);
    if (total + size > maxTotalBytes) {
      throw new UploadLimitError(`"${name}" (${mb(size)}) would bring the uploads in progress to ${mb(total + size)}, over ${mb(maxTotalBytes)}; wait for one to finish`);
    }
    const uploadId = `upload-${randomUUID()}`;
    // Allocated once at the declared size: the total above is then exactly what the uploads can hold.
    this.uploads.set(uploadId, { name, bytes: Buffer.alloc(size), received: 0, touched: this.now() });
    this.startSweeper();
    return { uploadId, chunkBytes: this.limits.chunkBytes };
  }

  append(uploadId: string, offset: number, chunk: Uint8Array): { received: number } {
    const u = this.get(uploadId);
    if (chunk.length > this.limits.chunkBytes) throw new UploadSequenceError(`a chunk of ${chunk.length} bytes is over the ${this.limits.chunkBytes} allowed`);
    if (offset !== u.received) throw new UploadSequenceError(`chunk at offset ${offset} for "${u.name}", expected offset ${u.received}`);
    if (u.received + chunk.length > u.bytes.length) {
      throw new UploadSequenceError(`chunk of ${chunk.length} bytes at ${offset} runs past the ${u.bytes.length} bytes declared for "${u.name}"`);
    }
    u.bytes.set(chunk, u.received);
    u.received += chunk.length;
    u.touched = this.now();
    return { received: u.received };
  }

  /** Hands over the complete file and forgets the upload. */
  take(uploadId: string): [name: string, bytes: Uint8Array] {
    const u = this.get(uploadId);
    if (u.received !== u.bytes.length) throw new UploadSequenceError(`"${u.name}" has ${u.received} of its ${u.bytes.length} bytes; send the rest before finishing`);
    this.drop(uploadId);
    return [u.name, u.bytes];
  }

  cancel(uploadId: string): void {
    this.expire();
    this.drop(uploadId);
  }

  /** Drops every upload (engine shut-down). */
  clear(): void {
    this.uploads.clear();
    this.stopSweeper();
  }

  private get(uploadId: string): Upload {
    this.expire();
    const u = this.uploads.get(uploadId);
    if (!u) throw new NotFoundError(`no upload ${uploadId} in progress (finished, cancelled, or dropped after ${this.limits.idleMs / 1000} s without a chunk)`);
    return u;
  }

  private drop(uploadId: string): void {
    this.uploads.delete(uploadId);
    if (this.uploads.size === 0) this.stopSweeper();
  }

  private expire(): void {
    const cutoff = this.now() - this.limits.idleMs;
    for (const [id, u] of this.uploads) if (u.touched < cutoff) this.drop(id);
  }

  // Frees an abandoned upload's memory even when no further call comes; unref'd, so it never keeps the process alive.
  private startSweeper(): void {
    if (this.sweeper) return;
    this.sweeper = setInterval(() => this.expire(), Math.max(1000, this.limits.idleMs / 4));
    this.sweeper.unref();
  }

  private stopSweeper(): void {
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = undefined;
  }
}
