// A large project for crash tests, whose version can be read back from what was saved.
import { emptySequence } from '../../../src/shared/song';
import { emptyProject, type Project } from '../../../src/shared/studio';
import { asFragmentId } from '../../../src/shared/units';

/** 20 fragments of 3,000 notes (about 4 MB of JSON); `version` is in the name of the first fragment. */
export function largeProject(version: number, fragments = 20, notes = 3000): Project {
  const p = emptyProject('Big');
  for (let f = 0; f < fragments; f++) {
    const seq = emptySequence();
    for (let i = 0; i < notes; i++) seq.notes.push({ pitch: 40 + ((i * 7 + f) % 48), velocity: 60 + (i % 60), startTick: i * 120, endTick: i * 120 + 100, track: 0 });
    p.fragments.push({ id: asFragmentId(`frag-${f}`), name: f === 0 ? `v${version}` : `part ${f}`, createdAt: version, origin: { kind: 'edited', from: null }, sequence: seq, plagiarism: null });
  }
  return p;
}

export function versionOf(p: Project): number {
  return Number(/^v(\d+)$/.exec(p.fragments[0]?.name ?? '')?.[1] ?? NaN);
}
