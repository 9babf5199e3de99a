// Turns an arrangement (sections in a form such as A B C A B) into one song: pure and shared, so the UI, the engine and the CLI render forms alike.
import type { Note, NoteSequence, Track } from './song';
import { sequenceEndTick } from './song';
import type { Fragment, NoiseSection, Project, Voicing } from './studio';
import { StudioError } from './errors';
import { mainMeter } from './meter';
import { DEFAULT_PPQ, type SectionId, type Ticks } from './units';

/** The form names a section the arrangement does not define. */
export class UnknownSectionError extends StudioError {}

/** The form as the composer reads it, e.g. "A B C A B". */
export function formLabel(project: Pick<Project, 'arrangement'>): string {
  const byId = new Map(project.arrangement.sections.map((s) => [s.id, s.label]));
  return project.arrangement.form.map((id) => byId.get(id) ?? '?').join(' ');
}

/** Length of one bar in ticks, in the sequence's meter: its first time signature, or the one after a pickup (4/4 if none). */
export function barTicks(seq: Pick<NoteSequence, 'ppq' | 'timeSignatures'>): Ticks {
  const ts = mainMeter(seq);
  return (seq.ppq * 4 * ts.numerator) / ts.denominator;
}

/** Keeps, at each onset, only the highest (melody) or lowest (bass) note. */
function skyline(notes: readonly Note[], pick: 'highest' | 'lowest'): Note[] {
  const byOnset = new Map<number, Note>();
  for (const n of notes) {
    const kept = byOnset.get(n.startTick);
    if (!kept || (pick === 'highest' ? n.pitch > kept.pitch : n.pitch < kept.pitch)) byOnset.set(n.startTick, n);
  }
  return [...byOnset.values()].sort((a, b) => a.startTick - b.startTick);
}

/** Applies a voicing and a transposition; notes pushed outside 0..127 are dropped (MIDI cannot hold them). */
export function revoice(notes: readonly Note[], voicing: Voicing, transpose: number): Note[] {
  let shift = transpose;
  let chosen: readonly Note[] = notes;
  switch (voicing) {
    case 'as-is':
      break;
    case 'octave-up':
      shift += 12;
      break;
    case 'octave-down':
      shift -= 12;
      break;
    case 'melody-only':
      chosen = skyline(notes, 'highest');
      break;
    case 'bass-only':
      chosen = skyline(notes, 'lowest');
      break;
  }
  const out: Note[] = [];
  for (const n of chosen) {
    const pitch = n.pitch + shift;
    if (pitch >= 0 && pitch <= 127) out.push({ ...n, pitch });
  }
  return out;
}

const mod12 = (x: number): number => ((x % 12) + 12) % 12;

/**
 * What to ask a model of the noise capability for a noise section: the vector's `seed` and `bars` (the capability's
 * parameters), an `interpolate` of two seeds (the interpolate capability), and a `key` (the condition capability).
 */
export function noiseParams(n: NoiseSection): Record<string, string | number> {
  const p: Record<string, string | number> = { bars: n.bars };
  if (n.to) p.interpolate = `${n.seed},${n.to.seed}`;
  else p.seed = n.seed;
  if (n.key) p.key = n.key;
  return p;
}

/**
 * Places each section of the form end to end, each starting on a bar line of the song: a
 * section lasts its fragment's length rounded up to whole bars (at least one bar). Sections
 * without a fragment, or whose fragment is gone from the library, are left out.
 * @throws UnknownSectionError when the form names a section id that is not defined.
 */
