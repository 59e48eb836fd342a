/**
 * A translated sentence with values people typed or codes they read — a vehicle's id, a plate, a
 * convoy's name, a tag — each inside its own <bdi>. In an Arabic sentence a Latin id with digits
 * ("BUS-7") otherwise joins the text around it in the bidirectional algorithm and the words come
 * out in the wrong order; a <bdi> is isolated from its neighbours (and a reader, or a test, can
 * find the value as an element). Strings that cannot hold elements (an aria-label, an <option>)
 * use `isolate` from i18n/format.ts, the same isolation as characters (U+2068 … U+2069).
 */
import type { ReactNode } from 'react';
import type { TFunction } from 'i18next';

/** A placeholder no translation contains, split out again after i18next has interpolated. */
const mark = (i: number) => `\u0000${i}\u0000`;

/** The parts of a translated text around its isolated values: text, index, text, index … text. */
export function splitIsolated(text: string, values: readonly ReactNode[]): ReactNode[] {
  return text.split('\u0000').map((part, i) =>
    i % 2 === 0 ? (
      part
    ) : (
      <bdi key={i} data-isolated="">
        {values[Number(part)] ?? ''}
      </bdi>
    ),
  );
}

/**
 * `t(key, values)` with the values named in `isolated` each in a <bdi>; the others (counts,
 * times) are interpolated as usual. An isolated value may itself be a sentence made here (a
 * vehicle named inside a longer report), isolated as a whole.
 */
export function tIsolated(t: TFunction, key: string, isolated: Record<string, ReactNode>, values: Record<string, unknown> = {}): ReactNode {
  const names = Object.keys(isolated);
  const text = t(key, { ...values, ...Object.fromEntries(names.map((n, i) => [n, mark(i)])) });
  return (
    <>
      {splitIsolated(
        text,
        names.map((n) => isolated[n] ?? ''),
      )}
    </>
  );
}
