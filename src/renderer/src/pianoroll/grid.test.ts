// Tests of bars, beats and snapping across time-signature changes.
import { describe, expect, it } from 'vitest';
import { BarGrid, formatPosition, snapStepTicks, type LineKind } from './grid';

const PPQ = 480;

describe('snapStepTicks', () => {
  it('measures divisions of a whole note', () => {
    expect(snapStepTicks(PPQ, 4)).toBe(480);
    expect(snapStepTicks(PPQ, 16)).toBe(120);
    expect(snapStepTicks(PPQ, 'off')).toBeNull();
  });
});

describe('BarGrid', () => {
  // 2 bars of 4/4, then 3/4 from tick 3840, then 6/8 from 3840 + 2 * 1440.
  const grid = new BarGrid(PPQ, [
    { tick: 0, numerator: 4, denominator: 4 },
    { tick: 3840, numerator: 3, denominator: 4 },
    { tick: 6720, numerator: 6, denominator: 8 },
  ]);

  it('finds bars across metre changes', () => {
    expect(grid.barStart(1000)).toBe(0);
    expect(grid.barStart(2000)).toBe(1920);
    expect(grid.barStart(4000)).toBe(3840);
    expect(grid.barStart(5300)).toBe(5280);
    expect(grid.barIndex(5300)).toBe(3);
    expect(grid.barIndex(6720)).toBe(4);
    expect(grid.beatTicks(7000)).toBe(240);
    expect(grid.barTicks(7000)).toBe(1440);
  });

  it('defaults to 4/4 without time signatures', () => {
    const g = new BarGrid(PPQ, []);
    expect(g.barStart(2000)).toBe(1920);
    expect(g.beatTicks(0)).toBe(480);
  });

  it('snaps from the barline in odd metres', () => {
    const g = new BarGrid(PPQ, [{ tick: 0, numerator: 7, denominator: 8 }]); // bar = 1680
    expect(g.snap(1000, 480)).toBe(960);
    expect(g.snap(1650, 480)).toBe(1680); // the barline beats the 1440 grid point
    expect(g.snap(1700, 480)).toBe(1680);
    expect(g.snap(2200, 480, 'floor')).toBe(2160);
    expect(g.snap(1500, 480, 'ceil')).toBe(1680);
    expect(g.snap(-50, 480)).toBe(0);
  });

  it('walks bar, beat and subdivision lines in order', () => {
    const lines: [number, LineKind, number][] = [];
    grid.forEachLine(3000, 4400, 240, (t, k, b) => lines.push([t, k, b]));
    expect(lines).toEqual([
      [3120, 'sub', 1],
      [3360, 'beat', 1],
      [3600, 'sub', 1],
      [3840, 'bar', 2],
      [4080, 'sub', 2],
      [4320, 'beat', 2],
    ]);
  });

  it('walks lines of a later metre with the right bar numbers', () => {
    const bars: number[] = [];
    grid.forEachLine(6000, 9600, null, (t, k, b) => {
      if (k === 'bar') bars.push(t, b);
    });
    expect(bars).toEqual([6720, 4, 8160, 5, 9600, 6]);
  });
});

describe('formatPosition', () => {
  it('counts bars, beats and sixteenths from 1', () => {
    const g = new BarGrid(PPQ, [{ tick: 0, numerator: 3, denominator: 4 }]);
    expect(formatPosition(g, 0)).toBe('1.1.1');
    expect(formatPosition(g, 1440 + 480 + 250)).toBe('2.2.3');
  });
});

describe('BarGrid with a pickup', () => {
  it('numbers the pickup bar 0, so the first full bar is bar 1', () => {
    const grid = new BarGrid(480, [{ tick: 0, numerator: 1, denominator: 4 }, { tick: 480, numerator: 4, denominator: 4 }]);
    expect(grid.firstNumber).toBe(0);
    expect(formatPosition(grid, 0)).toBe('0.1.1');
    expect(formatPosition(grid, 480)).toBe('1.1.1');
    expect(new BarGrid(480, [{ tick: 0, numerator: 4, denominator: 4 }]).firstNumber).toBe(1);
  });
});
