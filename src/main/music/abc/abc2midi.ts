// The conformance method of docs/abc.md: runs the reference reader abc2midi on ABC files and compares its melody with ours.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import midiPkg from '@tonejs/midi';
import { AbcUnsupportedError } from './errors';
import { parseAbcFile, splitTunes } from './parse';
import type { AbcTune, ParseAbcOptions } from './types';

const { Midi } = midiPkg;
const run = promisify(execFile);

export const ABC2MIDI = process.env.ABC2MIDI ?? '/usr/bin/abc2midi';

/** abc2midi's program is missing, so nothing can be compared. */
export class Abc2midiMissingError extends Error {
  constructor(path: string) {
    super(`abc2midi not found at ${path} (install the abcmidi package or set ABC2MIDI)`);
    this.name = 'Abc2midiMissingError';
  }
}

export interface RefNote {
  pitch: number;
  start: number;
  end: number;
}

export interface Reference {
  notes: RefNote[];
  ppq: number;
  tempos: Array<{ tick: number; bpm: number }>;
}

const byTime = (a: RefNote, b: RefNote): number => a.start - b.start || a.pitch - b.pitch || a.end - b.end;

/**
 * Reads an abc2midi MIDI file. abc2midi writes every note-on one tick late (its track starts with a delta of 1) and
 * the note-off one tick early, so a note at [t, t+d) comes out as [t+1, t+d); the onset shift is undone here.
 */
export function readReference(path: string): Reference {
  const midi = new Midi(readFileSync(path));
  const notes = midi.tracks.flatMap((t) => t.notes.map((n) => ({ pitch: n.midi, start: n.ticks - 1, end: n.ticks + n.durationTicks }))).sort(byTime);
  return { notes, ppq: midi.header.ppq, tempos: midi.header.tempos.map((t) => ({ tick: t.ticks, bpm: t.bpm })) };
}

export interface Abc2midiOptions {
  /** false runs abc2midi -NGRA (grace notes left out); the default plays them, as abc2midi does without flags. */
  graces?: boolean;
}

/**
 * The text abc2midi is given: %%MIDI chordattack 0 after each X: (chord notes together rather than 10 ticks apart),
 * and its accompaniment switched off (drones and drum patterns are tracks of their own, not the melody), as -NGUI
 * does for chord symbols.
 */
export function referenceText(text: string): string {
  return text
    .replace(/^(X:.*)$/gm, '$1\n%%MIDI chordattack 0')
    .replace(/^%%MIDI\s+(droneon|drumon)\b.*$/gm, '%')
    .replace(/!drum!/g, '');
}

/**
 * Converts every tune of an ABC file with abc2midi -NGUI (no chord accompaniment) and %%MIDI chordattack 0 (chord notes
 * together rather than 10 ticks apart). Returns the MIDI path of each X: number that abc2midi wrote.
 */
export async function convertWithAbc2midi(text: string, stem: string, workDir: string, options: Abc2midiOptions = {}): Promise<Map<number, string>> {
  if (!existsSync(ABC2MIDI)) throw new Abc2midiMissingError(ABC2MIDI);
  const file = `${stem}.abc`;
  writeFileSync(join(workDir, file), referenceText(text));
  const flags = ['-NGUI', '-silent', ...(options.graces === false ? ['-NGRA'] : [])];
  try {
    await run(ABC2MIDI, [file, ...flags], { cwd: workDir, maxBuffer: 1 << 26, timeout: 60_000 });
  } catch {
    // abc2midi exits non-zero on some errors but still writes the tunes it could; what it wrote is compared.
  }
  const out = new Map<number, string>();
  for (const t of splitTunes(text)) {
    const mid = join(workDir, `${stem}${t.referenceNumber}.mid`);
    if (existsSync(mid)) out.set(t.referenceNumber, mid);
  }
  return out;
}

/** Our melody (track 0) as reference notes, sorted like abc2midi's. */
export function melodyOf(tune: AbcTune): RefNote[] {
  return tune.sequence.notes
    .filter((n) => n.track === 0)
    .map((n) => ({ pitch: n.pitch, start: n.startTick, end: n.endTick }))
    .sort(byTime);
}

function bpmAt(tempos: ReadonlyArray<{ tick: number; bpm: number }>, tick: number): number {
  let bpm = 120;
  for (const t of tempos) if (t.tick <= tick) bpm = t.bpm;
  return bpm;
}

export interface Difference {
  /** Index of the first differing note in time order. */
  index: number;
  message: string;
  kind: 'note' | 'count' | 'tempo' | 'ppq';
}

