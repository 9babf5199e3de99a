// Turns the body of one ABC tune into abc2midi's "feature" list: notes, rests, ties, bars, chords in written order.
// Lengths already carry broken rhythm, tuplets and hornpipe swing, exactly as abc2midi's store stage does.
import { FieldError, LETTERS, parseKey, parseMeter, parseTempo, parseUnitLength } from './fields';
import { frac, mul, ZERO, type Frac } from './fraction';
import type { AbcKey, AbcMeter, AbcTempo, AbcUnitLength, NoteLetter } from './types';

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
  | 'nonote';

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
  key?: AbcKey;
  meter?: AbcMeter | null;
  tempo?: AbcTempo;
  line: number;
  column: number;
}

/** Which decorations abc2midi gives a meaning in time; the others only change how music is printed. */
interface Decorations {
  staccato: boolean;
  fermata: boolean;
}

const DECORATION_CHARS = ".MLRH~Tuv'OPS";

export interface TuneHeader {
  meter: AbcMeter | null;
  unitLength: AbcUnitLength;
  key: AbcKey;
  /** Expanded P: part order from the header, or null. */
  partOrder: string | null;
  hornpipe: boolean;
}

export interface StoreResult {
  features: Feature[];
  /** Index of each part label's start feature. */
  partStart: Map<string, number>;
}

/** Semitone shift of each letter in the order c d e f g a b (abc2midi's map order). */
type AccMap = number[];

const SCALE: Record<NoteLetter, number> = { C: 0, D: 2, E: 4, F: 5, G: 7, A: 9, B: 11 };

function keyMap(key: AbcKey): AccMap {
  return LETTERS.map((l) => key.accidentals[l]);
}

function letterIndex(letter: NoteLetter): number {
  return LETTERS.indexOf(letter);
}

/**
 * The store stage for one tune body. Warnings go to `warn`; a line/column is attached by the caller.
 * Mirrors abc2midi's event_note / event_rest / event_bar / brokenadjust so that lengths match it.
 */
export class BodyStore {
  readonly features: Feature[] = [];
  readonly partStart = new Map<string, number>();
  private readonly warnings: (msg: string, line: number, column: number) => void;
  private line = 0;
  private column = 0;

  private unit: AbcUnitLength;
  /** The integer abc2midi keeps for L: (8 for 1/8); NaN when L: is not 1/n. */
  private unitDenom: number;
  private readonly headerUnit: AbcUnitLength;
  private readonly timeNum: number;
  private mtime: { num: number; den: number };
  private baseMap: AccMap;
  private workMap: AccMap;
  private hornpipe: boolean;
  private ratioA = 2;
  private ratioB = 6;
  private lastNum = 3;
  private lastDen = 1;
  private barPos: Frac = ZERO;

  private tupleCount = 0;
  private tfactNum = 1;
  private tfactDen = 1;

  private inChord = false;
  private chordCount = 0;
  private chordStart = -1;
  private chordLen: Frac = ZERO;

  private inGrace = false;
  private chordInGrace = false;
  private brokenType: 'gt' | 'lt' = 'gt';
  private brokenMult = 1;
  private brokenPending = -1;
  private lastStart = -1;
  private lastEnd = -1;
  private thisStart = -1;
  private thisEnd = -1;

  private passback: Decorations = { staccato: false, fermata: false };
  private chordDecorations: Decorations = { staccato: false, fermata: false };
  private sawMusicLine = false;
  private readonly parts: boolean;
  private headerPartLabel: string | null = null;
  private warnedVoices = false;

  constructor(header: TuneHeader, warn: (msg: string, line: number, column: number) => void) {
    this.warnings = warn;
    this.unit = header.unitLength;
    this.headerUnit = header.unitLength;
    this.unitDenom = unitDenomOf(header.unitLength);
    const m = header.meter ?? { numerator: 4, denominator: 4 };
    this.timeNum = m.numerator;
    this.mtime = { num: m.numerator, den: m.denominator };
    this.baseMap = keyMap(header.key);
    this.workMap = [...this.baseMap];
    this.hornpipe = header.hornpipe;
    if (this.hornpipe) {
      this.ratioA = 2;
      this.ratioB = 4;
    }
    this.parts = header.partOrder !== null;
    if (header.partOrder !== null && header.partOrder.length === 1) {
      // A single-letter P: in the header may be a label rather than an order (abc2midi's guess).
      this.headerPartLabel = header.partOrder;
      this.partStart.set(header.partOrder, this.features.length);
      this.add('part', { text: header.partOrder });
    }
  }

  private warn(msg: string): void {
    this.warnings(msg, this.line, this.column);
  }

