// parseAbc: reads every tune of an ABC file into a NoteSequence (melody + chord-symbol accompaniment),
// timing notes as the reference reader abc2midi does; a bad tune becomes an AbcParseError, never a crash.
import type { KeySignatureEvent, Note, NoteSequence, TempoEvent, TimeSignatureEvent } from '../../../shared/song';
import { DEFAULT_PPQ } from '../../../shared/units';
import { chordPitches, parseChordSymbol } from './chords';
import { AbcParseError, AbcUnsupportedError } from './errors';
import { C_MAJOR, DEFAULT_TEMPO, defaultUnitLength, FieldError, parseKeyDetails, parseMeter, parseTempo, parseUnitLength } from './fields';
import { eq, floorScaled, frac, FractionOverflowError, lt, sub, ZERO, type Frac } from './fraction';
import { addMissingRepeats, freshCarry, perform, PlaybackLimitError, prepare, type Performance } from './perform';
import { DEFAULT_FILE_SETTINGS, TuneStore, type Feature, type FileDefaults, type StoreOptions, type TuneHeader } from './store';
import type { AbcChord, AbcMeter, AbcPlayedNote, AbcTempo, AbcTune, AbcUnitLength, ParseAbcOptions } from './types';

/** Header letters abc2midi reads as fields (others, like Nottingham's Y:, are plain text there). */
const FIELD_LETTERS = 'ABCDEFGHIKLMNOPQRSTUVdwsWXZ+';

interface SourceLine {
  text: string;
  /** 1-based line number in the file. */
  line: number;
}

interface TuneText {
  referenceNumber: number;
  /** Line of the X: field. */
  xLine: number;
  lines: SourceLine[];
}

/**
 * Splits a file into tunes: each starts at an X: line and ends at a blank line, the next X: or the end. Text blocks
 * (%%begintext ... %%endtext and the like) are left out, blank lines in them included, as abc2midi does.
 */
export function splitTunes(text: string): TuneText[] {
  const tunes: TuneText[] = [];
  let current: TuneText | null = null;
  const lines = text.split(/\r\n|\r|\n/);
  let ignoring = false;
  lines.forEach((raw, i) => {
    const line = i + 1;
    // abc2midi skips %%begintext ... %%endtext, %%beginps ... %%endps and %%MidiOff ... %%MidiOn, blank lines included.
    if (raw.includes('%%begintext') || raw === '%%beginps' || /^%%MidiOff/i.test(raw)) ignoring = true;
    if (raw.includes('%%endtext') || raw === '%%endps' || /^%%MidiOn/i.test(raw)) ignoring = false;
    if (ignoring) return;
    if (raw.trim() === '') {
      current = null;
      return;
    }
    const x = /^\s*X\s*:(.*)$/.exec(raw);
    if (x) {
      const num = Number.parseInt(x[1]!.trim(), 10);
      current = { referenceNumber: Number.isFinite(num) ? num : 0, xLine: line, lines: [] };
      tunes.push(current);
      return;
    }
    if (current !== null) (current as TuneText).lines.push({ text: raw, line });
  });
  return tunes;
}

/** A field line as abc2midi recognizes one; null for music or text. */
function fieldOf(text: string): { letter: string; value: string; column: number } | null {
  const m = /^(\s*)([A-Za-z+])\s*:(.*)$/.exec(text);
  if (!m || !FIELD_LETTERS.includes(m[2]!)) return null;
  const value = m[3]!;
  // "A:|" could be a note and a repeat; abc2midi reads such lines as music in the body.
  if (value.startsWith(':') || value.startsWith('|')) return null;
  return { letter: m[2]!, value, column: m[1]!.length + 1 };
}

/**
 * Expands a P: part order as abc2midi's read_spec: "A(AB)3" is AABABAB, "AAB3" is AABBB; dots, spaces, + and - are
 * skipped. Any other character makes abc2midi ignore the whole P: field (null), as in "P:A(ABB) times 4".
 */
