// serializeAbc: writes the melody (track 0) of a NoteSequence as one ABC tune with bars, ties, rests and tuplets.
import type { NoteSequence, TimeSignatureEvent } from '../../../shared/song';
import { scoreBars } from './bars';
import { AbcSerializeError } from './errors';
import { LETTER_PC, LETTERS, parseKey, parseMeter, parseUnitLength } from './fields';
import { frac, type Frac } from './fraction';
import type { AbcKey, AbcMeter, AbcUnitLength, NoteLetter, SerializeAbcOptions, SerializeAbcResult } from './types';

export interface MelodyEvent {
  /** null for a rest. */
  pitch: number | null;
  start: number;
  end: number;
}

const TONIC_NAMES: readonly string[][] = [
  ['C'], ['Db', 'C#'], ['D'], ['Eb', 'D#'], ['E'], ['F'], ['F#', 'Gb'], ['G'], ['Ab', 'G#'], ['A'], ['Bb', 'A#'], ['B', 'Cb'],
];
const MODE_SUFFIX: Record<string, string> = {
  major: '', minor: 'm', dorian: 'dor', phrygian: 'phr', lydian: 'lyd', mixolydian: 'mix', locrian: 'loc',
};

function isPowerOfTwo(n: number): boolean {
  return n > 0 && (n & (n - 1)) === 0;
}

/** Melody of track 0 as non-overlapping events: the top note of each onset, cut at the next onset. */
function monophonic(seq: NoteSequence, warnings: string[]): MelodyEvent[] {
  const notes = seq.notes.filter((n) => n.track === 0 && n.endTick > n.startTick).sort((a, b) => a.startTick - b.startTick || b.pitch - a.pitch);
  const out: MelodyEvent[] = [];
  let dropped = 0;
  let cut = 0;
  for (const n of notes) {
    // A fraction here would surface later as a bare "length out of range"; say which note is wrong instead.
    if (!Number.isInteger(n.startTick) || !Number.isInteger(n.endTick)) {
      throw new AbcSerializeError(`note ${n.pitch} at ticks ${n.startTick}..${n.endTick}: ticks must be whole numbers`);
    }
    const last = out[out.length - 1];
    if (last && last.start === n.startTick) {
      dropped++;
      continue;
    }
    if (last && last.end > n.startTick) {
      last.end = n.startTick;
      cut++;
    }
    out.push({ pitch: n.pitch, start: n.startTick, end: n.endTick });
  }
  if (dropped > 0) warnings.push(`melody is polyphonic: kept the top voice, left out ${dropped} lower notes`);
  if (cut > 0) warnings.push(`${cut} overlapping melody notes were shortened to the next onset`);
  return out;
}

/** The K: value of a key with as few sharps or flats as its tonic allows ("Eb", "C#m", "Ddor"). */
export function keyName(tonic: number, mode: string): string {
  const names = TONIC_NAMES[((tonic % 12) + 12) % 12]!;
  const suffix = MODE_SUFFIX[mode] ?? '';
  let best = names[0]!;
  let bestAbs = Infinity;
  for (const name of names) {
    const k = parseKey(name + suffix, () => undefined);
    if (k && Math.abs(k.fifths) < bestAbs) {
      bestAbs = Math.abs(k.fifths);
      best = name;
    }
  }
  return best + suffix;
}

/** Letter, written accidental shift and octave for a MIDI pitch under a key signature. */
function spell(pitch: number, key: AbcKey): { letter: NoteLetter; shift: number; octave: number } {
  const pc = ((pitch % 12) + 12) % 12;
  const candidates: Array<{ letter: NoteLetter; shift: number; score: number }> = [];
  for (const letter of LETTERS) {
    for (const shift of [-1, 0, 1]) {
      if ((((LETTER_PC[letter] + shift) % 12) + 12) % 12 !== pc) continue;
      let score = 3;
      if (shift === key.accidentals[letter]) score = 0;
      else if (shift === 0) score = 1;
      else if ((shift > 0) === key.fifths >= 0) score = 2;
      candidates.push({ letter, shift, score });
    }
  }
  candidates.sort((a, b) => a.score - b.score);
  const c = candidates[0]!;
  const octave = Math.round((pitch - c.shift - LETTER_PC[c.letter] - 60) / 12);
  return { letter: c.letter, shift: c.shift, octave };
}

function noteName(letter: NoteLetter, octave: number): string {
  if (octave <= 0) return letter + ','.repeat(-octave);
  return letter.toLowerCase() + "'".repeat(octave - 1);
}

