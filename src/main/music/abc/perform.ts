// Plays abc2midi's feature list: sizes grace notes, joins ties in written order, patches missing repeats, expands
// rolls and trills, then unrolls repeats, variant endings and parts into timed notes, the way abc2midi's writetrack does.
import { add, eq, frac, lt, mul, sub, ZERO, type Frac } from './fraction';
import type { BarKind, Feature, GraceSettings, NoteOrigin, StoreResult } from './store';
import type { AbcMeter } from './types';

export interface PlayedNote {
  pitch: number;
  /** Onset in quarter notes from the start. */
  start: Frac;
  /** Length in quarter notes. */
  len: Frac;
  origin: NoteOrigin;
  /** Where the note (or the ornament that made it) is written. */
  line: number;
  column: number;
}

/** A chord symbol, key, meter or tempo change met while playing, at its played time. */
export interface PlayedMark {
  at: Frac;
  feature: Feature;
}

export interface Performance {
  notes: PlayedNote[];
  marks: PlayedMark[];
  /** Time after the last feature played. */
  end: Frac;
  /**
   * Where bars begin, in played time (the first is 0): abc2midi's checkbar, which starts a bar at every | and
   * at ||, |:, :| or :: only once the bar is full (a bar split by a repeat sign is one bar), so that a pickup
   * makes the bars start after it.
   */
  barStarts: Frac[];
}

export type Warn = (msg: string, feature: Feature | undefined) => void;

/** A tune whose playback runs away (more notes or steps than the limits allow). */
export class PlaybackLimitError extends Error {
  constructor(
    message: string,
    readonly feature: Feature | undefined,
  ) {
    super(message);
  }
}

const isBar = (f: Feature | undefined, ...kinds: BarKind[]): boolean =>
  f !== undefined && f.kind === 'bar' && f.bar !== undefined && kinds.includes(f.bar);

function barFeature(model: Feature, bar: BarKind): Feature {
  return { kind: 'bar', bar, pitch: 0, pitchline: 0, len: ZERO, line: model.line, column: model.column };
}

/**
 * abc2midi's scan_for_missing_repeats and add_missing_repeats, over the feature lists of all voices: a :| with no |:
 * before it repeats from where the voice's music starts. abc2midi tracks that per voice number: music before any V:
 * counts from the || before the first music line, a voice from the first V: (or overlay) that selects it; a part
 * label (with a P: order) starts both afresh. In a tune with voices abc2midi then moves the place of a repeat of
 * the music before any V: on to the next VOICE feature within 20 features of its one list, or 20 features on;
 * `voiceSeqs` and the features' `seq` give that list's places.
 */
export function addMissingRepeats(
  voices: ReadonlyArray<{ features: Feature[]; voiceFromStart: boolean }>,
  hasParts: boolean,
  voicesUsed: boolean,
  voiceSeqs: ReadonlySet<number>,
): void {
  const stores = voices.map((v) => v.features);
  const inserts: Array<{ store: Feature[]; after: number }> = [];
  const global: Array<{ seq: number; store: Feature[]; index: number }> = [];
  const voiceAt = new Set(voiceSeqs);
  for (const features of stores) {
    features.forEach((f, index) => {
      if (f.seq === undefined) return;
      global.push({ seq: f.seq, store: features, index });
      if (f.kind === 'nonote' && (f.text === 'voice' || f.text === 'overlay')) voiceAt.add(f.seq);
    });
  }
  global.sort((x, y) => x.seq - y.seq);
  /** Where abc2midi puts a repeat of the music before any V:, as an insertion after a feature of some voice. */
  const movedOn = (from: Feature): { store: Feature[]; after: number } | null => {
    if (from.seq === undefined) return null;
    let target = from.seq + 20;
    for (let k = 0; k < 20; k++) {
      if (voiceAt.has(from.seq + k)) {
        target = from.seq + k;
        break;
      }
    }
    const next = global.find((g) => g.seq > target);
    return next ? { store: next.store, after: next.index - 1 } : null;
  };
  for (const { features, voiceFromStart } of voices) {
    const firstBar = features.findIndex((f) => isBar(f, 'double'));
    const starts: Array<number | undefined> = [firstBar >= 0 ? firstBar : 0, undefined];
    const found = [false, false];
    let num = 0;
    if (voiceFromStart) {
      // Its VOICE feature stands just before the || of the first music line: a repeat goes before that ||.
      num = 1;
      starts[1] = Math.max(0, firstBar) - 1;
    }
    features.forEach((f, i) => {
      if (f.kind === 'nonote' && (f.text === 'voice' || f.text === 'overlay')) {
        num = 1;
        starts[1] ??= i;
      }
      if (f.kind === 'part' && hasParts) {
        found[0] = found[1] = false;
        starts[0] = i;
        starts[1] = undefined;
      }
      if (isBar(f, 'barRep')) found[num] = true;
      if (isBar(f, 'repBar', 'doubleRep') && !found[num]) {
        const at = starts[num] ?? starts[0]!;
        const moved = num === 0 && voicesUsed && features[at] ? movedOn(features[at]) : null;
        inserts.push(moved ?? { store: features, after: at });
        found[num] = true;
      }
    });
  }
  // Later places first, so that earlier indices stay right.
  inserts.sort((x, y) => (x.store === y.store ? y.after - x.after : 0));
  for (const { store, after } of inserts) store.splice(after + 1, 0, barFeature(store[Math.max(0, after)] ?? store[0]!, 'barRep'));
}

