// Checks that playback timing follows the tempo map, the user's tempo ratio and the starting point.
import { describe, expect, it } from 'vitest';
import { emptySequence, type NoteSequence } from '../../../shared/song';
import { PlaybackClock, barBeat, baseBpm, noteName, scheduleClicks, scheduleNotes } from './schedule';

function song(): NoteSequence {
  const seq = emptySequence(480);
  seq.tempos = [{ tick: 0, bpm: 120 }, { tick: 1920, bpm: 60 }];
  seq.notes = [
    { pitch: 60, velocity: 127, startTick: 0, endTick: 480, track: 0 },
    { pitch: 64, velocity: 0, startTick: 480, endTick: 960, track: 0 },
    { pitch: 67, velocity: 64, startTick: 1920, endTick: 2400, track: 0 },
  ];
  return seq;
}

describe('schedule', () => {
  it('times notes through tempo changes and a user tempo ratio, skipping silent notes', () => {
    const seq = song();
    expect(baseBpm(seq)).toBe(120);
    const normal = scheduleNotes(seq, new PlaybackClock(seq, 1));
    expect(normal.map((n) => [n.time, n.duration, n.pitch])).toEqual([[0, 0.5, 60], [2, 1, 67]]);
    expect(normal[0]!.velocity).toBe(1);
    const fast = scheduleNotes(seq, new PlaybackClock(seq, 2), 1);
    expect(fast.map((n) => [n.time, n.duration])).toEqual([[1, 0.5]]);
  });

  it('converts seconds back to ticks and clicks each beat with downbeats on bars', () => {
    const seq = song();
    const clock = new PlaybackClock(seq, 1);
    expect(clock.toTicks(2.5)).toBeCloseTo(2160);
    const clicks = scheduleClicks(seq, clock, 2400);
    expect(clicks.map((c) => c.time)).toEqual([0, 0.5, 1, 1.5, 2]);
    expect(clicks.map((c) => c.downbeat)).toEqual([true, false, false, false, true]);
    expect(noteName(60)).toBe('C4');
    expect(noteName(21)).toBe('A0');
  });

  it('counts bars after a pickup: the upbeat is bar 0, and downbeats fall after it', () => {
    const seq = song();
    seq.timeSignatures = [{ tick: 0, numerator: 1, denominator: 4 }, { tick: 480, numerator: 4, denominator: 4 }];
    expect([0, 480, 960, 2400].map((t) => barBeat(seq, t))).toEqual(['0.4', '1.1', '1.2', '2.1']);
    const clicks = scheduleClicks(seq, new PlaybackClock(seq, 1), 2400);
    expect(clicks.map((c) => c.downbeat)).toEqual([false, true, false, false, false]);
    expect(barBeat(song(), 1920 + 480)).toBe('2.2');
  });
});
