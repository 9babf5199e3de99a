// Turns the body of one ABC tune into abc2midi's "feature" lists (one per voice): notes, rests, ties, bars, graces, chords.
// Lengths already carry broken rhythm, tuplets, hornpipe swing and ~ cuts, exactly as abc2midi's store stage does.
import { AbcUnsupportedError } from './errors';
import { FieldError, LETTERS, parseKeyDetails, parseMeter, parseTempo, parseUnitLength, type KeyDetails } from './fields';
import { frac, mul, ZERO, type Frac } from './fraction';
import type { AbcMeter, AbcTempo, AbcUnitLength, NoteLetter } from './types';

export type BarKind = 'single' | 'double' | 'barRep' | 'repBar' | 'doubleRep';

export type FeatureKind =
  | 'note'
  | 'tnote'
  | 'rest'
  | 'tie'
  | 'oldtie'
  | 'chordon'
  | 'chordoff'
  | 'chordoffex'
  | 'bar'
  | 'playon'
  | 'part'
  | 'gchord'
  | 'key'
  | 'time'
  | 'tempo'
  | 'graceon'
  | 'graceoff'
  | 'setgrace'
  | 'transpose'
  | 'trim'
  | 'expand'
  | 'sluron'
  | 'sluroff'
  | 'slurtie'
  | 'nonote';

/** Where a played note comes from: written in the music, a grace note {...}, or made by an ornament (~ R T !trill!). */
export type NoteOrigin = 'written' | 'grace' | 'ornament';

/** A roll (R) or trill (T, !trill!) that abc2midi expands after ties are joined. */
export interface Ornament {
  kind: 'roll' | 'trill';
  up: number;
  down: number;
}

/** One entry of the written-order list; mutable because ties and repeat fixes rewrite it in place. */
export interface Feature {
  kind: FeatureKind;
  /** MIDI pitch of a note. */
  pitch: number;
  /** The pitch the letter and octave give without accidentals (abc2midi ties across bars by it). */
  pitchline: number;
  /** Length in quarter notes. */
  len: Frac;
  bar?: BarKind;
  /** Which passes a variant ending plays on. */
  passes?: (pass: number) => boolean;
  /** Chord symbol text, part label. */
  text?: string;
  key?: KeyDetails['key'];
  meter?: AbcMeter | null;
  tempo?: AbcTempo;
  origin?: NoteOrigin;
  ornament?: Ornament;
  /** %%MIDI grace / gracedivider in the body: method 1 is abc2midi's proportional grace, 0 its fixed divider. */
  grace?: { method: 0 | 1; num: number; den: number };
  /** A variant ending written right after a bar line on the same line, which abc2midi copies into overlay voices. */
  afterBar?: boolean;
  /** K: transpose= in the body (track), in the header or %%MIDI transpose (global), %%MIDI rtranspose (relative). */
  transpose?: { mode: 'track' | 'global' | 'relative'; semitones: number };
  line: number;
  column: number;
  /** Position in abc2midi's one list of all voices' features (see TuneStore.seq); undefined for features it lacks. */
  seq?: number;
}

/** Which decorations abc2midi gives a meaning in time; the others only change how music is printed. */
interface Decorations {
  staccato: boolean;
  fermata: boolean;
  roll: boolean;
  ornament: boolean;
  trill: boolean;
  breath: boolean;
}

const NO_DECORATIONS: Decorations = { staccato: false, fermata: false, roll: false, ornament: false, trill: false, breath: false };

/** abc2midi's decoration characters, in its order: . M L R H ~ T u v ' O P S. */
const DECORATION_CHARS = ".MLRH~Tuv'OPS";

export interface TuneHeader {
  meter: AbcMeter | null;
  unitLength: AbcUnitLength;
  key: KeyDetails['key'];
  /** Expanded P: part order from the header, or null. */
  partOrder: string | null;
  hornpipe: boolean;
  /** The header's tempo in microseconds per quarter, as abc2midi computes it (it times trills by it). */
  tempoMicros: number;
  /** Octave shift from the header's K: (octave= or a clef such as treble-8). */
  octaveShift: number;
}

/** What a tune's performance takes from the file and the caller: abc2midi's global settings. */
export interface StoreOptions {
  /** Play grace notes (abc2midi's default); false is abc2midi -NGRA. */
  graces: boolean;
  /** Perform decorations (rolls, trills, cuts, staccato, fermata), swing, %%MIDI ratio/trim/expand/transpose; false keeps written notes. */
  perform: boolean;
  /** %%MIDI settings from the file header (before the first X:), which abc2midi applies to every tune. */
  fileDefaults: FileDefaults;
}

/** The %%MIDI directives abc2midi reads before the first tune and keeps for all tunes of the file. */
export interface FileDefaults {
  ratioA: number;
  ratioB: number;
  middleC: number;
  propagate: 0 | 1 | 2;
  fermataFixed: boolean;
}

export const DEFAULT_FILE_SETTINGS: FileDefaults = { ratioA: 2, ratioB: 6, middleC: 60, propagate: 2, fermataFixed: false };

export interface StoreResult {
  features: Feature[];
  /** Index of each part label's start feature. */
  partStart: Map<string, number>;
}

/** The grace-note settings in force at the start of the body (from the header's %%MIDI grace or gracedivider). */
export interface GraceSettings {
  method: 0 | 1;
  num: number;
  den: number;
}

const SCALE: Record<NoteLetter, number> = { C: 0, D: 2, E: 4, F: 5, G: 7, A: 9, B: 11 };

/** abc2midi keeps accidentals per letter and per octave (octave + 4, ten octaves). */
const OCTAVES = 10;

type Warn = (msg: string, line: number, column: number) => void;

/** One voice context (abc2midi's struct voicecontext): its feature list and the state the parser keeps per voice. */
export class VoiceStore {
  readonly features: Feature[] = [];
  readonly partStart = new Map<string, number>();
  unit: AbcUnitLength;
  /** The integer abc2midi keeps for L: (8 for 1/8); NaN when L: is not 1/n. */
  unitDenom: number;
  /** Semitone shift of each letter (c d e f g a b order) from the key signature. */
  baseMap: number[];
  workMap: number[][];
  octaveShift: number;
  /** The octave offset of the clef the parser holds for this voice (used only while octaveShift is 0). */
  clefOffset = 0;
  inChord = false;
  chordCount = 0;
  chordStart = -1;
  chordLen: Frac = ZERO;
  inGrace = false;
  inSlur = false;
  brokenType: 'gt' | 'lt' = 'gt';
  brokenMult = 1;
  brokenPending = -1;
  lastStart = -1;
  lastEnd = -1;
  thisStart = -1;
  thisEnd = -1;
  brokenStack: [number, number, number, number, 'gt' | 'lt', number, number] = [-1, -1, -1, -1, 'gt', 1, -1];
  sawMusicLine = false;
  /** A VOICE feature precedes all of this voice's music in abc2midi's list (voice 1 of a tune with an overlay but no V:). */
  voiceFromStart = false;
  /** Where the current line's features begin: abc2midi puts line-start features there, between a bar and a [1. */
  lineStart = 0;
  /** Voice overlay (&): the voice this one splits into, the one it split from, and the voice at the top of the chain. */
  splitChild: VoiceStore | null = null;
  splitParent: VoiceStore | null = null;
  top: VoiceStore = this;
  /** The next feature of the top voice that a split voice has not yet copied (abc2midi's last_resync_point). */
  resync = 0;