/** abc2midi's dotie: join the note before the tie at j with the next note of the same pitch. */
function doTie(features: Feature[], j: number, xInChord: boolean, warn: Warn): void {
  let sameChord = xInChord;
  let newBar = false;
  let tieNote = j;
  while (tieNote > 0 && features[tieNote]!.kind !== 'note' && features[tieNote]!.kind !== 'rest') tieNote--;
  const tn = features[tieNote]!;
  if (tn.kind !== 'note') {
    warn('cannot find note before tie', features[j]);
    return;
  }
  tn.kind = 'tnote';
  const tie = features[j]!;
  tie.kind = 'rest';
  tie.len = tn.len;
  let inChord = xInChord;
  let tied: Frac = tn.len;
  let place = j;
  let tieToDo = true;
  let lastTie = j;
  let lastNote = -1;
  let done = false;
  while (place < features.length && !lt(tied, ZERO) && !done) {
    const f = features[place]!;
    switch (f.kind) {
      case 'bar':
        if (f.bar !== 'doubleRep') newBar = tieToDo;
        break;
      case 'note':
        lastNote = place;
        if (eq(tied, ZERO) && !tieToDo) done = true;
        if (((f.pitchline === tn.pitchline && newBar) || f.pitch === tn.pitch) && tieToDo && !sameChord) {
          if (!eq(tied, ZERO)) warn('time mismatch at tie', f);
          tieToDo = false;
          f.pitch = tn.pitch;
          tied = add(tied, f.len);
          tn.len = add(tn.len, f.len);
          f.kind = 'rest';
          if (lastTie !== j) features[lastTie]!.kind = 'oldtie';
        }
        if (!inChord) tied = sub(tied, f.len);
        break;
      case 'rest':
        if (eq(tied, ZERO) && !tieToDo) done = true;
        if (!inChord) tied = sub(tied, f.len);
        break;
      case 'tie':
        if (lastNote === -1) warn('bad tie: possibly two ties in a row', f);
        else if (features[lastNote]!.pitch === tn.pitch && !sameChord) {
          lastTie = place;
          tieToDo = true;
          if (inChord) sameChord = true;
        }
        break;
      case 'chordon':
        inChord = true;
        break;
      case 'chordoff':
      case 'chordoffex':
        sameChord = false;
        inChord = false;
        tied = sub(tied, f.len);
        break;
      default:
        break;
    }
    place++;
  }
  if (tieToDo) warn('could not find note to be tied', tie);
}

/** abc2midi's tiefix: chord lengths from their first note, then every tie in written order. */
function tieFix(features: Feature[], warn: Warn): void {
  let inChord = false;
  let chordLen: Frac | null = null;
  for (let j = 0; j < features.length; j++) {
    const f = features[j]!;
    switch (f.kind) {
      case 'chordon':
        inChord = true;
        chordLen = null;
        break;
      case 'chordoffex':
        inChord = false;
        break;
      case 'chordoff':
        if (inChord && chordLen !== null) f.len = chordLen;
        inChord = false;
        break;
      case 'note':
      case 'rest':
        if (inChord && chordLen === null) chordLen = f.len;
        break;
      case 'tie':
        doTie(features, j, inChord, warn);
        break;
      default:
        break;
    }
  }
}

