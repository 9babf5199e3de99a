// The plagiarism check in a composer's words: the longest copied run graded against what unrelated music reaches, and the LCS as a multiple of chance.
import baseline from './plagiarismBaseline.json';

/** One row of the measured table: unrelated music of `length` notes against the corpus. */
export interface BaselineRow {
  length: number;
  samples: number;
  lcsRatio: { mean: number; p05: number; p50: number; p95: number; max: number };
  longestRun: { p50: number; p95: number; max: number };
}

interface BaselineFile {
  corpus: { name: string; pieces: number; notes: number; sha256: string; models: string[] };
  reference: string;
  sources: Record<string, { label: string; pieces: number; notes: number; rows: BaselineRow[] }>;
}

const table = baseline as BaselineFile;

/** The corpus the chance level was measured on, and with what music (docs/plagiarism.md says how). */
export const BASELINE_CORPUS = table.corpus;
export const BASELINE_REFERENCE = table.sources[table.reference]!;

/** Models whose plagiarism index is the measured corpus (the script finds them by the index file's hash). */
export const BASELINE_MODEL_IDS: readonly string[] = table.corpus.models;

/** Chance level at a length: the reference rows interpolated on a log scale of length (clamped at the ends). */
export function chanceAt(length: number, rows: readonly BaselineRow[] = BASELINE_REFERENCE.rows): { lcsMean: number; lcsP95: number; runP95: number; runMax: number } {
  const first = rows[0]!;
  const last = rows[rows.length - 1]!;
  const pick = (r: BaselineRow) => ({ lcsMean: r.lcsRatio.mean, lcsP95: r.lcsRatio.p95, runP95: r.longestRun.p95, runMax: r.longestRun.max });
  if (length <= first.length) return pick(first);
  if (length >= last.length) return pick(last);
  const i = rows.findIndex((r) => r.length >= length);
  const a = rows[i - 1]!;
  const b = rows[i]!;
  const w = (Math.log(length) - Math.log(a.length)) / (Math.log(b.length) - Math.log(a.length));
  const mix = (x: number, y: number): number => x + (y - x) * w;
  return {
    lcsMean: mix(a.lcsRatio.mean, b.lcsRatio.mean),
    // Thresholds take the larger of the two rows', so that a verdict never rests on an interpolated bar.
    lcsP95: Math.max(a.lcsRatio.p95, b.lcsRatio.p95),
    runP95: Math.max(a.longestRun.p95, b.longestRun.p95),
    runMax: Math.max(a.longestRun.max, b.longestRun.max),
  };
}

export type PlagiarismGrade = 'original' | 'quote' | 'copy' | 'in-training-set';

export interface PlagiarismVerdict {
  grade: PlagiarismGrade;
  level: 'low' | 'mid' | 'high' | 'info';
  /** The badge text: "original", "quote 24", "copy 40", "in training set". */
  badge: string;
  /** Lines for the tooltip; none of them states the LCS as a bare share of the notes. */
  lines: string[];
  /** LCS as a multiple of what unrelated music of the same length scores (1 = chance); null without a baseline. */
  lcsTimesChance: number | null;
}

export interface PlagiarismFacts {
  /** Longest run of notes copied exactly (0 when no run of six notes or more). */
  longestRun: number;
  longestRunPiece: string | null;
  /** LCS with the closest piece as a share of the fragment's notes. */
  lcsRatio: number;
  lcsPiece: string | null;
  corpus: string;
  /** Notes in the fragment. */
  queryLength: number;
  /** Whether the corpus is the one the chance level was measured on. */
  measuredCorpus: boolean;
  /** Music a model made (a copy is the model's fault), or music brought in or edited (a match is the source's). */
  generated: boolean;
}

/** Thresholds when no chance level was measured for the corpus: runs that scales and arpeggios rarely reach. */
const FALLBACK_RUNS = { quote: 10, copy: 16 };

/**
 * Grades a fragment by its longest run copied verbatim: "original" while unrelated music of its length reaches
 * as much (95th percentile), "quote" above that, "copy" beyond anything unrelated music reached. Imported or edited
 * material past that point is "in the training set". The LCS is told as a multiple of chance, never as a share.
 */
export function judgePlagiarism(f: PlagiarismFacts): PlagiarismVerdict {
  const chance = f.measuredCorpus ? chanceAt(f.queryLength) : null;
  const quoteAbove = chance ? chance.runP95 : FALLBACK_RUNS.quote - 1;
  const copyAbove = chance ? chance.runMax : FALLBACK_RUNS.copy - 1;
  const run = f.longestRun;
  let grade: PlagiarismGrade = run > copyAbove ? 'copy' : run > quoteAbove ? 'quote' : 'original';
  if (grade === 'copy' && !f.generated) grade = 'in-training-set';
  const lines: string[] = [];
  const from = f.longestRunPiece ? ` (from ${f.longestRunPiece})` : '';
  if (run === 0) lines.push('No run of 6 or more notes matches a training piece exactly.');
  else lines.push(`Longest run copied exactly: ${run} notes${from}.`);
  if (chance) {
    lines.push(
      run <= quoteAbove
        ? `Unrelated piano music of ${f.queryLength} notes reaches ${chance.runP95} notes 19 times in 20: a run this long is chance.`
        : run <= copyAbove
          ? `Longer than unrelated piano music of this length reaches 19 times in 20 (${chance.runP95}), within the longest it reached (${chance.runMax}).`
          : `Longer than unrelated piano music of this length ever reached (${chance.runMax}).`,
    );
  }
  if (grade === 'in-training-set') lines.push('This music is in the training set: a model trained on it has seen it.');
  let lcsTimesChance: number | null = null;
  if (chance && f.lcsRatio > 0) {
    lcsTimesChance = f.lcsRatio / chance.lcsMean;
    const above = f.lcsRatio > chance.lcsP95;
    lines.push(`Common subsequence with the closest piece${f.lcsPiece ? ` (${f.lcsPiece})` : ''}: ${lcsTimesChance.toFixed(2)}× what unrelated music of this length shares${above ? ', more than it does by chance' : ', as it does by chance'}.`);
  } else if (!chance) {
    lines.push('No chance level was measured for this corpus, so the common subsequence is not shown.');
  }
  lines.push(`Checked against: ${f.corpus}`);
  const level = grade === 'copy' ? 'high' : grade === 'quote' ? 'mid' : grade === 'in-training-set' ? 'info' : 'low';
  const badge = grade === 'original' ? 'original' : grade === 'in-training-set' ? 'in training set' : `${grade} ${run}`;
  return { grade, level, badge, lines, lcsTimesChance };
}
