// serializePianoAbc: a whole piano part as ABC a pianist can read: treble and bass staves, chords, ties, pickups, the key's spelling, beams by beat.
import type { Note, NoteSequence } from '../../../shared/song';
import { keyFifths, signatureAccidental, spellPitch, type Spelling, type SpellingKey } from '../../../shared/spelling';
import { AbcSerializeError } from './errors';
import { frac, type Frac } from './fraction';
import { scoreBars, type ScoreBar } from './bars';
import { LETTER_PC, LETTERS } from './fields';
import { keyName, lengthText } from './serialize';
import type { NoteLetter, SerializeAbcResult } from './types';

export interface PianoAbcOptions {
  title?: string;
  /** Bars per line of music; default 4 (a pickup counts as a bar). */
  barsPerLine?: number;
  /** Notes at or above this pitch go to the treble staff, the others to the bass staff; default 60 (middle C). */
  splitPitch?: number;
  referenceNumber?: number;
}

/** Lengths one note value can show: plain or dotted binary values (in units of L:). */
function splitLength(units: Frac): Frac[] {
  if ((units.d & (units.d - 1)) !== 0) return [units];
  const out: Frac[] = [];
  let rest = units;
  while (rest.n > 0) {
    // The largest 2^k or 1.5 * 2^k that fits.
    let v = frac(1, rest.d);
    for (;;) {
      const twice = frac(v.n * 2, v.d);
      if (twice.n * rest.d <= rest.n * twice.d) v = twice;
      else break;
    }
    const dotted = frac(v.n * 3, v.d * 2);
    if (dotted.n * rest.d <= rest.n * dotted.d) v = dotted;
    out.push(v);
    rest = frac(rest.n * v.d - v.n * rest.d, rest.d * v.d);
  }
  return out;
}

const ACCIDENTAL: Record<number, string> = { [-2]: '__', [-1]: '_', 0: '=', 1: '^', 2: '^^' };

function letterText(letter: NoteLetter, octave: number): string {
  // ABC: C is middle C (octave 4), c the octave above; commas lower, apostrophes raise.
  const o = octave - 4;
  if (o <= 0) return letter + ','.repeat(-o);
  return letter.toLowerCase() + "'".repeat(o - 1);
}

/** What one staff's bar state needs: accidentals in force by letter (abc2midi: every octave) and by letter and octave (ABC 2.1). */
class BarAccidentals {
  private byLetter: Map<string, number>;
  private byNote = new Map<string, number>();
  constructor(private readonly signature: Map<string, number>) {
    this.byLetter = new Map(signature);
  }
  reset(): void {
    this.byLetter = new Map(this.signature);
    this.byNote.clear();
  }
  /** The accidental to write, or '' when both readings already give this one. */
  mark(letter: NoteLetter, octave: number, accidental: number): string {
    const inLetter = this.byLetter.get(letter) ?? 0;
    const inNote = this.byNote.get(`${letter}${octave}`) ?? this.signature.get(letter) ?? 0;
    if (inLetter === accidental && inNote === accidental) return '';
    this.byLetter.set(letter, accidental);
    this.byNote.set(`${letter}${octave}`, accidental);
    return ACCIDENTAL[accidental] ?? '';
  }
}

/**
 * Splits one staff's notes into at most two voices, as piano music is written: notes struck and released together
 * are one chord; a chord goes to the first voice that is free when it starts (or that holds a chord of the same
 * span), higher chords first. What fits neither stays in the first voice, which ties it across the other's notes.
 */
function twoVoices(notes: readonly Note[]): Note[][] {
  const chords = new Map<string, Note[]>();
  for (const n of notes) {
    const k = `${n.startTick}:${n.endTick}`;
    let c = chords.get(k);
    if (!c) chords.set(k, (c = []));
    c.push(n);
  }
  const ordered = [...chords.values()].sort((a, b) => a[0]!.startTick - b[0]!.startTick || Math.max(...b.map((n) => n.pitch)) - Math.max(...a.map((n) => n.pitch)));
  const voices: { notes: Note[]; end: number }[] = [
    { notes: [], end: 0 },
    { notes: [], end: 0 },
  ];
  for (const chord of ordered) {
    const { startTick, endTick } = chord[0]!;
    const voice = voices.find((v) => v.end <= startTick) ?? voices[0]!;
    voice.notes.push(...chord);
    voice.end = Math.max(voice.end, endTick);
  }
  return voices[1]!.notes.length > 0 ? [voices[0]!.notes, voices[1]!.notes] : [voices[0]!.notes];
}