/** abc2midi's fixreps: turn the right bar lines into |: or :| where a repeat is evidently missing. */
function fixRepeats(features: Feature[], warn: Warn): void {
  let repPoint = 0;
  let expect = false;
  let nPlays = 0;
  const placeStart = (i: number): void => {
    const f = features[i];
    if (f?.kind !== 'bar') return;
    if (f.bar === 'double' || f.bar === 'single') f.bar = 'barRep';
    else if (f.bar === 'repBar') f.bar = 'doubleRep';
  };
  features.forEach((f, j) => {
    if (f.kind === 'playon') {
      if (nPlays === 0 && !expect) {
        warn('found [1 or similar before |:', f);
        placeStart(repPoint);
      }
      nPlays++;
      return;
    }
    if (f.kind !== 'bar') return;
    switch (f.bar) {
      case 'double':
        repPoint = j;
        break;
      case 'barRep':
        if (expect) {
          warn('found another |: after a |:', f);
          f.bar = 'doubleRep';
        }
        expect = true;
        break;
      case 'repBar':
        if (!expect && nPlays < 1) placeStart(repPoint);
        expect = false;
        repPoint = j;
        break;
      case 'doubleRep':
        if (!expect) {
          warn('found :: before |:', f);
          placeStart(repPoint);
        }
        expect = true;
        break;
      default:
        break;
    }
  });
}

/** What the clean-up passes need besides the features: abc2midi's tune-wide settings. */
export interface PrepareOptions {
  hasParts: boolean;
  /** abc2midi repairs missing repeats (fixreps) only in a tune of one voice without parts. */
  multiVoice: boolean;
  /** Grace sizing from the header (%%MIDI grace, gracedivider). */
  graces: GraceSettings;
  /** The header tempo in microseconds per quarter, by which abc2midi times trills. */
  tempoMicros: number;
  /** The header's L: denominator (8 for 1/8), abc2midi's global.default_length. */
  unitDenom: number;
}

/** Runs abc2midi's clean-up passes on one voice's features, in its order (finishfile), after addMissingRepeats. */
export function prepare(store: StoreResult, options: PrepareOptions, warn: Warn): void {
  const { features } = store;
  const { hasParts } = options;
  if (hasParts) {
    const last = features[features.length - 1];
    features.push({ kind: 'part', text: ' ', pitch: 0, pitchline: 0, len: ZERO, line: last?.line ?? 0, column: last?.column ?? 0 });
  }
  sizeGraces(features, { ...options.graces }, warn);
  tieFix(features, warn);
  if (!hasParts && !options.multiVoice) fixRepeats(features, warn);
  expandOrnaments(features, options.tempoMicros, options.unitDenom);
  store.partStart.clear();
  features.forEach((f, i) => {
    if (f.kind === 'part' && f.text !== undefined) store.partStart.set(f.text, i);
  });
}

const isTimed = (f: Feature): boolean => f.kind === 'note' || f.kind === 'rest' || f.kind === 'chordoff' || f.kind === 'chordoffex';

/** abc2midi's dograce: each {...} group takes its time from the note after it, by the grace settings in force. */
function sizeGraces(features: Feature[], settings: GraceSettings, warn: Warn): void {
  for (let j = 0; j < features.length; j++) {
    const f = features[j]!;
    if (f.kind === 'graceon') applyGrace(features, j, settings, warn);
    else if (f.kind === 'setgrace' && f.grace) {
      settings.method = f.grace.method;
      settings.num = f.grace.num;
      settings.den = f.grace.den;
    }
  }
}

