// A small job that does real, checkable work (sums integers in chunks) so that progress and cancel can be tested.
import { z } from 'zod';
import type { JobContext } from './types';

const params = z.object({ steps: z.number().int().min(1).max(100_000), stepMs: z.number().min(0).max(10_000) });

export async function runSelfTest(raw: unknown, ctx: JobContext): Promise<{ sum: number }> {
  const { steps, stepMs } = params.parse(raw);
  let sum = 0;
  const t0 = Date.now();
  for (let i = 1; i <= steps; i++) {
    ctx.throwIfCancelled();
    sum += i;
    if (stepMs > 0) await new Promise((r) => setTimeout(r, stepMs));
    const elapsed = (Date.now() - t0) / 1000;
    const rate = elapsed > 0 ? i / elapsed : undefined;
    ctx.progress({
      fraction: i / steps,
      rate,
      rateUnit: 'steps/s',
      etaSeconds: rate ? (steps - i) / rate : undefined,
      metric: { name: 'sum', value: sum },
    });
  }
  return { sum };
}
