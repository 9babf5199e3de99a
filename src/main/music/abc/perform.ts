// Plays abc2midi's feature list: joins ties in written order, patches missing repeats, then unrolls
// repeats, variant endings and parts into timed notes, the way abc2midi's writetrack does.
import { add, eq, frac, lt, sub, ZERO, type Frac } from './fraction';
import type { BarKind, Feature, StoreResult } from './store';
import type { AbcMeter } from './types';

export interface PlayedNote {
  pitch: number;
  /** Onset in quarter notes from the start. */
  start: Frac;
  /** Length in quarter notes. */
  len: Frac;
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

/** abc2midi's scan_for_missing_repeats: a :| with no |: before it repeats from the music's (or part's) start. */
function addMissingStartRepeats(features: Feature[], hasParts: boolean): void {
  const firstBar = features.findIndex((f) => isBar(f, 'double'));
  let voiceStart = firstBar >= 0 ? firstBar : 0;
  let found = false;
  const at: number[] = [];
  features.forEach((f, i) => {
    if (f.kind === 'part' && hasParts) {
      found = false;
      voiceStart = i;
    }
    if (isBar(f, 'barRep')) found = true;
    if (isBar(f, 'repBar', 'doubleRep') && !found) {
      at.push(voiceStart);
      found = true;
    }
  });
  for (let k = at.length - 1; k >= 0; k--) {
    const i = at[k]!;
    features.splice(i + 1, 0, barFeature(features[i] ?? features[0]!, 'barRep'));
  }
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

/** Runs abc2midi's clean-up passes on the stored features, in its order. */
export function prepare(store: StoreResult, hasParts: boolean, warn: Warn): void {
  const { features } = store;
  addMissingStartRepeats(features, hasParts);
  if (hasParts) {
    const last = features[features.length - 1];
    features.push({ kind: 'part', text: ' ', pitch: 0, pitchline: 0, len: ZERO, line: last?.line ?? 0, column: last?.column ?? 0 });
  }
  tieFix(features, warn);
  if (!hasParts) fixRepeats(features, warn);
  store.partStart.clear();
  features.forEach((f, i) => {
    if (f.kind === 'part' && f.text !== undefined) store.partStart.set(f.text, i);
  });
}

export interface PerformLimits {
  maxNotes: number;
  /** The header's meter, which sets the bar length until an M: field changes it; null for M:none. */
  meter?: AbcMeter | null;
}

const barLength = (m: AbcMeter | null | undefined): Frac | null => (m ? frac(4 * m.numerator, m.denominator) : null);

/** abc2midi's writetrack for the melody: repeats, variant endings and parts in played order. */
export function perform(store: StoreResult, partOrder: string | null, limits: PerformLimits, warn: Warn): Performance {
  const { features, partStart } = store;
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
        notes.push({ pitch: f.pitch, start: now, len: f.len });
        if (!inChord) {
          now = add(now, f.len);
          noteCount = 0;
        }
        break;
      case 'tnote':
        notes.push({ pitch: f.pitch, start: now, len: f.len });
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
                expect = false;
              }
            } else if (pass < maxPass) {
              expect = false;
              pass++;
              j = saved;
              barno = savedBarno;
            }
            break;
          case 'doubleRep':
            inVarEnd = false;
            if (pass > 1) {
              expect = true;
              saved = j;
              savedBarno = barno;
              pass = 1;
              maxPass = 2;
            } else if (!expect) {
              warn('found unexpected ::', f);
              expect = true;
              saved = j;
              savedBarno = barno;
              pass = 1;
            } else {
              j = saved;
              barno = savedBarno;
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
