// Dropped files become fragments (one per ABC tune), damaged files become plain problems, and exports read back.
import { readFile } from 'node:fs/promises';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { importMidi } from '../music/midi';
import { parseAbc } from '../music/abc';
import { StudioService } from './service';

const fixtures = join(process.cwd(), 'tests', 'fixtures');
let service: StudioService;

beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'ds-studio-'));
  // An empty resources folder: no shipped corpus, so plagiarism scores are null rather than guessed.
  service = new StudioService({ resources: join(dir, 'resources'), userData: join(dir, 'user'), cache: join(dir, 'cache') });
});

describe('StudioService', () => {
  it('imports a MIDI file as one fragment with its notes', async () => {
    const bytes = await readFile(join(fixtures, 'piano', 'haydn_7_1.mid'));
    const r = await service.importFile('haydn_7_1.mid', bytes);
    expect(r.problems).toEqual([]);
    expect(r.fragments).toHaveLength(1);
    const f = r.fragments[0]!;
    expect(f.origin).toEqual({ kind: 'imported', fileName: 'haydn_7_1.mid', format: 'midi' });
    expect(f.sequence.notes.length).toBe(importMidi(bytes).notes.length);
    expect(f.sequence.notes.length).toBeGreaterThan(100);
    expect(f.plagiarism).toBeNull();
  });

  it('imports every tune of an ABC file as its own fragment', async () => {
    const text = await readFile(join(fixtures, 'nottingham', 'ashover.abc'));
    const r = await service.importFile('ashover.abc', text);
    const tunes = parseAbc(text.toString('utf8'));
    expect(r.fragments.length).toBe(tunes.length);
    expect(r.fragments[0]!.name).toBe(tunes[0]!.title);
    expect(new Set(r.fragments.map((f) => f.id)).size).toBe(r.fragments.length);
  });

  it('reports a damaged MIDI file as a problem naming the error, without throwing', async () => {
    const bytes = await readFile(join(fixtures, 'piano', 'haydn_7_1.mid'));
    const r = await service.importFile('cut.mid', bytes.subarray(0, 200));
    expect(r.fragments).toEqual([]);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatchObject({ item: 'cut.mid', error: 'MidiFormatError' });
  });

  it('scores fragments against the shipped default model\'s training corpus', async () => {
    const shipped = new StudioService({ resources: join(process.cwd(), 'resources'), userData: join(tmpdir(), 'unused'), cache: join(tmpdir(), 'unused') });
    const bytes = await readFile(join(fixtures, 'piano', 'chpn-p7.mid'));
    const f = (await shipped.importFile('chpn-p7.mid', bytes)).fragments[0]!;
    expect(f.plagiarism).not.toBeNull();
    expect(f.plagiarism!.corpus).toMatch(/Char-RNN/);
    // This prelude is one of the piano-midi.de pieces the shipped models were trained on or validated with.
    expect(f.plagiarism!.longestRun).toBeGreaterThanOrEqual(6);
    expect(f.plagiarism!.lcsRatio).toBeGreaterThan(0);
    expect(f.plagiarism!.lcsRatio).toBeLessThanOrEqual(1);
  });

  it('refuses a file type it cannot read', async () => {
    await expect(service.importFile('notes.txt', Buffer.from('hello'))).rejects.toMatchObject({ name: 'InvalidArgumentError' });
  });

  it('exports MIDI and ABC that read back to the same notes', async () => {
    const bytes = await readFile(join(fixtures, 'nottingham', 'ashover.abc'));
    const seq = (await service.importFile('ashover.abc', bytes)).fragments[0]!.sequence;
    const midi = await service.exportMidi(seq, 'Round trip');
    const back = importMidi(midi);
    expect(back.meta.title).toBe('Round trip');
    const key = (n: { pitch: number; startTick: number }) => `${n.startTick}:${n.pitch}`;
    expect(back.notes.map(key).sort()).toEqual(seq.notes.map(key).sort());
    const abc = service.exportAbc({ ...seq, notes: seq.notes.filter((n) => n.track === 0) }, 'Melody');
    expect(abc).toMatch(/^X:/m);
    expect(abc).toMatch(/^T:Melody/m);
    const melody = parseAbc(abc)[0]!.sequence.notes.filter((n) => n.track === 0);
    expect(melody.map((n) => n.pitch)).toEqual(seq.notes.filter((n) => n.track === 0).map((n) => n.pitch));
  });
});