export function expandPartOrder(spec: string): string | null {
  let out = '';
  const stack: number[] = [];
  let last = ' ';
  let i = 0;
  const readNum = (): number => {
    const m = /^\d+/.exec(spec.slice(i))!;
    i += m[0].length;
    return Math.min(Number(m[0]), 1000);
  };
  const emit = (text: string): void => {
    if (out.length + text.length > 10_000) throw new PartOrderTooLongError();
    out += text;
  };
  try {
    while (i < spec.length) {
      const c = spec[i]!;
      if (!/[A-Z().+\- 0-9]/.test(c)) return null;
      if (c === '.' || c === ' ') {
        i++;
        continue;
      }
      if (c === '+' || c === '-') i++;
      if (/[A-Z]/.test(spec[i] ?? '')) {
        last = spec[i]!;
        emit(last);
        i++;
      }
      if (spec[i] === '(') {
        if (stack.length < 10) stack.push(out.length);
        i++;
      }
      if (spec[i] === ')') {
        i++;
        const start = stack.pop();
        const repeats = /[0-9]/.test(spec[i] ?? '') ? readNum() : 1;
        if (start !== undefined) {
          const group = out.slice(start);
          for (let r = 1; r < repeats; r++) emit(group);
        }
      }
      if (/[0-9]/.test(spec[i] ?? '')) {
        const repeats = readNum();
        if (out.length > 0) for (let r = 1; r < repeats; r++) emit(last);
      }
    }
  } catch (e) {
    if (!(e instanceof PartOrderTooLongError)) throw e;
  }
  return out;
}

/** A part order that would expand past 10,000 parts; what was expanded so far is played. */
class PartOrderTooLongError extends Error {}

/** A header line that abc2midi acts on in order, before the body: %%MIDI and other directives, V:, I:, U:, R:. */
interface HeaderLine {
  letter: string | null;
  value: string;
  line: number;
  column: number;
}

interface HeaderInfo extends TuneHeader {
  title: string;
  tempo: AbcTempo;
  fields: Record<string, string>;
  bodyStart: number;
  preBody: HeaderLine[];
  /** K: transpose= in the header, which transposes every voice. */
  transpose?: number;
}

function readHeader(tune: TuneText, warn: (msg: string, line: number, column: number) => void): HeaderInfo | null {
  let title = '';
  let meter: AbcMeter | null = { numerator: 4, denominator: 4 };
  let meterSeen = false;
  let unit: AbcUnitLength | null = null;
  let tempoText: string | null = null;
  let partOrder: string | null = null;
  let hornpipe = false;
  const fields: Record<string, string> = {};
  const preBody: HeaderLine[] = [];
  for (let i = 0; i < tune.lines.length; i++) {
    const { text, line } = tune.lines[i]!;
    if (/^\s*%/.test(text)) {
      if (text.startsWith('%%')) preBody.push({ letter: null, value: text, line, column: 1 });
      continue;
    }
    const f = fieldOf(text);
    if (!f) continue; // text in the header, such as Nottingham's Y: lines
    const value = f.value.replace(/%.*$/, '').trim();
    try {
      switch (f.letter) {
        case 'T':
          if (title === '') title = value;
          else fields.T = fields.T === undefined ? value : `${fields.T}\n${value}`;
          break;
        case 'M':
          meter = parseMeter(value);
          meterSeen = true;
          break;
        case 'L':
          unit = parseUnitLength(value);
          break;
        case 'Q':
          tempoText = value;
          break;
        case 'P': {
          const order = expandPartOrder(value);
          if (order === null) warn(`illegal character in part order "${value}": the P: field is ignored, as abc2midi does`, line, f.column);
          partOrder = order === null ? null : (partOrder ?? '') + order;
          break;
        }
        case 'R':
          if (/^[Hh]ornpipe/.test(value)) hornpipe = true;
          fields.R = value;
          preBody.push({ letter: 'R', value, line, column: f.column });
          break;
        case 'V':
        case 'I':
        case 'U':
          preBody.push({ letter: f.letter, value: f.value.replace(/%.*$/, ''), line, column: f.column });
          if (f.letter !== 'V') fields[f.letter] = fields[f.letter] === undefined ? value : `${fields[f.letter]}\n${value}`;
          break;
        case 'K': {
          if (!meterSeen) warn('no M: in header, using default', line, f.column);
          const unitLength = unit ?? defaultUnitLength(meter);
          const details = parseKeyDetails(value, (msg) => warn(msg, line, f.column));
          if (details.sound) throw new AbcUnsupportedError(`${details.sound}= in K:`, { tune: tune.referenceNumber, line, column: f.column, text: value });
          const key = details.gotKey || details.explicit.length > 0 ? details.key : C_MAJOR;
          const m = meter ?? { numerator: 4, denominator: 4 };
          if (hornpipe && (m.denominator !== 4 || (m.numerator !== 2 && m.numerator !== 4))) {
            warn('hornpipe must be in 2/4 or 4/4 time', line, f.column);
            hornpipe = false;
          }
          let tempo = DEFAULT_TEMPO;
          if (tempoText !== null) {
            try {
              tempo = parseTempo(tempoText, unitLength) ?? DEFAULT_TEMPO;
            } catch (e) {
              if (!(e instanceof FieldError)) throw e;
              warn(e.message, line, f.column);
            }
          }
          if (partOrder === '') partOrder = null;
          const octaveShift = details.octave ?? details.clefOffset ?? 0;
          // abc2midi's headerprocess: microseconds per quarter, in integers.
          const tempoMicros = Math.floor((60_000_000 * tempo.beat.denominator) / (tempo.beatsPerMinute * 4 * tempo.beat.numerator));
          const info: HeaderInfo = { title, meter, unitLength, key, partOrder, hornpipe, tempo, fields, bodyStart: i + 1, preBody, octaveShift, tempoMicros };
          if (details.transpose !== undefined) info.transpose = details.transpose;
          return info;
        }
        default:
          fields[f.letter] = fields[f.letter] === undefined ? value : `${fields[f.letter]}\n${value}`;
      }
    } catch (e) {
      if (!(e instanceof FieldError)) throw e;
      warn(e.message, line, f.column);
    }
  }
  return null;
}

