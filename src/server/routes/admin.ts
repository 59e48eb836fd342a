/** System administration: accounts and the audit chain. */
import type { FastifyInstance } from 'fastify';
import { listUsers } from '../../db/queries/users.js';
import { listAudit, verifyAudit } from '../../db/queries/audit.js';
import * as api from '../../domain/api/admin.js';
import { createUser } from '../../services/auth.js';
import { requireOperation } from '../../services/context.js';
import { defineRoute, type RouteEnv } from '../route.js';

export function adminRoutes(app: FastifyInstance, env: RouteEnv) {
  defineRoute(app, env, api.listUsers, async (ctx) =>
    (await listUsers(ctx.db)).map((u) => ({
      id: u.id,
      username: u.username,
      displayName: u.display_name,
      isAdmin: u.is_admin,
      locale: u.locale,
      disabled: !!u.disabled_at,
    })),
  );

  defineRoute(app, env, api.createUser, async (ctx, { body }) => createUser(ctx.db, body, { id: ctx.actor.id, kind: 'user' }, ctx.now));

  defineRoute(app, env, api.verifyAudit, async (ctx) => verifyAudit(ctx.db));

  defineRoute(app, env, api.listAudit, async (ctx, { query }) =>
    (await listAudit(ctx.db, requireOperation(ctx), query)).map((r) => ({
      seq: Number(r.seq),
      at: new Date(r.at).toISOString(),
      actorId: r.actor_id,
      actorKind: r.actor_kind,
      action: r.action,
      subjectKind: r.subject_kind,
      subjectId: r.subject_id,
      details: r.details,
    })),
  );
}
