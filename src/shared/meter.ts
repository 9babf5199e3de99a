// The meter of a piece as a musician counts it: a short first bar followed by the real meter is a pickup (an upbeat), not a bar of its own meter.
import type { NoteSequence, TimeSignatureEvent } from './song';
import type { Ticks } from './units';

const barLength = (ppq: number, s: Pick<TimeSignatureEvent, 'numerator' | 'denominator'>): number => (ppq * 4 * s.numerator) / s.denominator;

function sorted(seq: Pick<NoteSequence, 'timeSignatures'>): TimeSignatureEvent[] {
  return [...seq.timeSignatures].sort((a, b) => a.tick - b.tick).filter((s, i, all) => all[i + 1]?.tick !== s.tick);
}

/** Length of the pickup in ticks: a first bar shorter than the meter that follows it from its end; 0 for none. */
export function pickupTicks(seq: Pick<NoteSequence, 'ppq' | 'timeSignatures'>): Ticks {
  const [first, second] = sorted(seq);
  if (!first || !second || first.tick !== 0) return 0;
  const len = barLength(seq.ppq, first);
  return second.tick === len && len < barLength(seq.ppq, second) ? len : 0;
}

/** The meter the piece is in: after its pickup, if it has one; 4/4 when it names none. */
export function mainMeter(seq: Pick<NoteSequence, 'ppq' | 'timeSignatures'>): { numerator: number; denominator: number } {
  const list = sorted(seq);
  const m = pickupTicks(seq) > 0 ? list[1] : list[0];
  return m ? { numerator: m.numerator, denominator: m.denominator } : { numerator: 4, denominator: 4 };
}

export interface BarSpan {
  start: Ticks;
  end: Ticks;
  /** The time signature in force in this bar. */
  numerator: number;
  denominator: number;
}

/**
 * The bars of a piece up to `endTick` (at least one): each time signature starts a bar, and one that falls inside
 * a bar ends that bar there, as the piano roll draws them. A pickup is the first, short bar.
 */
export function barSpans(seq: Pick<NoteSequence, 'ppq' | 'timeSignatures'>, endTick: Ticks, maxBars = 100_000): BarSpan[] {
  const sigs = sorted(seq);
  if (sigs.length === 0 || sigs[0]!.tick > 0) sigs.unshift({ tick: 0, numerator: 4, denominator: 4 });
  const bars: BarSpan[] = [];
  let t = 0;
  let index = 0;
  while ((t < endTick || bars.length === 0) && bars.length < maxBars) {
    while (index + 1 < sigs.length && sigs[index + 1]!.tick <= t) index++;
    const sig = sigs[index]!;
    const len = Math.round(barLength(seq.ppq, sig));
    if (len <= 0) break;
    const next = sigs[index + 1];
    const end = next && next.tick < t + len ? next.tick : t + len;
    bars.push({ start: t, end, numerator: sig.numerator, denominator: sig.denominator });
    t = end;
  }
  return bars;
}

/** Index of the bar holding `tick` in barSpans() (the last bar for ticks past the end). */
export function barIndexAt(bars: readonly BarSpan[], tick: Ticks): number {
  let lo = 0;
  let hi = bars.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (bars[mid]!.start <= tick) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
