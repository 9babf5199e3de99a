// Horizontal geometry of the piano roll: ticks <-> x pixels, with zoom (pixels per tick) and scroll.
import type { Ticks } from '../../../shared/units';
import { InvalidArgumentError } from '../../../shared/errors';

/**
 * Immutable: every zoom or scroll returns a new transform, so a frame is drawn
 * with one consistent geometry and gestures can keep the one they started with.
 */
export class TickTransform {
  constructor(
    /** Zoom: how many pixels one tick takes. */
    readonly pixelsPerTick: number,
    /** The tick at the left edge of the view (x = 0). Never negative. */
    readonly scrollTick: Ticks = 0,
  ) {
    if (!(pixelsPerTick > 0) || !Number.isFinite(pixelsPerTick)) {
      throw new InvalidArgumentError(`pixelsPerTick must be a positive number, got ${pixelsPerTick}`);
    }
    if (!(scrollTick >= 0)) throw new InvalidArgumentError(`scrollTick must be >= 0, got ${scrollTick}`);
  }

  /** A transform showing `pixelsPerQuarter` pixels per quarter note. */
  static forQuarter(ppq: number, pixelsPerQuarter: number, scrollTick: Ticks = 0): TickTransform {
    return new TickTransform(pixelsPerQuarter / ppq, scrollTick);
  }

  x(tick: Ticks): number {
    return (tick - this.scrollTick) * this.pixelsPerTick;
  }

  tick(x: number): Ticks {
    return this.scrollTick + x / this.pixelsPerTick;
  }

  /** A horizontal distance in pixels as a duration in ticks (no scroll involved). */
  ticksFor(dx: number): Ticks {
    return dx / this.pixelsPerTick;
  }

  /** A duration in ticks as a width in pixels. */
  width(ticks: Ticks): number {
    return ticks * this.pixelsPerTick;
  }

  withScrollTick(tick: Ticks): TickTransform {
    return new TickTransform(this.pixelsPerTick, Math.max(0, tick));
  }

  scrolledBy(dx: number): TickTransform {
    return this.withScrollTick(this.scrollTick + dx / this.pixelsPerTick);
  }

  /**
   * Zooms by `factor` keeping the tick under `anchorX` where it is, so ctrl+wheel
   * zooms towards the mouse. The zoom is clamped to [minPpt, maxPpt].
   */
  zoomedAt(factor: number, anchorX: number, minPpt = 1e-4, maxPpt = 100): TickTransform {
    const ppt = Math.min(maxPpt, Math.max(minPpt, this.pixelsPerTick * factor));
    const anchorTick = this.tick(anchorX);
    return new TickTransform(ppt, Math.max(0, anchorTick - anchorX / ppt));
  }

  /** Keeps the view inside [0, endTick]: the roll never scrolls past the content's end. */
  clampedTo(endTick: Ticks, width: number): TickTransform {
    const max = Math.max(0, endTick - width / this.pixelsPerTick);
    return this.scrollTick <= max ? this : new TickTransform(this.pixelsPerTick, max);
  }

  /** The last tick visible in a view `width` pixels wide. */
  endTick(width: number): Ticks {
    return this.tick(width);
  }
}
