// Reads what a training job reports while it runs (loss points, sample previews) from its untyped progress data.
import type { NoteSequence } from '../../../shared/song';

export interface LossPoint {
  step: number;
  loss: number;
  smoothed: number | null;
  valid: number | null;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** A loss point when the data carries `step` and `loss` (the training loop's TrainProgress), else null. */
export function lossPointOf(data: unknown): LossPoint | null {
  if (typeof data !== 'object' || data === null) return null;
  const d = data as Record<string, unknown>;
  const step = num(d.step);
  const loss = num(d.loss);
  if (step === null || loss === null) return null;
  return { step, loss, smoothed: num(d.smoothedLoss), valid: num(d.validLoss) };
}

/** A generated sample the job attached, as `sample` or `preview` holding a NoteSequence. */
export function samplePreviewOf(data: unknown): NoteSequence | null {
  if (typeof data !== 'object' || data === null) return null;
  const d = data as Record<string, unknown>;
  for (const v of [d.sample, d.preview]) {
    if (typeof v === 'object' && v !== null && Array.isArray((v as { notes?: unknown }).notes) && typeof (v as { ppq?: unknown }).ppq === 'number') return v as NoteSequence;
  }
  return null;
}

/** Adds a point keeping steps increasing; a resumed run restarting below the last step replaces the overlap. */
export function appendPoint(points: readonly LossPoint[], p: LossPoint): LossPoint[] {
  const kept = points.filter((q) => q.step < p.step);
  kept.push(p);
  return kept;
}

/** Columns for uPlot: steps, raw loss, smoothed loss, validation loss (null where not measured). */
export function lossColumns(points: readonly LossPoint[]): [number[], (number | null)[], (number | null)[], (number | null)[]] {
  return [points.map((p) => p.step), points.map((p) => p.loss), points.map((p) => p.smoothed), points.map((p) => p.valid)];
}
