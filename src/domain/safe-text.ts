/**
 * What text Corridor accepts anywhere a client sends it: in a body field, a path segment, a
 * query value or a JSON key. Refused: C0 and C1 control characters (NUL among them, which
 * PostgreSQL cannot store), bidirectional overrides, embeddings and isolates (U+202A–U+202E,
 * U+2066–U+2069, which make text display in another order than it is stored: a name could
 * show as someone else's), and lone surrogates. Tab, line feed and carriage return are allowed
 * only in multi-line text. Zero-width characters that carry no meaning in any script Corridor
 * serves (U+200B zero-width space, U+2060 word joiner, U+FEFF byte-order mark, U+180E) are
 * removed; the joiners U+200C/U+200D and the direction marks U+200E/U+200F/U+061C are kept,
 * since Arabic, Persian and Kurdish spellings need them.
 */

// eslint-disable-next-line no-control-regex
const CONTROL_SINGLE_LINE = /[\u0000-\u001f\u007f-\u009f]/;
// eslint-disable-next-line no-control-regex
const CONTROL_MULTI_LINE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
const BIDI_OVERRIDE = /[\u202a-\u202e\u2066-\u2069]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const INVISIBLE = /[\u200b\u2060\ufeff\u180e]/g;

/** Why this text is refused, or undefined when it is acceptable. */
export function textProblem(s: string, opts: { multiLine?: boolean } = {}): string | undefined {
  if ((opts.multiLine ? CONTROL_MULTI_LINE : CONTROL_SINGLE_LINE).test(s)) return 'contains control characters';
  if (BIDI_OVERRIDE.test(s)) return 'contains bidirectional override characters';
  if (LONE_SURROGATE.test(s)) return 'contains an unpaired surrogate';
  return undefined;
}

/** The text as Corridor stores it: NFC, invisible zero-width characters removed, trimmed. */
export function normaliseText(s: string): string {
  return s.normalize('NFC').replace(INVISIBLE, '').trim();
}

/** Deepest nesting of objects and arrays a request body may have. */
export const MAX_JSON_DEPTH = 32;

/**
 * Why a parsed JSON body is refused (too deep; a key or a string with characters no field
 * accepts, such as NUL), or undefined. Walks with its own stack: a body nested 100,000 deep
 * is answered, not a stack overflow.
 */
export function jsonProblem(value: unknown, maxDepth = MAX_JSON_DEPTH): string | undefined {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (typeof v === 'string') {
      const p = textProblem(v, { multiLine: true });
      if (p) return `a value ${p}`;
    } else if (v !== null && typeof v === 'object') {
      if (depth >= maxDepth) return `is nested deeper than ${maxDepth} levels`;
      if (Array.isArray(v)) for (const x of v) stack.push([x, depth + 1]);
      else
        for (const [k, x] of Object.entries(v)) {
          const p = textProblem(k);
          if (p) return `a key ${p}`;
          stack.push([x, depth + 1]);
        }
    }
  }
  return undefined;
}