/** abc2midi's applygrace_new (method 0: each grace is 1/den of its written length) and applygrace_orig (method 1). */
function applyGrace(features: Feature[], place: number, settings: GraceSettings, warn: Warn): void {
  let j = place;
  let start = -1;
  while (j < features.length && start === -1) {
    if (features[j]!.kind === 'graceon') start = j;
    j++;
  }
  let end = -1;
  while (j < features.length && end === -1) {
    if (features[j]!.kind === 'graceoff') end = j;
    j++;
  }
  if (start < 0 || end < 0) return;
  let nextInChord = false;
  let hostStart = -1;
  while (hostStart === -1 && j < features.length) {
    const f = features[j]!;
    if (f.kind === 'bar' && (f.bar === 'single' || f.bar === 'double')) {
      // abc2midi drops grace notes that a bar line separates from their note.
      warn('grace notes before a bar line are left out, as abc2midi does', features[start]);
      features.splice(start, end - start + 1);
      return;
    }
    if (f.kind === 'note' || f.kind === 'rest') hostStart = j;
    if (f.kind === 'graceon') warn('intervening note needed between grace notes', f);
    if (f.kind === 'chordon') nextInChord = true;
    j++;
  }
  let hostEnd = -1;
  if (nextInChord) {
    while (hostEnd === -1 && j < features.length) {
      const k = features[j]!.kind;
      if (k === 'chordoff' || k === 'chordoffex') hostEnd = j;
      j++;
    }
  } else hostEnd = hostStart;
  if (hostStart === -1) {
    warn('no note found to follow grace notes', features[start]);
    return;
  }
  const host = features[hostStart]!;
  if (settings.method === 0) {
    let total: Frac = ZERO;
    let notesInChord = -1;
    for (let p = start; p <= end; p++) {
      const f = features[p]!;
      if (f.kind === 'note' || f.kind === 'rest') {
        // Of a chord of grace notes only the first note counts.
        if (notesInChord <= 0) {
          total = add(total, f.len);
          if (notesInChord === 0) notesInChord++;
        }
      } else if (f.kind === 'chordon') notesInChord = 0;
      else if (f.kind === 'chordoff') notesInChord = -1;
    }
    const adjusted = sub(host.len, mul(total, frac(1, settings.den)));
    if (adjusted.n <= 0) {
      warn('grace notes longer than their note are left out, as abc2midi does', features[start]);
      features.splice(start, end - start + 1);
      return;
    }
    for (let p = hostStart; p <= hostEnd; p++) if (isTimed(features[p]!)) features[p]!.len = adjusted;
    for (let p = start; p <= end; p++) if (isTimed(features[p]!)) features[p]!.len = mul(features[p]!.len, frac(1, settings.den));
    return;
  }
  let total: Frac = ZERO;
  for (let p = start; p <= end; p++) {
    const f = features[p]!;
    if (f.kind === 'note' || f.kind === 'rest') total = add(total, f.len);
  }
  let next: Frac = host.len;
  for (let p = hostStart; p <= hostEnd; p++) {
    const f = features[p]!;
    if (!isTimed(f)) continue;
    next = f.len;
    f.len = mul(f.len, frac(settings.den - settings.num, settings.den));
  }
  if (total.n === 0) return;
  const fact = mul(mul(next, frac(settings.num, settings.den)), frac(total.d, total.n));
  for (let p = start; p <= end; p++) if (isTimed(features[p]!)) features[p]!.len = mul(features[p]!.len, fact);
}

/** abc2midi's convert_tnote_to_note: a tied roll or trill becomes one long note, the rests of its tie removed. */
function untie(features: Feature[], loc: number): void {
  features[loc]!.kind = 'note';
  let j = loc;
  for (let i = 0; i < 6 && j < features.length; i++) {
    const f = features[j]!;
    // An overlay's time-keeping rest sits far from the note in abc2midi's list of all voices, out of this scan's reach.
    if (f.kind === 'rest' && f.text === 'sync') break;
    if (f.kind === 'rest') {
      features.splice(j, 1);
      if (f.pitch !== 0) break;
    } else j++;
  }
}

/** abc2midi's expand_ornaments: a trill alternates upper note and note in notes of at most 0.1 s, a roll is five notes. */
function expandOrnaments(features: Feature[], tempoMicros: number, unitDenom: number): void {
  for (let i = 0; i < features.length; i++) {
    const f = features[i]!;
    if (!f.ornament) continue;
    if (f.kind === 'tnote') untie(features, i);
    if (f.kind !== 'note') continue;
    const { ornament } = f;
    const made: Feature[] = [];
    const note = (pitch: number, len: Frac, origin: NoteOrigin): void => {
      made.push({ kind: 'note', pitch, pitchline: f.pitchline, len, origin, line: f.line, column: f.column });
    };
    if (ornament.kind === 'trill') {
      // In L: units: count notes of 4/b quarters each, halved until one lasts at most 100000 microseconds.
      const units = mul(f.len, frac(unitDenom, 4));
      let count = units.n;
      let b = units.d * unitDenom;
      while (Math.floor((tempoMicros * 4) / b) > 100_000 && count < 1 << 20) {
        count *= 2;
        b *= 2;
      }
      const len = frac(4, b);
      // One of the notes stands for the written one (the first at its pitch, or the only one), the rest are the trill's.
      const written = Math.min(1, count - 1);
      for (let k = 0; k < count; k++) note(k % 2 === 0 ? ornament.up : f.pitch, len, k === written ? f.origin ?? 'written' : 'ornament');
    } else {
      const len = mul(f.len, frac(1, 5));
      note(f.pitch, len, f.origin ?? 'written');
      note(ornament.up, len, 'ornament');
      note(f.pitch, len, 'ornament');
      note(ornament.down, len, 'ornament');
      note(f.pitch, len, 'ornament');
    }
    features.splice(i, 1, ...made);
    i += made.length - 1;
  }
}

