/**
 * Zooming and moving the site map (issue 20: "the map zooms and its labels do not overlap"): the
 * buttons (in the tab order, 44 px on a phone), + − 0 and the arrow keys on the focused map, a
 * pinch or Ctrl/⌘ + wheel (what a trackpad's pinch sends) about the fingers or the pointer, and a
 * drag to move. It narrows the SVG's viewBox (map-view.ts) and says how many drawing units a
 * screen pixel is, so the map draws its markers and names at one size on screen.
 *
 * Written by hand rather than with d3-zoom: d3-zoom takes over its element's events through
 * d3-selection and writes a transform attribute that React would overwrite on the next render;
 * what this map needs (a viewBox, pointer events, a clamp) is this file and map-view.ts. A plain
 * wheel scrolls the page, as everywhere else on the dashboard: the map is one panel among others
 * and must not catch the page under the pointer. On a touch screen the whole map lets a vertical
 * swipe scroll the page; once zoomed in, a finger moves the map.
 */
import { useEffect, useRef, useState, type KeyboardEvent, type PointerEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { MAX_ZOOM, ZOOM_STEP, panBy, pointAt, wholeView, zoomAt, zoomCentre, zoomOf, type Frame, type View } from './map-view.js';

const dist = (a: [number, number], b: [number, number]) => Math.hypot(a[0] - b[0], a[1] - b[1]);
const mid = (a: [number, number], b: [number, number]): [number, number] => [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];

export function useMapZoom(frame: Frame) {
  const [view, setView] = useState<View>(() => wholeView(frame));
  // The map's width on screen, CSS pixels; the drawing's own width until measured.
  const [width, setWidth] = useState(frame.w);
  const svg = useRef<SVGSVGElement>(null);
  const pointers = useRef(new Map<number, [number, number]>());

  useEffect(() => {
    const el = svg.current;
    if (!el) return;
    const measure = () => {
      const w = el.getBoundingClientRect().width;
      if (w > 0) setWidth(w);
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    // Ctrl/⌘ + wheel zooms about the pointer; listened to by hand, as React's wheel listener cannot stop the page's zoom.
    const wheel = (e: WheelEvent) => {
      if (!e.ctrlKey && !e.metaKey) return;
      e.preventDefault();
      const r = el.getBoundingClientRect();
      const dy = e.deltaMode === 1 ? e.deltaY * 16 : e.deltaY;
      const factor = Math.min(2, Math.max(0.5, Math.exp(-dy * 0.004)));
      setView((v) => zoomAt(v, factor, pointAt(v, e.clientX - r.left, e.clientY - r.top, r.width), frame));
    };
    el.addEventListener('wheel', wheel, { passive: false });
    return () => {
      observer.disconnect();
      el.removeEventListener('wheel', wheel);
    };
  }, [frame]);

  function onPointerDown(e: PointerEvent<SVGSVGElement>) {
    if (e.pointerType === 'mouse' && e.button !== 0) return;
    e.currentTarget.setPointerCapture(e.pointerId);
    pointers.current.set(e.pointerId, [e.clientX, e.clientY]);
  }
  function onPointerMove(e: PointerEvent<SVGSVGElement>) {
    const held = pointers.current;
    const before = held.get(e.pointerId);
    if (!before) return;
    const now: [number, number] = [e.clientX, e.clientY];
    const other = [...held].find(([id]) => id !== e.pointerId)?.[1];
    held.set(e.pointerId, now);
    const r = e.currentTarget.getBoundingClientRect();
    if (!other) {
      // A drag: the drawing follows the pointer.
      setView((v) => panBy(v, (before[0] - now[0]) * (v.w / r.width), (before[1] - now[1]) * (v.w / r.width), frame));
      return;
    }
    // A pinch: moved with the fingers' middle, zoomed by how far apart they went.
    const d0 = dist(before, other);
    if (d0 < 1) return;
    const [m0, m1] = [mid(before, other), mid(now, other)];
    setView((v) => {
      const moved = panBy(v, (m0[0] - m1[0]) * (v.w / r.width), (m0[1] - m1[1]) * (v.w / r.width), frame);
      return zoomAt(moved, dist(now, other) / d0, pointAt(moved, m1[0] - r.left, m1[1] - r.top, r.width), frame);
    });
  }
  function onPointerEnd(e: PointerEvent<SVGSVGElement>) {
    pointers.current.delete(e.pointerId);
  }
  /** Keys on the focused map; a key that changes nothing (an arrow at the whole map) is left to the page. */
  function onKeyDown(e: KeyboardEvent<SVGSVGElement>) {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const step = 0.2;
    const next: Record<string, () => View> = {
      ArrowLeft: () => panBy(view, -view.w * step, 0, frame),
      ArrowRight: () => panBy(view, view.w * step, 0, frame),
      ArrowUp: () => panBy(view, 0, -view.h * step, frame),
      ArrowDown: () => panBy(view, 0, view.h * step, frame),
      '+': () => zoomCentre(view, ZOOM_STEP, frame),
      '=': () => zoomCentre(view, ZOOM_STEP, frame),
      '-': () => zoomCentre(view, 1 / ZOOM_STEP, frame),
      '0': () => wholeView(frame),
      '٠': () => wholeView(frame),
    };
    const to = next[e.key]?.();
    if (!to || (to.x === view.x && to.y === view.y && to.w === view.w)) return;
    e.preventDefault();
    setView(to);
  }

  const zoom = zoomOf(view, frame);
  return {
    view,
    /** Drawing units to a screen pixel: a marker scaled by it keeps its size on screen. */
    u: view.w / width,
    zoom,
    svg,
    handlers: {
      onPointerDown,
      onPointerMove,
      onPointerUp: onPointerEnd,
      onPointerCancel: onPointerEnd,
      onKeyDown,
      // At the whole map a vertical swipe scrolls the page (a pinch still comes here); zoomed in, a finger moves the map.
      style: { touchAction: zoom > 1 ? 'none' : 'pan-y', cursor: zoom > 1 ? 'grab' : undefined },
    },
    zoomIn: () => setView((v) => zoomCentre(v, ZOOM_STEP, frame)),
    zoomOut: () => setView((v) => zoomCentre(v, 1 / ZOOM_STEP, frame)),
    reset: () => setView(wholeView(frame)),
  };
}

const icon = { width: 20, height: 20, viewBox: '0 0 20 20', 'aria-hidden': true, focusable: false } as const;
const line = { stroke: 'currentColor', strokeWidth: 2.5, strokeLinecap: 'round', fill: 'none' } as const;

/** The zoom buttons, at the map's end in the reading direction (right in English, left in Arabic). */
export function ZoomControls({ zoom, onIn, onOut, onReset }: { zoom: number; onIn: () => void; onOut: () => void; onReset: () => void }) {
  const { t } = useTranslation();
  // aria-disabled rather than disabled: a button that went dead under the focus would drop it on the page.
  const button = (id: string, label: string, dead: boolean, act: () => void, drawing: ReactNode) => (
    <button
      type="button"
      className="button map-zoom-button"
      aria-label={label}
      title={label}
      aria-disabled={dead}
      onClick={() => !dead && act()}
      data-testid={id}
    >
      <svg {...icon}>{drawing}</svg>
    </button>
  );
  return (
    <div className="map-zoom" role="group" aria-label={t('dashboard.zoomControls')} data-testid="map-zoom">
      {button('map-zoom-in', t('dashboard.zoomIn'), zoom >= MAX_ZOOM, onIn, <path d="M4 10h12M10 4v12" {...line} />)}
      {button('map-zoom-out', t('dashboard.zoomOut'), zoom <= 1, onOut, <path d="M4 10h12" {...line} />)}
      {button(
        'map-zoom-reset',
        t('dashboard.zoomReset'),
        zoom <= 1,
        onReset,
        <path d="M3 7V3h4M13 3h4v4M17 13v4h-4M7 17H3v-4" {...line} />,
      )}
    </div>
  );
}