interface TuneContext {
  tune: TuneText;
  warnings: string[];
}

function fail(ctx: TuneContext, message: string, line: number, column: number): AbcParseError {
  const src = line === ctx.tune.xLine ? `X:${ctx.tune.referenceNumber}` : (ctx.tune.lines.find((l) => l.line === line)?.text ?? '');
  const text = src.slice(Math.max(0, column - 1), Math.max(0, column - 1) + 30) || src.slice(0, 30);
  return new AbcParseError(message, { tune: ctx.tune.referenceNumber, line, column, text });
}

type ReadOptions = Required<Pick<ParseAbcOptions, 'ppq' | 'velocity' | 'chordVelocity' | 'maxNotes'>> & { source?: string; store: StoreOptions };

function readTune(tune: TuneText, options: ReadOptions): AbcTune {
  const ctx: TuneContext = { tune, warnings: [] };
  const warn = (msg: string, line: number, column: number): void => {
    if (ctx.warnings.length < 200) ctx.warnings.push(`line ${line}:${column}: ${msg}`);
  };
  const firstLine = tune.xLine;
  let lastFeature: Feature | undefined;
  try {
    const header = readHeader(tune, warn);
    if (!header) throw fail(ctx, 'no valid K: field found at the end of the header', firstLine, 1);
    const store = new TuneStore(header, options.store, warn);
    // abc2midi acts on the header's directives and V: fields in order, then on K:'s transposition, then the body.
    for (const h of header.preBody) {
      if (h.letter === null) store.directive(h.value, h.line, h.column);
      else store.field(h.letter, h.value, h.line, h.column);
    }
    if (header.transpose !== undefined) store.globalTranspose(header.transpose);
    store.startBody();
    store.toFirstVoice();
    for (let i = header.bodyStart; i < tune.lines.length; i++) {
      const { text, line } = tune.lines[i]!;
      bodyLine(store, text, line);
      store.skipFeature(); // abc2midi's LINENUM after every line
    }
    const warnAt = (msg: string, f: Feature | undefined): void => warn(msg, f?.line ?? firstLine, f?.column ?? 1);
    const performances: Performance[] = [];
    let budget = options.maxNotes;
    const carry = freshCarry();
    const multiVoice = store.multiVoice;
    const voices = store.storedVoices();
    addMissingRepeats(voices, header.partOrder !== null, store.voicesUsed, store.voiceSeqs);
    for (const voice of voices) {
      const stored = voice.finish();
      lastFeature = stored.features[stored.features.length - 1];
      prepare(
        stored,
        {
          hasParts: header.partOrder !== null,
          multiVoice,
          graces: store.graceSettings,
          tempoMicros: header.tempoMicros,
          unitDenom: unitDenomOrEight(header.unitLength),
        },
        warnAt,
      );
      const p = perform(stored, header.partOrder, { maxNotes: budget, meter: header.meter }, warnAt, carry);
      budget -= p.notes.length;
      performances.push(p);
    }
    const played = mergeVoices(performances);
    return buildTune(tune.referenceNumber, header, played, ctx.warnings, options);
  } catch (e) {
    if (e instanceof AbcUnsupportedError) {
      const line = e.details.line || firstLine;
      const src = ctx.tune.lines.find((l) => l.line === line)?.text ?? e.details.text;
      throw new AbcUnsupportedError(e.feature, { tune: tune.referenceNumber, line, column: e.details.column, text: src.slice(Math.max(0, e.details.column - 1), e.details.column + 29) || e.details.text });
    }
    if (e instanceof AbcParseError) throw e;
    if (e instanceof PlaybackLimitError) throw fail(ctx, e.message, e.feature?.line ?? firstLine, e.feature?.column ?? 1);
    if (e instanceof FractionOverflowError) throw fail(ctx, e.message, lastFeature?.line ?? firstLine, lastFeature?.column ?? 1);
    throw fail(ctx, `internal error: ${e instanceof Error ? e.message : String(e)}`, firstLine, 1);
  }
}

