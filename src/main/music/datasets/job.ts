// The 'import-dataset' job: imports a folder in a worker so the UI can show progress and cancel.
import { z } from 'zod';
import type { JobContext } from '../../jobs/types';
import { importDataset } from './import';

const params = z.object({
  folder: z.string().min(1),
  cacheDir: z.string().min(1),
  augment: z.object({ transpose: z.array(z.number().int()).optional(), stretch: z.array(z.number()).optional() }).optional(),
});

export async function runImportDataset(raw: unknown, ctx: JobContext) {
  const { folder, cacheDir, augment } = params.parse(raw);
  const dataset = await importDataset(folder, { cacheDir, augment, signal: ctx.signal, onProgress: (p) => ctx.progress(p) });
  return { cacheDir, cacheKey: dataset.cacheKey, folder, fromCache: dataset.fromCache, summary: dataset.summary, skipped: dataset.skipped };
}
