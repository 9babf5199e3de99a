// `deep-symphony generate`: writes a MIDI file from a shipped or trained model; its flags are the model kind's generation parameters.
import { readFile, writeFile } from 'node:fs/promises';
import { formFields, type FormField } from '../../shared/forms';
import { BASELINE_MODEL_IDS, judgePlagiarism } from '../../shared/plagiarism';
import type { CliCommand } from '../command';
import { parseCommandLine, UsageError } from '../command';
import { fieldFlags, fieldHelp, fieldValues } from '../flags';
import { checkReadableFile, checkWritableFile } from '../paths';

const COMMON = { out: 'string', model: 'string', primer: 'string', json: 'boolean' } as const;

async function kindsWithFields(): Promise<{ id: string; label: string; fields: FormField[] }[]> {
  const { kindInfos } = await import('../../main/ml/models');
  return kindInfos()
    .filter((k) => k.generateSchema)
    .map((k) => ({ id: k.id, label: k.label, fields: formFields(k.generateSchema!) }));
}

async function help(): Promise<string> {
  const kinds = await kindsWithFields();
  return [
    'Usage: deep-symphony generate --out <file.mid> [--model <id|dir>] [options]',
    '',
    'Generates music with a model. Without --model it uses the shipped default model, so',
    '`deep-symphony generate --out song.mid` works with no set-up. The same --seed gives the same notes.',
    '',
    'Options:',
    '  --out <file.mid>     where to write the MIDI file (required; checked before generating)',
    '  --model <id|dir>     a model id (see `deep-symphony models`) or a model folder (default: the shipped default)',
    '  --primer <file.mid>  music to continue (models that can continue)',
    '  --json               print the result\'s metadata as JSON',
    '',
    `Model options (the generation parameters of each kind: ${kinds.map((k) => k.id).join(', ')}):`,
    ...fieldHelp(kinds.map((k) => ({ kind: k.id, fields: k.fields }))),
  ].join('\n');
}

export const generateCommand: CliCommand = {
  name: 'generate',
  summary: 'Generate a MIDI file with a model (the shipped default model without --model)',
  help,
  async run(argv, io) {
    const kinds = await kindsWithFields();
    const allFlags = Object.assign({}, ...kinds.map((k) => fieldFlags(k.fields))) as Record<string, 'string' | 'boolean'>;
    // First the flags every kind knows, to find the model; then only its kind's.
    const { values, positionals } = parseCommandLine(argv, { ...COMMON, ...allFlags });
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    if (typeof values.out !== 'string') throw new UsageError('--out <file.mid> is required');
    const out = await checkWritableFile(values.out, '--out');
    const primerPath = typeof values.primer === 'string' ? await checkReadableFile(values.primer, '--primer') : undefined;

    const { defaultPaths } = await import('../../main/paths');
    const { resolveModel } = await import('../../main/ml/registry');
    const { getKind } = await import('../../main/ml/models');
    const info = await resolveModel(typeof values.model === 'string' ? values.model : undefined, defaultPaths(), { allowFolder: true });
    const kind = kinds.find((k) => k.id === info.kind);
    if (!kind) throw new UsageError(`"${info.id}" is a ${info.kindLabel} model, and ${info.kindLabel} models do not generate music`);
    for (const flag of Object.keys(values)) {
      if (flag in COMMON || kind.fields.some((f) => f.flag === flag)) continue;
      const owners = kinds.filter((k) => k.fields.some((f) => f.flag === flag)).map((k) => k.id);
      throw new UsageError(`--${flag} does not apply to "${info.id}" (a ${info.kindLabel} model); it is an option of ${owners.join(', ')} models`);
    }
    const params = getKind(info.kind).generateParams(fieldValues(kind.fields, values));

    let primer;
    if (primerPath) {
      if (!info.capabilities.includes('continue')) throw new UsageError(`--primer: "${info.id}" (a ${info.kindLabel} model) cannot continue music`);
      const { importMidi } = await import('../../main/music/midi/import');
      primer = importMidi(new Uint8Array(await readFile(primerPath)), { source: primerPath });
    }
    const { selectBackend } = await import('../../main/ml/backend');
    await selectBackend();
    const { ModelHostCore } = await import('../../main/ml/host/core');
    const { exportMidi } = await import('../../main/music/midi/export');
    const { listModels } = await import('../../main/ml/registry');
    // Kinds that write one velocity take the Velocity Net's when a Refine Net is installed (yours first).
    const refiners = (await listModels(defaultPaths())).filter((m) => m.capabilities.includes('refine'));
    const velocityModel = (refiners.find((m) => m.source === 'user') ?? refiners[0])?.dir;
    const host = new ModelHostCore();
    try {
      io.progress(`loading ${info.id}...`);
      const result = await host.generate(info.dir, params, { ...(primer ? { primer } : {}), ...(velocityModel ? { velocityModel } : {}) }, {
        signal: io.signal,
        progress: (f, message) => io.progress(`${message ?? 'generating'}: ${Math.round(f * 100)}%`),
      });
      await writeFile(out, exportMidi(result.sequence));
      if (values.json) {
        const { sequence: _sequence, ...meta } = result;
        io.out(JSON.stringify({ file: out, notes: result.sequence.notes.length, ...meta }));
        return 0;
      }
      io.out(`wrote ${out}: ${result.sequence.notes.length} notes, ${result.seconds.toFixed(1)} s${result.events !== undefined ? `, ${result.events} events` : ''}`);
      const shown = Object.entries(result.params)
        .filter(([k, v]) => k !== 'seed' && v !== undefined && kind.fields.find((f) => f.key === k)?.default !== v)
        .map(([k, v]) => `${kind.fields.find((f) => f.key === k)?.flag ?? k} ${String(v)}`);
      io.out(`model ${result.modelId} (${info.kindLabel}), seed ${result.seed}${shown.length ? `, ${shown.join(', ')}` : ''}`);
      const p = result.plagiarism;
      if (p) {
        // The badge's words: the run graded against what unrelated music of this length reaches, the LCS against chance.
        const verdict = judgePlagiarism({
          longestRun: p.longestRun?.length ?? 0,
          longestRunPiece: p.longestRun?.name ?? null,
          lcsRatio: p.lcs?.ratio ?? 0,
          lcsPiece: p.lcs?.name ?? null,
          corpus: info.data?.name ?? info.name,
          queryLength: p.queryLength,
          measuredCorpus: BASELINE_MODEL_IDS.includes(result.modelId),
          generated: true,
        });
        io.out(`plagiarism check: ${verdict.badge}. ${verdict.lines.slice(0, -1).join(' ')}`);
      }
      return 0;
    } finally {
      host.dispose();
    }
  },
};
