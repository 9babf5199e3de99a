// The points a training job reports (any named metrics, smoothed and validated), kept in order and laid out for the plot.
import type { TrainPoint } from '../../../shared/jobs';

/** Adds a point keeping steps increasing; a resumed run restarting below the last step replaces the overlap. */
export function appendPoint(points: readonly TrainPoint[], p: TrainPoint): TrainPoint[] {
  const kept = points.filter((q) => q.step < p.step);
  kept.push(p);
  return kept;
}

export interface PlotSeries {
  label: string;
  /** The metric's name, and which of its values: raw, smoothed or validation. */
  metric: string;
  variant: 'raw' | 'smoothed' | 'valid';
  values: (number | null)[];
}

/**
 * Columns for uPlot: steps, then for each metric its raw and smoothed values and, where validation measured it, its
 * validation values (null where not measured). Metrics appear in the order they were first reported.
 */
export function plotColumns(points: readonly TrainPoint[]): { steps: number[]; series: PlotSeries[] } {
  const names: string[] = [];
  const validNames: string[] = [];
  for (const p of points) {
    for (const k of Object.keys(p.metrics)) if (!names.includes(k)) names.push(k);
    for (const k of Object.keys(p.valid ?? {})) if (!validNames.includes(k)) validNames.push(k);
  }
  const series: PlotSeries[] = [];
  const several = names.length > 1;
  for (const name of names) {
    series.push({ label: several ? name : 'loss', metric: name, variant: 'raw', values: points.map((p) => p.metrics[name] ?? null) });
    series.push({ label: several ? `${name} (smoothed)` : 'smoothed', metric: name, variant: 'smoothed', values: points.map((p) => p.smoothed[name] ?? null) });
  }
  for (const name of validNames) {
    series.push({ label: several ? `${name} (valid)` : 'valid', metric: name, variant: 'valid', values: points.map((p) => p.valid?.[name] ?? null) });
  }
  return { steps: points.map((p) => p.step), series };
}
