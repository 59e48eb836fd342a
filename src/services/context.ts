/**
 * What every use case receives: who acts, in which operation, with which permissions, at
 * what time, on which database handle (usually a transaction), and the keys.
 */
import type { Executor } from '../db/queries/executor.js';
import type { Permission, Role } from '../domain/policy.js';
import { AppError } from '../domain/errors.js';
import type { KeyRing } from './keys/keyring.js';
import type { AuditEntry } from '../db/queries/audit.js';
import { appendAuditMany } from '../db/queries/audit.js';

export interface Actor {
  kind: 'user' | 'device';
  id: string;
  name: string;
  isAdmin: boolean;
}

export interface Ctx {
  db: Executor;
  actor: Actor;
  now: Date;
  keys: KeyRing;
  /** Set on operation-scoped requests. */
  operationId?: string;
  roles: Role[];
  permissions: Set<Permission>;
}

export function can(ctx: Ctx, p: Permission): boolean {
  return ctx.permissions.has(p);
}

export function requireOperation(ctx: Ctx): string {
  if (!ctx.operationId) throw new Error('operation-scoped use case called without an operation');
  return ctx.operationId;
}

type AuditInput = Omit<AuditEntry, 'at' | 'actorId' | 'actorKind' | 'operationId'> & { operationId?: string | null };

/** One entry: the multi-entry append of one. */
export async function audit(ctx: Ctx, entry: AuditInput) {
  await auditMany(ctx, [entry]);
}

/**
 * Several entries by the same actor in one append (a batch use case): chained in the order
 * given. Each entry is stamped `ctx.now` unless it says when it happened (`at`: a queued
 * registration made earlier on an offline device).
 */
export async function auditMany(ctx: Ctx, entries: readonly (AuditInput & { at?: Date })[]) {
  await appendAuditMany(
    ctx.db,
    entries.map(({ at, ...entry }) => ({
      ...entry,
      operationId: entry.operationId === undefined ? (ctx.operationId ?? null) : entry.operationId,
      actorId: ctx.actor.id,
      actorKind: ctx.actor.kind,
      at: at ?? ctx.now,
    })),
  );
}

export function forbidden(message?: string): AppError {
  return new AppError('auth.forbidden', message);
}