/** One line of a tune's body: a directive, a comment or TeX line (ignored), a field, or music. */
function bodyLine(store: TuneStore, text: string, line: number): void {
  if (text.startsWith('%%')) {
    store.directive(text, line, 1);
    return;
  }
  const trimmed = text.trimStart();
  // Lines starting with \\ are TeX commands to abc2midi.
  if (trimmed.startsWith('%') || trimmed.startsWith('\\')) return;
  const f = fieldOf(text);
  if (f) store.field(f.letter, f.value.replace(/%.*$/, ''), line, f.column);
  else store.musicLine(text, line);
}

/** abc2midi's global.default_length: the integer n of L:1/n (8 when L: is not of that form). */
function unitDenomOrEight(u: AbcUnitLength): number {
  return u.denominator % u.numerator === 0 ? u.denominator / u.numerator : 8;
}

function buildTune(
  referenceNumber: number,
  header: HeaderInfo,
  played: Performance,
  warnings: string[],
  options: ReadOptions,
): AbcTune {
  const { ppq } = options;
  const tick = (f: { n: number; d: number }): number => floorScaled(f, ppq);
  const melody: AbcPlayedNote[] = played.notes.map((p) => {
    const startTick = tick(p.start);
    return { pitch: clampPitch(p.pitch), startTick, endTick: startTick + tick(p.len), origin: p.origin, line: p.line, column: p.column };
  });
  const notes: Note[] = melody.map((m) => ({ pitch: m.pitch, velocity: options.velocity, startTick: m.startTick, endTick: m.endTick, track: 0 }));
  const noteCounts = { written: 0, grace: 0, ornament: 0 };
  for (const m of melody) noteCounts[m.origin]++;
  const tempos: TempoEvent[] = [{ tick: 0, bpm: header.tempo.bpm }];
  const meter0 = header.meter ?? { numerator: 4, denominator: 4 };
  // Free meter (M:none) has no bars to keep.
  const timeSignatures: TimeSignatureEvent[] = header.meter ? barSignatures(header.meter, played, tick) : [{ tick: 0, numerator: meter0.numerator, denominator: meter0.denominator }];
  const keySignatures: KeySignatureEvent[] = [{ tick: 0, tonic: header.key.tonic, mode: header.key.mode }];
  const chordMarks: Array<{ tick: number; symbol: string }> = [];
  for (const m of played.marks) {
    const t = tick(m.at);
    const f = m.feature;
    if (f.kind === 'tempo' && f.tempo) pushAt(tempos, { tick: t, bpm: f.tempo.bpm });
    else if (f.kind === 'time' && !header.meter && f.meter) pushAt(timeSignatures, { tick: t, numerator: f.meter.numerator, denominator: f.meter.denominator });
    else if (f.kind === 'key' && f.key) pushAt(keySignatures, { tick: t, tonic: f.key.tonic, mode: f.key.mode });
    else if (f.kind === 'gchord' && f.text !== undefined) chordMarks.push({ tick: t, symbol: f.text });
  }
  const melodyEnd = Math.max(tick(played.end), ...notes.map((n) => n.endTick));
  const chords = chordSpans(chordMarks, melodyEnd, warnings);
  const seqNotes = [...notes];
  const tracks: NoteSequence['tracks'] = [{ name: 'Melody', program: 0, channel: 0, isDrum: false }];
  if (chords.length > 0) {
    tracks.push({ name: 'Chords', program: 0, channel: 1, isDrum: false });
    for (const c of chords) {
      for (const pitch of c.pitches) {
        seqNotes.push({ pitch, velocity: options.chordVelocity, startTick: c.startTick, endTick: c.endTick, track: 1 });
      }
    }
  }
  seqNotes.sort((a, b) => a.startTick - b.startTick || a.track - b.track || a.pitch - b.pitch);
  const meta: NoteSequence['meta'] = { title: header.title, referenceNumber: String(referenceNumber) };
  if (options.source !== undefined) meta.source = options.source;
  if (header.fields.C !== undefined) meta.composer = header.fields.C;
  const sequence: NoteSequence = {
    ppq,
    notes: seqNotes,
    tracks,
    tempos,
    timeSignatures,
    keySignatures,
    pedals: [],
    sections: [],
    meta,
  };
  return {
    referenceNumber,
    title: header.title,
    meter: header.meter,
    unitLength: header.unitLength,
    key: header.key,
    tempo: header.tempo,
    sequence,
    chords,
    fields: header.fields,
    warnings,
    melody,
    noteCounts,
  };
}