/** The first difference between our melody and abc2midi's (pitch, onset, end, then tempo at each onset), or null. */
export function compareWithReference(tune: AbcTune, ref: Reference): Difference | null {
  if (ref.ppq !== tune.sequence.ppq) return { index: 0, kind: 'ppq', message: `ppq ${tune.sequence.ppq}, abc2midi ${ref.ppq}` };
  const ours = melodyOf(tune);
  for (let i = 0; i < Math.min(ours.length, ref.notes.length); i++) {
    const a = ours[i]!;
    const b = ref.notes[i]!;
    if (a.pitch !== b.pitch || a.start !== b.start || a.end !== b.end) {
      return { index: i, kind: 'note', message: `note ${i}: ours pitch ${a.pitch} ticks ${a.start}-${a.end}, abc2midi pitch ${b.pitch} ticks ${b.start}-${b.end}` };
    }
  }
  if (ours.length !== ref.notes.length) return { index: Math.min(ours.length, ref.notes.length), kind: 'count', message: `${ours.length} notes, abc2midi ${ref.notes.length}` };
  for (let i = 0; i < ours.length; i++) {
    const n = ours[i]!;
    // abc2midi's onsets are one tick later than the note's time.
    const a = bpmAt(tune.sequence.tempos, n.start);
    const b = bpmAt(ref.tempos, n.start + 1);
    if (Math.abs(a - b) > 0.01) return { index: i, kind: 'tempo', message: `tempo at tick ${n.start}: ours ${a} bpm, abc2midi ${b}` };
  }
  return null;
}

