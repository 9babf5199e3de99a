// A Refine Net model folder loaded for use: polish a sequence (durations, velocities), and the measures against a DAW's quantize and a velocity rule.
import { pieceSequences } from '../../../music/datasets';
import { CheckpointError, loadCheckpoint } from '../../checkpoint';
import { parseParams, type Evaluation, type EvaluationInput, type LoadedModel, type ModelRef, type RefineOutput, type RunContext } from '../../platform/kind';
import { assignWeights } from '../../train/loop';
import { RefineNet } from './model';
import { evaluateSchema, polishSchema, type PolishParams } from './params';
import { evaluateRefine, polish } from './polish';
import { CHECKPOINT_FORMAT, type RefineCheckpointConfig } from './train';
import type { NoteSequence } from '../../../../shared/song';

export async function loadRefineNet(ref: ModelRef): Promise<LoadedModel> {
  const ckpt = await loadCheckpoint(ref.checkpointPath);
  const config = ckpt.config as Partial<RefineCheckpointConfig>;
  if (config.format !== CHECKPOINT_FORMAT || !config.model) throw new CheckpointError(`"${ref.checkpointPath}" is not a Refine Net checkpoint (format "${String(config.format)}")`);
  const model = new RefineNet(config.model);
  try {
    assignWeights(model.allVariables(), ckpt.weights);
  } catch (err) {
    model.dispose();
    throw err;
  }
  const levels = config.ruleLevels ?? { top: 80, rest: 64 };
  return {
    manifest: ref.manifest,
    bytes: model.parameterCount() * 4,
    async refine(sequence: NoteSequence, raw: unknown, ctx: RunContext): Promise<RefineOutput> {
      const p = parseParams(polishSchema, raw, 'polish') as PolishParams;
      const r = await polish(model, sequence, p, (f, m) => ctx.progress?.(f, m));
      return { sequence: r.sequence, report: r.report, params: { ...p } };
    },
    async evaluate(input: EvaluationInput, ctx: RunContext): Promise<Evaluation> {
      const o = parseParams(evaluateSchema, input.options, 'Refine Net evaluation') as { seed: number; pieces?: number };
      const wanted = new Set(input.pieces.map((p) => p.id));
      const sequences = (await pieceSequences(input.dataset, 'all')).filter((x) => wanted.has(x.piece.id)).map((x) => x.sequence).slice(0, o.pieces ?? Infinity);
      const e = await evaluateRefine(model, sequences, o.seed, levels, (f) => ctx.progress?.(f, 'scoring'));
      const metrics: Record<string, number> = {
        ioiMaeBeats: e.duration.net.ioiBeats,
        'input.ioiMaeBeats': e.duration.input.ioiBeats,
        'quantize.ioiMaeBeats': e.duration.quantize.ioiBeats,
        onsetMaeBeats: e.duration.net.onsetBeats,
        durationMaeBeats: e.duration.net.durationBeats,
        'input.onsetMaeBeats': e.duration.input.onsetBeats,
        'input.durationMaeBeats': e.duration.input.durationBeats,
        'quantize.onsetMaeBeats': e.duration.quantize.onsetBeats,
        'quantize.durationMaeBeats': e.duration.quantize.durationBeats,
        onsetMaeTicks: e.duration.net.onsetTicks,
        durationMaeTicks: e.duration.net.durationTicks,
        'input.onsetMaeTicks': e.duration.input.onsetTicks,
        'input.durationMaeTicks': e.duration.input.durationTicks,
        'quantize.onsetMaeTicks': e.duration.quantize.onsetTicks,
        'quantize.durationMaeTicks': e.duration.quantize.durationTicks,
        'gridDeviation.real': e.gridDeviationBeats.real,
        'gridDeviation.input': e.gridDeviationBeats.input,
        'gridDeviation.net': e.gridDeviationBeats.net,
        velocityMae: e.velocity.net.mae,
        velocityCorrelation: e.velocity.net.correlation,
        'rule.velocityMae': e.velocity.rule.mae,
        'rule.velocityCorrelation': e.velocity.rule.correlation,
        'melodyGap.real': e.velocity.melodyGap.real,
        'melodyGap.net': e.velocity.melodyGap.net,
        'melodyGap.rule': e.velocity.melodyGap.rule,
      };
      return { metrics, count: e.notes, countUnit: 'notes', options: { seed: o.seed, pieces: e.pieces, quantizeGrids: JSON.stringify(e.duration.quantize.grids), ruleLevels: `${levels.top}/${levels.rest}` } };
    },
    dispose: () => model.dispose(),
  };
}
