// Projects save and open intact, damaged files get a named error, and the autosave survives until cleared.
import { mkdtemp, writeFile, mkdir, readdir, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emptySequence } from '../../shared/song';
import { emptyProject, type Project } from '../../shared/studio';
import { asFragmentId, asSectionId } from '../../shared/units';
import { projectName } from '../../shared/api/studio';
import { ProjectStore } from './projects';

function sample(): Project {
  const seq = emptySequence();
  seq.notes.push({ pitch: 60, velocity: 90, startTick: 0, endTick: 480, track: 0 });
  const p = emptyProject('Sketch');
  p.fragments.push({ id: asFragmentId('frag-1'), name: 'Theme', createdAt: 1, origin: { kind: 'edited', from: null }, sequence: seq, plagiarism: null });
  p.arrangement.sections.push({ id: asSectionId('sec-a'), label: 'A', fragmentId: asFragmentId('frag-1'), transpose: 2, voicing: 'as-is' });
  p.arrangement.form.push(asSectionId('sec-a'), asSectionId('sec-a'));
  return p;
}

describe('ProjectStore', () => {
  it('saves, lists, opens and deletes a project', async () => {
    const store = new ProjectStore(await mkdtemp(join(tmpdir(), 'ds-proj-')));
    const entry = await store.save('My song', sample());
    expect(entry).toMatchObject({ name: 'My song', fragments: 1 });
    expect((await store.list()).map((e) => e.name)).toEqual(['My song']);
    const back = await store.open('My song');
    expect(back.fragments[0]!.sequence.notes).toEqual(sample().fragments[0]!.sequence.notes);
    expect(back.arrangement.form).toEqual(['sec-a', 'sec-a']);
    await store.remove('My song');
    await expect(store.open('My song')).rejects.toMatchObject({ name: 'NotFoundError' });
  });

  it('names what is wrong with a damaged project file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ds-proj-'));
    await mkdir(join(dir, 'projects'));
    await writeFile(join(dir, 'projects', 'broken.dsproj.json'), '{"format":"deep-symphony-project","version":1');
    await writeFile(join(dir, 'projects', 'wrong.dsproj.json'), JSON.stringify({ ...sample(), version: 7 }));
    const store = new ProjectStore(dir);
    await expect(store.open('broken')).rejects.toMatchObject({ name: 'ProjectFormatError', message: expect.stringMatching(/not valid JSON/) });
    await expect(store.open('wrong')).rejects.toMatchObject({ name: 'ProjectFormatError', message: expect.stringMatching(/version/) });
    expect(await store.list()).toEqual([]);
  });

  it('keeps the autosave for recovery until it is cleared', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ds-proj-'));
    const store = new ProjectStore(dir);
    expect(await store.recovery()).toBeNull();
    await store.autosave(sample());
    // A new store over the same folder stands for the next start after a crash.
    const restored = await new ProjectStore(dir).recovery();
    expect(restored?.fragments[0]?.name).toBe('Theme');
    await store.clearRecovery();
    expect(await store.recovery()).toBeNull();
  });

  it('limits project names in UTF-8 bytes with a clear error, not ENAMETOOLONG and a path', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ds-proj-'));
    const store = new ProjectStore(dir);
    const cjk = '交響曲'.repeat(27).slice(0, 80);
    await expect(store.save(cjk, sample())).rejects.toMatchObject({ name: 'ProjectNameError', message: expect.stringMatching(/240 bytes in UTF-8; at most 200/) });
    await expect(store.save(cjk, sample())).rejects.toSatisfy((e: Error) => !e.message.includes(dir));
    expect(projectName.safeParse(cjk).error?.issues[0]?.message).toMatch(/240 bytes/);
    // 66 CJK characters (198 bytes) still fit, as do 120 ASCII ones.
    const fits = cjk.slice(0, 66);
    await store.save(fits, sample());
    await store.save('a'.repeat(120), sample());
    expect((await store.list()).map((e) => e.name).sort()).toEqual(['a'.repeat(120), fits].sort());
    expect((await store.open(fits)).name).toBe(fits);
  });

  it('refuses Windows device names and control or invisible characters', async () => {
    const store = new ProjectStore(await mkdtemp(join(tmpdir(), 'ds-proj-')));
    const refused = ['CON', 'nul', 'COM1', 'aux.txt', 'Lpt9.song', 'a\u0007b', 'tab\there', 'zero\u200bwidth', '\u202eevil', 'line\u2028break', 'bom\ufeff', 'end.', 'a/b', 'a:b'];
    for (const name of refused) {
      expect(projectName.safeParse(name).success, JSON.stringify(name)).toBe(false);
      await expect(store.save(name, sample()), JSON.stringify(name)).rejects.toMatchObject({ name: 'ProjectNameError' });
    }
    for (const name of ['Console', 'CONCERTO', 'com10', 'Auxiliary theme', 'Sonata No. 1', 'Étude – op. 10']) {
      expect(projectName.safeParse(name).success, name).toBe(true);
      await store.save(name, sample());
    }
  });

  it('names a folder in the way of a save instead of a raw EISDIR', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ds-proj-'));
    await mkdir(join(dir, 'projects', 'Song.dsproj.json'), { recursive: true });
    const store = new ProjectStore(dir);
    await expect(store.save('Song', sample())).rejects.toMatchObject({ name: 'ProjectPathError', message: expect.stringMatching(/folder named "Song\.dsproj\.json"/) });
    await expect(store.open('Song')).rejects.toMatchObject({ name: 'ProjectPathError' });
    expect((await readdir(join(dir, 'projects'))).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('removes the temporary files a killed save left behind at the next start', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ds-proj-'));
    await mkdir(join(dir, 'projects'));
    const deadPid = 2 ** 22 + 17;
    const leftovers = [
      join(dir, 'projects', `Song.dsproj.json.${deadPid}.0123456789ab.tmp`),
      join(dir, 'projects', 'Song.dsproj.json.0123456789ab.tmp'),
      join(dir, `autosave.dsproj.json.${deadPid}.ba9876543210.tmp`),
    ];
    for (const f of leftovers) await writeFile(f, '{"half": ');
    // One of this process, just written: another store here may be in the middle of that save.
    const inFlight = join(dir, 'projects', `Other.dsproj.json.${process.pid}.aaaaaaaaaaaa.tmp`);
    await writeFile(inFlight, '{');
    const unrelated = join(dir, 'notes.tmp');
    await writeFile(unrelated, 'mine');
    const store = new ProjectStore(dir);
    expect(await store.list()).toEqual([]);
    expect((await readdir(join(dir, 'projects'))).sort()).toEqual([`Other.dsproj.json.${process.pid}.aaaaaaaaaaaa.tmp`]);
    expect((await readdir(dir)).sort()).toEqual(['notes.tmp', 'projects']);
    // An hour-old one is stale whoever wrote it.
    const old = new Date(Date.now() - 2 * 3600_000);
    await utimes(inFlight, old, old);
    await new ProjectStore(dir).recovery();
    expect(await readdir(join(dir, 'projects'))).toEqual([]);
  });
});
