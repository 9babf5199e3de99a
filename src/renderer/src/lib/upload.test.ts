// The UI refuses oversized imports before sending, sends small files whole and large ones in ordered chunks, and cancels a failed upload.
import { describe, expect, it } from 'vitest';
import { IMPORT_DIRECT_MAX_BYTES, IMPORT_MAX_BYTES, type ImportResult } from '../../../shared/api/studio';
import { importSizeProblem, sendFileForImport } from './upload';

const empty: ImportResult = { fragments: [], problems: [] };

function fakeApi(failAtChunk = -1) {
  const calls: string[] = [];
  let received = Buffer.alloc(0);
  let chunks = 0;
  const api = {
    importFile: async (name: string, data: string) => {
      calls.push(`importFile ${name} ${Buffer.from(data, 'base64').length}`);
      return empty;
    },
    beginUpload: async (name: string, size: number) => {
      calls.push(`begin ${name} ${size}`);
      return { uploadId: 'upload-1', chunkBytes: 3 * 1024 * 1024 };
    },
    uploadChunk: async (_id: string, offset: number, data: string) => {
      if (chunks++ === failAtChunk) throw new Error('connection lost');
      expect(offset).toBe(received.length);
      received = Buffer.concat([received, Buffer.from(data, 'base64')]);
      return { received: received.length };
    },
    finishUpload: async () => {
      calls.push(`finish ${received.length}`);
      return empty;
    },
    cancelUpload: async () => {
      calls.push('cancel');
    },
  };
  return { api, calls, received: () => received };
}

describe('sendFileForImport', () => {
  it('refuses a file over the import limit with its size, before sending anything', async () => {
    expect(importSizeProblem('a.mid', IMPORT_MAX_BYTES)).toBeNull();
    expect(importSizeProblem('a.mid', IMPORT_MAX_BYTES + 1)).toMatch(/"a\.mid" is 256\.0 MB; the studio imports files of up to 256\.0 MB/);
    const { api, calls } = fakeApi();
    // A Blob that only claims a size: nothing may be read from it.
    const huge = { size: IMPORT_MAX_BYTES + 1, slice: () => { throw new Error('read'); } } as unknown as Blob;
    await expect(sendFileForImport(api, huge, 'huge.mid')).rejects.toMatchObject({ name: 'ImportTooLargeError' });
    expect(calls).toEqual([]);
  });

  it('sends a small file in one call and a large one in ordered chunks', async () => {
    const small = fakeApi();
    await sendFileForImport(small.api, new Blob([new Uint8Array(1000)]), 's.mid');
    expect(small.calls).toEqual(['importFile s.mid 1000']);

    const bytes = new Uint8Array(IMPORT_DIRECT_MAX_BYTES + 5_000_001).map((_, i) => i % 251);
    const large = fakeApi();
    const progress: number[] = [];
    await sendFileForImport(large.api, new Blob([bytes]), 'l.mid', (f) => progress.push(f));
    expect(large.calls).toEqual([`begin l.mid ${bytes.length}`, `finish ${bytes.length}`]);
    expect(Buffer.compare(large.received(), Buffer.from(bytes))).toBe(0);
    expect(progress.at(-1)).toBe(1);
  });

  it('cancels the upload when a chunk fails', async () => {
    const { api, calls } = fakeApi(1);
    await expect(sendFileForImport(api, new Blob([new Uint8Array(IMPORT_DIRECT_MAX_BYTES + 1)]), 'x.mid')).rejects.toThrow(/connection lost/);
    expect(calls).toEqual([`begin x.mid ${IMPORT_DIRECT_MAX_BYTES + 1}`, 'cancel']);
  });
});
