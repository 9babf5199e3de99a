// Words for the library: a fragment's short name, where it came from, how long it is, and what its plagiarism score means.
import { sequenceKey } from '../../../shared/keyFinding';
import { keyLabel, parseKey } from '../../../shared/keys';
import { judgePlagiarism, type PlagiarismVerdict } from '../../../shared/plagiarism';
import { durationSeconds, type NoteSequence } from '../../../shared/song';
import type { Fragment, FragmentOrigin, PlagiarismSummary } from '../../../shared/studio';

const show = (v: unknown): string => (typeof v === 'number' ? String(Math.round(v * 100) / 100) : typeof v === 'string' ? v : JSON.stringify(v));

/** A key as text ("D minor", "Eb major") in the UI's spelling ("E♭ major"); other text is kept as it is. */
function keyWords(v: unknown): string {
  const k = typeof v === 'string' ? parseKey(v) : null;
  return k ? keyLabel(k) : show(v);
}

/** One short line: the source, then its details (model, seed, conditions, what it continued). */
export function describeOrigin(origin: FragmentOrigin): { source: string; detail: string } {
  switch (origin.kind) {
    case 'generated': {
      const conditions = Object.entries(origin.options)
        .filter(([k, v]) => k !== 'seed' && v !== null && v !== undefined && v !== '')
        .map(([k, v]) => `${k} ${/^key$/i.test(k) ? keyWords(v) : show(v)}`);
      const primer = origin.primer ? [`continues “${origin.primer.name}”`] : [];
      return { source: origin.modelName, detail: [`seed ${origin.seed}`, ...conditions, ...primer].join(' · ') };
    }
    case 'imported':
      return { source: `Imported ${origin.format.toUpperCase()}`, detail: origin.fileName };
    case 'recorded':
      return { source: 'Recorded', detail: origin.device };
    case 'arranged':
      return { source: 'Arrangement', detail: origin.form };
    case 'edited':
      return { source: 'Edited', detail: origin.from ? 'copy of another fragment' : 'written by hand' };
  }
}

/** Everything known about where a fragment came from, one fact a line: the tooltip of its name. */
export function originTooltip(f: Pick<Fragment, 'name' | 'origin' | 'createdAt'>): string {
  const o = describeOrigin(f.origin);
  return [f.name, o.source, ...o.detail.split(' · '), `Made ${new Date(f.createdAt).toLocaleString()}`].filter(Boolean).join('\n');
}

export function formatDuration(seq: NoteSequence): string {
  const s = Math.round(durationSeconds(seq));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** Seconds as a name shows them: "20 s" below two minutes, else "2:05". */
export function shortSeconds(seconds: number): string {
  const s = Math.max(1, Math.round(seconds));
  return s < 120 ? `${s} s` : `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** A generated fragment's default name: its key, its length and its seed, "D minor · 20 s · #42". */
export function generatedName(key: string | null, seconds: number, seed: number): string {
  const k = key ? parseKey(key) : null;
  return [k ? keyLabel(k) : null, shortSeconds(seconds), `#${seed}`].filter(Boolean).join(' · ');
}

/** The key a piece is in, for a header: "G minor", or "A major (estimated)" when only its notes tell. */
export function keyText(seq: NoteSequence): string | null {
  const k = sequenceKey(seq);
  return k ? `${keyLabel(k)}${k.from === 'estimate' ? ' (estimated)' : ''}` : null;
}

/** Pitched notes, the count the plagiarism check compares. */
export function pitchedNotes(seq: NoteSequence): number {
  return seq.notes.filter((n) => !seq.tracks[n.track]?.isDrum).length;
}

/**
 * The badge: the longest run copied exactly from one training piece, graded against what unrelated music of the
 * same length reaches; the LCS only as a multiple of that chance level (src/shared/plagiarism.ts).
 */
export function plagiarismBadge(p: PlagiarismSummary, f: Pick<Fragment, 'origin' | 'sequence'>): PlagiarismVerdict & { title: string } {
  const verdict = judgePlagiarism({
    longestRun: p.longestRun,
    longestRunPiece: p.longestRunPiece,
    lcsRatio: p.lcsRatio,
    lcsPiece: p.lcsPiece,
    corpus: p.corpus,
    queryLength: pitchedNotes(f.sequence),
    measuredCorpus: p.chanceMeasured === true,
    generated: f.origin.kind === 'generated',
  });
  return { ...verdict, title: verdict.lines.join('\n') };
}
