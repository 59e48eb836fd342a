/**
 * A report as a file, and a file checked back: `produceReportFile` builds the report as of a
 * moment and renders it (HTML or PDF, English or Arabic); `verifyReportFile` reads the payload
 * back from a file, checks it against the database (`verifySitrep`), and renders the payload
 * again with the recomputed figures: a file that differs from that rendering was altered (its
 * visible text edited, say, while its embedded figures were left alone).
 */
import { listSites } from '../../db/queries/operations.js';
import type { Executor } from '../../db/queries/executor.js';
import type { SiteNames } from '../../domain/sitrep/document.js';
import type { SitrepLang } from '../../domain/sitrep/labels.js';
import { SITREP_FORMAT } from '../../domain/sitrep/figures.js';
import type { KeyRing } from '../keys/keyring.js';
import { readPayloadAsWritten, type SitrepPayload } from './payload.js';
import { canonicalJson } from '../../domain/canonical-json.js';
import { renderSitrepHtml } from './render-html.js';
import { renderSitrepPdf } from './render-pdf.js';
import { buildSitrep, verifySitrep, type Sitrep, type SitrepVerification } from './sitrep.js';

export type ReportFormat = 'html' | 'pdf';

export async function siteNamesOf(db: Executor, operationId: string): Promise<SiteNames> {
  const out: SiteNames = {};
  for (const s of await listSites(db, operationId)) out[s.id] = { en: s.name_en, ar: s.name_ar };
  return out;
}

export function payloadOf(s: Sitrep, lang: SitrepLang, sites: SiteNames): SitrepPayload {
  return { format: SITREP_FORMAT, lang, figures: s.figures, proof: s.proof, digest: s.digest, sites };
}

export async function renderReport(payload: SitrepPayload, format: ReportFormat): Promise<Buffer> {
  return format === 'pdf' ? renderSitrepPdf(payload) : Buffer.from(await renderSitrepHtml(payload), 'utf8');
}

export async function produceReportFile(
  db: Executor,
  keys: KeyRing,
  operationId: string,
  opts: { asOf?: Date; now: Date; format: ReportFormat; lang: SitrepLang },
): Promise<{ sitrep: Sitrep; file: Buffer }> {
  const sitrep = await buildSitrep(db, keys, operationId, { now: opts.now, ...(opts.asOf ? { asOf: opts.asOf } : {}) });
  const file = await renderReport(payloadOf(sitrep, opts.lang, await siteNamesOf(db, operationId)), opts.format);
  return { sitrep, file };
}

/**
 * Checks a report file; `operationId` is the operation the checker may see (its payload must name
 * it). The file is rendered again from the payload it carries, exactly as written (its keys in
 * the file's order) once its figures are found equal to the recomputation: the bytes then depend
 * on the figures' values only, never on the order in which rows came back or objects were built
 * when the report was made (a report once failed its own check that way).
 */
export async function verifyReportFile(db: Executor, keys: KeyRing, operationId: string, file: Buffer): Promise<SitrepVerification> {
  const { payload, written } = readPayloadAsWritten(file);
  const { recomputed: fresh, ...v } = await verifySitrep(db, keys, operationId, payload);
  if (!fresh) return v;
  const format: ReportFormat = file.subarray(0, 5).toString('latin1') === '%PDF-' ? 'pdf' : 'html';
  // As written when it holds nothing the schema does not (else the recomputed figures in the schema's shape).
  const asWritten =
    !v.problems.includes('figures_differ') && canonicalJson(written) === canonicalJson(payload)
      ? (written as SitrepPayload)
      : { ...payload, figures: fresh };
  const again = await renderReport(asWritten, format);
  if (!again.equals(file)) {
    v.problems.push('file_altered');
    v.ok = false;
  }
  return v;
}
