/**
 * When an account must have a second factor (TOTP) before it may work: when it holds, in an
 * operation that is not exempt, a role named in the setting (CORRIDOR_2FA_ROLES: by default
 * admin, coordinator and tracing officer), or `system_admin` is named and it is a system admin.
 * The demo operation is exempt on a demo database, so its accounts and the printed admin log in
 * with a password alone there (docs/security.md). Pure: the server passes the roles and setting.
 */
import { roles as allRoles, type Role } from './policy.js';

export const secondFactorChoices = [...allRoles, 'system_admin'] as const;
export type SecondFactorChoice = (typeof secondFactorChoices)[number];

export const DEFAULT_SECOND_FACTOR_ROLES: readonly SecondFactorChoice[] = ['admin', 'coordinator', 'tracing_officer'];

export interface SecondFactorSettings {
  /** Roles (and `system_admin`) whose holders must use a second factor. */
  requiredFor: readonly SecondFactorChoice[];
  /** Operations whose roles do not count (the demo operation on a demo database). */
  exemptOperationIds: readonly string[];
}

export function secondFactorRequired(
  account: { isAdmin: boolean; roles: ReadonlyMap<string, readonly Role[]> },
  settings: SecondFactorSettings,
): boolean {
  if (account.isAdmin && settings.requiredFor.includes('system_admin') && settings.exemptOperationIds.length === 0) return true;
  for (const [operationId, held] of account.roles) {
    if (settings.exemptOperationIds.includes(operationId)) continue;
    if (held.some((r) => settings.requiredFor.includes(r))) return true;
  }
  return false;
}

/** A recovery code as typed: case, spaces and dashes do not matter. */
export function normaliseRecoveryCode(code: string): string {
  return code.toLowerCase().replace(/[\s-]/g, '');
}

/** Six digits (an authenticator app's code), as opposed to a recovery code. */
export function isTotpCode(code: string): boolean {
  return /^\d{6}$/.test(code.replace(/\s/g, ''));
}
