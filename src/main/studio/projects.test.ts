// Projects save and open intact, damaged files get a named error, and the autosave survives until cleared.
import { mkdtemp, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emptySequence } from '../../shared/song';
import { emptyProject, type Project } from '../../shared/studio';
import { asFragmentId, asSectionId } from '../../shared/units';
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
});
