/**
 * An XLSX is a zip of XML parts. Before the spreadsheet library opens one, every part is
 * unpacked here with a cap on its real output (zlib's `maxOutputLength`, whatever sizes the
 * archive claims): a zip bomb is refused before it can fill the memory. The XML parts are also
 * checked for a DOCTYPE: a spreadsheet program never writes one, and entity declarations are
 * how an entity bomb ("billion laughs") expands a few bytes into gigabytes.
 */
import { inflateRawSync } from 'node:zlib';
import { AppError } from '../../domain/errors.js';

export const MAX_PART_BYTES = 100 * 1024 * 1024;
export const MAX_UNPACKED_BYTES = 200 * 1024 * 1024;

const malformed = (why: string) => new AppError('import.malformed', `The spreadsheet cannot be read: ${why}.`);

/** The central directory's entries: name, method, sizes, where the local header is. */
function entriesOf(zip: Buffer) {
  // The end-of-central-directory record is in the last 64 KiB + 22 bytes.
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 65_557); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw malformed('the zip directory is missing (is the file cut short?)');
  const count = zip.readUInt16LE(eocd + 10);
  let p = zip.readUInt32LE(eocd + 16);
  const entries: { name: string; method: number; compressed: number; size: number; offset: number }[] = [];
  for (let i = 0; i < count; i++) {
    if (p + 46 > zip.length || zip.readUInt32LE(p) !== 0x02014b50) throw malformed('the zip directory is damaged');
    const nameLength = zip.readUInt16LE(p + 28);
    entries.push({
      method: zip.readUInt16LE(p + 10),
      compressed: zip.readUInt32LE(p + 20),
      size: zip.readUInt32LE(p + 24),
      offset: zip.readUInt32LE(p + 42),
      name: zip.toString('utf8', p + 46, p + 46 + nameLength),
    });
    p += 46 + nameLength + zip.readUInt16LE(p + 30) + zip.readUInt16LE(p + 32);
  }
  return entries;
}

/** Throws the catalogue error for a zip bomb, an entity declaration, or a damaged archive; returns nothing when the file is safe to open. */
export function checkXlsxArchive(zip: Buffer): void {
  let total = 0;
  for (const e of entriesOf(zip)) {
    const o = e.offset;
    if (o + 30 > zip.length || zip.readUInt32LE(o) !== 0x04034b50) throw malformed(`the part ${e.name} is damaged`);
    const start = o + 30 + zip.readUInt16LE(o + 26) + zip.readUInt16LE(o + 28);
    const data = zip.subarray(start, start + e.compressed);
    if (data.length < e.compressed) throw malformed('the file is cut short');
    let out: Buffer;
    if (e.method === 0) out = data;
    else if (e.method === 8) {
      try {
        out = inflateRawSync(data, { maxOutputLength: Math.min(MAX_PART_BYTES, MAX_UNPACKED_BYTES - total) + 1 });
      } catch (err) {
        if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError)
          throw new AppError('import.archive_too_large', undefined, { part: e.name });
        throw malformed(`the part ${e.name} is damaged`);
      }
    } else throw malformed(`the part ${e.name} uses a compression spreadsheets do not write`);
    if (out.length > MAX_PART_BYTES || total + out.length > MAX_UNPACKED_BYTES)
      throw new AppError('import.archive_too_large', undefined, { part: e.name });
    total += out.length;
    if (/\.(xml|rels|vml)$/i.test(e.name) && /<!(DOCTYPE|ENTITY)/i.test(out.toString('latin1')))
      throw new AppError('import.xml_entities', undefined, { part: e.name });
  }
}