/** The voices played together: every voice's notes; marks, bar lines and the tempo map from the first voice. */
function mergeVoices(voices: readonly Performance[]): Performance {
  const [first, ...rest] = voices;
  if (!first) return { notes: [], marks: [], end: ZERO, barStarts: [ZERO] };
  let end = first.end;
  const notes = [...first.notes];
  for (const v of rest) {
    notes.push(...v.notes);
    if (lt(end, v.end)) end = v.end;
  }
  return { notes, marks: first.marks, end, barStarts: first.barStarts };
}

/**
 * Time signatures that put the bar lines where abc2midi counts them: the meter of the header and of M: fields,
 * plus a signature of its own for a bar of another length (a pickup, or a bar cut short), so that the bars after
 * it start where abc2midi starts them. The last bar, which nothing follows, keeps the meter.
 */
function barSignatures(meter: AbcMeter, played: Performance, tick: (f: Frac) => number): TimeSignatureEvent[] {
  const marks: { at: Frac; meter: AbcMeter }[] = [{ at: ZERO, meter }];
  for (const m of played.marks) if (m.feature.kind === 'time' && m.feature.meter) marks.push({ at: m.at, meter: m.feature.meter });
  const meterAt = (t: Frac): AbcMeter => {
    let found = meter;
    for (const m of marks) if (!lt(t, m.at)) found = m.meter;
    return found;
  };
  const out: TimeSignatureEvent[] = [];
  const starts = played.barStarts;
  for (let i = 0; i < starts.length; i++) {
    const start = starts[i]!;
    const next = starts[i + 1];
    const m = meterAt(start);
    let sig = { numerator: m.numerator, denominator: m.denominator };
    if (next !== undefined) {
      const len = sub(next, start);
      if (!eq(len, frac(4 * m.numerator, m.denominator))) sig = barOfLength(len, m.denominator) ?? sig;
    }
    const last = out[out.length - 1];
    if (!last || last.numerator !== sig.numerator || last.denominator !== sig.denominator) pushAt(out, { tick: tick(start), ...sig });
  }
  // A meter change that falls inside a bar still counts from there, as the reader always kept it.
  for (const m of marks) {
    const t = tick(m.at);
    if (!out.some((e) => e.tick === t) && !starts.some((s) => eq(s, m.at))) {
      const at = out.findIndex((e) => e.tick > t);
      out.splice(at < 0 ? out.length : at, 0, { tick: t, numerator: m.meter.numerator, denominator: m.meter.denominator });
    }
  }
  return out;
}

/** A bar of `len` quarters as a time signature over the meter's beat, or a finer power of two; null if none fits. */
function barOfLength(len: Frac, denominator: number): { numerator: number; denominator: number } | null {
  for (let d = denominator; d <= 64; d *= 2) {
    const n = (len.n * d) / (4 * len.d);
    if (Number.isInteger(n) && n > 0) return { numerator: n, denominator: d };
  }
  return null;
}

function clampPitch(p: number): number {
  return Math.max(0, Math.min(127, p));
}

/** Adds an event; a second event on the same tick replaces the first. */
function pushAt<T extends { tick: number }>(list: T[], e: T): void {
  const last = list[list.length - 1];
  if (last && last.tick === e.tick) list[list.length - 1] = e;
  else list.push(e);
}