  constructor(
    readonly id: string,
    header: TuneHeader,
  ) {
    this.unit = header.unitLength;
    this.unitDenom = unitDenomOf(header.unitLength);
    this.baseMap = LETTERS.map((l) => header.key.accidentals[l]);
    this.workMap = this.freshWorkMap();
    this.octaveShift = header.octaveShift;
  }

  freshWorkMap(): number[][] {
    return this.baseMap.map((s) => new Array<number>(OCTAVES).fill(s));
  }

  /** abc2midi's copymap: the bar's accidentals start again from the key signature. */
  copyMap(): void {
    this.workMap = this.freshWorkMap();
  }

  finish(): StoreResult {
    return { features: this.features, partStart: this.partStart };
  }
}

/**
 * The store stage for one tune body (abc2midi's store.c event handlers). Warnings go to `warn` with their place.
 * Mirrors abc2midi's event_note / event_rest / event_bar / brokenadjust / doornament so that lengths match it,
 * and keeps abc2midi's tune-wide settings (broken-rhythm ratio, hornpipe, tuplets, middle C) shared by all voices.
 */
export class TuneStore {
  readonly voices = new Map<string, VoiceStore>();
  /** The voice that music goes to now (abc2midi's v). */
  v: VoiceStore;
  private readonly header: TuneHeader;
  private line = 0;
  private column = 0;
  private pastHeader = false;

  private ratioA: number;
  private ratioB: number;
  private hornpipe: boolean;
  private readonly timeNum: number;
  private mtime: { num: number; den: number };
  private lastNum = 3;
  private lastDen = 1;
  private barPos: Frac = ZERO;
  private propagate: 0 | 1 | 2;
  private middleC: number;
  private fermataFixed: boolean;

  private tupleCount = 0;
  private tfactNum = 1;
  private tfactDen = 1;

  private passback: Decorations = { ...NO_DECORATIONS };
  private chordDecorations: Decorations = { ...NO_DECORATIONS };
  private parserInChord = false;
  private readonly parts: boolean;
  private headerPartLabel: string | null = null;
  private splitDepth = 0;
  private syncTo = 0;
  private readonly abbreviations = new Map<string, string>();
  /** Grace settings from the header's %%MIDI grace / gracedivider (applied before the body's own). */
  readonly graceSettings: GraceSettings = { method: 0, num: 1, den: 4 };
  /**
   * A count of the features abc2midi would have stored so far in its single list for all voices (its `notes`): a
   * missing |: of a tune with voices is placed by counting in that list (see addMissingStartRepeats).
   */
  private seq = 0;
  /** Places in that list of VOICE features with no marker here. */
  readonly voiceSeqs = new Set<number>();
  /** A V: field or an overlay was met: abc2midi's voicesused. */
  voicesUsed = false;
  /** The part labels met in the body so far, in order (a voice that starts later gets them too). */
  private readonly partLabels: string[] = [];
  /** Labels of voices 1, 2, ... ('' for a numbered voice). */
  private readonly voiceLabels: string[] = [''];
  private hasVoiceFields = false;

  constructor(
    header: TuneHeader,
    private readonly options: StoreOptions,
    private readonly warnings: Warn,
  ) {
    this.header = header;
    const d = options.fileDefaults;
    this.ratioA = d.ratioA;
    this.ratioB = d.ratioB;
    this.middleC = d.middleC;
    this.propagate = d.propagate;
    this.fermataFixed = d.fermataFixed;
    const m = header.meter ?? { numerator: 4, denominator: 4 };
    this.timeNum = m.numerator;
    this.mtime = { num: m.numerator, den: m.denominator };
    this.hornpipe = header.hornpipe && options.perform;
    this.v = new VoiceStore('1', header);
    this.voices.set('1', this.v);
    this.parts = header.partOrder !== null;
    if (header.partOrder !== null && header.partOrder.length === 1) {
      // A single-letter P: in the header may be a label rather than an order (abc2midi's guess).
      this.headerPartLabel = header.partOrder;
      this.v.partStart.set(header.partOrder, this.v.features.length);
      this.add('part', { text: header.partOrder });
    }
  }

  /** The header is over: %%MIDI lines and fields from now on are placed in the music. */
  startBody(): void {
    this.pastHeader = true;
  }

  private warn(msg: string): void {
    this.warnings(msg, this.line, this.column);
  }

  private unsupported(feature: string, text: string): never {
    throw new AbcUnsupportedError(feature, { tune: 0, line: this.line, column: this.column, text });
  }

  private add(kind: FeatureKind, extra: Partial<Feature> = {}, voice: VoiceStore = this.v): Feature {
    const f: Feature = { kind, pitch: 0, pitchline: 0, len: ZERO, line: this.line, column: this.column, ...extra };
    // Chord symbols are not in the reference run's list (abc2midi -NGUI).
    if (kind !== 'gchord') f.seq = ++this.seq;
    voice.features.push(f);
    return f;
  }

  /** abc2midi's features that this store has no use for (a line's LINENUM, MUSICLINE, MUSICSTOP) still take a place. */
  skipFeature(): void {
    this.seq++;
  }

  /** A VOICE feature abc2midi writes on a switch of voice that this store keeps no marker for. */
  private voiceSwitch(): void {
    this.voiceSeqs.add(++this.seq);
  }

  private get features(): Feature[] {
    return this.v.features;
  }

  /** Length in quarters of n/m units of the voice's L:. */
  private quarters(n: number, m: number): Frac {
    return frac(n * 4 * this.v.unit.numerator, m * this.v.unit.denominator);
  }

  // ---------------------------------------------------------------- voices

