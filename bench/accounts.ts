/**
 * A desk account for a benchmark: nobody gives a role to themselves (issue 19), so the bench's
 * system admin creates a second account and gives it the desk's roles, as an admin would.
 */
import type { FastifyInstance } from 'fastify';
import { ulid } from 'ulid';
import type { Db } from '../src/db/connection.js';
import type { Role } from '../src/domain/policy.js';
import { createUser } from '../src/services/accounts/auth.js';

const PASSWORD = 'bench-desk-password-123';

export async function deskAccount(
  app: FastifyInstance,
  db: Db,
  operationId: string,
  adminCookie: string,
  roles: Role[],
  username = `bench-desk-${ulid().slice(-6).toLowerCase()}`,
): Promise<{ id: string; cookie: string }> {
  const user = await db.kysely
    .transaction()
    .execute((trx) =>
      createUser(
        trx,
        { username, displayName: 'Bench desk', password: PASSWORD, isAdmin: false },
        { id: null, kind: 'system' },
        new Date(),
      ),
    );
  const grant = await app.inject({
    method: 'PUT',
    url: `/api/operations/${operationId}/staff/${user.id}`,
    payload: { roles },
    headers: { cookie: adminCookie, 'idempotency-key': ulid() },
  });
  if (grant.statusCode !== 200) throw new Error(`granting ${roles.join(', ')}: ${grant.statusCode} ${grant.body}`);
  const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: PASSWORD } });
  if (login.statusCode !== 200) throw new Error(`desk login: ${login.statusCode} ${login.body}`);
  return { id: user.id, cookie: String([login.headers['set-cookie']].flat()[0]).split(';')[0] as string };
}