function accidentalText(shift: number): string {
  return shift === 2 ? '^^' : shift === 1 ? '^' : shift === -1 ? '_' : shift === -2 ? '__' : '=';
}

export interface Bar {
  start: number;
  end: number;
  meter?: TimeSignatureEvent;
}

export interface Piece {
  /** null for a rest. */
  pitch: number | null;
  start: number;
  end: number;
  /** Tied into the next piece (a note that goes on past its bar line). */
  tieOn: boolean;
}

/**
 * Cuts the melody and the rests between its notes at the bar lines. Bars are contiguous and events do not overlap,
 * both in time order (as monophonic() and the bar loop make them).
 * `stats.barVisits` counts the bars looked at, so a test can tell linear from quadratic without a clock.
 */
export function splitAtBars(events: readonly MelodyEvent[], bars: readonly Bar[], stats?: { barVisits: number }): Piece[] {
  const pieces: Piece[] = [];
  let cursor = 0;
  // Spans arrive in time order, so the first bar a span can touch only moves forward: each bar is passed once.
  let first = 0;
  const pushSplit = (pitch: number | null, start: number, end: number): void => {
    while (first < bars.length && bars[first]!.end <= start) {
      if (stats) stats.barVisits++;
      first++;
    }
    for (let i = first; i < bars.length; i++) {
      const b = bars[i]!;
      if (stats) stats.barVisits++;
      if (b.start >= end) break;
      if (b.end <= start) continue;
      const s = Math.max(start, b.start);
      const e = Math.min(end, b.end);
      pieces.push({ pitch, start: s, end: e, tieOn: pitch !== null && e < end });
    }
  };
  for (const ev of events) {
    if (ev.start > cursor) pushSplit(null, cursor, ev.start);
    pushSplit(ev.pitch, ev.start, ev.end);
    cursor = ev.end;
  }
  if (events.length > 0 && bars.length > 0) {
    const lastBar = bars[bars.length - 1]!;
    if (cursor < lastBar.end && cursor > lastBar.start) pushSplit(null, cursor, lastBar.end);
  }
  return pieces;
}

/** Text after a note for a length in units of L:; "" for one unit. */
export function lengthText(u: Frac): string {
  if (u.d === 1) return u.n === 1 ? '' : String(u.n);
  return `${u.n === 1 ? '' : u.n}/${u.d}`;
}

function meterOf(seq: NoteSequence, opt: SerializeAbcOptions['meter']): AbcMeter {
  if (typeof opt === 'string') return parseMeter(opt) ?? { numerator: 4, denominator: 4 };
  if (opt) return opt;
  const ts = seq.timeSignatures[0];
  return ts ? { numerator: ts.numerator, denominator: ts.denominator } : { numerator: 4, denominator: 4 };
}

/**
 * Writes the melody as ABC, with the warnings about what had to change.
 * @throws AbcSerializeError for a sequence whose ppq or meter cannot be written.
 */
