// The composer's file work, run in the engine's worker: reads dropped files into fragments, writes MIDI/ABC, scores plagiarism.
import { randomUUID } from 'node:crypto';
import { extname } from 'node:path';
import type { ImportResult } from '../../shared/api/studio';
import { InvalidArgumentError } from '../../shared/errors';
import { MUSIC_FILE_LIST, musicFormatOf } from '../../shared/files';
import type { NoteSequence } from '../../shared/song';
import type { Fragment, PlagiarismSummary } from '../../shared/studio';
import { asFragmentId } from '../../shared/units';
import { BASELINE_CORPUS } from '../../shared/plagiarism';
import type { StudioPaths } from '../paths';
import { parseAbc, serializePianoAbc } from '../music/abc';
import { exportMidi, importMidi } from '../music/midi';
import { notePitchSequence, type PlagiarismIndex } from '../ml/eval/plagiarism';
import { loadPlagiarismIndex } from '../ml/platform/corpus';
import { readManifest, resolveModel } from '../ml/registry';

/** The corpus imported and edited fragments are scored against, and its name as the badge shows it. */
export type CorpusSource = () => Promise<{ index: PlagiarismIndex; name: string } | null>;

export class StudioService {
  private corpus: ReturnType<CorpusSource> | undefined;

  /** `corpus` lets the model worker share the index it already holds; by default the default model's is read. */
  constructor(
    private readonly paths: StudioPaths,
    private readonly corpusSource?: CorpusSource,
  ) {}

  async importFile(fileName: string, bytes: Uint8Array): Promise<ImportResult> {
    const ext = extname(fileName).toLowerCase();
    const base = fileName.slice(0, fileName.length - ext.length) || fileName;
    const result: ImportResult = { fragments: [], problems: [] };
    const format = musicFormatOf(fileName);
    if (format === 'midi') {
      try {
        const sequence = importMidi(bytes, { source: fileName });
        result.fragments.push(await this.fragment(sequence.meta.title || base, sequence, { kind: 'imported', fileName, format: 'midi' }));
      } catch (err) {
        result.problems.push(problem(fileName, err));
      }
    } else if (format === 'abc') {
      const text = new TextDecoder('utf-8').decode(bytes);
      let tunes: ReturnType<typeof parseAbc>;
      try {
        tunes = parseAbc(text);
      } catch (err) {
        result.problems.push(problem(fileName, err));
        return result;
      }
      for (const tune of tunes) {
        const name = tune.title || `${base} #${tune.referenceNumber}`;
        if (tune.sequence.notes.length === 0) {
          result.problems.push({ item: `${fileName} tune ${tune.referenceNumber}`, error: 'EmptyTuneError', message: 'the tune has no notes' });
          continue;
        }
        result.fragments.push(await this.fragment(name, tune.sequence, { kind: 'imported', fileName, format: 'abc' }));
      }
      if (tunes.length === 0) result.problems.push({ item: fileName, error: 'EmptyFileError', message: 'no tune (X: field) found in the file' });
    } else {
      throw new InvalidArgumentError(`cannot import "${fileName}": expected a ${MUSIC_FILE_LIST} file`);
    }
    return result;
  }

  async exportMidi(seq: NoteSequence, title?: string): Promise<Uint8Array> {
    return exportMidi(title ? { ...seq, meta: { ...seq.meta, title } } : seq);
  }

  /** The whole piano part as a score (both staves, chords, ties, pickup, key); the UI quantizes it to the grid the composer chose first. */
  exportAbc(seq: NoteSequence, title?: string): string {
    return serializePianoAbc(seq, title ? { title } : {}).text;
  }

  async plagiarism(seq: NoteSequence): Promise<PlagiarismSummary | null> {
    const corpus = await this.loadCorpus();
    if (!corpus) return null;
    const report = corpus.index.check(notePitchSequence(seq));
    return {
      longestRun: report.longestRun?.length ?? 0,
      longestRunPiece: report.longestRun?.name ?? null,
      lcsRatio: report.lcs?.ratio ?? 0,
      lcsPiece: report.lcs?.name ?? null,
      corpus: corpus.name,
      // The chance level was measured on one index; this is it when its pieces and notes agree.
      chanceMeasured: corpus.index.pieceCount === BASELINE_CORPUS.pieces && corpus.index.corpusLength === BASELINE_CORPUS.notes,
    };
  }

  private async fragment(name: string, sequence: NoteSequence, origin: Fragment['origin']): Promise<Fragment> {
    return {
      id: asFragmentId(`frag-${randomUUID()}`),
      name,
      createdAt: Date.now(),
      origin,
      sequence,
      plagiarism: await this.plagiarism(sequence).catch(() => null),
    };
  }

  /** The default model's training corpus: what imported and edited fragments are scored against. */
  private loadCorpus(): ReturnType<CorpusSource> {
    if (this.corpusSource) return this.corpusSource();
    this.corpus ??= (async () => {
      const model = await resolveModel(undefined, this.paths).catch(() => null);
      if (!model?.hasPlagiarismIndex) return null;
      const index = await loadPlagiarismIndex(model.dir, await readManifest(model.dir));
      return index ? { index, name: model.data?.name ? `${model.name} (${model.data.name})` : model.name } : null;
    })();
    return this.corpus;
  }
}

function problem(item: string, err: unknown): ImportResult['problems'][number] {
  return err instanceof Error ? { item, error: err.name, message: err.message } : { item, error: 'Error', message: String(err) };
}