/**
 * Spells the notes of one chord so that abc2midi (and so the studio's reader) ties them back as they were. It ties a
 * note to the next one of the same pitch, or, once the tie has crossed a bar line, of the same letter and octave. So a
 * note tied in keeps its spelling and comes first, in the order its ties were written, and no two notes of a chord
 * share a letter and octave (F and F♯ together are F and G♭). A note that finds no free spelling is a conflict: the
 * caller moves it to another voice.
 */
function spellChord(notes: readonly { pitch: number; tieOn: boolean; note: Note }[], tiedIn: ReadonlyMap<number, Spelling>, key: SpellingKey): { chord: { pitch: number; sp: Spelling; tieOn: boolean }[]; conflicts: Note[] } {
  const used = new Set<string>();
  const chord: { pitch: number; sp: Spelling; tieOn: boolean }[] = [];
  const conflicts: Note[] = [];
  const byPitch = new Map(notes.map((n) => [n.pitch, n]));
  for (const [pitch, sp] of tiedIn) {
    const n = byPitch.get(pitch);
    if (!n) continue;
    used.add(`${sp.letter}${sp.octave}`);
    chord.push({ pitch, sp, tieOn: n.tieOn });
  }
  for (const n of notes) {
    if (tiedIn.has(n.pitch)) continue;
    const free = [spellPitch(n.pitch, key), ...enharmonics(n.pitch)].find((sp) => !used.has(`${sp.letter}${sp.octave}`));
    if (!free) {
      conflicts.push(n.note);
      continue;
    }
    used.add(`${free.letter}${free.octave}`);
    chord.push({ pitch: n.pitch, sp: free, tieOn: n.tieOn });
  }
  return { chord, conflicts };
}

/** Every spelling of a pitch with at most two sharps or flats, fewest first. */
function enharmonics(pitch: number): Spelling[] {
  const out: Spelling[] = [];
  for (const letter of LETTERS) {
    let acc = (((pitch % 12) - LETTER_PC[letter]) % 12 + 12) % 12;
    if (acc > 6) acc -= 12;
    if (Math.abs(acc) <= 2) out.push({ letter, accidental: acc, octave: Math.floor((pitch - acc - LETTER_PC[letter]) / 12) - 1 });
  }
  return out.sort((a, b) => Math.abs(a.accidental) - Math.abs(b.accidental));
}

interface Slice {
  start: number;
  end: number;
  /** Pitches sounding, whether each goes on past the slice's end, and the note that sounds it. */
  notes: { pitch: number; tieOn: boolean; note: Note }[];
}

/** Cuts one staff's notes at every onset, release and bar line: each slice is a chord (or a rest) of the notes sounding through it. */
function slicesOf(notes: readonly Note[], bars: readonly ScoreBar[]): Slice[][] {
  const byBar: Slice[][] = bars.map(() => []);
  const cuts = new Set<number>();
  for (const b of bars) cuts.add(b.start).add(b.end);
  for (const n of notes) cuts.add(n.startTick).add(n.endTick);
  const times = [...cuts].sort((a, b) => a - b);
  const sorted = [...notes].sort((a, b) => a.startTick - b.startTick);
  let next = 0;
  let sounding: Note[] = [];
  let bar = 0;
  for (let i = 0; i + 1 < times.length; i++) {
    const a = times[i]!;
    const b = times[i + 1]!;
    sounding = sounding.filter((n) => n.endTick > a);
    while (next < sorted.length && sorted[next]!.startTick <= a) {
      if (sorted[next]!.endTick > a) sounding.push(sorted[next]!);
      next++;
    }
    while (bar < bars.length && bars[bar]!.end <= a) bar++;
    if (bar >= bars.length) break;
    const pitches = new Map<number, { pitch: number; tieOn: boolean; note: Note }>();
    for (const n of sounding) {
      const had = pitches.get(n.pitch);
      pitches.set(n.pitch, { pitch: n.pitch, tieOn: (had?.tieOn ?? false) || n.endTick > b, note: had?.note ?? n });
    }
    byBar[bar]!.push({ start: a, end: b, notes: [...pitches.values()].sort((x, y) => x.pitch - y.pitch) });
  }
  return byBar;
}

