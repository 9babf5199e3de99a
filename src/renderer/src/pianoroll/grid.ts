// Bars, beats and snapping from a sequence's ppq and time signatures (grid sizes are fractions of a whole note).
import type { NoteSequence, TimeSignatureEvent } from '../../../shared/song';
import type { Ticks } from '../../../shared/units';
import { InvalidArgumentError } from '../../../shared/errors';

/** Snap choices offered by the toolbar: 4 = quarter notes ... 32 = thirty-second notes. */
export const SNAP_DIVISIONS = [4, 8, 16, 32] as const;
export type SnapDivision = (typeof SNAP_DIVISIONS)[number] | 'off';

/** Length in ticks of one grid step (1/division of a whole note), or null when snapping is off. */
export function snapStepTicks(ppq: number, division: SnapDivision): Ticks | null {
  return division === 'off' ? null : (ppq * 4) / division;
}

/** A span of constant metre, from one time-signature change to the next. */
interface MeterSegment {
  startTick: Ticks;
  numerator: number;
  denominator: number;
  barTicks: Ticks;
  beatTicks: Ticks;
  /** Number of bars before this segment. */
  firstBar: number;
}

/** What a grid line marks; drawn with decreasing weight. */
export type LineKind = 'bar' | 'beat' | 'sub';

/** Where bars and beats fall. A time-signature change always starts a new bar. */
export class BarGrid {
  private readonly segments: MeterSegment[] = [];
  /** The number musicians give the first bar: 0 when it is a pickup (shorter than the meter after it), else 1. */
  readonly firstNumber: number;

  constructor(
    readonly ppq: number,
    timeSignatures: readonly TimeSignatureEvent[],
  ) {
    if (!(ppq > 0)) throw new InvalidArgumentError(`ppq must be positive, got ${ppq}`);
    const sorted = [...timeSignatures].sort((a, b) => a.tick - b.tick);
    if (sorted.length === 0 || sorted[0]!.tick > 0) sorted.unshift({ tick: 0, numerator: 4, denominator: 4 });
    let bars = 0;
    for (const ts of sorted) {
      if (!(ts.numerator > 0 && ts.denominator > 0)) {
        throw new InvalidArgumentError(`time signature at tick ${ts.tick} is ${ts.numerator}/${ts.denominator}`);
      }
      const last = this.segments[this.segments.length - 1];
      if (last) {
        if (ts.tick === last.startTick) this.segments.pop();
        else bars = last.firstBar + Math.ceil((ts.tick - last.startTick) / last.barTicks);
      }
      const beatTicks = (ppq * 4) / ts.denominator;
      this.segments.push({
        startTick: ts.tick,
        numerator: ts.numerator,
        denominator: ts.denominator,
        beatTicks,
        barTicks: beatTicks * ts.numerator,
        firstBar: this.segments.length === 0 ? 0 : bars,
      });
    }
    const [a, b] = this.segments;
    this.firstNumber = a && b && b.startTick === a.barTicks && a.barTicks < b.barTicks ? 0 : 1;
  }

  static of(seq: Pick<NoteSequence, 'ppq' | 'timeSignatures'>): BarGrid {
    return new BarGrid(seq.ppq, seq.timeSignatures);
  }

  private segmentIndex(tick: Ticks): number {
    let lo = 0;
    let hi = this.segments.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.segments[mid]!.startTick <= tick) lo = mid + 1;
      else hi = mid;
    }
    return Math.max(0, lo - 1);
  }

  /** Start of the bar containing `tick`. */
  barStart(tick: Ticks): Ticks {
    const s = this.segments[this.segmentIndex(tick)]!;
    return s.startTick + Math.floor(Math.max(0, tick - s.startTick) / s.barTicks) * s.barTicks;
  }

  /** End of the bar containing `tick` (a metre change may cut a bar short). */
  barEnd(tick: Ticks): Ticks {
    const i = this.segmentIndex(tick);
    const s = this.segments[i]!;
    const end = this.barStart(tick) + s.barTicks;
    const next = this.segments[i + 1];
    return next ? Math.min(end, next.startTick) : end;
  }

  /** Zero-based bar number containing `tick`. */
  barIndex(tick: Ticks): number {
    const s = this.segments[this.segmentIndex(tick)]!;
    return s.firstBar + Math.floor(Math.max(0, tick - s.startTick) / s.barTicks);
  }

  /** Ticks per beat (one 1/denominator note) at `tick`. */
  beatTicks(tick: Ticks): Ticks {
    return this.segments[this.segmentIndex(tick)]!.beatTicks;
  }

  /** Ticks per bar at `tick`. */
  barTicks(tick: Ticks): Ticks {
    return this.segments[this.segmentIndex(tick)]!.barTicks;
  }

  /**
   * Snaps `tick` to the grid of `step` ticks counted from the start of its bar,
   * so odd metres (7/8 with a quarter grid) still snap onto every barline.
   */
  snap(tick: Ticks, step: Ticks, mode: 'round' | 'floor' | 'ceil' = 'round'): Ticks {
    if (!(step > 0)) throw new InvalidArgumentError(`snap step must be positive, got ${step}`);
    const t = Math.max(0, tick);
    const start = this.barStart(t);
    const end = this.barEnd(t);
    const k = (t - start) / step;
    const n = mode === 'round' ? Math.round(k) : mode === 'floor' ? Math.floor(k + 1e-9) : Math.ceil(k - 1e-9);
    const snapped = start + n * step;
    // The next barline is always a valid grid point, also when the bar is not a whole number of steps.
    if (snapped > end) return mode === 'floor' ? start + Math.floor((end - start) / step) * step : end;
    if (mode === 'round' && end - t < Math.abs(snapped - t)) return end;
    return snapped;
  }

  /**
   * Calls `visit` for every grid line in [from, to], in order: barlines, beats and,
   * when `subStep` is smaller than a beat, subdivisions. No arrays are built, so
   * it can run every frame.
   */
  forEachLine(from: Ticks, to: Ticks, subStep: Ticks | null, visit: (tick: Ticks, kind: LineKind, bar: number) => void): void {
    let i = this.segmentIndex(Math.max(0, from));
    for (; i < this.segments.length; i++) {
      const s = this.segments[i]!;
      if (s.startTick > to) break;
      const segEnd = this.segments[i + 1]?.startTick ?? Infinity;
      const step = subStep !== null && subStep < s.beatTicks ? subStep : s.beatTicks;
      let bar = Math.floor(Math.max(0, from - s.startTick) / s.barTicks);
      for (let barStart = s.startTick + bar * s.barTicks; barStart <= to && barStart < segEnd; barStart += s.barTicks, bar++) {
        const barEnd = Math.min(barStart + s.barTicks, segEnd);
        for (let t = barStart, k = 0; t < barEnd && t <= to; k++, t = barStart + k * step) {
          if (t < from) continue;
          const kind: LineKind = t === barStart ? 'bar' : (t - barStart) % s.beatTicks === 0 ? 'beat' : 'sub';
          visit(t, kind, s.firstBar + bar);
        }
      }
    }
  }
}

/** A position as musicians read it: "bar.beat.sixteenth", all 1-based ("3.2.1"); a pickup is bar 0. */
export function formatPosition(grid: BarGrid, tick: Ticks): string {
  const t = Math.max(0, tick);
  const inBar = t - grid.barStart(t);
  const beat = grid.beatTicks(t);
  const sixteenth = grid.ppq / 4;
  return `${grid.barIndex(t) + grid.firstNumber}.${Math.floor(inBar / beat) + 1}.${Math.floor((inBar % beat) / sixteenth) + 1}`;
}
