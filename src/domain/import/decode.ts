/**
 * The text of an imported file, whatever encoding the spreadsheet program or the field form
 * wrote it in: UTF-8 with or without a byte-order mark, UTF-16 (little or big endian, with its
 * mark), or Windows-1256 — what Arabic Windows writes when Excel saves "CSV". Bytes that are
 * valid UTF-8 are read as UTF-8; anything else that looks like Windows-1256 Arabic is read as
 * that; bytes that are neither are refused rather than read as garbled names.
 */
export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1256';

export const textEncodings: readonly TextEncoding[] = ['utf-8', 'utf-16le', 'utf-16be', 'windows-1256'];

export type Decoded = { ok: true; text: string; encoding: TextEncoding } | { ok: false; reason: string };

function decode(bytes: Uint8Array, encoding: TextEncoding, skip: number): string | undefined {
  try {
    return new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(bytes.subarray(skip));
  } catch {
    return undefined;
  }
}

/** The encoding a byte-order mark announces, and the mark's length. */
function byteOrderMark(b: Uint8Array): { encoding: TextEncoding; length: number } | undefined {
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return { encoding: 'utf-8', length: 3 };
  if (b[0] === 0xff && b[1] === 0xfe) return { encoding: 'utf-16le', length: 2 };
  if (b[0] === 0xfe && b[1] === 0xff) return { encoding: 'utf-16be', length: 2 };
  return undefined;
}

/**
 * UTF-16 written without a mark still shows itself: text in ASCII has a zero in every other byte.
 */
function unmarkedUtf16(b: Uint8Array): TextEncoding | undefined {
  const n = Math.min(b.length - (b.length % 2), 512);
  if (n < 4) return undefined;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < n; i += 2) {
    if (b[i] === 0) evenZeros++;
    if (b[i + 1] === 0) oddZeros++;
  }
  if (oddZeros > n / 4 && evenZeros === 0) return 'utf-16le';
  if (evenZeros > n / 4 && oddZeros === 0) return 'utf-16be';
  return undefined;
}

/** Share of the non-ASCII bytes that are Arabic letters in Windows-1256 (0xC1–0xFE, less the few Latin ones). */
function looksLikeWindows1256Arabic(text: string): boolean {
  let arabic = 0;
  let other = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) continue;
    if ((c >= 0x0600 && c <= 0x06ff) || c === 0x200c || c === 0x200d || c === 0x200e || c === 0x200f) arabic++;
    else other++;
  }
  return arabic > 0 && arabic >= 4 * other;
}

/** Decodes a file's bytes; `encoding` forces one (the CLI's --encoding) instead of detecting it. */
export function decodeText(bytes: Uint8Array, encoding?: TextEncoding): Decoded {
  const bom = byteOrderMark(bytes);
  if (encoding) {
    const text = decode(bytes, encoding, bom?.encoding === encoding ? bom.length : 0);
    return text === undefined ? { ok: false, reason: `the file is not valid ${encoding}` } : { ok: true, text, encoding };
  }
  if (bom) {
    const text = decode(bytes, bom.encoding, bom.length);
    return text === undefined
      ? { ok: false, reason: `the file starts with a ${bom.encoding} byte-order mark but is not valid ${bom.encoding}` }
      : { ok: true, text, encoding: bom.encoding };
  }
  const utf16 = unmarkedUtf16(bytes);
  if (utf16) {
    const text = decode(bytes, utf16, 0);
    if (text !== undefined) return { ok: true, text, encoding: utf16 };
  }
  const utf8 = decode(bytes, 'utf-8', 0);
  if (utf8 !== undefined) return { ok: true, text: utf8, encoding: 'utf-8' };
  const arabic = decode(bytes, 'windows-1256', 0);
  if (arabic !== undefined && looksLikeWindows1256Arabic(arabic)) return { ok: true, text: arabic, encoding: 'windows-1256' };
  return { ok: false, reason: 'the file is neither UTF-8, UTF-16 nor Windows-1256 Arabic text: save it as CSV UTF-8' };
}