  /**
   * abc2midi's interpret_voice_label: V:n is voice n (one past the last is new, further is out of sequence), a name is
   * the voice it named before, and the first V: of a tune names voice 1, the voice music before any V: is in.
   */
  private voiceNumber(value: string): number {
    const digits = /^\d+/.exec(value);
    if (digits) {
      let num = Number(digits[0]);
      if (num > this.voiceLabels.length + 1) {
        this.warn(`V:${num} out of sequence, treating as V:${this.voiceLabels.length + 1}`);
        num = this.voiceLabels.length + 1;
      }
      if (num === this.voiceLabels.length + 1) this.voiceLabels.push('');
      this.hasVoiceFields = true;
      return Math.max(1, num);
    }
    const label = /^[^\s\]]*/.exec(value)![0];
    if (label === '') {
      this.warn('empty V: field, treating as V:1');
      return 1;
    }
    if (this.hasVoiceFields) {
      const i = this.voiceLabels.indexOf(label);
      if (i >= 0) return i + 1;
      this.voiceLabels.push(label);
      return this.voiceLabels.length;
    }
    this.hasVoiceFields = true;
    this.voiceLabels[0] = label;
    return 1;
  }

  /** A V: field or [V:] (abc2midi's event_voice): music from here goes to that voice. */
  voice(value: string, line: number, column: number): void {
    this.line = line;
    this.column = column;
    const text = value.trim();
    this.voicesUsed = true;
    const num = this.voiceNumber(text);
    const id = String(num);
    const next = this.voices.get(id) ?? this.newVoice(id);
    if (this.splitDepth > 0) this.recurseBack(false);
    this.v = next;
    // abc2midi's VOICE feature: where a missing |: of this voice's music is placed.
    this.add('nonote', { text: 'voice' });
    const params = text.replace(/^\S*/, '');
    const details = voiceParams(params, (msg) => this.warn(msg));
    if (details.sound) this.unsupported(`${details.sound}= in V:`, text);
    if (details.clefOffset !== undefined) next.octaveShift = details.clefOffset;
    if (details.octave !== undefined) next.octaveShift = details.octave;
    if (details.clefOffset !== undefined) next.clefOffset = details.clefOffset;
    if (details.transpose !== undefined && this.options.perform) {
      this.add('transpose', { transpose: { mode: 'track', semitones: details.transpose } });
    }
  }

  /** A part label in a voice; abc2midi has one PART feature for all voices (`counted` for one of them only). */
  private addPart(voice: VoiceStore, label: string, counted = false): void {
    voice.partStart.set(label, voice.features.length);
    const f = this.add('part', { text: label }, voice);
    if (!counted) {
      delete f.seq;
      this.seq--;
    }
  }

  /** A voice that first appears inside a part: abc2midi's track for it follows the same part labels. */
  private newVoice(id: string): VoiceStore {
    const voice = new VoiceStore(id, this.header);
    for (const label of this.partLabels) this.addPart(voice, label);
    this.voices.set(id, voice);
    return voice;
  }

  /** abc2midi starts the body in voice 1, whichever voice a V: in the header chose last. */
  toFirstVoice(): void {
    this.v = this.voices.get('1')!;
  }

  /** A transposition of the whole tune (K: transpose= in the header), placed where abc2midi places it. */
  globalTranspose(semitones: number): void {
    if (this.options.perform) this.add('transpose', { transpose: { mode: 'global', semitones } });
  }

  /** More than one voice context: abc2midi then leaves missing repeats as they are (no fixreps). */
  get multiVoice(): boolean {
    return this.voices.size > 1;
  }

  /** The voices that hold music, in the order abc2midi writes their tracks. */
  storedVoices(): VoiceStore[] {
    return [...this.voices.values()].filter((v) => v.features.some((f) => f.kind !== 'part' && f.kind !== 'nonote'));
  }

  // ---------------------------------------------------------------- fields in the body

  field(letter: string, value: string, line: number, column: number): void {
    this.line = line;
    this.column = column;
    try {
      switch (letter) {
        case 'K': {
          const details = parseKeyDetails(value, (msg) => this.warn(msg));
          if (details.sound) this.unsupported(`${details.sound}= in K:`, value.trim());
          if (details.clefOffset !== undefined) this.v.clefOffset = details.clefOffset;
          if (details.octave !== undefined) this.warn('octave= in a K: field of the body is ignored, as abc2midi does');
          if (details.gotKey) {
            const v = this.v;
            if (!details.explicitOnly) v.baseMap = LETTERS.map((l) => signatureShift(details, l));
            for (const [letter, shift] of details.explicit) v.baseMap[LETTERS.indexOf(letter)] = shift;
            v.copyMap();
            this.add('key', { key: details.key });
            if (details.transpose !== undefined && this.options.perform) {
              this.add('transpose', { transpose: { mode: 'track', semitones: details.transpose } });
            }
          }
          break;
        }
        case 'M': {
          const meter = parseMeter(value);
          this.add('time', { meter });
          const mm = meter ?? { numerator: 4, denominator: 4 };
          this.mtime = { num: mm.numerator, den: mm.denominator };
          break;
        }
        case 'L':
          this.v.unit = parseUnitLength(value);
          this.v.unitDenom = unitDenomOf(this.v.unit);
          break;
        case 'Q': {
          const tempo = parseTempo(value, this.header.unitLength);
          if (tempo) this.add('tempo', { tempo });
          break;
        }
        case 'P': {
          // abc2midi ignores part labels in the body unless the header gave a part order.
          if (!this.parts) break;
          const label = value.trim()[0];
          if (label === undefined || label < 'A' || label > 'Z') {
            this.warn(`part must be one of A-Z, not "${value.trim()}"`);
            break;
          }
          if (this.headerPartLabel === label) {
            this.headerPartLabel = null;
            const first = this.voices.get('1')!;
            const old = first.partStart.get(label);
            if (old !== undefined) first.features[old]!.kind = 'nonote';
          } else if (this.partLabels.includes(label)) {
            this.warn(`part ${label} defined more than once`);
          }
          // A part label is a place in every voice's music (abc2midi's tracks each follow the part order), and
          // abc2midi goes back to voice 1 after it.
          this.partLabels.push(label);
          if (this.splitDepth > 0) this.recurseBack(false);
          for (const voice of this.voices.values()) this.addPart(voice, label, voice === this.v);
          this.v = this.voices.get('1')!;
          break;
        }
        case 'R':
          if (/^\s*[Hh]ornpipe/.test(value) && this.options.perform) {
            // In the header the swing itself waits for the meter check (TuneHeader.hornpipe); the ratio does not.
            if (this.pastHeader) this.hornpipe = true;
            this.ratioA = 2;
            this.ratioB = 4;
          }
          break;
        case 'V':
          this.voice(value, line, column);
          break;
        case 'I':
          this.instructionField(value, line, column);
          break;
        case 'U':
          this.userSymbol(value);
          break;
        default:
          break;
      }
    } catch (e) {
      if (e instanceof FieldError) this.warn(e.message);
      else throw e;
    }
  }

  /** An I: field: abc2midi reads I:MIDI ... like a %%MIDI line and ignores the others. */
  private instructionField(value: string, line: number, column: number): void {
    const m = /^\s*MIDI\s*=?\s*(.*)$/.exec(value);
    if (m) this.midi(m[1]!, line, column);
  }

  /** U: defines a letter as a decoration, such as U:W=!trill!. */
  private userSymbol(value: string): void {
    const m = /^\s*([A-Za-z~])\s*=\s*[!+]?([^!+]*)[!+]?\s*$/.exec(value);
    if (m) this.abbreviations.set(m[1]!, m[2]!.trim());
  }

  /** A stylesheet line %%... in the header or body: %%MIDI and %%propagate-accidentals change the notes. */
  directive(text: string, line: number, column: number): void {
    this.line = line;
    this.column = column;
    const midi = /^%%MIDI\s+(.*)$/.exec(text);
    if (midi) {
      this.midi(midi[1]!, line, column);
      return;
    }
    if (text.startsWith('%%temperament')) this.unsupported('%%temperament (microtonal tuning)', text);
    const prop = /^%%propagate-accidentals\s+(\S+)/.exec(text);
    if (prop) {
      const mode = prop[1];
      if (mode === 'not') this.propagate = 0;
      else if (mode === 'octave') this.propagate = 1;
      else if (mode === 'pitch') this.propagate = 2;
      else this.warn(`cannot interpret %%propagate-accidentals ${mode}`);
    }
  }

  /** abc2midi's event_midi, for the commands that change which notes sound and when. */
  midi(command: string, line: number, column: number): void {
    this.line = line;
    this.column = column;
    const words = command.trim().split(/\s+/);
    const name = words[0] ?? '';
    const rest = command.trim().slice(name.length).trim();
    const perform = this.options.perform;
    switch (name) {
      case 'transpose':
      case 'rtranspose': {
        const m = /^([+-]?)\s*(\d*)/.exec(rest)!;
        const semitones = (m[1] === '-' ? -1 : 1) * (Number(m[2]) || 0);
        if (perform) this.add('transpose', { transpose: { mode: name === 'transpose' ? 'global' : 'relative', semitones } });
        break;
      }
      case 'ratio': {
        const m = /^(\d+)\s+(\d+)/.exec(rest);
        const b = m ? Number(m[1]) : 0;
        const a = m ? Number(m[2]) : 0;
        if (a <= 0 || b <= 0) {
          this.warn(`invalid %%MIDI ratio "${rest}"`);
          break;
        }
        if (!perform) break;
        this.ratioA = a;
        this.ratioB = b;
        // abc2midi tests ratio_a + (ratio_b % 2) == 1 (operator precedence) before doubling; kept as it is.
        if (a + (b % 2) === 1) {
          this.ratioA = 2 * a;
          this.ratioB = 2 * b;
        }
        break;
      }
      case 'grace': {
        const m = /^(\d+)\s*\/\s*(\d+)/.exec(rest);
        const a = m ? Number(m[1]) : 0;
        const b = m ? Number(m[2]) : 0;
        if (a < 1 || b < 1 || a >= b) {
          this.warn(`%%MIDI grace ${rest}: ${a}/${b} is not a suitable fraction`);
          break;
        }
        if (this.pastHeader) this.add('setgrace', { grace: { method: 1, num: a, den: b } });
        else {
          // In the header abc2midi sets the fraction but keeps its method.
          this.graceSettings.num = a;
          this.graceSettings.den = b;
        }
        break;
      }
      case 'gracedivider': {
        const b = Number(/^\d+/.exec(rest)?.[0] ?? -1);
        if (b < 2) this.warn('a number 2 or larger should follow %%MIDI gracedivider');
        if (this.pastHeader) this.add('setgrace', { grace: { method: 0, num: 1, den: b } });
        else {
          this.graceSettings.den = b;
          this.graceSettings.method = 0;
        }
        break;
      }
      case 'trim':
      case 'expand': {
        const m = /^(\d+)\s*\/\s*(\d+)/.exec(rest);
        if (!m) {
          this.warn(`%%MIDI ${name} needs a fraction a/b`);
          break;
        }
        // abc2midi counts it in the voice's L: units.
        if (perform) this.add(name, { len: this.quarters(Number(m[1]), Number(m[2])) });
        break;
      }
      case 'C':
        this.middleC = Number(/^\d+/.exec(rest)?.[0] ?? 0);
        break;
      case 'nobarlines':
        this.propagate = 0;
        break;
      case 'barlines':
        this.propagate = 2;
        break;
      case 'fermatafixed':
        this.fermataFixed = true;
        break;
      case 'fermataproportional':
        this.fermataFixed = false;
        break;
      case 'harpmode':
        if (Number(/^\d+/.exec(rest)?.[0] ?? 0) !== 0) this.unsupported('%%MIDI harpmode', command.trim());
        break;
      case 'channel':
        if (Number(/^\d+/.exec(rest)?.[0] ?? 0) === 10) this.unsupported('%%MIDI channel 10 (drum voice)', command.trim());
        break;
      case 'temperamentlinear':
      case 'temperamentequal':
      case 'tuningsystem':
        this.unsupported(`%%MIDI ${name} (microtonal tuning)`, command.trim());
        break;
      default:
        // program, beat, gchord, drum, drone, chordattack and the rest: sound, loudness and accompaniment only.
        break;
    }
  }

  // ---------------------------------------------------------------- music lines

  musicLine(text: string, line: number): void {
    this.line = line;
    this.skipFeature(); // MUSICLINE
    this.v.lineStart = this.v.features.length;
    if (!this.v.sawMusicLine) {
      // abc2midi puts a || before the first music line; missing |: are placed there.
      this.v.sawMusicLine = true;
      this.column = 1;
      this.add('bar', { bar: 'double' });
    }
    const pct = text.indexOf('%');
    const s = pct >= 0 ? text.slice(0, pct) : text;
    let p = 0;
    const n = s.length;
    const at = (i: number): string => s[i] ?? '';
    const skipSpace = (): void => {
      while (p < n && (s[p] === ' ' || s[p] === '\t')) p++;
    };
    const readNum = (): number => {
      let v = 0;
      let digits = 0;
      while (p < n && s[p]! >= '0' && s[p]! <= '9') {
        if (v < 1e8) v = v * 10 + (s.charCodeAt(p) - 48);
        digits++;
        p++;
      }
      return digits === 0 ? 0 : v;
    };
    const readLen = (): [number, number] => {
      const cur = { p };
      const r = readLenFrom(s, cur, (msg) => this.warn(msg));
      p = cur.p;
      return r;
    };
    const getRep = (): string => {
      let out = '';
      let digits = 0;
      for (;;) {
        const c = at(p);
        if (c >= '0' && c <= '9') {
          out += c;
          digits++;
          p++;
        } else if ((c === '-' || c === ',') && digits > 0 && /[0-9]/.test(at(p + 1))) {
          out += c;
          digits = 0;
          p++;
        } else break;
        if (out.length > 50) {
          this.warn('malformed repeat list');
          break;
        }
      }
      return out;
    };

    skipSpace();
    while (p < n) {
      this.column = p + 1;
      const c = s[p]!;
      if (c === '.' && at(p + 1) === '(') {
        p += 2;
        this.slurOn();
        continue;
      }
      if (c === '.' && at(p + 1) === '|') {
        p += 1;
        continue;
      }
      if (/[a-gA-G_^=]/.test(c) || DECORATION_CHARS.includes(c)) {
        p = this.parseNote(s, p);
        continue;
      }
      switch (c) {
        case '"': {
          const end = s.indexOf('"', p + 1);
          if (end < 0) {
            this.warn('guitar chord name not properly closed');
            p = n;
          } else {
            for (const part of s.slice(p + 1, end).split(';')) this.add('gchord', { text: part });
            p = end + 1;
          }
          break;
        }
        case '|':
          p++;
          if (at(p) === ':') {
            this.bar('barRep', '');
            p++;
          } else if (at(p) === '|') {
            this.bar('double', '');
            p++;
          } else if (at(p) === ']') {
            this.bar('double', '');
            p++;
          } else {
            this.bar('single', getRep());
          }
          break;
        case ':':
          p++;
          if (at(p) === ':') {
            this.bar('doubleRep', '');
            p++;
          } else if (at(p) === '|') {
            p++;
            this.bar('repBar', getRep());
            if (at(p) === ']') p++;
          } else {
            // A lone ':' is a dotted bar line, which abc2midi treats as ||.
            this.bar('double', '');
          }
          break;
        case ' ':
        case '\t':
          skipSpace();
          break;
        case '(': {
          p++;
          const t = readNum();
          let q = 0;
          let r = 0;
          if (t !== 0 && at(p) === ':') {
            p++;
            q = readNum();
            if (at(p) === ':') {
              p++;
              r = readNum();
            }
          }
          if (t === 0) {
            if (at(p) === '&') this.unsupported('extended voice overlay (& ... &)', s.slice(p - 1, p + 10));
            this.slurOn();
          } else {
            this.tuple(t, q, r);
          }
          break;
        }
        case ')':
          p++;
          this.slurOff();
          break;
        case '{':
          p++;
          this.graceOn();
          break;
        case '}':
          p++;
          this.graceOff();
          break;
        case '[': {
          p++;
          const d = at(p);
          if (d === '|') {
            p++;
            this.bar('double', '');
            if (at(p) === ':') {
              this.bar('barRep', '');
              p++;
            }
          } else if (d >= '0' && d <= '9') {
            this.playOn(getRep());
          } else if (/[A-Za-z]/.test(d) && at(p + 1) === ':') {
            const close = s.indexOf(']', p);
            const end = close < 0 ? n : close;
            if (close < 0) this.warn(`inline field [${s.slice(p, end)} not closed`);
            const letter = d;
            const value = s.slice(p + 2, end);
            const col = p + 1;
            p = close < 0 ? n : close + 1;
            this.field(letter, value, this.line, col);
          } else {
            this.chordDecorations = orDecorations(this.chordDecorations, this.passback);
            this.chordOn({ ...this.chordDecorations });
            this.parserInChord = true;
          }
          break;
        }
        case ']':
          p++;
          if (!this.parserInChord && at(p) === '|') {
            p++;
            this.bar('double', '');
          } else {
            const [cn, cm] = readLen();
            this.chordOff(cn, cm);
            this.parserInChord = false;
          }
          this.chordDecorations = { ...NO_DECORATIONS };
          this.passback = { ...NO_DECORATIONS };
          break;
        case 'x':
        case 'z': {
          p++;
          const [rn, rm] = readLen();
          const deco = this.passback;
          this.passback = { ...NO_DECORATIONS };
          this.rest(deco, rn, rm);
          break;
        }
        case 'y':
          p++;
          readLen();
          break;
        case 'Z':
        case 'X': {
          p++;
          const [bars, m] = readLen();
          if (m !== 1) this.warn('X or Z must be followed by a whole integer');
          this.multiRest(bars);
          break;
        }
        case '>':
        case '<': {
          let k = 0;
          while (at(p) === c) {
            k++;
            p++;
          }
          if (k > 3) this.warn(`too many ${c}'s`);
          else this.broken(c === '>' ? 'gt' : 'lt', k);
          break;
        }
        case '-':
          p++;
          this.tie();
          break;
        case '\\':
          p++;
          if (s.slice(p).trim() !== '') this.warn("'\\' in middle of line ignored");
          break;
        case '+':
        case '!': {
          const close = s.indexOf(c, p + 1);
          if (close < 0) {
            if (s.slice(p + 1).trim() !== '') this.warn(`'${c}' in middle of line ignored`);
            p++;
          } else {
            for (const part of s.slice(p + 1, close).split(';')) this.instruction(part);
            p = close + 1;
          }
          break;
        }
        case '*':
          while (at(p) === '*') p++;
          if (s.slice(p).trim() !== '') this.warn("*'s in middle of line ignored");
          break;
        case '$':
          p++;
          break;
        case '&':
          p++;
          if (at(p) === ')') this.unsupported('extended voice overlay (& ... &)', s.slice(p - 1, p + 10));
          this.splitVoice();
          break;
        case '/':
          p++;
          if (!this.v.inGrace) this.warn('stray / not in grace sequence');
          break;
        default: {
          const expansion = this.abbreviations.get(c);
          if (expansion !== undefined) this.instruction(expansion);
          else if (!/[A-Za-z]/.test(c)) this.warn(`unrecognized character: ${c}`);
          p++;
        }
      }
    }
    this.skipFeature(); // MUSICSTOP
  }

  /** abc2midi's event_handle_instruction for the !...! names that change notes; the rest change only print or loudness. */
  private instruction(text: string): void {
    // abc2midi compares the text up to its first space, and only when it does not start with one.
    const name = text.startsWith(' ') ? '' : text.split(' ')[0]!;
    if (name === 'fermata') this.passback.fermata = true;
    else if (name === 'trill') this.passback.trill = true;
    else if (name === 'breath') this.passback.breath = true;
  }

  private parseNote(s: string, start: number): number {
    let p = start;
    const at = (i: number): string => s[i] ?? '';
    const deco: Decorations = { ...this.passback };
    if (!this.parserInChord) this.passback = { ...NO_DECORATIONS };
    while (p < s.length && DECORATION_CHARS.includes(s[p]!)) {
      switch (s[p]) {
        case '.':
          deco.staccato = true;
          break;
        case "'":
          deco.breath = true;
          break;
        case 'H':
          deco.fermata = true;
          break;
        case 'R':
          deco.roll = true;
          break;
        case '~':
          deco.ornament = true;
          break;
        case 'T':
          deco.trill = true;
          break;
        default:
          break;
      }
      p++;
    }
    if (at(p) === '[') {
      this.chordDecorations = { ...deco };
      this.chordOn(deco);
      this.parserInChord = true;
      p++;
      while (at(p) === ' ' || at(p) === '\t') p++;
    }
    const noteDeco = this.parserInChord ? orDecorations(deco, this.chordDecorations) : deco;
    this.column = p + 1;
    const posBefore = p;
    const save = { p };
    const readLenAt = (): [number, number] => readLenFrom(s, save, (msg) => this.warn(msg));
    if (at(p) === 'z' || at(p) === 'x') {
      save.p = p + 1;
      const [n, m] = readLenAt();
      this.rest(noteDeco, n, m);
      return save.p;
    }
    let accidental = ' ';
    let mult = 1;
    const a = at(p);
    if (a === '_' || a === '^') {
      accidental = a;
      p++;
      if (at(p) === a) {
        mult = 2;
        p++;
      }
    } else if (a === '=') {
      accidental = '=';
      p++;
    }
    const letterChar = at(p);
    if (!/[a-gA-G]/.test(letterChar)) {
      this.warn(`missing note after "${s.slice(start, p + 1)}"`);
      return Math.max(p + (p === posBefore ? 1 : 0), start + 1);
    }
    p++;
    let octave = letterChar >= 'a' ? 1 : 0;
    while (at(p) === "'" || at(p) === ',') {
      octave += at(p) === "'" ? 1 : -1;
      p++;
    }
    save.p = p;
    const [n, m] = readLenAt();
    this.note(noteDeco, letterChar.toUpperCase() as NoteLetter, accidental, mult, octave, n, m);
    return save.p;
  }

  /** MIDI pitch of a letter with an accidental (' ' for none), keeping the bar's accidentals as abc2midi's pitchof_b. */
  private pitchOf(letter: NoteLetter, accidental: string, mult: number, octave: number): number {
    const li = LETTERS.indexOf(letter);
    const oi = Math.max(0, Math.min(OCTAVES - 1, octave + 4));
    const map = this.v.workMap[li]!;
    let shift: number;
    if (accidental === ' ') {
      shift = map[oi]!;
    } else {
      shift = accidental === '^' ? mult : accidental === '_' ? -mult : 0;
      // abc2midi's default (2): an accidental holds for that letter in every octave until the bar line.
      if (this.propagate === 1) map[oi] = shift;
      else if (this.propagate === 2) map.fill(shift);
    }
    return this.middleC + 12 * octave + SCALE[letter] + shift;
  }

  /** The key-signature neighbour a roll or cut uses: one letter up or down, sharp or flat as the key has it (never double). */
  private neighbour(letter: NoteLetter, octave: number, step: 1 | -1): number {
    const li = LETTERS.indexOf(letter);
    const ni = (li + step + 7) % 7;
    const oct = step === 1 && ni === 0 ? octave + 1 : step === -1 && ni === 6 ? octave - 1 : octave;
    const l = LETTERS[ni]!;
    return this.middleC + 12 * oct + SCALE[l] + Math.sign(this.v.baseMap[ni]!);
  }

  private addUnits(num: number, den: number): void {
    if (!this.hornpipe || Number.isNaN(this.v.unitDenom)) return;
    this.barPos = frac(this.barPos.n * den * this.v.unitDenom + num * this.barPos.d, this.barPos.d * den * this.v.unitDenom);
  }

  private hornp(num: number, den: number): void {
    if (!this.hornpipe) return;
    if (num * this.lastDen === this.lastNum * den && num === 1 && den * this.timeNum === 32) {
      const bd = this.barPos.d;
      if ((this.timeNum === 4 && bd === 8) || (this.timeNum === 2 && bd === 16)) {
        this.v.brokenType = 'gt';
        this.v.brokenMult = 1;
        this.v.brokenPending = 0;
      }
    }
    this.lastNum = num;
    this.lastDen = den;
  }

  private tupleScale(num: number, den: number): [number, number] {
    if (this.tupleCount > 0) {
      num *= this.tfactNum;
      den *= this.tfactDen;
      if (!this.v.inGrace && !this.v.inChord) this.tupleCount--;
    }
    return [num, den];
  }

  /** abc2midi's event_note. */
  private note(deco: Decorations, letter: NoteLetter, accidental: string, mult: number, octave: number, n: number, m: number): void {
    const v = this.v;
    if (v.inGrace && !this.options.graces) return; // abc2midi -NGRA leaves grace notes out
    const oct = octave + (v.octaveShift === 0 ? v.clefOffset : v.octaveShift);
    if (v.inChord) v.chordCount++;
    const [scaledNum, den] = this.tupleScale(n, m);
    let num = scaledNum;
    if (!v.inGrace && !v.inChord) this.hornp(num, den * v.unitDenom);
    else this.lastNum = 3;
    if (!v.inGrace && (!v.inChord || v.chordCount === 1)) this.addUnits(num, den);
    const pitch = this.pitchOf(letter, accidental, mult, oct);
    const pitchline = this.middleC + 12 * oct + SCALE[letter];
    const perform = this.options.perform;
    let numDen = den;
    if (deco.fermata && perform) [num, numDen] = this.fermata(num, den);
    const len = this.quarters(num, numDen);
    if (v.chordCount === 1) v.chordLen = len;
    const origin: NoteOrigin = v.inGrace ? 'grace' : 'written';
    if ((deco.roll || deco.ornament || deco.trill) && perform) {
      if (v.inChord) {
        this.warn('rolls and trills are not supported in chords: abc2midi plays the note for half its length');
        this.add('note', { pitch, pitchline, len: this.quarters(num, 2 * numDen), origin });
        return;
      }
      if (deco.trill) {
        this.add('note', { pitch, pitchline, len, origin, ornament: { kind: 'trill', up: this.neighbour(letter, oct, 1), down: 0 } });
      } else if (deco.ornament) {
        this.doOrnament(letter, oct, num, numDen, pitch, pitchline);
      } else {
        const ornament: Ornament = { kind: 'roll', up: this.neighbour(letter, oct, 1), down: this.neighbour(letter, oct, -1) };
        this.add('note', { pitch, pitchline, len, origin, ornament });
      }
      this.mark();
      return;
    }
    if ((deco.staccato || deco.breath) && perform) {
      const half = this.quarters(num, 2 * numDen);
      if (v.inChord) {
        if (v.chordCount === 1) this.add('rest', { pitch, len });
        this.add('note', { pitch, pitchline, len: half, origin });
      } else {
        this.add('note', { pitch, pitchline, len: half, origin });
        this.markStart();
        this.add('rest', { pitch, len: half });
        this.markEnd();
      }
      return;
    }
    this.add('note', { pitch, pitchline, len, origin });
    if (!v.inChord) this.mark();
    // genmidi looks two features past a note for the slur's end; this marker keeps its count right.
    if (v.inSlur && !v.inGrace) this.add('slurtie');
  }

  /** A fermata doubles the length, or adds one unit with %%MIDI fermatafixed. */
  private fermata(num: number, den: number): [number, number] {
    return this.fermataFixed ? [num + den, den] : [num * 2, den];
  }

  /** abc2midi's doornament (~): a cut, a one-unit grace note on the upper neighbour; a dotted note gets two cuts. */
  private doOrnament(letter: NoteLetter, octave: number, n: number, m: number, pitch: number, pitchline: number): void {
    const up = this.neighbour(letter, octave, 1);
    const down = this.neighbour(letter, octave, -1);
    this.markStart();
    const units = frac(n, m);
    if (units.n === 3 && units.d === 1) {
      const nn = Math.max(1, Math.floor(n / 3));
      this.add('note', { pitch, pitchline, len: this.quarters(nn, 1), origin: 'written' });
      this.makeCut(pitch, pitchline, up, nn, m, 'ornament');
      this.makeCut(pitch, pitchline, down, nn, m, 'ornament');
    } else {
      this.makeCut(pitch, pitchline, up, n, m, 'written');
    }
    this.markEnd();
  }

  /** abc2midi's makecut: a one-unit grace note, then the note; `origin` is the note's (the written one, or a repeat of it). */
  private makeCut(main: number, pitchline: number, short: number, n: number, m: number, origin: NoteOrigin): void {
    this.add('graceon');
    this.add('note', { pitch: short, pitchline: short, len: this.quarters(1, 1), origin: 'ornament' });
    this.add('graceoff');
    this.add('note', { pitch: main, pitchline, len: this.quarters(n, m), origin });
  }

  private rest(deco: Decorations, n: number, m: number): void {
    const v = this.v;
    if (v.inGrace && !this.options.graces) return;
    let num = n;
    let den = m;
    if (deco.fermata && this.options.perform) [num, den] = this.fermata(num, den);
    if (v.inChord) v.chordCount++;
    const [tn, td] = this.tupleScale(num, den);
    const len = this.quarters(tn, td);
    if (v.chordCount === 1) v.chordLen = len;
    if (!v.inGrace && (!v.inChord || v.chordCount === 1)) this.addUnits(tn, td);
    this.lastNum = 3;
    this.add('rest', { len });
    if (!v.inChord) this.mark();
  }

  private multiRest(bars: number): void {
    const count = Math.min(bars, 1000);
    if (bars > count) this.warn(`multi-measure rest Z${bars} cut to ${count} bars`);
    for (let i = 0; i < count; i++) {
      // A whole bar of the current meter, as abc2midi's event_mrest.
      this.lastNum = 3;
      this.add('rest', { len: frac(this.mtime.num * 4, this.mtime.den) });
      this.mark();
      if (i !== count - 1) this.bar('single', '');
    }
  }

  private chordOn(deco: Decorations): void {
    const v = this.v;
    if (v.inChord) {
      this.warn('attempt to nest chords');
      return;
    }
    this.chordDecorations = deco;
    v.chordStart = v.features.length;
    this.add('chordon');
    v.inChord = true;
    v.chordCount = 0;
    v.chordLen = ZERO;
    this.markStart();
  }

  private chordOff(n: number, m: number): void {
    const v = this.v;
    if (!v.inChord) {
      this.warn('chord already finished');
      return;
    }
    let cn = n;
    let cm = m;
    if (this.tupleCount > 0) {
      cn *= this.tfactNum;
      cm *= this.tfactDen;
    }
    if (n === 1 && m === 1) {
      this.add('chordoff', { len: v.chordLen });
    } else {
      let len = this.quarters(cn, cm);
      if (this.chordDecorations.fermata && this.options.perform) len = mul(len, frac(2));
      const end = this.add('chordoffex', { len });
      // abc2midi gives every note of the chord the length written after ].
      for (let j = v.chordStart; j < v.features.length - 1; j++) {
        const f = v.features[j]!;
        if (f.kind === 'note' || f.kind === 'tnote' || f.kind === 'rest') f.len = end.len;
      }
    }
    v.inChord = false;
    v.chordCount = 0;
    this.markEnd();
    if (this.tupleCount > 0) this.tupleCount--;
  }

  private tuple(n: number, q: number, r: number): void {
    if (this.tupleCount > 0) {
      this.warn('nested tuples');
      return;
    }
    this.tupleCount = r === 0 ? n : r;
    if (q !== 0) {
      this.tfactNum = q;
      this.tfactDen = n;
    } else if (n < 2 || n > 9) {
      this.warn(`only tuples (2 - (9 allowed, not (${n}`);
      this.tfactNum = 1;
      this.tfactDen = 1;
      this.tupleCount = 0;
    } else {
      if (n === 2 || n === 4 || n === 8) this.tfactNum = 3;
      else if (n === 3 || n === 6) this.tfactNum = 2;
      else this.tfactNum = this.timeNum % 3 === 0 ? 3 : 2;
      this.tfactDen = n;
    }
  }

  private broken(type: 'gt' | 'lt', k: number): void {
    const v = this.v;
    if (v.inChord) this.warn('broken rhythm not allowed in chord');
    else if (v.inGrace) this.warn('broken rhythm not allowed in grace notes');
    else {
      v.brokenType = type;
      v.brokenMult = k;
      v.brokenPending = 0;
    }
  }

  private tie(): void {
    const v = this.v;
    if (v.inGrace && !this.options.graces) return;
    const last = v.features[v.features.length - 1];
    if (last && (last.kind === 'chordoff' || last.kind === 'chordoffex')) {
      // A tie after a chord ties each of its notes.
      for (let i = v.features.length - 1; i >= v.chordStart && i >= 0; i--) {
        const f = v.features[i]!;
        const next = v.features[i + 1];
        if (f.kind === 'note' && next?.kind !== 'tie') {
          v.features.splice(i + 1, 0, { kind: 'tie', pitch: 0, pitchline: 0, len: ZERO, line: this.line, column: this.column });
        }
      }
      return;
    }
    this.add('tie');
  }

  private slurOn(): void {
    if (this.v.inSlur) return;
    this.add('sluron');
    this.v.inSlur = true;
  }

  private slurOff(): void {
    if (!this.v.inSlur) return;
    this.add('sluroff');
    this.v.inSlur = false;
  }

  /** abc2midi's event_graceon: grace notes keep their own broken-rhythm context. */
  private graceOn(): void {
    const v = this.v;
    if (v.inGrace) this.warn('nested grace notes not allowed');
    else if (v.inChord) this.warn('grace notes not allowed in chord');
    else {
      v.inGrace = true;
      this.add('graceon');
      v.brokenStack = [v.lastStart, v.lastEnd, v.thisStart, v.thisEnd, v.brokenType, v.brokenMult, v.brokenPending];
      v.lastStart = v.lastEnd = v.thisStart = v.thisEnd = -1;
      v.brokenPending = -1;
    }
  }

  private graceOff(): void {
    const v = this.v;
    if (!v.inGrace) {
      this.warn('} without matching {');
      return;
    }
    v.inGrace = false;
    this.add('graceoff');
    if (v.brokenPending !== -1) this.warn('unresolved broken rhythm in grace notes');
    [v.lastStart, v.lastEnd, v.thisStart, v.thisEnd, v.brokenType, v.brokenMult, v.brokenPending] = v.brokenStack;
  }

  /** abc2midi's event_bar: a bar written inside an overlay belongs to the voice the overlay started from. */
  private bar(kind: BarKind, rep: string): void {
    if (this.v.inChord) this.warn('bar line inside a chord');
    if (this.splitDepth > 0) this.recurseBack();
    this.add('bar', { bar: kind });
    this.v.copyMap();
    this.barPos = ZERO;
    if (rep !== '') this.playOn(rep);
    // Every overlay of this voice gets the bar line too, with rests for the bars it was silent in.
    while (this.v.splitChild !== null) {
      this.v = this.v.splitChild;
      this.splitDepth++;
      this.voiceSwitch();
      this.syncVoice(this.v, 0, false);
    }
    if (this.v.splitParent !== null || this.splitDepth > 0) this.recurseBack();
  }

  private playOn(list: string): void {
    const passes = passMatcher(list);
    if (!passes) {
      this.warn(`corrupted variant ending "${list}"`);
      return;
    }
    const v = this.v;
    const prev = v.features[v.features.length - 1];
    const afterBar = v.features.length > v.lineStart && prev?.kind === 'bar' && (prev.bar === 'single' || prev.bar === 'repBar');
    this.add('playon', { passes, text: list, afterBar });
  }

  /** abc2midi's event_split_voice (&): the music after it sounds with the bar it interrupts, in a voice of its own. */
  private splitVoice(): void {
    const v = this.v;
    this.barPos = ZERO;
    if (v.top === v) this.syncTo = lastBarLine(v.features, v.features.length - 1);
    this.add('bar', { bar: 'single' });
    // abc2midi's first overlay puts a VOICE 1 feature before the first music, so voice 1's music counts as a voice's.
    if (!this.voicesUsed) this.voices.get('1')!.voiceFromStart = true;
    this.voicesUsed = true;
    let child = v.splitChild;
    if (child !== null) this.voiceSwitch();
    if (child === null) {
      child = this.newVoice(`${v.id}&${this.voices.size}`);
      child.splitParent = v;
      child.top = v.top;
      child.sawMusicLine = true;
      child.octaveShift = v.octaveShift;
      child.clefOffset = v.clefOffset;
      // A marker where abc2midi's VOICE feature would be: a missing |: is placed after it.
      child.features.push({ kind: 'nonote', text: 'overlay', pitch: 0, pitchline: 0, len: ZERO, line: this.line, column: this.column, seq: ++this.seq });
      v.splitChild = child;
    }
    child.baseMap = [...v.baseMap];
    child.copyMap();
    child.unit = v.unit;
    child.unitDenom = v.unitDenom;
    this.splitDepth++;
    this.v = child;
    this.syncVoice(child, this.syncTo, true);
  }

  /** abc2midi's recurse_back_to_original_voice; `voiceFeature` when abc2midi writes a VOICE feature for it. */
  private recurseBack(voiceFeature = true): void {
    let v = this.v;
    while (v.splitParent !== null && this.splitDepth > 0) {
      v = v.splitParent;
      this.splitDepth--;
    }
    this.v = v;
    if (voiceFeature) this.voiceSwitch();
    v.copyMap();
  }

  /**
   * abc2midi's sync_voice: copies the top voice's bar lines, repeats and meter changes since the last sync into the
   * overlay voice, with a rest for the time of the notes between them, so that the overlay keeps its bars.
   */
  private syncVoice(voice: VoiceStore, syncTo: number, ignoreCurrentBar: boolean): void {
    const top = voice.top.features;
    let j = voice.resync;
    // The || abc2midi's scan puts before the first music is not yet there when it syncs.
    if (j === 0 && top[0]?.kind === 'bar' && top[0].bar === 'double') j = 1;
    const max = ignoreCurrentBar ? syncTo : top.length - 1;
    let rest: Frac = ZERO;
    let insideChord = 0;
    let inGrace = false;
    for (; j <= max && j < top.length; j++) {
      const f = top[j]!;
      switch (f.kind) {
        case 'chordon':
          insideChord = 1;
          break;
        case 'chordoff':
        case 'chordoffex':
          insideChord = 0;
          break;
        case 'bar':
          if (rest.n > 0) this.add('rest', { len: rest, text: 'sync' }, voice);
          rest = ZERO;
          this.add('bar', { bar: f.bar! }, voice);
          break;
        case 'playon':
          // abc2midi copies a variant ending only when the feature before it is | or :| (or a voice change).
          if (f.afterBar || j === voice.resync) this.add('playon', { passes: f.passes!, text: f.text!, afterBar: true }, voice);
          break;
        case 'time':
          this.add('time', { meter: f.meter ?? null }, voice);
          break;
        case 'trim':
          this.add('trim', { len: f.len }, voice);
          break;
        case 'graceon':
          inGrace = true;
          break;
        case 'graceoff':
          inGrace = false;
          break;
        case 'note':
        case 'tnote':
        case 'rest':
          if (insideChord < 2 && !inGrace) rest = frac(rest.n * f.len.d + f.len.n * rest.d, rest.d * f.len.d);
          if (insideChord) insideChord++;
          break;
        default:
          break;
      }
    }
    voice.resync = top.length;
  }

  private markStart(): void {
    const v = this.v;
    v.lastStart = v.thisStart;
    v.lastEnd = v.thisEnd;
    // Chord symbols are not in abc2midi's list when it leaves them out (-NGUI, the reference run); skip them here.
    let i = v.features.length - 1;
    while (i > 0 && v.features[i]!.kind === 'gchord') i--;
    v.thisStart = i;
  }

  private markEnd(): void {
    const v = this.v;
    v.thisEnd = v.features.length - 1;
    if (v.brokenPending !== -1) {
      v.brokenPending++;
      if (v.brokenPending === 1) {
        this.brokenAdjust();
        v.brokenPending = -1;
      }
    }
  }

  private mark(): void {
    this.markStart();
    this.markEnd();
  }

  private brokenAdjust(): void {
    const v = this.v;
    let num1: number;
    let num2: number;
    if (v.brokenMult === 1) {
      num1 = this.ratioB;
      num2 = this.ratioA;
    } else if (v.brokenMult === 2) {
      num1 = 7;
      num2 = 1;
    } else {
      num1 = 15;
      num2 = 1;
    }
    const denom12 = Math.floor((num1 + num2) / 2);
    if (v.brokenType === 'lt') [num1, num2] = [num2, num1];
    const ls = v.features[v.lastStart];
    const ts = v.features[v.thisStart];
    let failed = v.lastStart < 0 || v.lastEnd < 0 || v.thisStart < 0 || v.thisEnd < 0 || !ls || !ts;
    if (!failed && ls && ts) {
      // abc2midi compares the num/denom of the first features, whatever they are (a chord start's 0/0 always passes).
      const [ln, ld] = abcRatio(ls);
      const [tn, td] = abcRatio(ts);
      failed = ln * td !== tn * ld;
    }
    if (failed) {
      this.warn('cannot apply broken rhythm: notes not of equal durations');
      return;
    }
    const scale = (from: number, to: number, f: Frac): void => {
      for (let j = from; j <= to; j++) {
        const x = v.features[j]!;
        if (x.kind === 'note' || x.kind === 'rest' || x.kind === 'chordoff' || x.kind === 'chordoffex') x.len = mul(x.len, f);
      }
    };
    scale(v.lastStart, v.lastEnd, frac(num1, denom12));
    scale(v.thisStart, v.thisEnd, frac(num2, denom12));
  }
}