export function serializeAbcWithReport(seq: NoteSequence, options: SerializeAbcOptions = {}): SerializeAbcResult {
  const warnings: string[] = [];
  const ppq = seq.ppq;
  if (!Number.isInteger(ppq) || ppq <= 0) throw new AbcSerializeError(`ppq must be a positive integer, got ${ppq}`);
  const events = monophonic(seq, warnings);
  const melodyEnd = events.length > 0 ? events[events.length - 1]!.end : 0;
  // The sequence's own bars, a pickup written as an upbeat; a meter given in the options replaces them.
  const layout = options.meter === undefined && seq.timeSignatures.length > 0 ? scoreBars(seq, melodyEnd) : null;
  const meter: AbcMeter = layout ? layout.meter : meterOf(seq, options.meter);
  if (meter.numerator <= 0 || meter.denominator <= 0) throw new AbcSerializeError(`meter ${meter.numerator}/${meter.denominator} cannot be written`);
  const unit: AbcUnitLength =
    typeof options.unitLength === 'string'
      ? parseUnitLength(options.unitLength)
      : (options.unitLength ?? (meter.numerator / meter.denominator < 0.75 ? { numerator: 1, denominator: 16 } : { numerator: 1, denominator: 8 }));
  const keyText = options.key ?? (seq.keySignatures[0] ? keyName(seq.keySignatures[0].tonic, seq.keySignatures[0].mode) : 'C');
  const key = parseKey(keyText, (m) => warnings.push(m));
  if (!key) throw new AbcSerializeError(`key "${keyText}" has no tonic`);
  /** Ticks in one L: unit, as a fraction (ppq need not divide evenly). */
  const unitTicks = frac(ppq * 4 * unit.numerator, unit.denominator);
  const toUnits = (ticks: number): Frac => frac(ticks * unitTicks.d, unitTicks.n);

  const bars: Bar[] = layout
    ? layout.bars.map((b) => (b.meter ? { start: b.start, end: b.end, meter: { tick: b.start, ...b.meter } } : { start: b.start, end: b.end }))
    : scoreBars({ ppq, timeSignatures: [{ tick: 0, numerator: meter.numerator, denominator: meter.denominator }] }, melodyEnd).bars.map((b) => ({ start: b.start, end: b.end }));

  const pieces = splitAtBars(events, bars);

  let odd = 0;
  const lines: string[] = [];
  let line = '';
  let barCount = 0;
  const perLine = options.barsPerLine ?? 4;
  let pieceIndex = 0;
  for (const bar of bars) {
    if (bar.meter) line += `[M:${bar.meter.numerator}/${bar.meter.denominator}]`;
    const state: Record<NoteLetter, number> = { ...key.accidentals };
    const inBar: typeof pieces = [];
    while (pieceIndex < pieces.length && pieces[pieceIndex]!.start < bar.end) inBar.push(pieces[pieceIndex++]!);
    let i = 0;
    while (i < inBar.length) {
      const units = toUnits(inBar[i]!.end - inBar[i]!.start);
      // Lengths that are 2/3 of a binary length go into a (3:2:n tuplet (triplets, hornpipe swing).
      const asTriplet = !isPowerOfTwo(units.d) && isPowerOfTwo(frac(units.n * 3, units.d * 2).d);
      let run = 1;
      if (asTriplet) {
        while (i + run < inBar.length) {
          const u = toUnits(inBar[i + run]!.end - inBar[i + run]!.start);
          if (isPowerOfTwo(u.d) || !isPowerOfTwo(frac(u.n * 3, u.d * 2).d)) break;
          run++;
        }
        line += `(3:2:${run}`;
      }
      for (let k = 0; k < run; k++) {
        const p = inBar[i + k]!;
        let u = toUnits(p.end - p.start);
        if (asTriplet) u = frac(u.n * 3, u.d * 2);
        else if (!isPowerOfTwo(u.d)) odd++;
        if (p.pitch === null) {
          line += `z${lengthText(u)}`;
        } else {
          const sp = spell(p.pitch, key);
          let text = '';
          if (state[sp.letter] !== sp.shift) {
            text += accidentalText(sp.shift);
            state[sp.letter] = sp.shift;
          }
          text += noteName(sp.letter, sp.octave) + lengthText(u);
          if (p.tieOn) text += '-';
          line += text;
        }
      }
      i += run;
      line += ' ';
    }
    line = line.trimEnd() + ' |';
    barCount++;
    if (barCount % perLine === 0) {
      lines.push(line);
      line = '';
    } else {
      line += ' ';
    }
  }
  if (line.trim() !== '') lines.push(line.trimEnd());
  if (lines.length > 0) lines[lines.length - 1] = lines[lines.length - 1]!.replace(/\|$/, '|]');
  if (odd > 0) warnings.push(`${odd} note lengths are not binary fractions or triplets; written as n/m`);

  const bpm = seq.tempos[0]?.bpm ?? 120;
  if (seq.tempos.length > 1) warnings.push('only the first tempo is written');
  const head = [
    `X:${options.referenceNumber ?? 1}`,
    `T:${options.title ?? seq.meta.title ?? 'Untitled'}`,
    `M:${meter.symbol === 'C' || meter.symbol === 'C|' ? meter.symbol : `${meter.numerator}/${meter.denominator}`}`,
    `L:${unit.numerator}/${unit.denominator}`,
    `Q:1/4=${Math.round(bpm)}`,
    `K:${keyText}`,
  ];
  return { text: `${[...head, ...lines].join('\n')}\n`, warnings };
}

/**
 * Writes the melody (track 0) of a sequence as one ABC tune. A polyphonic melody keeps its top voice.
 * @throws AbcSerializeError for a sequence whose ppq or meter cannot be written.
 */
export function serializeAbc(seq: NoteSequence, options: SerializeAbcOptions = {}): string {
  return serializeAbcWithReport(seq, options).text;
}
