/**
 * What a report file carries, machine-readable: the figures, the proof, the digest, the language
 * and the site names it printed. The HTML holds it in a JSON data block, the PDF in its document
 * information (`CorridorSitrep`, base64), so `sitrep verify` can read it back from either.
 */
import { z } from 'zod';
import type { ReportProof, SiteNames } from '../../domain/sitrep/document.js';
import { SITREP_FORMAT, type SitrepFigures } from '../../domain/sitrep/figures.js';
import type { SitrepLang } from '../../domain/sitrep/labels.js';

export interface SitrepPayload {
  format: typeof SITREP_FORMAT;
  lang: SitrepLang;
  figures: SitrepFigures;
  proof: ReportProof;
  digest: string;
  sites: SiteNames;
}

const payloadSchema = z.object({
  format: z.literal(SITREP_FORMAT),
  lang: z.enum(['en', 'ar']),
  figures: z.looseObject({ format: z.literal(SITREP_FORMAT), operationId: z.string(), asOf: z.string() }),
  proof: z.object({
    lastFact: z.object({ id: z.string(), receivedAt: z.string() }).nullable(),
    countsVerify: z.object({ ok: z.boolean(), cells: z.number(), facts: z.number(), persons: z.number(), differences: z.number() }),
    auditHead: z.object({ stream: z.string(), n: z.number().int(), hash: z.string() }).nullable(),
    producedAt: z.string(),
  }),
  digest: z.string().regex(/^[0-9a-f]{64}$/),
  sites: z.record(z.string(), z.object({ en: z.string(), ar: z.string().nullable() })),
});

export const PDF_PAYLOAD_KEY = 'CorridorSitrep';

/** The payload of a report file (HTML or PDF); an Error saying what is wrong otherwise. */
export function readPayload(file: Buffer): SitrepPayload {
  return readPayloadAsWritten(file).payload;
}

/**
 * The payload, and the same JSON exactly as the file holds it (its keys in the file's order, not
 * the schema's): what `sitrep verify` renders again, so the bytes compared do not depend on the
 * order in which objects were built when the report was made.
 */
export function readPayloadAsWritten(file: Buffer): { payload: SitrepPayload; written: unknown } {
  const head = file.subarray(0, 5).toString('latin1');
  let json: string | undefined;
  if (head === '%PDF-') {
    // The document information names the payload's string, in place or as an object of its own.
    const text = file.toString('latin1');
    const inPlace = new RegExp(`/${PDF_PAYLOAD_KEY} \\(([A-Za-z0-9+/=]+)\\)`).exec(text);
    const ref = new RegExp(`/${PDF_PAYLOAD_KEY} (\\d+) 0 R`).exec(text);
    const obj = ref ? new RegExp(`(?:^|\\n)${ref[1]} 0 obj\\s*\\(([A-Za-z0-9+/=]+)\\)`).exec(text) : null;
    const b64 = inPlace?.[1] ?? obj?.[1];
    if (b64) json = Buffer.from(b64, 'base64').toString('utf8');
  } else {
    const m = /<script type="application\/json" id="corridor-sitrep">([\s\S]*?)<\/script>/.exec(file.toString('utf8'));
    if (m) json = m[1];
  }
  if (json === undefined) throw new Error('This file carries no situation report (no Corridor figures found in it).');
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new Error("The report's figures are not readable JSON: the file was altered.");
  }
  const r = payloadSchema.safeParse(value);
  if (!r.success) throw new Error(`The report's figures are not in the expected shape: ${r.error.issues[0]?.message ?? ''}.`);
  return { payload: r.data as unknown as SitrepPayload, written: value };
}
