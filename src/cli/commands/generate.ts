// `deep-symphony generate`: writes a MIDI file from a shipped or trained model, with seed, sampling, key and density controls.
import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { GenerateOptions, KeyPreset } from '../../shared/generation';
import type { CliCommand } from '../command';
import { numberFlag, parseFlags, UsageError } from '../command';

const help = `Usage: deep-symphony generate --out <file.mid> [options]

Generates piano music with a Char-RNN. Without --model it uses the shipped default model, so
\`deep-symphony generate --out song.mid\` works with no setup. The same --seed gives the same notes.

Options:
  --out <file.mid>     where to write the MIDI file (required)
  --model <id|dir>     a model id (see the models folder) or a model folder (default: the shipped default)
  --seconds <s>        length in seconds of music (default 30)
  --events <n>         length in events instead (or as well: the first limit reached ends it)
  --temperature <t>    sampling temperature, > 0 (default 1.0)
  --top-k <k>          sample among the k most likely events only (0 = all)
  --top-p <p>          nucleus sampling: the most likely events covering probability p (1 = all)
  --seed <n>           seed for reproducible output (default: random, printed)
  --primer <file.mid>  continue this music
  --key "<key>"        conditional models: e.g. "C major", "F# minor", "Bb major"
  --density <n>        conditional models: notes per second
  --pitch <n>          conditional models: mean MIDI pitch (60 = middle C)
  --range <n>          conditional models: pitch range in semitones
  --json               print the result's metadata as JSON`;

const PITCH_CLASSES: Record<string, number> = { c: 0, d: 2, e: 4, f: 5, g: 7, a: 9, b: 11 };

/** Parses "C major", "f# minor", "Bb", "Am" into a key preset. */
export function parseKey(text: string): KeyPreset {
  const m = /^\s*([A-Ga-g])\s*(#|b|♯|♭)?\s*(major|minor|maj|min|m)?\s*$/.exec(text);
  if (!m) throw new UsageError(`--key must look like "C major", "F# minor" or "Bb", got "${text}"`);
  const accidental = m[2] === '#' || m[2] === '♯' ? 1 : m[2] === 'b' || m[2] === '♭' ? -1 : 0;
  const tonic = (PITCH_CLASSES[m[1]!.toLowerCase()]! + accidental + 12) % 12;
  const mode = m[3] === 'minor' || m[3] === 'min' || m[3] === 'm' ? 'minor' : 'major';
  return { tonic, mode };
}

export const generateCommand: CliCommand = {
  name: 'generate',
  summary: 'Generate a MIDI file with a Char-RNN (the shipped default model without --model)',
  help,
  async run(argv, io) {
    const { values } = parseFlags(
      argv,
      {
        out: { type: 'string' },
        model: { type: 'string' },
        seconds: { type: 'string' },
        events: { type: 'string' },
        temperature: { type: 'string' },
        'top-k': { type: 'string' },
        'top-p': { type: 'string' },
        seed: { type: 'string' },
        primer: { type: 'string' },
        key: { type: 'string' },
        density: { type: 'string' },
        pitch: { type: 'string' },
        range: { type: 'string' },
        json: { type: 'boolean' },
      },
      false,
    );
    if (!values.out) throw new UsageError('--out <file.mid> is required');
    const options: GenerateOptions = {
      temperature: numberFlag(values.temperature, 'temperature', 1, 0.01, 10),
      topK: numberFlag(values['top-k'], 'top-k', 0, 0, 10_000),
      topP: numberFlag(values['top-p'], 'top-p', 1, 0.001, 1),
    };
    if (!Number.isInteger(options.topK)) throw new UsageError(`--top-k must be a whole number, got "${values['top-k']}"`);
    if (values.seconds !== undefined || values.events === undefined) options.lengthSeconds = numberFlag(values.seconds, 'seconds', 30, 0.1, 3600);
    if (values.events !== undefined) {
      options.lengthEvents = numberFlag(values.events, 'events', 0, 1, 1_000_000);
      if (!Number.isInteger(options.lengthEvents)) throw new UsageError(`--events must be a whole number, got "${values.events}"`);
    }
    if (values.seed !== undefined) {
      options.seed = numberFlag(values.seed, 'seed', 0, 0, 2 ** 32 - 1);
      if (!Number.isInteger(options.seed)) throw new UsageError(`--seed must be a whole number, got "${values.seed}"`);
    }
    const conditions: NonNullable<GenerateOptions['conditions']> = {};
    if (values.key !== undefined) conditions.keyPreset = parseKey(values.key);
    if (values.density !== undefined) conditions.density = numberFlag(values.density, 'density', 0, 0, 200);
    if (values.pitch !== undefined) conditions.pitchMean = numberFlag(values.pitch, 'pitch', 0, 0, 127);
    if (values.range !== undefined) conditions.pitchRange = numberFlag(values.range, 'range', 0, 0, 127);

    const { defaultPaths } = await import('../../main/paths');
    const { resolveModel } = await import('../../main/ml/registry');
    const info = await resolveModel(values.model, defaultPaths());
    if (Object.keys(conditions).length > 0) {
      if (!info.conditional) throw new UsageError(`--key, --density, --pitch and --range need a conditional model; "${info.id}" is a ${info.kind}`);
      options.conditions = conditions;
    }
    if (values.primer) {
      const { importMidi } = await import('../../main/music/midi/import');
      options.primer = importMidi(new Uint8Array(await readFile(resolve(values.primer))));
    }
    const { selectBackend } = await import('../../main/ml/backend');
    await selectBackend();
    const { generateWithModel } = await import('../../main/ml/charRnn/pipeline');
    const { exportMidi } = await import('../../main/music/midi/export');
    io.progress(`generating with ${info.id}...`);
    const result = await generateWithModel(info, options);
    const out = resolve(values.out);
    await writeFile(out, exportMidi(result.sequence));
    if (values.json) {
      const { sequence: _sequence, ...meta } = result;
      io.out(JSON.stringify({ file: out, notes: result.sequence.notes.length, ...meta }));
    } else {
      io.out(`wrote ${out}: ${result.sequence.notes.length} notes, ${result.seconds.toFixed(1)} s, ${result.events} events`);
      io.out(`model ${result.modelId} (${result.modelKind}), seed ${result.seed}, temperature ${result.options.temperature}`);
      const p = result.plagiarism;
      if (p) {
        const run = p.longestRun ? `${p.longestRun.length} notes from "${p.longestRun.name}"` : 'none';
        io.out(`plagiarism check: longest copied run ${run}; LCS ${p.lcs ? `${Math.round(p.lcs.ratio * 100)}% of ${p.queryLength} notes` : 'none'}`);
      }
    }
    return 0;
  },
};