/**
 * Writes every pitched note of a sequence as a piano score in ABC: a treble staff (V:RH) and a bass staff (V:LH)
 * joined by a brace, chords in brackets, ties where a note sounds on, a pickup as an upbeat, notes spelled in the
 * sequence's key (its first key signature, else C major) and beamed by beat. Lengths come out as written; quantize
 * first for a readable score. Reading it back gives the same notes (pitch, onset, release), with all voices on track 0.
 * @throws AbcSerializeError for a ppq, meter or tick that cannot be written.
 */
export function serializePianoAbc(seq: NoteSequence, options: PianoAbcOptions = {}): SerializeAbcResult {
  const warnings: string[] = [];
  const ppq = seq.ppq;
  if (!Number.isInteger(ppq) || ppq <= 0) throw new AbcSerializeError(`ppq must be a positive integer, got ${ppq}`);
  const notes = seq.notes.filter((n) => !(seq.tracks[n.track]?.isDrum ?? false) && n.endTick > n.startTick);
  for (const n of notes) {
    if (!Number.isInteger(n.startTick) || !Number.isInteger(n.endTick)) {
      throw new AbcSerializeError(`note ${n.pitch} at ticks ${n.startTick}..${n.endTick}: ticks must be whole numbers`);
    }
  }
  const endTick = notes.reduce((m, n) => Math.max(m, n.endTick), 0);
  const { meter, bars, pickup } = scoreBars(seq, endTick);
  const fullBar = (ppq * 4 * meter.numerator) / meter.denominator;
  const unit = meter.numerator / meter.denominator < 0.75 ? { numerator: 1, denominator: 16 } : { numerator: 1, denominator: 8 };
  const unitTicks = frac(ppq * 4 * unit.numerator, unit.denominator);
  const toUnits = (ticks: number): Frac => frac(ticks * unitTicks.d, unitTicks.n);
  // Beams break at each beat: a dotted quarter in compound meters (6/8, 9/8, 12/8), else the meter's beat.
  const compound = meter.denominator === 8 && meter.numerator % 3 === 0 && meter.numerator > 3;
  const beatTicks = compound ? (ppq * 4 * 3) / 8 : (ppq * 4) / meter.denominator;

  const sig = [...seq.keySignatures].sort((a, b) => a.tick - b.tick)[0];
  const key: SpellingKey = sig ? { tonic: sig.tonic, mode: sig.mode } : { tonic: 0, mode: 'major' };
  if (seq.keySignatures.length > 1) warnings.push('only the first key signature is written');
  const fifths = keyFifths(key.tonic, key.mode);
  const signature = new Map<string, number>(LETTERS.map((l) => [l, signatureAccidental(l, fifths)]));

  const split = options.splitPitch ?? 60;
  const treble = notes.filter((n) => n.pitch >= split);
  const bass = notes.filter((n) => n.pitch < split);
  const staves: { id: string; clef: 'treble' | 'bass'; voices: Note[][] }[] = [];
  if (treble.length > 0 || bass.length === 0) staves.push({ id: 'RH', clef: 'treble', voices: twoVoices(treble) });
  if (bass.length > 0) staves.push({ id: 'LH', clef: 'bass', voices: twoVoices(bass) });
  let odd = 0;
  /** One voice's bars as ABC, and the notes it could not spell apart from the others of their chords. */
  const writeVoice = (voiceNotes: readonly Note[], second: boolean): { bars: string[]; conflicts: Note[] } => {
    const acc = new BarAccidentals(signature);
    // A second voice rests invisibly (x) where it has nothing to play, so that the staff shows one voice there.
    const rest = second ? 'x' : 'z';
    const conflicts = new Set<Note>();
    /** How each note tied into the next chord was spelled, in the order its ties were written. */
    let tiedIn = new Map<number, Spelling>();
    const out = slicesOf(voiceNotes, bars).map((slices, b) => {
      acc.reset();
      const bar = bars[b]!;
      // A pickup's beats count back from the bar line after it.
      const origin = b === 0 && pickup ? bar.end - fullBar : bar.start;
      let text = bar.meter ? `[M:${bar.meter.numerator}/${bar.meter.denominator}] ` : '';
      let first = true;
      for (const s of slices) {
        const pieces = splitLength(toUnits(s.end - s.start));
        if (pieces.length === 1 && (pieces[0]!.d & (pieces[0]!.d - 1)) !== 0) odd++;
        let at = s.start;
        pieces.forEach((u, k) => {
          const last = k === pieces.length - 1;
          if (!first && (((at - origin) % beatTicks) + beatTicks) % beatTicks === 0) text += ' ';
          first = false;
          const len = lengthText(u);
          const spelled = spellChord(s.notes, tiedIn, key);
          for (const c of spelled.conflicts) conflicts.add(c);
          tiedIn = new Map();
          if (spelled.chord.length === 0) text += `${rest}${len}`;
          else {
            const heads = spelled.chord.map(({ pitch, sp, tieOn }) => {
              const tie = !last || tieOn;
              if (tie) tiedIn.set(pitch, sp);
              return `${acc.mark(sp.letter, sp.octave, sp.accidental)}${letterText(sp.letter, sp.octave)}${tie ? '-' : ''}`;
            });
            text += heads.length === 1 ? `${heads[0]!.replace(/-$/, '')}${len}${heads[0]!.endsWith('-') ? '-' : ''}` : `[${heads.join('')}]${len}`;
          }
          at += (u.n * unitTicks.n) / (u.d * unitTicks.d);
        });
      }
      return text;
    });
    return { bars: out, conflicts: [...conflicts] };
  };

  /**
   * A staff's voices, written: a note that could not be spelled apart from its chord moves on to the next voice
   * (a third, if need be), until every voice spells cleanly; a staff has at most six.
   */
  const layout = (staffVoices: Note[][]): { notes: Note[]; bars: string[] }[] => {
    const queue = staffVoices.map((v) => [...v]);
    const done: { notes: Note[]; bars: string[] }[] = [];
    while (queue.length > 0) {
      let voice = queue.shift()!;
      const second = done.length > 0;
      let result = writeVoice(voice, second);
      const moved: Note[] = [];
      while (result.conflicts.length > 0 && done.length + queue.length < 5) {
        const out = new Set(result.conflicts);
        moved.push(...result.conflicts);
        voice = voice.filter((n) => !out.has(n));
        result = writeVoice(voice, second);
      }
      if (result.conflicts.length > 0) warnings.push(`${result.conflicts.length} notes of a dense cluster may read back tied to a neighbour`);
      done.push({ notes: voice, bars: result.bars });
      if (moved.length > 0) {
        if (queue.length > 0) queue[0]!.push(...moved);
        else queue.push(moved);
      }
    }
    return done.filter((v, i) => i === 0 || v.notes.length > 0);
  };

  // Each voice of each staff, in score order: RH, RH2 …, LH, LH2 ….
  const voices = staves.flatMap((staff) =>
    layout(staff.voices).map((v, i) => ({ id: i === 0 ? staff.id : `${staff.id}${i + 1}`, staff: staff.id, clef: staff.clef, second: i > 0, bars: v.bars })),
  );
  const written = voices.map((v) => v.bars);
  if (odd > 0) warnings.push(`${odd} note lengths are not binary fractions; written as n/m (quantize first for a readable score)`);

  // Dense music gets fewer bars to a line, so that a line stays readable at any width.
  const perLine = Math.max(1, options.barsPerLine ?? (notes.length / bars.length > 12 ? 2 : 4));
  const lines: string[] = [];
  for (let from = 0; from < bars.length; from += perLine) {
    const lastLine = from + perLine >= bars.length;
    voices.forEach((voice, v) => {
      const chunk = written[v]!.slice(from, from + perLine);
      lines.push(`[V:${voice.id}] ${chunk.join(' | ')} ${lastLine ? '|]' : '|'}`);
    });
  }
  const score = staves.map((st) => {
    const ids = voices.filter((v) => v.staff === st.id).map((v) => v.id);
    return ids.length > 1 ? `(${ids.join(' ')})` : st.id;
  });

  const bpm = seq.tempos[0]?.bpm ?? 120;
  if (seq.tempos.length > 1) warnings.push('only the first tempo is written');
  const head = [
    `X:${options.referenceNumber ?? 1}`,
    `T:${(options.title ?? seq.meta.title ?? 'Untitled').replace(/[\r\n]+/g, ' ')}`,
    `M:${meter.numerator}/${meter.denominator}`,
    `L:${unit.numerator}/${unit.denominator}`,
    `Q:1/4=${Math.round(bpm)}`,
    ...(voices.length > 1 ? [staves.length > 1 ? `%%score {${score.join(' | ')}}` : `%%score ${score.join(' ')}`] : []),
    ...voices.map((v) => `V:${v.id} clef=${v.clef}${v.second ? ' stem=down' : ''}`),
    `K:${keyName(key.tonic, key.mode)}`,
  ];
  return { text: `${[...head, ...lines].join('\n')}\n`, warnings };
}