/** The num/denom abc2midi keeps for a feature, which its broken-rhythm check compares even for features without a length. */
function abcRatio(f: Feature): [number, number] {
  switch (f.kind) {
    case 'note':
    case 'tnote':
    case 'rest':
    case 'chordoff':
    case 'chordoffex':
    case 'trim':
    case 'expand':
      return [f.len.n, f.len.d];
    case 'key':
      return [0, f.key && (f.key.mode === 'minor') ? 1 : 0];
    case 'time':
      return f.meter ? [f.meter.numerator, f.meter.denominator] : [0, 0];
    case 'tempo': {
      const t = f.tempo;
      if (!t) return [0, 0];
      const micros = Math.floor((60_000_000 * t.beat.denominator) / (t.beatsPerMinute * 4 * t.beat.numerator));
      return [micros >> 16, micros & 0xffff];
    }
    case 'playon':
      return /^\d+$/.test(f.text ?? '') && Number(f.text) !== 0 ? [0, Number(f.text)] : [0, 0];
    case 'setgrace':
      return f.grace ? [f.grace.num, f.grace.den] : [0, 0];
    default:
      return [0, 0];
  }
}

function orDecorations(a: Decorations, b: Decorations): Decorations {
  return {
    staccato: a.staccato || b.staccato,
    fermata: a.fermata || b.fermata,
    roll: a.roll || b.roll,
    ornament: a.ornament || b.ornament,
    trill: a.trill || b.trill,
    breath: a.breath || b.breath,
  };
}

