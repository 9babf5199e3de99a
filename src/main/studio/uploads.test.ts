// Chunked uploads: bytes arrive in order and whole, and the number, total size and idle time of uploads are bounded.
import { describe, expect, it } from 'vitest';
import { UploadStore } from './uploads';

const limits = { maxFileBytes: 100, maxUploads: 2, maxTotalBytes: 150, idleMs: 1000, chunkBytes: 10 };

describe('UploadStore', () => {
  it('reassembles a file sent in order and forgets it once taken', () => {
    const store = new UploadStore(limits);
    const bytes = Uint8Array.from({ length: 25 }, (_, i) => i);
    const { uploadId, chunkBytes } = store.begin('a.mid', bytes.length);
    expect(chunkBytes).toBe(10);
    for (let o = 0; o < bytes.length; o += chunkBytes) store.append(uploadId, o, bytes.subarray(o, o + chunkBytes));
    const [name, got] = store.take(uploadId);
    expect(name).toBe('a.mid');
    expect([...got]).toEqual([...bytes]);
    expect(() => store.take(uploadId)).toThrow(expect.objectContaining({ name: 'NotFoundError' }));
    store.clear();
  });

  it('refuses chunks out of order, too large or past the end, and an early finish', () => {
    const store = new UploadStore(limits);
    const { uploadId } = store.begin('a.mid', 15);
    expect(() => store.append(uploadId, 5, new Uint8Array(5))).toThrow(expect.objectContaining({ name: 'UploadSequenceError', message: expect.stringMatching(/expected offset 0/) }));
    expect(() => store.append(uploadId, 0, new Uint8Array(11))).toThrow(expect.objectContaining({ name: 'UploadSequenceError' }));
    store.append(uploadId, 0, new Uint8Array(10));
    expect(() => store.append(uploadId, 10, new Uint8Array(6))).toThrow(expect.objectContaining({ name: 'UploadSequenceError', message: expect.stringMatching(/runs past/) }));
    expect(() => store.take(uploadId)).toThrow(expect.objectContaining({ name: 'UploadSequenceError', message: expect.stringMatching(/10 of its 15 bytes/) }));
    store.clear();
  });

  it('bounds the file size, the number of uploads and their total size', () => {
    const store = new UploadStore(limits);
    expect(() => store.begin('huge.mid', 101)).toThrow(expect.objectContaining({ name: 'FileTooLargeError', message: expect.stringMatching(/huge\.mid/) }));
    const a = store.begin('a.mid', 100);
    expect(() => store.begin('b.mid', 60)).toThrow(expect.objectContaining({ name: 'UploadLimitError', message: expect.stringMatching(/over/) }));
    store.begin('b.mid', 50);
    expect(() => store.begin('c.mid', 1)).toThrow(expect.objectContaining({ name: 'UploadLimitError', message: expect.stringMatching(/already 2 uploads/) }));
    store.cancel(a.uploadId);
    expect(store.size).toBe(1);
    store.begin('c.mid', 1);
    store.clear();
  });

  it('drops an upload that has had no chunk for the idle time', () => {
    let now = 0;
    const store = new UploadStore(limits, () => now);
    const { uploadId } = store.begin('a.mid', 20);
    now = 900;
    store.append(uploadId, 0, new Uint8Array(10));
    now = 1800;
    expect(store.append(uploadId, 10, new Uint8Array(10))).toEqual({ received: 20 });
    now = 2900;
    expect(store.size).toBe(0);
    expect(() => store.take(uploadId)).toThrow(expect.objectContaining({ name: 'NotFoundError', message: expect.stringMatching(/without a chunk/) }));
    store.clear();
  });
});
