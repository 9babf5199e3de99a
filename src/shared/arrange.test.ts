// Checks that an arrangement renders to one song with sections on bar lines, transposed and re-voiced.
import { describe, expect, it } from 'vitest';
import { emptySequence, type Note, type NoteSequence } from './song';
import { emptyProject, type ArrangementSection, type Fragment, type Project } from './studio';
import { asFragmentId, asSectionId } from './units';
import { barTicks, formLabel, insertItem, moveItem, nextLabel, renderArrangement, revoice, UnknownSectionError } from './arrange';

const note = (pitch: number, startTick: number, endTick: number): Note => ({ pitch, velocity: 80, startTick, endTick, track: 0 });

function fragment(id: string, notes: Note[], patch: Partial<NoteSequence> = {}): Fragment {
  return {
    id: asFragmentId(id),
    name: id,
    createdAt: 0,
    origin: { kind: 'edited', from: null },
    sequence: { ...emptySequence(), notes, ...patch },
    plagiarism: null,
  };
}

function section(id: string, fragmentId: string | null, patch: Partial<ArrangementSection> = {}): ArrangementSection {
  return { id: asSectionId(id), label: id.toUpperCase(), fragmentId: fragmentId === null ? null : asFragmentId(fragmentId), transpose: 0, voicing: 'as-is', ...patch };
}

function project(fragments: Fragment[], sections: ArrangementSection[], form: string[]): Project {
  return { ...emptyProject('Song'), fragments, arrangement: { sections, form: form.map(asSectionId) } };
}

describe('renderArrangement', () => {
  // A: one and a half bars of 4/4 at 480 ppq; B: exactly one bar, a chord.
  const a = fragment('fa', [note(60, 0, 480), note(64, 1920, 2880)]);
  const b = fragment('fb', [note(48, 0, 1920), note(55, 0, 1920), note(67, 0, 1920)]);

  it('places the form A B A end to end at bar boundaries and names the sections', () => {
    const song = renderArrangement(project([a, b], [section('a', 'fa'), section('b', 'fb')], ['a', 'b', 'a']));
    expect(song.sections).toEqual([
      { name: 'A', startTick: 0, endTick: 3840 },
      { name: 'B', startTick: 3840, endTick: 5760 },
      { name: 'A', startTick: 5760, endTick: 9600 },
    ]);
    expect(song.notes.map((n) => [n.pitch, n.startTick])).toEqual([
      [60, 0], [64, 1920], [48, 3840], [55, 3840], [67, 3840], [60, 5760], [64, 7680],
    ]);
    expect(song.meta.form).toBe('A B A');
    expect(formLabel(project([a, b], [section('a', 'fa'), section('b', 'fb')], ['b', 'a']))).toBe('B A');
  });

  it('transposes, re-voices and moves the key signature with the transposition', () => {
    const keyed = fragment('fb', b.sequence.notes, { keySignatures: [{ tick: 0, tonic: 0, mode: 'major' }] });
    const song = renderArrangement(project([keyed], [section('x', 'fb', { transpose: -3, voicing: 'melody-only' }), section('y', 'fb', { voicing: 'bass-only', transpose: 12 })], ['x', 'y']));
    expect(song.notes.map((n) => n.pitch)).toEqual([64, 60]);
    expect(song.keySignatures).toEqual([{ tick: 0, tonic: 9, mode: 'major' }, { tick: 1920, tonic: 0, mode: 'major' }]);
  });

  it('rescales fragments of another resolution and honours their time signature', () => {
    // 96 ppq in 3/4: one bar is 288 ticks there and 1440 in the song.
    const waltz = fragment('fw', [note(70, 0, 96), note(72, 288, 384)], { ppq: 96, timeSignatures: [{ tick: 0, numerator: 3, denominator: 4 }] });
    const song = renderArrangement(project([waltz, a], [section('w', 'fw'), section('a', 'fa')], ['w', 'a']));
    expect(song.ppq).toBe(480);
    expect(song.notes.slice(0, 2).map((n) => [n.startTick, n.endTick])).toEqual([[0, 480], [1440, 1920]]);
    expect(song.sections[1]).toEqual({ name: 'A', startTick: 2880, endTick: 6720 });
    expect(song.timeSignatures).toEqual([{ tick: 0, numerator: 3, denominator: 4 }, { tick: 2880, numerator: 4, denominator: 4 }]);
  });

  it('skips sections without a fragment and rejects a form naming an unknown section', () => {
    const song = renderArrangement(project([a], [section('a', 'fa'), section('e', null), section('g', 'gone')], ['e', 'a', 'g']));
    expect(song.sections.map((s) => s.name)).toEqual(['A']);
    expect(() => renderArrangement(project([a], [section('a', 'fa')], ['a', 'zz']))).toThrow(UnknownSectionError);
  });

  it('gives an empty fragment one bar and keeps tempo events per section', () => {
    const slow = fragment('fs', [], { tempos: [{ tick: 0, bpm: 60 }] });
    const song = renderArrangement(project([slow, a], [section('s', 'fs'), section('a', 'fa')], ['s', 'a']));
    expect(song.sections[0]).toEqual({ name: 'S', startTick: 0, endTick: 1920 });
    expect(song.tempos).toEqual([{ tick: 0, bpm: 60 }, { tick: 1920, bpm: 120 }]);
  });
});

describe('revoice', () => {
  it('drops notes pushed outside the MIDI range', () => {
    expect(revoice([note(120, 0, 1), note(60, 0, 1)], 'octave-up', 0).map((n) => n.pitch)).toEqual([72]);
    expect(revoice([note(5, 0, 1)], 'octave-down', 0)).toEqual([]);
  });
  it('measures a 6/8 bar', () => {
    expect(barTicks({ ppq: 480, timeSignatures: [{ tick: 0, numerator: 6, denominator: 8 }] })).toBe(1440);
  });
});

describe('form editing', () => {
  it('moves, inserts and labels', () => {
    expect(moveItem(['A', 'B', 'C'], 0, 2)).toEqual(['B', 'C', 'A']);
    expect(moveItem(['A', 'B', 'C'], 2, 0)).toEqual(['C', 'A', 'B']);
    expect(moveItem(['A'], 5, 0)).toEqual(['A']);
    expect(insertItem(['A', 'B'], 'C', 1)).toEqual(['A', 'C', 'B']);
    expect(insertItem(['A'], 'C', 99)).toEqual(['A', 'C']);
    expect(nextLabel(['A', 'B', 'D'])).toBe('C');
    expect(nextLabel(Array.from({ length: 26 }, (_, i) => String.fromCharCode(65 + i)))).toBe('A2');
  });
});
