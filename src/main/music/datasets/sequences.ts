// The pieces of an imported dataset as NoteSequences in their own musical time (ticks, tempo map), read again from their files.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { musicFormatOf } from '../../../shared/files';
import type { NoteSequence } from '../../../shared/song';
import { parseAbc } from '../abc';
import { importMidi } from '../midi';
import type { Dataset, DatasetPiece, Split } from './types';

/**
 * The dataset keeps performance events (seconds, no beats); models that need beats read the files again. Pieces
 * whose file has changed or gone are left out, as an import would skip them.
 */
export async function pieceSequences(dataset: Dataset, split: Split | 'all'): Promise<{ piece: DatasetPiece; sequence: NoteSequence }[]> {
  const pieces = dataset.pieces.filter((p) => !p.augmentation && (split === 'all' || p.split === split));
  const byFile = new Map<string, DatasetPiece[]>();
  for (const p of pieces) byFile.set(p.file, [...(byFile.get(p.file) ?? []), p]);
  const out: { piece: DatasetPiece; sequence: NoteSequence }[] = [];
  for (const [file, list] of byFile) {
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await readFile(join(dataset.folder, file)));
    } catch {
      continue;
    }
    try {
      if (musicFormatOf(file) === 'abc') {
        const tunes = parseAbc(new TextDecoder().decode(bytes), { source: file });
        const seen = new Map<number, number>();
        const byId = new Map<string, NoteSequence>();
        for (const tune of tunes) {
          const n = (seen.get(tune.referenceNumber) ?? 0) + 1;
          seen.set(tune.referenceNumber, n);
          byId.set(`${file}#${tune.referenceNumber}${n > 1 ? `.${n}` : ''}`, tune.sequence);
        }
        for (const p of list) {
          const s = byId.get(p.id);
          if (s) out.push({ piece: p, sequence: s });
        }
      } else {
        const sequence = importMidi(bytes, { source: file });
        for (const p of list) out.push({ piece: p, sequence });
      }
    } catch {
      // A file that no longer reads was skipped by the import too.
    }
  }
  return out;
}