function chordSpans(marks: Array<{ tick: number; symbol: string }>, end: number, warnings: string[]): AbcChord[] {
  const parsed: Array<{ tick: number; symbol: string; chord: NonNullable<ReturnType<typeof parseChordSymbol>> }> = [];
  const unknown = new Set<string>();
  for (const m of marks) {
    const chord = parseChordSymbol(m.symbol);
    if (chord) parsed.push({ tick: m.tick, symbol: m.symbol, chord });
    else if (!/^\s*[\^_<>@]/.test(m.symbol) && m.symbol.trim() !== '') unknown.add(m.symbol);
  }
  for (const u of unknown) if (warnings.length < 200) warnings.push(`chord symbol "${u}" not understood; left out of the accompaniment`);
  const out: AbcChord[] = [];
  for (let i = 0; i < parsed.length; i++) {
    const p = parsed[i]!;
    const next = parsed[i + 1];
    const endTick = next ? next.tick : Math.max(end, p.tick);
    if (endTick <= p.tick) continue; // replaced by a chord on the same beat
    const c: AbcChord = {
      startTick: p.tick,
      endTick,
      symbol: p.symbol,
      root: p.chord.root,
      quality: p.chord.quality,
      pitches: chordPitches(p.chord),
    };
    if (p.chord.bass !== undefined) c.bass = p.chord.bass;
    out.push(c);
  }
  return out;
}

/**
 * The %%MIDI lines before a file's first X: that abc2midi keeps for every tune (ratio, C, barlines, nobarlines,
 * fermatafixed, fermataproportional); the others it ignores there.
 */
export function fileDefaults(text: string): FileDefaults {
  const d: FileDefaults = { ...DEFAULT_FILE_SETTINGS };
  for (const raw of text.split(/\r\n|\r|\n/)) {
    if (/^\s*X\s*:/.test(raw)) break;
    const m = /^%%MIDI\s+(\S+)\s*(.*)$/.exec(raw);
    if (!m) continue;
    const [, command, rest] = m as unknown as [string, string, string];
    if (command === 'ratio') {
      const r = /^(\d+)\s+(\d+)/.exec(rest);
      const b = r ? Number(r[1]) : 0;
      const a = r ? Number(r[2]) : 0;
      if (a > 0 && b > 0) {
        // The same precedence quirk as in a tune: ratio_a + (ratio_b % 2) == 1.
        const double = a + (b % 2) === 1;
        d.ratioA = double ? 2 * a : a;
        d.ratioB = double ? 2 * b : b;
      }
    } else if (command === 'C') d.middleC = Number(/^\d+/.exec(rest)?.[0] ?? 0);
    else if (command === 'nobarlines') d.propagate = 0;
    else if (command === 'barlines') d.propagate = 2;
    else if (command === 'fermatafixed') d.fermataFixed = true;
    else if (command === 'fermataproportional') d.fermataFixed = false;
  }
  return d;
}

export interface ParseAbcFileResult {
  tunes: AbcTune[];
  errors: AbcParseError[];
}

/** Reads every tune of a file; tunes that cannot be read are returned as errors beside the others. */
export function parseAbcFile(text: string, options: ParseAbcOptions = {}): ParseAbcFileResult {
  const ppq = options.ppq ?? DEFAULT_PPQ;
  if (!Number.isInteger(ppq) || ppq <= 0 || ppq > 1 << 16) {
    throw new AbcParseError(`ppq must be a positive integer, got ${ppq}`, { tune: -1, line: 0, column: 0, text: '' });
  }
  const performance = options.performance ?? 'abc2midi';
  if (performance !== 'abc2midi' && performance !== 'written') {
    throw new AbcParseError(`performance must be "abc2midi" or "written", got "${String(performance)}"`, { tune: -1, line: 0, column: 0, text: '' });
  }
  const written = performance === 'written';
  const resolved: ReadOptions = {
    ppq,
    velocity: options.velocity ?? 90,
    chordVelocity: options.chordVelocity ?? 64,
    maxNotes: options.maxNotes ?? 100_000,
    ...(options.source !== undefined ? { source: options.source } : {}),
    store: { graces: !written && options.graces !== false, perform: !written, fileDefaults: fileDefaults(text) },
  };
  const tunes: AbcTune[] = [];
  const errors: AbcParseError[] = [];
  for (const t of splitTunes(text)) {
    try {
      tunes.push(readTune(t, resolved));
    } catch (e) {
      if (!(e instanceof AbcParseError)) throw e;
      errors.push(e);
    }
  }
  return { tunes, errors };
}

/**
 * Reads every tune (X: ... up to a blank line) of an ABC file. A tune that cannot be read is left
 * out and reported to options.onError, or thrown when options.strict is set.
 * @throws AbcParseError only with options.strict.
 */
export function parseAbc(text: string, options: ParseAbcOptions = {}): AbcTune[] {
  const { tunes, errors } = parseAbcFile(text, options);
  for (const e of errors) {
    if (options.strict) throw e;
    options.onError?.(e);
  }
  return tunes;
}

