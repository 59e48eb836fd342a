/**
 * The part of the site map on screen (issue 20: "the map zooms"): a window onto the drawing
 * (the SVG's viewBox) that zooms about a point and pans, never wider than the drawing and never
 * outside it. Pure arithmetic, kept apart from the component so it is tested without a browser.
 */

/** A window onto the drawing, in its own units (the SVG's viewBox). */
export interface View {
  x: number;
  y: number;
  w: number;
  h: number;
}
/** The drawing's size (viewBox units). */
export interface Frame {
  w: number;
  h: number;
}

/**
 * How far in the map zooms: 32 times. The whole map is at least 3° across (site-map.tsx), so
 * this shows about ten kilometres: sites of one city (an assembly point, a checkpoint) apart.
 */
export const MAX_ZOOM = 32;
/** One press of a zoom button. */
export const ZOOM_STEP = 2;

export function wholeView(frame: Frame): View {
  return { x: 0, y: 0, w: frame.w, h: frame.h };
}

export function zoomOf(view: View, frame: Frame): number {
  return frame.w / view.w;
}

/** Keeps the window inside the drawing (it is never larger than the drawing, see zoomAt). */
export function clampView(view: View, frame: Frame): View {
  return {
    ...view,
    x: Math.min(Math.max(view.x, 0), frame.w - view.w),
    y: Math.min(Math.max(view.y, 0), frame.h - view.h),
  };
}

/**
 * Zooms by `factor` (above 1 in, below 1 out) keeping the drawing's point `at` where it is on
 * screen, as a pinch or a wheel does under the fingers or the pointer; between 1 and MAX_ZOOM.
 */
export function zoomAt(view: View, factor: number, at: [number, number], frame: Frame): View {
  const k = Math.min(MAX_ZOOM, Math.max(1, zoomOf(view, frame) * factor));
  const w = frame.w / k;
  const h = frame.h / k;
  const fx = (at[0] - view.x) / view.w;
  const fy = (at[1] - view.y) / view.h;
  return clampView({ x: at[0] - fx * w, y: at[1] - fy * h, w, h }, frame);
}

/** Zooms about the middle of the window (the buttons and the keys). */
export function zoomCentre(view: View, factor: number, frame: Frame): View {
  return zoomAt(view, factor, [view.x + view.w / 2, view.y + view.h / 2], frame);
}

/** Moves the window by (dx, dy) drawing units: positive shows what lies right and below. */
export function panBy(view: View, dx: number, dy: number, frame: Frame): View {
  return clampView({ ...view, x: view.x + dx, y: view.y + dy }, frame);
}

/** The drawing's point under a point of the element showing it (`px`, `py` from its top left corner; `width` its width on screen). */
export function pointAt(view: View, px: number, py: number, width: number): [number, number] {
  const u = view.w / width;
  return [view.x + px * u, view.y + py * u];
}

export function viewBox(view: View): string {
  const r = (n: number) => Math.round(n * 100) / 100;
  return `${r(view.x)} ${r(view.y)} ${r(view.w)} ${r(view.h)}`;
}
