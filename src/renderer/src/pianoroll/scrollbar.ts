// Scrollbar geometry: where the thumb sits for a view onto some content, and which view start a dragged thumb means.

export interface Thumb {
  /** Offset of the thumb from the start of the track, in pixels. */
  start: number;
  size: number;
}

/** Thumbs never shrink below this, so they stay grabbable on a long piece. */
export const MIN_THUMB_PX = 28;

/**
 * All sizes of the view and content in one unit (ticks or pixels); the track in pixels.
 * Returns null when everything fits and no scrollbar is needed.
 */
export function thumbFor(viewStart: number, viewSize: number, contentSize: number, track: number): Thumb | null {
  if (contentSize <= viewSize || track <= 0) return null;
  const size = Math.min(track, Math.max(MIN_THUMB_PX, (viewSize / contentSize) * track));
  const maxStart = contentSize - viewSize;
  const start = (Math.min(maxStart, Math.max(0, viewStart)) / maxStart) * (track - size);
  return { start, size };
}

/** The inverse of thumbFor: the view start that puts the thumb at `thumbStart`. */
export function viewStartFor(thumbStart: number, viewSize: number, contentSize: number, track: number): number {
  const thumb = thumbFor(0, viewSize, contentSize, track);
  if (!thumb || track - thumb.size <= 0) return 0;
  const f = Math.min(1, Math.max(0, thumbStart / (track - thumb.size)));
  return f * (contentSize - viewSize);
}
