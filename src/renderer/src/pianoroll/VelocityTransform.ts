// Geometry of the velocity lane: velocity 0..127 <-> y pixels inside a lane of a given height.
import type { Velocity } from '../../../shared/units';

export class VelocityTransform {
  constructor(
    readonly height: number,
    /** Empty pixels kept above velocity 127 so the tallest bar's handle stays grabbable. */
    readonly padding = 4,
  ) {}

  /** Top of a bar of velocity v (the lane's bottom is y = height). */
  y(v: Velocity): number {
    return this.height - (v / 127) * (this.height - this.padding);
  }

  /** The velocity at y, rounded and clamped to 1..127 (0 would be a note-off). */
  velocity(y: number): Velocity {
    const v = Math.round(((this.height - y) / (this.height - this.padding)) * 127);
    return Math.min(127, Math.max(1, v));
  }
}