export function renderArrangement(
  project: Pick<Project, 'name' | 'fragments' | 'arrangement' | 'settings'>,
  /** The music of noise sections, by section id, as their model played it (noiseParams says what to ask). */
  noise: ReadonlyMap<SectionId, NoteSequence> = new Map(),
): NoteSequence {
  const ppq = DEFAULT_PPQ;
  const sections = new Map(project.arrangement.sections.map((s) => [s.id, s]));
  const fragments = new Map<string, Fragment>(project.fragments.map((f) => [f.id, f]));
  const out: NoteSequence = {
    ppq,
    notes: [],
    tracks: [],
    tempos: [],
    timeSignatures: [],
    keySignatures: [],
    pedals: [],
    sections: [],
    meta: { title: `${project.name} (${formLabel(project)})`, source: 'arrangement', form: formLabel(project) },
  };
  const trackIndex = new Map<string, number>();
  const trackFor = (t: Track | undefined): number => {
    const track = t ?? { name: 'Piano', program: 0, channel: 0, isDrum: false };
    const key = `${track.name}\u0000${track.program}\u0000${track.channel}\u0000${track.isDrum}`;
    let i = trackIndex.get(key);
    if (i === undefined) {
      i = out.tracks.length;
      out.tracks.push({ ...track });
      trackIndex.set(key, i);
    }
    return i;
  };

  let cursor = 0;
  for (const id of project.arrangement.form) {
    const section = sections.get(id);
    if (!section) throw new UnknownSectionError(`the form names section "${id}", which the arrangement does not define`);
    const seq = section.noise ? noise.get(section.id) : section.fragmentId === null ? undefined : fragments.get(section.fragmentId)?.sequence;
    if (!seq) continue;
    const scale = ppq / seq.ppq;
    const at = (tick: number): Ticks => cursor + Math.round(tick * scale);
    const bar = barTicks({ ppq, timeSignatures: seq.timeSignatures });
    const length = Math.max(1, Math.ceil((sequenceEndTick(seq) * scale) / bar - 1e-9)) * bar;
    const end = cursor + length;

    const tracks = seq.tracks.map((t) => trackFor(t));
    for (const n of revoice(seq.notes, section.voicing, section.transpose)) {
      out.notes.push({ ...n, startTick: at(n.startTick), endTick: Math.min(at(n.endTick), end), track: tracks[n.track] ?? trackFor(undefined) });
    }
    const tempos = seq.tempos.length > 0 ? seq.tempos : [{ tick: 0, bpm: project.settings.bpm }];
    for (const t of tempos) if (t.tick * scale < length) out.tempos.push({ tick: at(t.tick), bpm: t.bpm });
    const signatures = seq.timeSignatures.length > 0 ? seq.timeSignatures : [{ tick: 0, numerator: 4, denominator: 4 }];
    for (const t of signatures) if (t.tick * scale < length) out.timeSignatures.push({ ...t, tick: at(t.tick) });
    for (const k of seq.keySignatures) if (k.tick * scale < length) out.keySignatures.push({ ...k, tick: at(k.tick), tonic: mod12(k.tonic + section.transpose) });
    for (const p of seq.pedals) if (p.tick * scale <= length) out.pedals.push({ ...p, tick: at(p.tick), track: tracks[p.track] ?? 0 });
    out.sections.push({ name: section.label, startTick: cursor, endTick: end });
    cursor = end;
  }
  if (out.tracks.length === 0) out.tracks.push({ name: 'Piano', program: 0, channel: 0, isDrum: false });
  if (out.tempos.length === 0) out.tempos.push({ tick: 0, bpm: project.settings.bpm });
  if (out.timeSignatures.length === 0) out.timeSignatures.push({ tick: 0, numerator: 4, denominator: 4 });
  out.notes.sort((a, b) => a.startTick - b.startTick || a.pitch - b.pitch);
  return out;
}

/** Moves one slot of the form (or any list) from one position to another; out-of-range positions are clamped. */
export function moveItem<T>(list: readonly T[], from: number, to: number): T[] {
  if (from < 0 || from >= list.length) return [...list];
  const out = [...list];
  const [item] = out.splice(from, 1);
  out.splice(Math.max(0, Math.min(out.length, to)), 0, item!);
  return out;
}

/** Inserts an item at a position (clamped), e.g. a section dropped onto the timeline. */
export function insertItem<T>(list: readonly T[], item: T, at: number): T[] {
  const out = [...list];
  out.splice(Math.max(0, Math.min(out.length, at)), 0, item);
  return out;
}

/** The next free section label: A … Z, then A2, B2 …. */
export function nextLabel(used: readonly string[]): string {
  const taken = new Set(used);
  for (let round = 1; ; round++) {
    for (let c = 0; c < 26; c++) {
      const label = String.fromCharCode(65 + c) + (round === 1 ? '' : String(round));
      if (!taken.has(label)) return label;
    }
  }
}
