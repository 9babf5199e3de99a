// `deep-symphony polish`: a MIDI or ABC file polished by a Refine Net (durations to a consistent beat, then velocities), written as MIDI.
import { readFile, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { CliCommand } from '../command';
import { numberFlag, parseFlags, UsageError } from '../command';
import { checkReadableFile, checkWritableFile } from '../paths';

const help = `Usage: deep-symphony polish <in.mid|in.abc> --out <out.mid> [--durations] [--velocities] [--strength 0..1] [--model <id|dir>]

Polishes music with a Refine Net: the Duration Net restores note and rest lengths to a consistent beat, then the
Velocity Net stresses the theme and softens the accompaniment. No note is added, dropped or re-pitched, and notes
that start at different times keep their order. Without --durations or --velocities, both are done.

Options:
  --out <file.mid>     where to write the result (required; checked before any work)
  --durations          polish durations (only these, unless --velocities is given too)
  --velocities         polish velocities (only these, unless --durations is given too)
  --strength <s>       0 leaves the music as it is, 1 takes the nets' answer (default 1)
  --tune <n>           an ABC file's tune by its X: number (default: the first)
  --model <id|dir>     a Refine Net (default: yours if you trained one, else the shipped one)
  --json               print the report as JSON`;

export const polishCommand: CliCommand = {
  name: 'polish',
  summary: 'Polish a MIDI or ABC file with a Refine Net: durations, then velocities',
  help: () => help,
  async run(argv, io) {
    const { values, positionals } = parseFlags(argv, {
      out: { type: 'string' },
      durations: { type: 'boolean' },
      velocities: { type: 'boolean' },
      strength: { type: 'string' },
      tune: { type: 'string' },
      model: { type: 'string' },
      json: { type: 'boolean' },
    });
    if (positionals.length !== 1) throw new UsageError(`expected one input file, got ${positionals.length === 0 ? 'none' : positionals.join(' ')}`);
    if (!values.out) throw new UsageError('--out <file.mid> is required');
    const input = await checkReadableFile(positionals[0]!, 'input');
    const out = await checkWritableFile(values.out, '--out');
    const strength = numberFlag(values.strength, 'strength', 1, 0, 1);
    const both = !values.durations && !values.velocities;
    const params = { durations: both || values.durations === true, velocities: both || values.velocities === true, strength };

    const { musicFormatOf, MUSIC_FILE_LIST } = await import('../../shared/files');
    const format = musicFormatOf(input);
    if (!format) throw new UsageError(`input: "${basename(input)}" is not a music file (${MUSIC_FILE_LIST})`);
    const bytes = new Uint8Array(await readFile(input));
    let sequence;
    if (format === 'midi') {
      const { importMidi } = await import('../../main/music/midi/import');
      sequence = importMidi(bytes, { source: input });
    } else {
      const { parseAbc } = await import('../../main/music/abc');
      const tunes = parseAbc(new TextDecoder().decode(bytes), { source: input });
      const wanted = values.tune === undefined ? undefined : numberFlag(values.tune, 'tune', 1, 0, 1e9);
      const tune = wanted === undefined ? tunes[0] : tunes.find((t) => t.referenceNumber === wanted);
      if (!tune) throw new UsageError(wanted === undefined ? `input: "${basename(input)}" holds no tune` : `--tune: "${basename(input)}" has no tune X:${wanted} (it has ${tunes.map((t) => t.referenceNumber).join(', ')})`);
      sequence = tune.sequence;
    }

    const { defaultPaths } = await import('../../main/paths');
    const { listModels, resolveModel } = await import('../../main/ml/registry');
    const { getKind } = await import('../../main/ml/models');
    const paths = defaultPaths();
    let info;
    if (values.model) info = await resolveModel(values.model, paths, { allowFolder: true });
    else {
      const all = (await listModels(paths)).filter((m) => m.capabilities.includes('refine'));
      info = all.find((m) => m.source === 'user') ?? all[0];
      if (!info) throw new UsageError('no model can polish music: train one with `deep-symphony train --model <a kind that refines>`');
    }
    if (!info.capabilities.includes('refine')) throw new UsageError(`--model: "${info.id}" (a ${info.kindLabel} model) does not polish music`);
    const checked = getKind(info.kind).refineParams(params);
    const { selectBackend } = await import('../../main/ml/backend');
    await selectBackend();
    const { ModelHostCore } = await import('../../main/ml/host/core');
    const { exportMidi } = await import('../../main/music/midi/export');
    const host = new ModelHostCore();
    try {
      const r = await host.refine(info.dir, sequence, checked, { signal: io.signal, progress: (f, m) => io.progress(`${m ?? 'polishing'}: ${Math.round(f * 100)}%`) });
      await writeFile(out, exportMidi(r.sequence));
      if (values.json) io.out(JSON.stringify({ file: out, model: info.id, ...r.report, params: r.params }));
      else {
        io.out(`wrote ${out}: ${r.report.notes ?? r.sequence.notes.length} notes polished with ${info.id} (${[checked.durations && 'durations', checked.velocities && 'velocities'].filter(Boolean).join(' and ')}, strength ${strength})`);
        io.out(`onsets moved ${(r.report.onsetShiftBeats ?? 0).toFixed(3)} beats, durations ${(r.report.durationChangeBeats ?? 0).toFixed(3)} beats, velocities ${(r.report.velocityChange ?? 0).toFixed(1)} on average`);
      }
      return 0;
    } finally {
      host.dispose();
    }
  },
};
