// Tests of the roll's geometry: ticks <-> x, pitch <-> y, note rectangles, hit testing and velocity lane.
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../../shared/errors';
import { KeyTransform, isBlackKey, pitchName } from './KeyTransform';
import { EDGE_PX, NoteCoordTransform } from './NoteCoordTransform';
import { TickTransform } from './TickTransform';
import { VelocityTransform } from './VelocityTransform';

describe('TickTransform', () => {
  it('maps ticks to x and back with scroll', () => {
    const t = TickTransform.forQuarter(480, 96, 960); // 0.2 px per tick, scrolled two beats
    expect(t.x(960)).toBe(0);
    expect(t.x(1440)).toBeCloseTo(96);
    expect(t.tick(96)).toBeCloseTo(1440);
    expect(t.ticksFor(48)).toBeCloseTo(240);
    expect(t.width(480)).toBeCloseTo(96);
  });

  it('zooms around an anchor pixel', () => {
    const t = new TickTransform(0.1, 1000);
    const anchorTick = t.tick(300);
    const z = t.zoomedAt(2, 300);
    expect(z.pixelsPerTick).toBeCloseTo(0.2);
    expect(z.tick(300)).toBeCloseTo(anchorTick);
    expect(t.pixelsPerTick).toBe(0.1); // immutable
  });

  it('clamps zoom and never scrolls before tick 0', () => {
    const t = new TickTransform(0.1, 100);
    expect(t.zoomedAt(1e9, 0, 0.01, 1).pixelsPerTick).toBe(1);
    expect(t.scrolledBy(-1e6).scrollTick).toBe(0);
    expect(t.zoomedAt(0.5, 500).scrollTick).toBe(0);
  });

  it('rejects a non-positive zoom', () => {
    expect(() => new TickTransform(0)).toThrow(InvalidArgumentError);
  });
});

describe('KeyTransform', () => {
  it('puts the highest key at the top and maps y back to pitch', () => {
    const k = KeyTransform.of(88, 10);
    expect(k.keyCount).toBe(88);
    expect(k.y(108)).toBe(0);
    expect(k.y(21)).toBe(870);
    expect(k.pitch(0)).toBe(108);
    expect(k.pitch(9.99)).toBe(108);
    expect(k.pitch(10)).toBe(107);
    expect(k.contentHeight).toBe(880);
  });

  it('supports all 128 MIDI notes', () => {
    const k = KeyTransform.of(128, 8);
    expect(k.y(127)).toBe(0);
    expect(k.pitch(127 * 8 + 1)).toBe(0);
    expect(k.clampedPitch(5000)).toBe(0);
  });

  it('scrolls within the content and centres on a pitch', () => {
    const k = KeyTransform.of(88, 10);
    expect(k.scrolledBy(-50, 400).scrollY).toBe(0);
    expect(k.scrolledBy(1e6, 400).scrollY).toBe(880 - 400);
    const c = k.centeredOn(60, 400);
    expect(c.y(60) + 5).toBeCloseTo(200);
    expect(c.pitch(200)).toBe(60);
  });

  it('zooms keeping the pitch under the anchor', () => {
    const k = KeyTransform.of(88, 10).withScrollY(200, 300);
    const p = k.pitch(150);
    const z = k.zoomedAt(1.5, 150, 300);
    expect(z.keyHeight).toBe(15);
    expect(z.pitch(150)).toBe(p);
  });

  it('knows black keys and names', () => {
    expect([60, 61, 62, 63, 64, 65, 66].map(isBlackKey)).toEqual([false, true, false, true, false, false, true]);
    expect(pitchName(60)).toBe('C4');
    expect(pitchName(21)).toBe('A0');
    expect(pitchName(0)).toBe('C-1');
  });
});

describe('NoteCoordTransform', () => {
  const coords = new NoteCoordTransform(new TickTransform(0.1, 0), KeyTransform.of(88, 10));
  const note = { pitch: 60, startTick: 1000, endTick: 2000 };

  it('gives a note its rectangle', () => {
    expect(coords.rect(note)).toEqual({ x: 100, y: (108 - 60) * 10, width: 100, height: 10 });
  });

  it('tells the body from the resize edge', () => {
    const y = coords.keys.y(60) + 5;
    expect(coords.hitPart(note, 150, y)).toBe('body');
    expect(coords.hitPart(note, 200 - EDGE_PX / 2, y)).toBe('end');
    expect(coords.hitPart(note, 99, y)).toBeNull();
    expect(coords.hitPart(note, 150, y + 10)).toBeNull();
  });

  it('keeps most of a tiny note for moving', () => {
    const tiny = { pitch: 60, startTick: 1000, endTick: 1060 }; // 6 px wide
    const y = coords.keys.y(60) + 1;
    expect(coords.hitPart(tiny, 102, y)).toBe('body');
    expect(coords.hitPart(tiny, 105.5, y)).toBe('end');
  });

  it('turns a pixel rectangle into a tick and pitch range', () => {
    const r = coords.range(300, coords.keys.y(60) + 2, 100, coords.keys.y(64) + 2);
    expect(r).toEqual({ startTick: 1000, endTick: 3000, lowPitch: 60, highPitch: 64 });
  });
});

describe('VelocityTransform', () => {
  it('maps velocity to bar tops and back, clamped to 1..127', () => {
    const v = new VelocityTransform(131, 4);
    expect(v.y(127)).toBe(4);
    expect(v.y(0)).toBe(131);
    expect(v.velocity(v.y(64))).toBe(64);
    expect(v.velocity(-50)).toBe(127);
    expect(v.velocity(500)).toBe(1);
  });
});

describe('TickTransform.clampedTo', () => {
  it('stops scrolling at the end of the content', () => {
    const t = new TickTransform(0.1, 9000);
    expect(t.clampedTo(10_000, 200).scrollTick).toBe(8000);
    const inside = new TickTransform(0.1, 100);
    expect(inside.clampedTo(10_000, 200)).toBe(inside);
    expect(t.clampedTo(100, 200).scrollTick).toBe(0);
  });
});
