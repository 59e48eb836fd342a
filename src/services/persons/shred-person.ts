/**
 * Crypto-shredding one person (audit finding 10), when an operation must keep running but one
 * person's data must go — their request, or a protection decision. In one transaction, audited as
 * `person.shred`: their names, date of birth, phone, document, origin and notes are replaced by an
 * empty sealed record; their medical notes, category, vulnerabilities and tag are removed; their
 * keyed name hashes are deleted and their split reasons on manifests emptied. Their row stays, so
 * the counts (re-counted here with category 'unknown' and no flags, like a correction), merges,
 * movements and the audit history outlive them. What remains readable elsewhere, and why, is in
 * docs/security.md ("Data at rest").
 */
import { sealJson } from '../../crypto/envelope.js';
import type { Executor } from '../../db/queries/executor.js';
import { rolesOf } from '../../db/queries/operations.js';
import { findUserByUsername } from '../../db/queries/users.js';
import { permissionsOf, type Role } from '../../domain/policy.js';
import type { KeyRing } from '../keys/keyring.js';
import * as personsDb from '../../db/queries/persons.js';
import { AppError } from '../../domain/errors.js';
import { audit, requireOperation, type Ctx } from '../context.js';
import { countPersonUpdate } from '../counts/counts.js';
import { drainCounts } from '../counts/count-projector.js';
import { piiAad, type PersonPii } from './person-record.js';
import { forgetPeople } from '../matching/name-memory.js';

export interface PersonShredResult {
  id: string;
  shreddedAt: string;
  /** False when the person had been shredded before (nothing changed). */
  shreddedNow: boolean;
}

export async function shredPerson(ctx: Ctx, personId: string): Promise<PersonShredResult> {
  const operationId = requireOperation(ctx);
  const row = await personsDb.findPerson(ctx.db, operationId, personId);
  if (!row) throw new AppError('person.not_found');
  if (row.shredded_at) return { id: personId, shreddedAt: new Date(row.shredded_at).toISOString(), shreddedNow: false };
  const keys = await ctx.keys.forOperation(ctx.db, operationId);
  const empty: PersonPii = { names: {} };
  await personsDb.shredPersonRow(ctx.db, operationId, personId, sealJson(keys, empty, piiAad(personId)), ctx.now);
  // Their opened names leave this process's memory now (before the commit: a rollback only costs a re-read).
  forgetPeople(operationId, [personId], 'shredded');
  // Counted again without category and flags, now: the registry as counted keeps no copy of them.
  await countPersonUpdate(ctx, row);
  await drainCounts(ctx.db, ctx.keys, operationId, { clock: () => ctx.now });
  await audit(ctx, { action: 'person.shred', subjectKind: 'person', subjectId: personId });
  return { id: personId, shreddedAt: ctx.now.toISOString(), shreddedNow: true };
}

/**
 * The command line's way in (`corridor person shred --by USERNAME`): the account named acts, and
 * must be a system admin or hold `person.erase` in the operation; the shredding is audited as theirs.
 */
export async function shredPersonBy(db: Executor, keys: KeyRing, operationId: string, personId: string, username: string, at: Date) {
  const user = await findUserByUsername(db, username);
  if (!user || user.disabled_at) throw new AppError('user.not_found');
  const roles = (await rolesOf(db, operationId, user.id)) as Role[];
  const held = permissionsOf(roles);
  if (!user.is_admin && !held.has('person.erase')) throw new AppError('auth.forbidden');
  return shredPerson(
    {
      db,
      keys,
      now: at,
      operationId,
      actor: { kind: 'user', id: user.id, name: user.username, isAdmin: user.is_admin },
      roles,
      permissions: new Set([...held, 'person.erase']),
    },
    personId,
  );
}