/** Notation that can change the notes, found in a tune's text, the most far-reaching first (a cause is drawn from these). */
export const FEATURE_PATTERNS: ReadonlyArray<[string, RegExp]> = [
  ['voice overlay &', /&/],
  ['voices V:', /^V:|\[V:/m],
  ['parts P:', /^P:/m],
  ['%%MIDI directives', /^%%MIDI/m],
  ['navigation D.C. D.S. segno coda fine', /D\.C\.|D\.S\.|!segno!|!coda!|!fine!|!dacapo!|!dacoda!|\bS[A-Ga-g]|\bO[A-Ga-g]/],
  ['variant endings [1 |1', /\[\d|\|\d/],
  ['grace notes {...}', /\{[^}]*\}/],
  ['roll ~', /~/],
  ['roll R / trill T', /(^|[\s|:\]})(])[RT](?=[=_^]*[A-Ga-g])/m],
  ['!...! decorations', /![^!\n]+!/],
  ['broken rhythm > <', /[A-Ga-gz\]][,']*\d*\/*\d*\s*[<>]/],
  ['tuplets (n', /\(\d/],
  ['inline fields [K:] [M:] [L:] [Q:]', /\[[KMLQ]:/],
  ['ties -', /[A-Ga-g\]][,']*\d*\/*\d*-/],
  ['chords [...]', /\[[=_^]*[A-Ga-g]/],
  ['hornpipe swing R:hornpipe', /^R:\s*[Hh]ornpipe/m],
  ['staccato . and fermata H', /\.[A-Ga-g=_^]|H[A-Ga-g=_^]|!fermata!/],
  ['transposition', /transpose|octave=|clef=\S*[+-]\d/],
];

/** The features a tune's text uses, by FEATURE_PATTERNS. */
export function featuresOf(text: string): string[] {
  const body = text.replace(/"[^"\n]*"/g, '""').replace(/(^|[^%])%(?!%).*$/gm, '$1');
  return FEATURE_PATTERNS.filter(([, re]) => re.test(body)).map(([name]) => name);
}

/**
 * The notation written at the place of the first differing note: what our reader made of it (grace, ornament) or
 * the marks right before and after it in the line. A guess at the cause, meant to group differences.
 */
export function causeAt(tune: AbcTune, text: string, diff: Difference, tuneText = text): string {
  if (diff.kind === 'tempo') return 'tempo (Q:)';
  if (diff.kind === 'ppq') return 'ppq';
  const ours = melodyOf(tune);
  const note = ours[Math.min(diff.index, ours.length - 1)];
  if (!note) return 'no melody';
  const played = tune.melody.find((m) => m.pitch === note.pitch && m.startTick === note.start && m.endTick === note.end);
  if (played?.origin === 'grace') return 'grace notes {...}';
  if (played?.origin === 'ornament') return 'ornament notes (~ R T !trill!)';
  const lines = text.split(/\r\n|\r|\n/);
  const line = played ? (lines[played.line - 1] ?? '') : '';
  const col = (played?.column ?? 1) - 1;
  const before = line.slice(Math.max(0, col - 12), col);
  const after = line.slice(col, col + 8);
  if (/\}\s*$/.test(before)) return 'grace notes {...}';
  if (/~\s*$/.test(before)) return 'roll ~';
  if (/[RT]$/.test(before)) return 'roll R / trill T';
  if (/![^!]*!\s*$/.test(before)) return `decoration ${/(![^!]*!)\s*$/.exec(before)![1]}`;
  if (/[.H]$/.test(before)) return 'staccato . and fermata H';
  if (/[<>]\s*$/.test(before) || /^[=_^]*[A-Ga-g][,']*\d*\/*\d*\s*[<>]/.test(after)) return 'broken rhythm > <';
  if (/\(\d[^(]*$/.test(before)) return 'tuplets (n';
  if (/-\s*\|?\s*$/.test(before) || /^[=_^]*[A-Ga-g][,']*\d*\/*\d*-/.test(after)) return 'ties -';
  if (/\[[^\]]*$/.test(before)) return 'chords [...]';
  if (/&/.test(line)) return 'voice overlay &';
  if (diff.kind === 'count') return 'notes missing or extra at the end';
  const uses = featuresOf(tuneText);
  return uses.length > 0 ? `elsewhere, in a tune with ${uses[0]}` : 'unexplained';
}

export interface TuneResult {
  file: string;
  referenceNumber: number;
  title: string;
  /** null when it matches. */
  difference: string | null;
  cause: string | null;
}

export interface ConformanceReport {
  tunes: number;
  matched: number;
  results: TuneResult[];
  /** Differing tunes by cause, most frequent first. */
  causes: Array<{ cause: string; tunes: TuneResult[] }>;
}

export interface ConformanceOptions extends Abc2midiOptions {
  /** Reader options (performance, graces default to the abc2midi comparison's). */
  read?: ParseAbcOptions;
  /** Files converted at a time. */
  parallel?: number;
}

/** Compares every tune of the given .abc files with abc2midi; a tune counts as agreeing when every melody note does. */
export async function conformance(files: readonly string[], options: ConformanceOptions = {}): Promise<ConformanceReport> {
  const work = mkdtempSync(join(tmpdir(), 'abc2midi-'));
  const results: TuneResult[] = [];
  try {
    const queue = files.map((f, i) => ({ f, i }));
    const perFile: TuneResult[][] = [];
    const worker = async (): Promise<void> => {
      for (let item = queue.shift(); item !== undefined; item = queue.shift()) perFile[item.i] = await compareFile(item.f, `f${item.i}`, work, options);
    };
    await Promise.all(Array.from({ length: Math.max(1, options.parallel ?? 2) }, worker));
    for (const r of perFile) results.push(...r);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const byCause = new Map<string, TuneResult[]>();
  for (const r of results) if (r.cause !== null) byCause.set(r.cause, [...(byCause.get(r.cause) ?? []), r]);
  const causes = [...byCause.entries()].map(([cause, tunes]) => ({ cause, tunes })).sort((a, b) => b.tunes.length - a.tunes.length || a.cause.localeCompare(b.cause));
  return { tunes: results.length, matched: results.filter((r) => r.difference === null).length, results, causes };
}

async function compareFile(path: string, stem: string, work: string, options: ConformanceOptions): Promise<TuneResult[]> {
  const text = readFileSync(path, 'utf8');
  const file = basename(path);
  const graces = options.graces !== false;
  const mids = await convertWithAbc2midi(text, stem, work, { graces });
  const { tunes, errors } = parseAbcFile(text, { graces, ...options.read });
  const out: TuneResult[] = [];
  const seen = new Set<number>();
  const byNumber = new Map<number, number>();
  const tuneTexts = new Map<number, string>();
  for (const t of splitTunes(text)) {
    byNumber.set(t.referenceNumber, (byNumber.get(t.referenceNumber) ?? 0) + 1);
    tuneTexts.set(t.referenceNumber, t.lines.map((l) => l.text).join('\n'));
  }
  for (const e of errors) {
    out.push({ file, referenceNumber: e.details.tune, title: '', difference: e.message, cause: `our reader refused it: ${e.name}${e instanceof AbcUnsupportedError ? ` (${e.feature})` : ''}` });
  }
  // abc2midi keeps these from one tune to the next of a file; this reader does not (docs/abc.md).
  const carried = /^%%MIDI\s+(transpose|rtranspose|trim|expand)\b|^K:.*\btranspose\s*=/m;
  let carriedFrom: number | null = null;
  for (const tune of tunes) {
    const base = { file, referenceNumber: tune.referenceNumber, title: tune.title };
    const before = carriedFrom;
    if (carried.test(tuneTexts.get(tune.referenceNumber) ?? '')) carriedFrom = tune.referenceNumber;
    if ((byNumber.get(tune.referenceNumber) ?? 0) > 1) {
      if (!seen.has(tune.referenceNumber)) out.push({ ...base, difference: 'X: number used more than once', cause: 'X: number used twice (abc2midi writes one file for both)' });
      seen.add(tune.referenceNumber);
      continue;
    }
    const mid = mids.get(tune.referenceNumber);
    if (mid === undefined) {
      out.push({ ...base, difference: 'abc2midi wrote no file', cause: 'abc2midi wrote no MIDI file' });
      continue;
    }
    const diff = compareWithReference(tune, readReference(mid));
    const cause = diff === null ? null : before !== null ? `carried over from X:${before} by abc2midi (%%MIDI transpose, trim, expand; K: transpose=)` : causeAt(tune, text, diff, tuneTexts.get(tune.referenceNumber));
    out.push({ ...base, difference: diff?.message ?? null, cause });
  }
  return out;
}