export interface PerformLimits {
  maxNotes: number;
  /** The header's meter, which sets the bar length until an M: field changes it; null for M:none. */
  meter?: AbcMeter | null;
}

/**
 * What abc2midi keeps from one track to the next while it writes a tune: %%MIDI transpose and the trim/expand
 * switches are never reset between tracks, so a later voice starts with what an earlier one left.
 */
export interface TrackCarry {
  globalTranspose: number;
  trim: boolean;
  expand: boolean;
  expandLen: Frac;
}

export const freshCarry = (): TrackCarry => ({ globalTranspose: 0, trim: true, expand: false, expandLen: ZERO });

const barLength = (m: AbcMeter | null | undefined): Frac | null => (m ? frac(4 * m.numerator, m.denominator) : null);

/** abc2midi's writetrack for the melody: repeats, variant endings and parts in played order. */
export function perform(store: StoreResult, partOrder: string | null, limits: PerformLimits, warn: Warn, carry: TrackCarry = freshCarry()): Performance {
  const { features, partStart } = store;
  // genmidi: transpose (K:/V: transpose=) is the track's and is saved with the repeat state; trim is set per track.
  let transpose = 0;
  let savedTranspose = 0;
  let trimLen: Frac = ZERO;
  let graceFlag = false;
  let slurring = false;
  const play = (f: Feature, len: Frac): void => {
    let sounding = len;
    if (carry.trim && !slurring && !graceFlag) {
      if (lt(trimLen, len)) sounding = sub(len, trimLen);
    } else if (carry.expand) sounding = add(len, carry.expandLen);
    notes.push({ pitch: f.pitch + transpose + carry.globalTranspose, start: now, len: sounding, origin: f.origin ?? 'written', line: f.line, column: f.column });
  };
  const n = features.length;
  const notes: PlayedNote[] = [];
  const marks: PlayedMark[] = [];
  let now: Frac = ZERO;
  let inChord = false;
  let noteCount = 0;
  let noteLen: Frac = ZERO;
  let pass = 1;
  let maxPass = 2;
  let expect = false;
  let inVarEnd = false;
  let saved = 0;
  let partNo = -1;
  const maxSteps = 64 * n + 10_000;
  let steps = 0;
  // abc2midi's bar count: a bar starts at `barStart`; barno counts the bars that held music.
  const barStarts: Frac[] = [ZERO];
  let barStart: Frac = ZERO;
  let barno = 0;
  // save_state / restore_state keep barno across a repeat, as they do the feature index.
  let savedBarno = 0;
  let bar = barLength(limits.meter === undefined ? { numerator: 4, denominator: 4 } : limits.meter);
  const checkBar = (): void => {
    if (lt(barStart, now)) {
      barno++;
      barStart = now;
      if (!eq(barStarts[barStarts.length - 1]!, now)) barStarts.push(now);
    }
  };
  const softCheckBar = (): void => {
    if (bar !== null && (!lt(sub(now, barStart), bar) || barno <= 0)) checkBar();
  };

  const findPart = (): number => {
    const order = partOrder ?? '';
    partNo++;
    while (partNo < order.length && !partStart.has(order[partNo]!)) {
      warn(`part ${order[partNo]} not defined`, undefined);
      partNo++;
    }
    return partNo >= order.length ? n : partStart.get(order[partNo]!)!;
  };

  let j = 0;
  while (j < n) {
    if (++steps > maxSteps) throw new PlaybackLimitError(`repeats do not terminate after ${maxSteps} steps`, features[j]);
    const f = features[j]!;
    switch (f.kind) {
      case 'note':
        if (inChord) {
          noteCount++;
          if (noteCount > 1 && !eq(f.len, noteLen)) {
            warn('unequal notes in chord', f);
            f.len = noteLen;
          }
        }
        noteLen = f.len;
        // genmidi stops a slur one note early, so that two slurs in a row are heard apart.
        if (slurring && features[j + 2]?.kind === 'sluroff') slurring = false;
        play(f, f.len);
        if (!inChord) {
          now = add(now, f.len);
          noteCount = 0;
        }
        break;
      case 'tnote':
        notes.push({ pitch: f.pitch + transpose + carry.globalTranspose, start: now, len: f.len, origin: f.origin ?? 'written', line: f.line, column: f.column });
        break;
      case 'graceon':
        graceFlag = true;
        break;
      case 'graceoff':
        graceFlag = false;
        break;
      case 'sluron':
        slurring = true;
        break;
      case 'sluroff':
        slurring = false;
        break;
      case 'transpose':
        if (f.transpose?.mode === 'track') transpose = f.transpose.semitones;
        else if (f.transpose?.mode === 'global') carry.globalTranspose = f.transpose.semitones;
        else if (f.transpose) carry.globalTranspose += f.transpose.semitones;
        break;
      case 'trim':
        trimLen = f.len;
        carry.trim = f.len.n > 0;
        break;
      case 'expand':
        carry.expandLen = f.len;
        if (f.len.n > 0) {
          carry.trim = false;
          carry.expand = true;
        } else carry.expand = false;
        break;
      case 'rest':
        if (!inChord) now = add(now, f.len);
        break;
      case 'chordon':
        inChord = true;
        break;
      case 'chordoff':
      case 'chordoffex':
        inChord = false;
        now = add(now, f.len);
        noteCount = 0;
        break;
      case 'time':
        bar = barLength(f.meter);
        marks.push({ at: now, feature: f });
        break;
      case 'gchord':
      case 'key':
      case 'tempo':
        marks.push({ at: now, feature: f });
        break;
      case 'part':
        inVarEnd = false;
        if (partOrder !== null) j = findPart();
        break;
      case 'playon': {
        if (inVarEnd) warn('need || |: :| or :: to mark end of variant ending', f);
        let passNum = expect || pass > 1 ? pass : -1;
        if (passNum === -1) {
          warn('multiple endings do not follow |: or ::', f);
          passNum = 1;
        }
        if (!f.passes?.(passNum)) {
          j++;
          while (
            j < n &&
            !isBar(features[j], 'repBar', 'barRep', 'double') &&
            features[j]!.kind !== 'part' &&
            features[j]!.kind !== 'playon'
          ) {
            j++;
          }
          barno++;
          if (j === n) warn('cannot find :| || [| or |] to close variant ending', f);
          else if (features[j]!.kind === 'part') j--;
        } else {
          inVarEnd = true;
          if (maxPass < 4) maxPass = pass + 1;
        }
        break;
      }
      case 'bar':
        if (f.bar === 'single') checkBar();
        else softCheckBar();
        switch (f.bar) {
          case 'double':
            inVarEnd = false;
            break;
          case 'barRep':
            inVarEnd = false;
            if (pass === 1 && expect) warn('expected end repeat not found at |:', f);
            saved = j;
            savedBarno = barno;
            savedTranspose = transpose;
            expect = true;
            pass = 1;
            maxPass = 2;
            break;
          case 'repBar':
            inVarEnd = false;
            if (pass === 1) {
              if (!expect) warn('found unexpected :|', f);
              else {
                pass++;
                j = saved;
                barno = savedBarno;
                transpose = savedTranspose;
                expect = false;
              }
            } else if (pass < maxPass) {
              expect = false;
              pass++;
              j = saved;
              barno = savedBarno;
              transpose = savedTranspose;
            }
            break;
          case 'doubleRep':
            inVarEnd = false;
            if (pass > 1) {
              expect = true;
              saved = j;
              savedBarno = barno;
              savedTranspose = transpose;
              pass = 1;
              maxPass = 2;
            } else if (!expect) {
              warn('found unexpected ::', f);
              expect = true;
              saved = j;
              savedBarno = barno;
              savedTranspose = transpose;
              pass = 1;
            } else {
              j = saved;
              barno = savedBarno;
              transpose = savedTranspose;
              pass++;
            }
            break;
          default:
            break;
        }
        break;
      default:
        break;
    }
    if (notes.length > limits.maxNotes) throw new PlaybackLimitError(`more than ${limits.maxNotes} notes played`, f);
    j++;
  }
  return { notes, marks, end: now, barStarts };
}
