/**
 * Where the site map writes each site's name. Names are drawn at one size on screen whatever the
 * zoom (issue 20: readable at every zoom), so the placement works in screen pixels: markers'
 * positions are given as they are on screen at the current zoom, and placement runs again at each
 * zoom — sites that crowd each other when the whole map shows stand apart once zoomed in, and
 * their names go back beside their markers.
 */

/**
 * A label's box in screen pixels: 14 px text, about 8 px a character, beside its marker in the
 * reading direction — or on the other side (`flipped`) when that side would run off the map.
 */
export function labelBox(at: [number, number], label: number, text: string, rtl: boolean, flipped = false) {
  const w = text.length * 8;
  const leftOfMarker = rtl !== flipped;
  const x0 = leftOfMarker ? at[0] - 10 - w : at[0] + 10;
  // Arabic script (Noto Naskh) stands taller and reaches lower than Latin letters of the same size.
  return { x0, x1: x0 + w, y0: at[1] + label - (rtl ? 21 : 14), y1: at[1] + label + (rtl ? 11 : 5) };
}

export type Box = ReturnType<typeof labelBox>;

export function overlap(a: Box, b: Box): boolean {
  return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
}

/** A site's marker on screen (a 7 px circle with its 2 px white ring): a label does not cover another site's marker. */
export function markerBox(at: [number, number]): Box {
  return { x0: at[0] - 9, x1: at[0] + 9, y0: at[1] - 9, y1: at[1] + 9 };
}

/**
 * Places the labels of sites that sit close together one under the other instead of printing
 * them over each other: each label goes at the first offset below its marker where its box
 * meets no label placed before it and no other site's marker (`label`: the baseline's offset
 * from the marker, in pixels). A label that would run past the left or right edge of what is
 * on screen (`edges`, in the same pixels) goes on the other side of its marker (`flipped`),
 * where it can be read whole.
 */
export function placeLabels<T extends { at: [number, number]; text: string }>(
  items: T[],
  rtl: boolean,
  edges?: { left: number; right: number },
): (T & { label: number; flipped: boolean; box: Box })[] {
  const out: (T & { label: number; flipped: boolean; box: Box })[] = [];
  const markers = items.map((it) => ({ it, box: markerBox(it.at) }));
  const inside = (b: Box) => !edges || (b.x0 >= edges.left && b.x1 <= edges.right);
  for (const it of [...items].sort((a, b) => a.at[1] - b.at[1])) {
    // The other side only when the reading side runs off the map and the other side does not.
    const flipped = !inside(labelBox(it.at, 4, it.text, rtl)) && inside(labelBox(it.at, 4, it.text, rtl, true));
    let label = 4;
    for (let tries = 0; tries < 40; tries++, label += rtl ? 33 : 19) {
      const box = labelBox(it.at, label, it.text, rtl, flipped);
      if (!out.some((o) => overlap(box, o.box)) && !markers.some((m) => m.it !== it && overlap(box, m.box))) break;
    }
    out.push({ ...it, label, flipped, box: labelBox(it.at, label, it.text, rtl, flipped) });
  }
  return out;
}
