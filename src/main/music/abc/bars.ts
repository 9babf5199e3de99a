// The bars an ABC score is written in, from a sequence's time signatures; a short first bar is a pickup, written as an upbeat.
import { barSpans, pickupTicks } from '../../../shared/meter';
import type { NoteSequence } from '../../../shared/song';
import { AbcSerializeError } from './errors';

/** A bar of the score: [start, end) in ticks, and the meter to write at its start when it changes there. */
export interface ScoreBar {
  start: number;
  end: number;
  meter?: { numerator: number; denominator: number };
}

const MAX_BARS = 100_000;

/**
 * The piece's bars as the piano roll and the score view count them (shared/meter.ts barSpans): a pickup (a first
 * bar shorter than the meter after it) is written as an upbeat under the header's meter, not as a meter change.
 * @throws AbcSerializeError for a meter whose bar is empty at this ppq, or a piece of more than 100,000 bars.
 */
export function scoreBars(seq: Pick<NoteSequence, 'ppq' | 'timeSignatures'>, endTick: number): { meter: { numerator: number; denominator: number }; bars: ScoreBar[]; pickup: boolean } {
  const spans = barSpans(seq, endTick, MAX_BARS + 1);
  const last = spans[spans.length - 1];
  if (!last || (last.end <= last.start)) throw new AbcSerializeError(`bar of ${last?.numerator}/${last?.denominator} is empty at ppq ${seq.ppq}`);
  if (last.end < endTick) {
    if (spans.length > MAX_BARS) throw new AbcSerializeError('melody too long to write');
    throw new AbcSerializeError(`bar of ${last.numerator}/${last.denominator} is empty at ppq ${seq.ppq}`);
  }
  const pickup = pickupTicks(seq) > 0;
  const header = pickup && spans.length > 1 ? spans[1]! : spans[0]!;
  let written = { numerator: header.numerator, denominator: header.denominator };
  const bars = spans.map((s, i): ScoreBar => {
    const bar: ScoreBar = { start: s.start, end: s.end };
    if (!(pickup && i === 0) && (s.numerator !== written.numerator || s.denominator !== written.denominator)) {
      bar.meter = { numerator: s.numerator, denominator: s.denominator };
      written = bar.meter;
    }
    return bar;
  });
  return { meter: { numerator: header.numerator, denominator: header.denominator }, bars, pickup };
}
