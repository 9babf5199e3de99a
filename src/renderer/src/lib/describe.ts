// Words for the library: where a fragment came from, how long it is, and what its plagiarism score means.
import { durationSeconds, type NoteSequence } from '../../../shared/song';
import type { FragmentOrigin, PlagiarismSummary } from '../../../shared/studio';

const show = (v: unknown): string => (typeof v === 'number' ? String(Math.round(v * 100) / 100) : typeof v === 'string' ? v : JSON.stringify(v));

/** One short line: the source, then its details (model, seed, conditions). */
export function describeOrigin(origin: FragmentOrigin): { source: string; detail: string } {
  switch (origin.kind) {
    case 'generated': {
      const conditions = Object.entries(origin.options)
        .filter(([k, v]) => k !== 'seed' && v !== null && v !== undefined && v !== '')
        .map(([k, v]) => `${k} ${show(v)}`);
      return { source: origin.modelName, detail: [`seed ${origin.seed}`, ...conditions].join(' · ') };
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

export function formatDuration(seq: NoteSequence): string {
  const s = Math.round(durationSeconds(seq));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** The badge: the share of notes in the longest common subsequence with the closest training piece. */
export function plagiarismBadge(p: PlagiarismSummary): { text: string; level: 'low' | 'mid' | 'high'; title: string } {
  const pct = Math.round(p.lcsRatio * 100);
  const level = p.lcsRatio >= 0.6 || p.longestRun >= 16 ? 'high' : p.lcsRatio >= 0.35 || p.longestRun >= 8 ? 'mid' : 'low';
  const title = [
    `Longest common subsequence: ${pct}% of the notes${p.lcsPiece ? ` (closest: ${p.lcsPiece})` : ''}`,
    `Longest exact run: ${p.longestRun} notes${p.longestRunPiece ? ` (${p.longestRunPiece})` : ''}`,
    `Against: ${p.corpus}`,
  ].join('\n');
  return { text: `${pct}%`, level, title };
}
