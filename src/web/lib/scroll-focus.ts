/**
 * A table wider than a phone scrolls within itself (styles.css, issue 20's 360 px finding); a
 * keyboard user must be able to reach it to scroll it (WCAG 2.1.1, axe's
 * scrollable-region-focusable). This keeps every such table that scrolls and holds nothing
 * focusable in the tab order — and only while it scrolls, so on a wide screen the tab order is
 * unchanged. One observer per layout, coalesced to a frame.
 */
import { useEffect } from 'react';

const SCROLLERS = '.table, .paper-table';
const FOCUSABLE = 'a[href], button, input, select, textarea, [tabindex]:not([data-scroll-focus])';

function mark(root: ParentNode) {
  for (const el of root.querySelectorAll<HTMLElement>(SCROLLERS)) {
    const scrolls = el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== 'visible';
    const wanted = scrolls && !el.querySelector(FOCUSABLE);
    if (wanted && !el.hasAttribute('tabindex')) {
      el.tabIndex = 0;
      el.dataset.scrollFocus = '';
    } else if (!wanted && el.hasAttribute('data-scroll-focus')) {
      el.removeAttribute('tabindex');
      delete el.dataset.scrollFocus;
    }
  }
}

/** Keeps the scrolling tables under `root` reachable by keyboard (see above). */
export function useScrollableFocus(root: { current: HTMLElement | null }) {
  useEffect(() => {
    const el = root.current;
    if (!el) return;
    let frame = 0;
    const later = () => {
      if (frame) return;
      frame = requestAnimationFrame(() => {
        frame = 0;
        mark(el);
      });
    };
    later();
    const observer = new MutationObserver(later);
    observer.observe(el, { childList: true, subtree: true });
    addEventListener('resize', later);
    return () => {
      observer.disconnect();
      removeEventListener('resize', later);
      cancelAnimationFrame(frame);
    };
  }, [root]);
}
