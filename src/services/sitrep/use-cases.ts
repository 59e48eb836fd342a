/**
 * The situation report's use cases for the API: record another source's figure (audited),
 * list them, produce a report file (audited with its digest), check a report file.
 */
import { AppError } from '../../domain/errors.js';
import type { OutsideSourceInput } from '../../domain/sitrep/sources.js';
import type { SitrepLang } from '../../domain/sitrep/labels.js';
import * as sitrepDb from '../../db/queries/sitrep.js';
import { audit, requireOperation, type Ctx } from '../context.js';
import { newId } from '../ids.js';
import { readPayload } from './payload.js';
import { produceReportFile, verifyReportFile, type ReportFormat } from './report-file.js';

const sourceView = (r: Awaited<ReturnType<typeof sitrepDb.listOutsideSources>>[number]) => ({
  id: r.id,
  source: r.source,
  at: new Date(r.stated_at).toISOString(),
  figure: Number(r.figure),
  qualifier: r.qualifier,
  claims: r.claims,
  claimText: r.claim_text,
  recordedAt: new Date(r.recorded_at).toISOString(),
  withdrawnAt: r.withdrawn_at ? new Date(r.withdrawn_at).toISOString() : null,
});

export async function recordOutsideSource(ctx: Ctx, input: OutsideSourceInput, id = newId(ctx.now)) {
  const operationId = requireOperation(ctx);
  await sitrepDb.insertOutsideSource(ctx.db, {
    operation_id: operationId,
    id,
    source: input.source,
    stated_at: new Date(input.at),
    figure: input.figure,
    qualifier: input.qualifier,
    claims: input.claims,
    claim_text: input.claimText ?? null,
    recorded_at: ctx.now,
    recorded_by: ctx.actor.id,
  });
  await audit(ctx, {
    action: 'sitrep.source_recorded',
    subjectKind: 'outside_source',
    subjectId: id,
    details: { source: input.source, at: input.at, figure: input.figure, qualifier: input.qualifier, claims: input.claims },
  });
  const row = await sitrepDb.findOutsideSource(ctx.db, operationId, id);
  return sourceView(row!);
}

export async function listOutsideSources(ctx: Ctx) {
  return (await sitrepDb.listOutsideSources(ctx.db, requireOperation(ctx))).map(sourceView);
}

export async function produceSitrep(ctx: Ctx, input: { asOf?: string; format: ReportFormat; lang: SitrepLang }) {
  const operationId = requireOperation(ctx);
  const asOf = input.asOf ? new Date(input.asOf) : undefined;
  const { sitrep, file } = await produceReportFile(ctx.db, ctx.keys, operationId, {
    now: ctx.now,
    format: input.format,
    lang: input.lang,
    ...(asOf ? { asOf } : {}),
  });
  await audit(ctx, {
    action: 'sitrep.produced',
    subjectKind: 'operation',
    subjectId: operationId,
    details: {
      asOf: sitrep.figures.asOf,
      format: input.format,
      lang: input.lang,
      digest: sitrep.digest,
      lastFact: sitrep.proof.lastFact?.id ?? null,
    },
  });
  const stamp = sitrep.figures.asOf.slice(0, 16).replace(/[-:]/g, '').replace('T', '-');
  return {
    fileName: `sitrep-${sitrep.figures.operationCode}-${stamp}-${input.lang}.${input.format}`,
    mediaType: input.format === 'pdf' ? 'application/pdf' : 'text/html; charset=utf-8',
    digest: sitrep.digest,
    asOf: sitrep.figures.asOf,
    lastFact: sitrep.proof.lastFact,
    countsVerified: sitrep.proof.countsVerify.ok,
    totals: sitrep.figures.totals,
    contentBase64: file.toString('base64'),
  };
}

export async function verifySitrepFile(ctx: Ctx, contentBase64: string) {
  const operationId = requireOperation(ctx);
  const bytes = Buffer.from(contentBase64, 'base64');
  try {
    readPayload(bytes);
  } catch (err) {
    throw new AppError('sitrep.not_a_report', (err as Error).message, {
      fields: [{ path: 'contentBase64', message: (err as Error).message }],
    });
  }
  return verifyReportFile(ctx.db, ctx.keys, operationId, bytes);
}
