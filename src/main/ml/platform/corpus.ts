// What any model keeps of its training data: a summary for model.json and the plagiarism index of its train split.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { TrainingDataSummary } from '../../../shared/api/models';
import type { PlagiarismSummary } from '../../../shared/generation';
import type { NoteSequence } from '../../../shared/song';
import type { Dataset } from '../../music/datasets';
import { decodePerformance } from '../../music/performance';
import { notePitchSequence, PlagiarismIndex } from '../eval/plagiarism';
import { modelFile, type ModelManifest } from '../registry';

export const PLAGIARISM_FILE = 'plagiarism.bin';

export function dataSummary(dataset: Dataset, licence?: string): TrainingDataSummary {
  const s = dataset.summary;
  const out: TrainingDataSummary = {
    name: basename(dataset.folder),
    pieces: s.pieces,
    trainPieces: s.bySplit.train.pieces,
    validPieces: s.bySplit.valid.pieces,
    trainEvents: s.bySplit.train.events,
    validEvents: s.bySplit.valid.events,
    notes: s.notes,
    hours: Math.round((s.seconds / 3600) * 100) / 100,
  };
  if (licence) out.licence = licence;
  return out;
}

/** An index of the train split's original pieces (no augmented copies) for the plagiarism check. */
export function buildPlagiarismIndex(dataset: Dataset): PlagiarismIndex {
  const pieces = dataset.pieces
    .filter((p) => p.split === 'train' && !p.augmentation)
    .map((p) => ({ id: p.id, name: p.title ?? p.file, pitches: notePitchSequence(decodePerformance(dataset.tokensOf(p))) }));
  return PlagiarismIndex.build(pieces);
}

/** The model's training-corpus index, when it ships one (its file must lie inside the model folder). */
export async function loadPlagiarismIndex(dir: string, manifest: ModelManifest): Promise<PlagiarismIndex | null> {
  if (!manifest.plagiarismIndex) return null;
  const file = await modelFile(dir, manifest.plagiarismIndex);
  return PlagiarismIndex.fromBinary(new Uint8Array(await readFile(file)));
}

export function plagiarismSummary(index: PlagiarismIndex, seq: NoteSequence): PlagiarismSummary {
  const pitches = notePitchSequence(seq);
  const report = index.check(pitches, { topK: 1 });
  return {
    queryLength: report.queryLength,
    longestRun: report.longestRun ? { pieceId: report.longestRun.pieceId, name: report.longestRun.name, length: report.longestRun.length } : null,
    lcs: report.lcs ? { pieceId: report.lcs.pieceId, name: report.lcs.name, length: report.lcs.length, ratio: report.lcs.ratio } : null,
  };
}