  private add(kind: FeatureKind, extra: Partial<Feature> = {}): Feature {
    const f: Feature = { kind, pitch: 0, pitchline: 0, len: ZERO, line: this.line, column: this.column, ...extra };
    this.features.push(f);
    return f;
  }

  /** Length in quarters of n/m units of L:. */
  private quarters(n: number, m: number): Frac {
    return frac(n * 4 * this.unit.numerator, m * this.unit.denominator);
  }

  // ---------------------------------------------------------------- fields in the body

  field(letter: string, value: string, line: number, column: number): void {
    this.line = line;
    this.column = column;
    try {
      switch (letter) {
        case 'K': {
          const key = parseKey(value, (msg) => this.warn(msg));
          if (key) {
            this.baseMap = keyMap(key);
            this.workMap = [...this.baseMap];
            this.add('key', { key });
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
          this.unit = parseUnitLength(value);
          this.unitDenom = unitDenomOf(this.unit);
          break;
        case 'Q': {
          const tempo = parseTempo(value, this.headerUnit);
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
            const old = this.partStart.get(label);
            if (old !== undefined) this.features[old]!.kind = 'nonote';
          } else if (this.partStart.has(label)) {
            this.warn(`part ${label} defined more than once`);
          }
          this.partStart.set(label, this.features.length);
          this.add('part', { text: label });
          break;
        }
        case 'R':
          if (/^\s*[Hh]ornpipe/.test(value)) {
            this.hornpipe = true;
            this.ratioA = 2;
            this.ratioB = 4;
          }
          break;
        case 'V':
          // V: lines and [V:] at the start of a line switch voices before the store sees them (parse.ts).
          if (!this.warnedVoices) this.warn('[V:] inside a line of music is not supported; it stays in the voice it began in');
          this.warnedVoices = true;
          break;
        default:
          break;
      }
    } catch (e) {
      if (e instanceof FieldError) this.warn(e.message);
      else throw e;
    }
  }

  // ---------------------------------------------------------------- music lines

  musicLine(text: string, line: number): void {
    this.line = line;
    if (!this.sawMusicLine) {
      // abc2midi puts a || before the first music line; missing |: are placed there.
      this.sawMusicLine = true;
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
            this.add('gchord', { text: s.slice(p + 1, end) });
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
            if (at(p) === '&') p++;
          } else {
            this.tuple(t, q, r);
          }
          break;
        }
        case ')':
          p++;
          break;
        case '{':
          p++;
          this.inGrace = true;
          break;
        case '}':
          p++;
          this.inGrace = false;
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
            this.field(d, s.slice(p + 2, end), this.line, p + 1);
            p = close < 0 ? n : close + 1;
          } else {
            this.chordOn({ ...this.passback });
          }
          break;
        }
        case ']':
          p++;
          if (!this.inChord && at(p) === '|') {
            p++;
            this.bar('double', '');
          } else {
            const [cn, cm] = readLen();
            this.chordOff(cn, cm);
          }
          this.chordDecorations = { staccato: false, fermata: false };
          this.passback = { staccato: false, fermata: false };
          break;
        case 'x':
        case 'z': {
          p++;
          const [rn, rm] = readLen();
          const deco = this.passback;
          this.passback = { staccato: false, fermata: false };
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
            this.instruction(s.slice(p + 1, close));
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
          if (at(p) === ')') p++;
          else this.warn('voice overlay & is not supported; its notes are read in sequence');
          break;
        case '/':
          p++;
          if (!this.inGrace) this.warn('stray / not in grace sequence');
          break;
        default:
          if (!/[A-Za-z]/.test(c)) this.warn(`unrecognized character: ${c}`);
          p++;
      }
    }
  }

  private instruction(s: string): void {
    if (s === 'fermata') this.passback.fermata = true;
    // Other !...! decorations (trill, roll, dynamics) do not change the notes read here.
  }

  private parseNote(s: string, start: number): number {
    let p = start;
    const at = (i: number): string => s[i] ?? '';
    const deco: Decorations = { ...this.passback };
    if (!this.inChord) this.passback = { staccato: false, fermata: false };
    while (p < s.length && DECORATION_CHARS.includes(s[p]!)) {
      if (s[p] === '.' || s[p] === "'") deco.staccato = true;
      if (s[p] === 'H') deco.fermata = true;
      p++;
    }
    if (at(p) === '[') {
      this.chordOn(deco);
      p++;
      while (at(p) === ' ' || at(p) === '\t') p++;
    }
    if (this.inChord) {
      deco.staccato ||= this.chordDecorations.staccato;
      deco.fermata ||= this.chordDecorations.fermata;
    }
    this.column = p + 1;
    const posBefore = p;
    const save = { p };
    const readLenAt = (): [number, number] => readLenFrom(s, save, (msg) => this.warn(msg));
    if (at(p) === 'z' || at(p) === 'x') {
      save.p = p + 1;
      const [n, m] = readLenAt();
      this.rest(deco, n, m);
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
      this.warn(`missing note after "${s.slice(posBefore, p + 1)}"`);
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
    this.note(deco, letterChar.toUpperCase() as NoteLetter, accidental, mult, octave, n, m);
    return save.p;
  }

  private pitchOf(letter: NoteLetter, accidental: string, mult: number, octave: number): number {
    const li = letterIndex(letter);
    let shift: number;
    if (accidental === ' ') {
      shift = this.workMap[li]!;
    } else {
      shift = accidental === '^' ? mult : accidental === '_' ? -mult : 0;
      // abc2midi's default: an accidental holds for that letter in every octave until the bar line.
      this.workMap[li] = shift;
    }
    return 60 + 12 * octave + SCALE[letter] + shift;
  }

  private addUnits(num: number, den: number): void {
    if (!this.hornpipe || Number.isNaN(this.unitDenom)) return;
    this.barPos = addFrac(this.barPos, frac(num, den * this.unitDenom));
  }

  private hornp(num: number, den: number): void {
    if (!this.hornpipe) return;
    if (num * this.lastDen === this.lastNum * den && num === 1 && den * this.timeNum === 32) {
      const bd = this.barPos.d;
      if ((this.timeNum === 4 && bd === 8) || (this.timeNum === 2 && bd === 16)) {
        this.brokenType = 'gt';
        this.brokenMult = 1;
        this.brokenPending = 0;
      }
    }
    this.lastNum = num;
    this.lastDen = den;
  }

  private tupleScale(num: number, den: number): [number, number] {
    if (this.tupleCount > 0) {
      num *= this.tfactNum;
      den *= this.tfactDen;
      if (!this.inChord) this.tupleCount--;
    }
    return [num, den];
  }

  private note(deco: Decorations, letter: NoteLetter, accidental: string, mult: number, octave: number, n: number, m: number): void {
    if (this.inGrace || (this.inChord && this.chordInGrace)) return; // grace notes are left out, as abc2midi -NGRA does
    if (this.inChord) this.chordCount++;
    const [scaledNum, den] = this.tupleScale(n, m);
    let num = scaledNum;
    if (!this.inChord) this.hornp(num, den * this.unitDenom);
    else this.lastNum = 3;
    if (!this.inChord || this.chordCount === 1) this.addUnits(num, den);
    const pitch = this.pitchOf(letter, accidental, mult, octave);
    const pitchline = 60 + 12 * octave + SCALE[letter];
    if (deco.fermata) num *= 2;
    const len = this.quarters(num, den);
    if (this.chordCount === 1) this.chordLen = len;
    if (deco.staccato) {
      const half = mul(len, frac(1, 2));
      if (this.inChord) {
        if (this.chordCount === 1) this.add('rest', { len });
        this.add('note', { pitch, pitchline, len: half });
      } else {
        this.add('note', { pitch, pitchline, len: half });
        this.markStart();
        this.add('rest', { len: half });
        this.markEnd();
      }
      return;
    }
    this.add('note', { pitch, pitchline, len });
    if (!this.inChord) this.mark();
  }

  private rest(deco: Decorations, n: number, m: number): void {
    if (this.inGrace || (this.inChord && this.chordInGrace)) return;
    let num = n;
    if (deco.fermata) num *= 2;
    if (this.inChord) this.chordCount++;
    const [tn, td] = this.tupleScale(num, m);
    const len = this.quarters(tn, td);
    if (this.chordCount === 1) this.chordLen = len;
    if (!this.inChord || this.chordCount === 1) this.addUnits(tn, td);
    this.lastNum = 3;
    this.add('rest', { len });
    if (!this.inChord) this.mark();
  }

  private multiRest(bars: number): void {
    const count = Math.min(bars, 1000);
    if (bars > count) this.warn(`multi-measure rest Z${bars} cut to ${count} bars`);
    for (let i = 0; i < count; i++) {
      // A whole bar of the current meter, counted in L: units as abc2midi does.
      const len = frac(this.mtime.num * 4, this.mtime.den);
      this.lastNum = 3;
      this.add('rest', { len });
      this.mark();
      if (i !== count - 1) this.bar('single', '');
    }
  }

  private chordOn(deco: Decorations): void {
    if (this.inChord) {
      this.warn('attempt to nest chords');
      return;
    }
    this.chordInGrace = this.inGrace;
    if (this.inGrace) {
      // A chord of grace notes is left out with them.
      this.inChord = true;
      return;
    }
    this.chordDecorations = deco;
    this.chordStart = this.features.length;
    this.add('chordon');
    this.inChord = true;
    this.chordCount = 0;
    this.chordLen = ZERO;
    this.markStart();
  }

  private chordOff(n: number, m: number): void {
    if (!this.inChord) {
      this.warn('chord already finished');
      return;
    }
    if (this.chordInGrace) {
      this.inChord = false;
      this.chordInGrace = false;
      return;
    }
    let cn = n;
    let cm = m;
    if (this.tupleCount > 0) {
      cn *= this.tfactNum;
      cm *= this.tfactDen;
    }
    if (n === 1 && m === 1) {
      this.add('chordoff', { len: this.chordLen });
    } else {
      let len = this.quarters(cn, cm);
      if (this.chordDecorations.fermata) len = mul(len, frac(2));
      const end = this.add('chordoffex', { len });
      // abc2midi gives every note of the chord the length written after ].
      for (let j = this.chordStart; j < this.features.length - 1; j++) {
        const f = this.features[j]!;
        if (f.kind === 'note' || f.kind === 'tnote' || f.kind === 'rest') f.len = end.len;
      }
    }
    this.inChord = false;
    this.chordCount = 0;
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
    if (this.inChord) this.warn('broken rhythm not allowed in chord');
    else if (this.inGrace) this.warn('broken rhythm not allowed in grace notes');
    else {
      this.brokenType = type;
      this.brokenMult = k;
      this.brokenPending = 0;
    }
  }

  private tie(): void {
    if (this.inGrace) return;
    const last = this.features[this.features.length - 1];
    if (last && (last.kind === 'chordoff' || last.kind === 'chordoffex')) {
      // A tie after a chord ties each of its notes.
      for (let i = this.features.length - 1; i >= this.chordStart && i >= 0; i--) {
        const f = this.features[i]!;
        const next = this.features[i + 1];
        if (f.kind === 'note' && next?.kind !== 'tie') {
          this.features.splice(i + 1, 0, { kind: 'tie', pitch: 0, pitchline: 0, len: ZERO, line: this.line, column: this.column });
        }
      }
      return;
    }
    this.add('tie');
  }

  private bar(kind: BarKind, rep: string): void {
    if (this.inChord) {
      this.warn('bar line inside a chord');
    }
    this.add('bar', { bar: kind });
    this.workMap = [...this.baseMap];
    this.barPos = ZERO;
    if (rep !== '') this.playOn(rep);
  }

  private playOn(list: string): void {
    const passes = passMatcher(list);
    if (!passes) {
      this.warn(`corrupted variant ending "${list}"`);
      return;
    }
    this.add('playon', { passes, text: list });
  }

  private markStart(): void {
    this.lastStart = this.thisStart;
    this.lastEnd = this.thisEnd;
    this.thisStart = this.features.length - 1;
  }

  private markEnd(): void {
    this.thisEnd = this.features.length - 1;
    if (this.brokenPending !== -1) {
      this.brokenPending++;
      if (this.brokenPending === 1) {
        this.brokenAdjust();
        this.brokenPending = -1;
      }
    }
  }

  private mark(): void {
    this.markStart();
    this.markEnd();
  }

  private brokenAdjust(): void {
    let num1: number;
    let num2: number;
    if (this.brokenMult === 1) {
      num1 = this.ratioB;
      num2 = this.ratioA;
    } else if (this.brokenMult === 2) {
      num1 = 7;
      num2 = 1;
    } else {
      num1 = 15;
      num2 = 1;
    }
    const denom12 = Math.floor((num1 + num2) / 2);
    if (this.brokenType === 'lt') [num1, num2] = [num2, num1];
    const ls = this.features[this.lastStart];
    const ts = this.features[this.thisStart];
    let failed = this.lastStart < 0 || this.lastEnd < 0 || this.thisStart < 0 || this.thisEnd < 0 || !ls || !ts;
    if (!failed && ls && ts && ls.kind !== 'chordon' && ts.kind !== 'chordon') {
      // abc2midi compares the first features' lengths; a chord start has none and always passes.
      failed = ls.len.n * ts.len.d !== ts.len.n * ls.len.d;
    }
    if (failed) {
      this.warn('cannot apply broken rhythm: notes not of equal durations');
      return;
    }
    const scale = (from: number, to: number, f: Frac): void => {
      for (let j = from; j <= to; j++) {
        const x = this.features[j]!;
        if (x.kind === 'note' || x.kind === 'rest' || x.kind === 'chordoff' || x.kind === 'chordoffex') x.len = mul(x.len, f);
      }
    };
    scale(this.lastStart, this.lastEnd, frac(num1, denom12));
    scale(this.thisStart, this.thisEnd, frac(num2, denom12));
  }

  finish(): StoreResult {
    return { features: this.features, partStart: this.partStart };
  }
}

function addFrac(a: Frac, b: Frac): Frac {
  return frac(a.n * b.d + b.n * a.d, a.d * b.d);
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
