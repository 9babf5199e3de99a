// Sends a picked or dropped file to the engine for import: checked for size first, small files in one call, large ones in chunks.
import type { ApiClient } from '../../../shared/api';
import { IMPORT_DIRECT_MAX_BYTES, IMPORT_MAX_BYTES, type ImportResult } from '../../../shared/api/studio';
import { StudioError } from '../../../shared/errors';
import { fileToBase64 } from './base64';

/** A file over IMPORT_MAX_BYTES: refused before a byte is sent. */
export class ImportTooLargeError extends StudioError {}

type UploadApi = Pick<ApiClient['studio'], 'importFile' | 'beginUpload' | 'uploadChunk' | 'finishUpload' | 'cancelUpload'>;

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;

/** The message shown for a file too large to import, or null when its size is fine. */
export function importSizeProblem(name: string, size: number): string | null {
  return size > IMPORT_MAX_BYTES ? `"${name}" is ${mb(size)}; the studio imports files of up to ${mb(IMPORT_MAX_BYTES)}` : null;
}

/**
 * Imports one file. Chunks are read from the file one at a time, so a large file is never held in memory as base64
 * whole; a failed chunk cancels the upload so the engine frees it at once.
 */
export async function sendFileForImport(api: UploadApi, file: Blob, name: string, onProgress?: (fraction: number) => void): Promise<ImportResult> {
  const problem = importSizeProblem(name, file.size);
  if (problem) throw new ImportTooLargeError(problem);
  if (file.size <= IMPORT_DIRECT_MAX_BYTES) return api.importFile(name, await fileToBase64(file));
  const { uploadId, chunkBytes } = await api.beginUpload(name, file.size);
  try {
    for (let offset = 0; offset < file.size; offset += chunkBytes) {
      await api.uploadChunk(uploadId, offset, await fileToBase64(file.slice(offset, offset + chunkBytes)));
      onProgress?.(Math.min(1, (offset + chunkBytes) / file.size));
    }
  } catch (err) {
    await api.cancelUpload(uploadId).catch(() => undefined);
    throw err;
  }
  return api.finishUpload(uploadId);
}