/** The signature's own shift for a letter (before explicit accidentals). */
function signatureShift(details: KeyDetails, letter: NoteLetter): number {
  return details.signature[letter];
}

/** Parameters of a V: field that change pitches: clef octave, octave=, transpose=. */
function voiceParams(text: string, warn: (msg: string) => void): Pick<KeyDetails, 'clefOffset' | 'octave' | 'transpose' | 'sound'> {
  const d = parseKeyDetails(text, warn, true);
  return { clefOffset: d.clefOffset, octave: d.octave, transpose: d.transpose, sound: d.sound };
}

/** abc2midi's search_backwards_for_last_bar_line: the last bar line or variant ending at or before `from`, else 0. */
function lastBarLine(features: readonly Feature[], from: number): number {
  for (let j = from; j > 0; j--) {
    const f = features[j]!;
    if (f.kind === 'bar' || f.kind === 'playon') return j;
  }
  return 0;
}

function unitDenomOf(u: AbcUnitLength): number {
  return u.denominator % u.numerator === 0 ? u.denominator / u.numerator : Number.NaN;
}

function readLenFrom(s: string, cur: { p: number }, warn: (msg: string) => void): [number, number] {
  const at = (i: number): string => s[i] ?? '';
  const readNum = (): number => {
    let v = 0;
    let digits = 0;
    while (cur.p < s.length && s[cur.p]! >= '0' && s[cur.p]! <= '9') {
      if (v < 1e8) v = v * 10 + (s.charCodeAt(cur.p) - 48);
      digits++;
      cur.p++;
    }
    return digits === 0 ? 0 : v;
  };
  let a = readNum();
  if (a === 0) a = 1;
  let b = 1;
  if (at(cur.p) === '/') {
    cur.p++;
    b = readNum();
    if (b === 0) {
      b = 2;
      while (at(cur.p) === '/' && b < 1024) {
        b *= 2;
        cur.p++;
      }
    }
  }
  if ((b & (b - 1)) !== 0) warn(`note length denominator ${b} is not a power of 2`);
  return [a, b];
}

/** Reads a variant-ending list ("1", "1,3", "1-3") into a test on the pass number. */
export function passMatcher(list: string): ((pass: number) => boolean) | null {
  if (!/^\d/.test(list)) return null;
  const single = /^(\d+)$/.exec(list);
  if (single) {
    const v = Number(single[1]);
    if (v !== 0) return (pass) => pass === v;
  }
  const ranges: Array<[number, number]> = [];
  for (const part of list.split(',')) {
    const r = /^(\d+)(?:-(\d+))?/.exec(part);
    if (!r) continue;
    const a = Number(r[1]);
    ranges.push([a, r[2] === undefined ? a : Number(r[2])]);
  }
  return (pass) => ranges.some(([a, b]) => pass >= a && pass <= b);
}
