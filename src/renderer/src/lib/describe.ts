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
/**
 * Grades a fragment by its longest run of notes copied exactly from one training piece. The study's LCS share is
 * shown in the tooltip only: against whole pieces it is dominated by their length (an unrelated random melody scores
 * ~85% against a long Liszt piece), so it cannot tell copying from chance.
 */
export function plagiarismBadge(p: PlagiarismSummary): { text: string; level: 'low' | 'mid' | 'high'; title: string } {
  const level = p.longestRun >= 16 ? 'high' : p.longestRun >= 10 ? 'mid' : 'low';
  const title = [
    p.longestRun === 0
      ? 'No run of 6 or more notes copied from any training piece'
      : `Longest run copied exactly: ${p.longestRun} notes${p.longestRunPiece ? ` (from ${p.longestRunPiece})` : ''}`,
    `Longest common subsequence: ${Math.round(p.lcsRatio * 100)}% of the notes${p.lcsPiece ? ` (closest: ${p.lcsPiece})` : ''}`,
    `Checked against: ${p.corpus}`,
  ].join('\n');
  // The index reports runs of 6 notes or more; shorter shared runs (a scale, an arpeggio) are everywhere.
  return { text: p.longestRun === 0 ? 'original' : `copy ${p.longestRun}`, level, title };
}
