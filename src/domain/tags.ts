/**
 * Wristband tag codes. A tag is a serial number written with an alphabet that leaves out
 * characters people confuse (0/O, 1/I/L, 2/Z, 5/S, 8/B, U/V), six characters wide, followed by a
 * check character (Luhn mod N) that catches every single mistyped character and every swap
 * of two neighbours. Shown as `XXX-XXXX`. Serials are allocated to sites and devices in
 * ranges, so an offline device can bind the next tag of its range without the server.
 */

export const TAG_ALPHABET = '34679ACDEFGHJKMNPQRTUWXY'; // even length: Luhn mod N needs it
const N = TAG_ALPHABET.length;
export const TAG_DATA_LENGTH = 6;
export const TAG_MAX_SERIAL = N ** TAG_DATA_LENGTH - 1;

const ARABIC_INDIC_DIGITS = '٠١٢٣٤٥٦٧٨٩';
const EASTERN_ARABIC_INDIC_DIGITS = '۰۱۲۳۴۵۶۷۸۹';

function codePoint(ch: string): number {
  return TAG_ALPHABET.indexOf(ch);
}

/** Luhn mod N check character over the data characters. */
export function checkCharacter(data: string): string {
  let factor = 2;
  let sum = 0;
  for (let i = data.length - 1; i >= 0; i--) {
    let addend = factor * codePoint(data[i] as string);
    factor = factor === 2 ? 1 : 2;
    addend = Math.floor(addend / N) + (addend % N);
    sum += addend;
  }
  return TAG_ALPHABET[(N - (sum % N)) % N] as string;
}

export function encodeTag(serial: number): string {
  if (!Number.isInteger(serial) || serial < 0 || serial > TAG_MAX_SERIAL) {
    throw new RangeError(`tag serial out of range: ${serial}`);
  }
  let data = '';
  let rest = serial;
  for (let i = 0; i < TAG_DATA_LENGTH; i++) {
    data = (TAG_ALPHABET[rest % N] as string) + data;
    rest = Math.floor(rest / N);
  }
  return data + checkCharacter(data);
}

export function formatTag(code: string): string {
  return `${code.slice(0, 3)}-${code.slice(3)}`;
}

export type TagParse =
  { ok: true; code: string; serial: number } | { ok: false; reason: 'length' | 'character' | 'check'; message: string; position?: number };

/**
 * Reads what a person typed or a scanner sent: any case, with spaces or dashes, Arabic-Indic
 * digits. Refuses a wrong length, a character not in the alphabet, or a failed check.
 */
export function parseTag(input: string): TagParse {
  let cleaned = '';
  for (const ch of input.toUpperCase()) {
    if (ch === '-' || ch === ' ' || ch === '\u00a0') continue;
    const arabic = ARABIC_INDIC_DIGITS.indexOf(ch);
    const eastern = EASTERN_ARABIC_INDIC_DIGITS.indexOf(ch);
    cleaned += arabic >= 0 ? String(arabic) : eastern >= 0 ? String(eastern) : ch;
  }
  if (cleaned.length !== TAG_DATA_LENGTH + 1) {
    return {
      ok: false,
      reason: 'length',
      message: `A tag has ${TAG_DATA_LENGTH + 1} characters (XXX-XXXX); this one has ${cleaned.length}.`,
    };
  }
  for (let i = 0; i < cleaned.length; i++) {
    if (codePoint(cleaned[i] as string) < 0) {
      return {
        ok: false,
        reason: 'character',
        position: i + 1,
        message: `Character ${i + 1} (“${cleaned[i]}”) is never used in tags; check the wristband.`,
      };
    }
  }
  const data = cleaned.slice(0, TAG_DATA_LENGTH);
  if (checkCharacter(data) !== cleaned[TAG_DATA_LENGTH]) {
    return { ok: false, reason: 'check', message: 'This tag code does not check out: a character is mistyped. Read the wristband again.' };
  }
  let serial = 0;
  for (const ch of data) serial = serial * N + codePoint(ch);
  return { ok: true, code: cleaned, serial };
}

/** A block of serials handed out to a site or a device (both ends included). */
export interface SerialRange {
  firstSerial: number;
  lastSerial: number;
}

/**
 * Whether a tag's serial is in one of the operation's wristband ranges: the rule the server
 * applies before binding a tag (services/persons), and the phone applies as the tag is typed,
 * from the ranges it kept, so a band from another operation is caught with no network.
 */
export function serialInRanges(serial: number, ranges: readonly SerialRange[]): boolean {
  return ranges.some((r) => r.firstSerial <= serial && serial <= r.lastSerial);
}
