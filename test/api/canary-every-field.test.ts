/**
 * Every string field of every request the API contract declares (src/domain/api, fact payloads
 * included) gets a unique canary, the requests are sent by a caller allowed to make them, and
 * none of the canaries may then be found at rest — every table read back as text, `pg_dump` on
 * PostgreSQL, every file of a PGlite data folder (WAL included) — nor in the server's logs.
 *
 * The requests are generated from the schemas (test/support/schema-canaries.ts), so a field added
 * later carries a canary without anyone remembering. Fields kept in clear on purpose are listed
 * below, each with its reason, and filled with real values so the requests are accepted; a
 * string field that cannot take a canary and is not listed fails the test. Every request is
 * expected to succeed, except the few listed with the reason they are refused here.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { generate as totpCode } from 'otplib';
import { ulid } from 'ulid';
import { z } from 'zod';
import { allEndpoints, successStatus, urlOf, type Endpoint } from '../../src/domain/api/index.js';
import { movementFactSchema } from '../../src/domain/movements/index.js';
import { roles } from '../../src/domain/policy.js';
import { openDb } from '../../src/db/connection.js';
import { migrate } from '../../src/db/migrate.js';
import { dialects, type TestDb } from '../support/db.js';
import { setUpOperation, startHarness, TEST_PASSWORD, type Client, type Harness, type Reply } from '../support/harness.js';
import { csvOf } from '../support/import-files.js';
import { makeGenerator, type ClearField } from '../support/schema-canaries.js';

/** What the world set up before the walk holds: the ids the listed fields take. */
interface World {
  op: string;
  convoy: string;
  vehicle: string;
  household: string;
  person: string;
  member: string;
  /** A second household, for the batch of boardings. */
  household2: string;
  member2: string;
  review: string;
  keep: string;
  request: string;
  alert: string;
  /** An overdue alert of a convoy, to acknowledge. */
  convoyAlert: string;
  device: string;
  user: string;
  fact: string;
  /** An import run (of a small list), whose progress is read. */
  importRun: string;
  /** Two roles another admin of the operation asked for (for a third account): one to approve, one to reject. */
  roleToApprove: string;
  roleToReject: string;
  /** The current code of the authenticator app, made just before the second factor is turned on. */
  totpCode?: string;
}

const ids = 'an id: client-made ULIDs or slugs rows are keyed and joined by; they say nothing about a person';
const time = 'a time: facts are placed and counted by it';
const operational = 'operational, about the operation and not about a person; shown to every role of it';

/** The columns of the list the walk uploads: a file's layout, the same for every list of its kind. */
const importColumns = {
  household: 'household',
  givenName: 'given_name',
  fatherName: 'father_name',
  familyName: 'family_name',
  sex: 'sex',
  age: 'age',
  origin: 'origin',
  notes: 'notes',
  site: 'site',
} as const;
/** A CSV list of one household of two people, `cell` filling every cell that is about them (names, notes, where from). */
function importCsv(cell: (column: string) => string): string {
  const headers = Object.values(importColumns);
  const row = (sex: string, age: string, household: string) =>
    headers.map((h) => (h === 'sex' ? sex : h === 'age' ? age : h === 'site' ? 'amiriyah' : h === 'household' ? household : cell(h)));
  const household = cell('household');
  return csvOf([headers, row('male', '41', household), row('female', '39', household)]);
}
/** The SMS gateway's shared secret on the walk's server (the webhook is walked like every endpoint). */
const SMS_SECRET = 'canary-walk-sms-gateway-secret';
const smsWebhook = 'POST /api/operations/:operationId/sms/smssync';
const imports = ['POST /api/operations/:operationId/imports/preview', 'POST /api/operations/:operationId/imports'];

/** Fields kept in clear by design, by name (or `<METHOD path> <field path>` for one endpoint only). */
function clearByDesign(w: () => World): Record<string, ClearField> {
  const fixed = (reason: string, value: unknown): ClearField => ({ reason, value: () => value });
  // A new id: a ULID where the field takes one, else in lowercase (slugs).
  const fresh = (reason: string): ClearField => ({
    reason,
    value: (_path, schema) => [ulid(), ulid().toLowerCase()].find((v) => schema.safeParse(v).success),
  });
  return {
    operationId: { reason: ids, value: () => w().op },
    convoyId: { reason: ids, value: () => w().convoy },
    vehicleId: { reason: ids, value: () => w().vehicle },
    householdId: { reason: ids, value: () => w().household },
    personId: { reason: ids, value: () => w().person },
    memberIds: { reason: ids, value: () => [w().member] },
    'POST /api/operations/:operationId/convoys/:convoyId/head-counts vehicleId': fixed(ids, 'car-1'),
    'POST /api/operations/:operationId/convoys/:convoyId/head-count-removals vehicleId': fixed(ids, 'car-1'),
    'POST /api/operations/:operationId/convoys/:convoyId/boardings/batch boardings[].householdId': {
      reason: ids,
      value: () => w().household2,
    },
    'POST /api/operations/:operationId/convoys/:convoyId/boardings/batch boardings[].memberIds': {
      reason: ids,
      value: () => [w().member2],
    },
    reviewId: { reason: ids, value: () => w().review },
    keep: { reason: ids, value: () => w().keep },
    requestId: { reason: ids, value: () => w().request },
    'POST /api/operations/:operationId/role-requests/:requestId/approve requestId': { reason: ids, value: () => w().roleToApprove },
    'POST /api/operations/:operationId/role-requests/:requestId/reject requestId': { reason: ids, value: () => w().roleToReject },
    alertId: { reason: ids, value: () => w().alert },
    'POST /api/operations/:operationId/convoy-alerts/:alertId/acknowledge alertId': { reason: ids, value: () => w().convoyAlert },
    asOf: fixed(time, '2016-12-15T10:00:00.000Z'),
    deviceId: { reason: ids, value: () => w().device },
    userId: { reason: ids, value: () => w().user },
    voids: { reason: ids, value: () => w().fact },
    replacedBy: { reason: ids, value: () => undefined },
    subjectId: { reason: ids, value: () => w().person },
    by: { reason: ids + ' (the account that overrode a movement window)', value: () => w().user },
    id: fresh(ids),
    siteId: fixed(ids, 'rashidin'),
    siteIds: fixed(ids, ['amiriyah', 'rashidin']),
    routeId: fixed(ids, 'main-road'),
    tag: fixed(
      'a wristband code: random, printed on the band and checked against the operation’s ranges, so no canary can be one',
      undefined,
    ),
    at: fixed(time, '2016-12-15T09:00:00.000Z'),
    deviceTime: fixed(time, '2016-12-15T09:00:00.000Z'),
    receivedAt: fixed(time, undefined),
    registeredAt: fixed(time, '2016-12-15T08:00:00.000Z'),
    // A paper form is entered within days of the time written on it (older ones are refused): an hour ago.
    'POST /api/operations/:operationId/households/batch households[].registeredAt': {
      reason: time,
      value: () => new Date(Date.now() - 3600_000).toISOString(),
    },
    start: fixed(time, '2016-12-15T06:00:00.000Z'),
    end: fixed(time, '2016-12-15T18:00:00.000Z'),
    timeZone: fixed('an IANA time zone name: ' + operational, 'Asia/Damascus'),
    'POST /api/operations code': fresh('the operation’s short code, typed in URLs and at the command line: ' + operational),
    'POST /api/operations nameEn': fresh('the operation’s name: ' + operational),
    'POST /api/operations nameAr': fresh('the operation’s name: ' + operational),
    'POST /api/operations originArea': fresh('the area evacuated: ' + operational),
    'POST /api/operations/:operationId/sites nameEn': fresh('a site’s name: ' + operational),
    'POST /api/operations/:operationId/sites nameAr': fresh('a site’s name: ' + operational),
    'PATCH /api/operations/:operationId/sites/:siteId nameEn': fresh('a site’s name: ' + operational),
    'PATCH /api/operations/:operationId/sites/:siteId nameAr': fresh('a site’s name: ' + operational),
    'POST /api/operations/:operationId/routes name': fresh('a route’s name: ' + operational),
    'POST /api/operations/:operationId/routes nameAr': fresh('a route’s name: ' + operational),
    'PATCH /api/operations/:operationId/routes/:routeId name': fresh('a route’s name: ' + operational),
    'PATCH /api/operations/:operationId/routes/:routeId nameAr': fresh('a route’s name: ' + operational),
    'POST /api/operations/:operationId/convoys name': fresh('a convoy’s name: ' + operational),
    'POST /api/operations/:operationId/devices name': fresh('a device’s name (a desk’s phone): ' + operational),
    'POST /api/operations/:operationId/tag-ranges label': fresh('a range of wristbands’ label (“desk 1”): ' + operational),
    'POST /api/operations/:operationId/movement-windows note': fresh('a movement window’s note (the ceasefire terms): ' + operational),
    'POST /api/operations/:operationId/movement-windows noteAr': fresh('a movement window’s Arabic note: ' + operational),
    'POST /api/operations/:operationId/convoys/:convoyId/vehicles plate': fresh(
      'a vehicle’s plate: checkpoints check vehicles by it. A private car’s plate can point to its owner; kept in clear so a ' +
        'checkpoint can find the vehicle, see docs/security.md',
    ),
    ...Object.fromEntries(
      imports.flatMap((e) => [
        [
          `${e} files[].name`,
          { reason: 'the name of an uploaded file, with a canary in it', value: (_p, _s, canary) => `${canary('file name')}.csv` },
        ],
        [
          `${e} files[].contentBase64`,
          {
            reason: 'an uploaded list: a valid CSV file, a canary in each of its cells about a person (names, notes, origin, household)',
            value: (_p, _s, canary) =>
              Buffer.from(
                importCsv((column) => canary(`the ${column} column`)),
                'utf8',
              ).toString('base64'),
          },
        ],
      ]),
    ),
    columns: fixed('an import mapping’s column headers: the layout of a kind of list, ' + operational, importColumns),
    ...Object.fromEntries(
      [...imports, 'PUT /api/operations/:operationId/import-mappings/:name'].map((e) => [
        `${e} mapping.key`,
        fixed('the header of the column identifying a household in a list: ' + operational, importColumns.household),
      ]),
    ),
    defaultSite: fixed(ids, 'amiriyah'),
    importId: { reason: ids, value: () => w().importRun },
    'PUT /api/operations/:operationId/import-mappings/:name name': fresh('a saved import mapping’s name (“council list”): ' + operational),
    'POST /api/operations/:operationId/sources source': fresh(
      'another source’s name (an agency, a report): a public statement, not about a person: ' + operational,
    ),
    'POST /api/operations/:operationId/sources claimText': fresh(
      'what another source says it counts (“people had left”): public, not about a person: ' + operational,
    ),
    'POST /api/operations/:operationId/sitrep/verify contentBase64': fixed(
      'a report file to check: here one that is no report (refused); checked against the database, never stored',
      Buffer.from('<html>no report</html>').toString('base64'),
    ),
    'POST /api/users username': fresh('a staff account’s name, needed in clear to log in'),
    'POST /api/users displayName': fresh('a staff member’s name shown to colleagues (staff, not the people evacuated)'),
    newPassword: {
      reason:
        'a new password: a canary inside a strong one (zxcvbn score ≥ 3), so the change is accepted and the walk proves the password is ' +
        'kept only as its hash, never in clear nor in the logs',
      value: (_p, _s, canary) => `${canary('the new password')} tangerine-harbour-violin`,
    },
    [`${smsWebhook} secret`]: fixed(
      'the SMS gateway’s shared secret: the configured one (a canary would be refused with 401); compared, never stored',
      SMS_SECRET,
    ),
    'PUT /api/users/:userId/phone phone': fixed(
      'a phone number: + and digits, so no canary can be one. Stored sealed and as a keyed hash, never in clear ' +
        '(test/api/sms-checkpoint.test.ts looks for its digits at rest)',
      '+963944000111',
    ),
    currentPassword: fixed('the caller’s real password: checked against its hash, never stored; a canary would be refused', TEST_PASSWORD),
    'POST /api/auth/second-factor/enable code': {
      reason:
        'a TOTP code: six digits the authenticator app derives from the secret and the time, so no canary can be one; checked, never stored',
      value: () => w().totpCode,
    },
  };
}

/** Bodies the contract types loosely and the service validates further: the schema the walk generates from. */
const bodySchemas: Record<string, z.ZodType> = {
  'POST /api/operations/:operationId/facts': z.object({ facts: z.array(movementFactSchema) }),
};

/** Requests refused in this walk, and why their canaries are still looked for. */
const refusedHere: Record<string, string> = {
  'POST /api/auth/login': 'the canary username is no account: a refused login must store and log neither name nor password',
  'POST /api/operations/:operationId/duplicates/:reviewId/reject': 'the review was merged by the walk before; refused with 409',
  'POST /api/operations/:operationId/sitrep/verify': 'the file sent is no situation report: refused with 400 sitrep.not_a_report',
};

/** Done just before an endpoint's request is made: what its listed fields need that the world cannot hold beforehand. */
const beforeSending: Record<string, (h: Harness, w: World) => Promise<void>> = {
  // A TOTP code is valid for a few seconds: the factor is set up, and its code made, right before it is turned on.
  'POST /api/auth/second-factor/enable': async (h, w) => {
    const setup = await h.admin.post('/api/auth/second-factor/setup');
    assert.equal(setup.status, 200, JSON.stringify(setup.body));
    w.totpCode = await totpCode({ secret: setup.body.secret });
  },
};

/** The walk's endpoints: each with a string field (a canary or a listed value), logout and the stream left out. */
const skipped = new Set(['POST /api/auth/logout', 'GET /api/operations/:operationId/counts/stream']);
/** State-changing endpoints go last, in this order, so earlier requests still find what they need. */
const lastOf = [
  'POST /api/operations/:operationId/duplicates/:reviewId/merge',
  'POST /api/operations/:operationId/duplicates/:reviewId/undo',
  'POST /api/operations/:operationId/duplicates/:reviewId/reject',
  'POST /api/operations/:operationId/protection-alerts/:alertId/acknowledge',
  'POST /api/operations/:operationId/protection-alerts/:alertId/close',
  'POST /api/operations/:operationId/devices/:deviceId/revoke',
  'POST /api/operations/:operationId/convoys/:convoyId/removals',
  'POST /api/operations/:operationId/facts',
  'POST /api/operations/:operationId/persons/:personId/shred',
  'POST /api/operations/:operationId/role-requests/:requestId/approve',
  'POST /api/operations/:operationId/role-requests/:requestId/reject',
  // The world's other account (w().user), never the walker's nor the system admin's own.
  'POST /api/users/:userId/end-sessions',
  'POST /api/users/:userId/reset-second-factor',
  'POST /api/users/:userId/reset-password',
  'POST /api/users/:userId/disable',
  'POST /api/users/:userId/enable',
  // The system admin's own account, sent by it: its session stays; last, so nothing after depends on it.
  'POST /api/auth/second-factor/enable',
  'POST /api/auth/password',
];
const nameOf = (e: Endpoint) => `${e.method} ${e.path}`;

async function buildWorld(h: Harness): Promise<{ world: World; caller: Client }> {
  const op = (await setUpOperation(h, 'canary-walk')).id;
  const base = `/api/operations/${op}`;
  const caller = await h.userWithRoles(op, [...roles], 'canary-walker');
  const must = async (p: Promise<Reply>, status = 201) => {
    const r = await p;
    assert.equal(r.status, status, JSON.stringify(r.body));
    return r.body;
  };
  await must(caller.post(`${base}/routes`, { id: 'main-road', siteIds: ['amiriyah', 'rashidin'] }));
  const convoy = (await must(caller.post(`${base}/convoys`, { routeId: 'main-road' }))).id as string;
  await must(caller.post(`${base}/convoys/${convoy}/vehicles`, { id: 'bus-1', kind: 'bus' }));
  await must(caller.post(`${base}/convoys/${convoy}/vehicles`, { id: 'car-1', kind: 'private_car', mode: 'head_count' }));
  const household = await must(
    caller.post(`${base}/households`, {
      siteId: 'amiriyah',
      members: [
        {
          names: { lat: { given: 'Walker', family: 'Alpha' } },
          sex: 'male',
          estimatedAge: 40,
          consent: { tracing: true, disclosure: true },
        },
        { names: { lat: { given: 'Walker', family: 'Beta' } }, sex: 'female', estimatedAge: 38 },
      ],
    }),
  );
  const household2 = await must(
    caller.post(`${base}/households`, {
      siteId: 'amiriyah',
      members: [
        { names: { lat: { given: 'Walker', family: 'Gamma' } }, sex: 'male', estimatedAge: 50 },
        { names: { lat: { given: 'Walker', family: 'Delta' } }, sex: 'female', estimatedAge: 48 },
      ],
    }),
  );
  // Two registrations of one person: a duplicate review to merge.
  const twin = { names: { lat: { given: 'Twinname', father: 'Samefather', family: 'Samefamily' } }, sex: 'male', estimatedAge: 30 };
  await must(caller.post(`${base}/households`, { siteId: 'amiriyah', members: [twin] }));
  await must(caller.post(`${base}/households`, { siteId: 'amiriyah', members: [twin] }));
  await h.settleDuplicates();
  const reviews = await must(caller.get(`${base}/duplicates`), 200);
  const review = (reviews.items ?? reviews)[0];
  assert.ok(review, 'a duplicate review to merge');
  // An unaccompanied child checked in: a protection alert to close.
  const child = await must(
    caller.post(`${base}/households`, {
      siteId: 'amiriyah',
      members: [
        { names: { lat: { given: 'Walker', family: 'Child' } }, sex: 'female', estimatedAge: 11, vulnerabilities: ['unaccompanied_child'] },
      ],
    }),
  );
  const checkIn = await must(caller.post(`${base}/check-ins`, { siteId: 'rashidin', personId: child.members[0].id }));
  const request = await must(
    caller.post(`${base}/tracing`, {
      enquirer: { name: 'Walker Enquirer' },
      relation: 'sibling',
      sought: { names: { lat: { given: 'Walker' } } },
    }),
  );
  const device = await must(caller.post(`${base}/devices`, { name: 'walk phone', role: 'registrar' }));
  // A list imported before the walk: an import run whose progress is read.
  const csv = importCsv((column) => (column === 'household' ? 'walk-1' : column.endsWith('_name') ? 'Walker' : 'walk'));
  const importRun = await must(
    caller.post(`${base}/imports`, { files: [{ name: 'walk.csv', contentBase64: Buffer.from(csv).toString('base64') }] }),
    202,
  );
  await importDone(caller, op, importRun.id);
  const user = await h.addUser('canary-staff');
  // Another admin of the operation asks for two roles for a third account (protection-data
  // roles and admin wait for a second admin): the walker approves one and rejects the other.
  const secondAdmin = await h.userWithRoles(op, ['admin'], 'canary-second-admin');
  const roleTarget = await h.addUser('canary-role-target');
  await must(secondAdmin.put(`${base}/staff/${roleTarget}`, { roles: ['admin', 'tracing_officer'] }), 200);
  const roleRequests = (await must(caller.get(`${base}/role-requests`), 200)) as { id: string; role: string }[];
  const roleToApprove = roleRequests.find((r) => r.role === 'admin')?.id;
  const roleToReject = roleRequests.find((r) => r.role !== 'admin')?.id;
  assert.ok(roleToApprove && roleToReject, `two role requests: ${JSON.stringify(roleRequests)}`);
  // A fact on another convoy, for a correction to void.
  const other = (await must(caller.post(`${base}/convoys`, { routeId: 'main-road' }))).id as string;
  const fact = ulid();
  await must(
    caller.post(`${base}/facts`, {
      facts: [{ id: fact, kind: 'passed_checkpoint', convoyId: other, siteId: 'rashidin', deviceTime: '2016-12-15T07:00:00Z' }],
    }),
    200,
  );
  // A convoy that left on a timed route and was never seen again: an overdue alert to acknowledge.
  await must(caller.post(`${base}/routes`, { id: 'timed-road', siteIds: ['amiriyah', 'rashidin'], legMinutes: [60] }));
  const late = (await must(caller.post(`${base}/convoys`, { routeId: 'timed-road' }))).id as string;
  await must(
    caller.post(`${base}/facts`, {
      facts: [{ id: ulid(), kind: 'departed', convoyId: late, siteId: 'amiriyah', deviceTime: '2016-12-15T06:00:00Z' }],
    }),
    200,
  );
  await h.app.overdueWatch.runNow();
  const convoyAlert = ((await must(caller.get(`${base}/convoy-alerts?status=open`), 200)) as { id: string }[])[0]?.id;
  assert.ok(convoyAlert, 'an overdue alert');
  return {
    caller,
    world: {
      op,
      convoyAlert,
      convoy,
      vehicle: 'bus-1',
      household: household.id,
      person: household.members[0].id,
      member: household.members[1].id,
      household2: household2.id,
      member2: household2.members[1].id,
      review: review.id,
      keep: review.personA?.id ?? review.personAId ?? review.personA,
      request: request.id,
      alert: checkIn.alerts[0].id,
      device: device.id,
      user,
      fact,
      importRun: importRun.id,
      roleToApprove,
      roleToReject,
    },
  };
}

/** Waits for an import run written in the background to finish; its progress at the end. */
async function importDone(caller: Client, op: string, id: string): Promise<{ people: number }> {
  for (let i = 0; i < 600; i++) {
    const r = await caller.get(`/api/operations/${op}/imports/${id}`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    if (r.body.status !== 'running') {
      assert.equal(r.body.status, 'done', JSON.stringify(r.body));
      return r.body;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return assert.fail(`import ${id} still running`);
}

interface Sent {
  endpoint: string;
  status: number;
  body: unknown;
}

async function walk(h: Harness, caller: Client, w: World) {
  const { generate } = makeGenerator(clearByDesign(() => w));
  const canaries = new Map<string, string>();
  const unlisted: string[] = [];
  const sent: Sent[] = [];
  const endpoints = allEndpoints
    .filter((e) => !skipped.has(nameOf(e)) && (e.params || e.query || e.body))
    .sort((a, b) => lastOf.indexOf(nameOf(a)) - lastOf.indexOf(nameOf(b)));
  for (const e of endpoints) {
    const name = nameOf(e);
    await beforeSending[name]?.(h, w);
    const parts = { params: e.params, query: e.query, body: bodySchemas[name] ?? e.body };
    const made: Record<string, unknown> = {};
    for (const [part, schema] of Object.entries(parts)) {
      if (!schema) continue;
      const g = generate(schema, name);
      for (const [c, where] of g.canaries) canaries.set(c, where);
      unlisted.push(...g.unlisted);
      made[part] = g.value;
      assert.ok(schema.safeParse(g.value).success, `${name}: the ${part} made from its schema is valid: ${JSON.stringify(g.value)}`);
    }
    const url = urlOf(e, made.params as Record<string, string>, made.query as Record<string, unknown>);
    const client = e.path.includes(':operationId') ? caller : h.admin;
    const send = () =>
      e.method === 'GET'
        ? client.get(url)
        : (e.method === 'POST' ? client.post : e.method === 'PUT' ? client.put : client.patch)(url, made.body ?? undefined);
    let r = await send();
    // A rule the schema does not state (a date of birth or an age, not both): leave out the
    // fields the answer names, if they hold no canary, and send again.
    for (let tries = 0; r.status === 400 && tries < 3; tries++) {
      const paths = ((r.body?.error?.details?.fields ?? []) as { path: string }[]).map((f) => f.path.split('.'));
      const body = made.body as Record<string, unknown>;
      const droppable = paths.filter((p) => {
        const v = p.reduce<unknown>((c, k) => (c as Record<string, unknown>)?.[k], body);
        return v !== undefined && ![...canaries.keys()].some((c) => JSON.stringify(v).includes(c));
      });
      if (droppable.length === 0) break;
      for (const p of droppable) {
        let cur = body;
        for (const k of p.slice(0, -1)) cur = cur[k] as Record<string, unknown>;
        delete cur[p[p.length - 1]!];
      }
      r = await send();
    }
    sent.push({ endpoint: name, status: r.status, body: r.body });
    const expected = successStatus(e);
    if (refusedHere[name]) assert.ok(r.status >= 400 && r.status < 500, `${name} is refused here: ${r.status} ${JSON.stringify(r.body)}`);
    else assert.equal(r.status, expected, `${name}: ${JSON.stringify(r.body)}`);
  }
  return { canaries, unlisted, sent };
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}
/** The fields whose canary `isIn` finds. */
const found = (canaries: Map<string, string>, isIn: (c: string) => boolean) =>
  [...canaries].filter(([c]) => isIn(c)).map(([, where]) => where);
const forms = (s: string) => [Buffer.from(s, 'utf8'), Buffer.from(s, 'utf16le')];

for (const dialect of dialects) {
  describe(`a canary in every request field is nowhere at rest nor in the logs (${dialect.name})`, () => {
    let h: Harness;
    let dataDir: string | undefined;
    let result: Awaited<ReturnType<typeof walk>>;
    let closed = false;
    const close = async () => {
      if (!closed) {
        closed = true;
        await h.close();
      }
    };

    before(async () => {
      let db: TestDb;
      if (dialect.name === 'pglite') {
        dataDir = mkdtempSync(join(tmpdir(), 'corridor-canary-walk-'));
        db = await openDb({ kind: 'pglite', dataDir });
        await migrate(db);
      } else db = await dialect.open();
      h = await startHarness(db, { app: { smsSecret: SMS_SECRET } });
      const { world, caller } = await buildWorld(h);
      result = await walk(h, caller, world);
      // The walk's import is written in the background: every row of it at rest before looking.
      for (const s of result.sent.filter((x) => x.endpoint === 'POST /api/operations/:operationId/imports'))
        // Its two people registered: the names in the file's cells were written (sealed), not left out.
        assert.equal((await importDone(caller, world.op, (s.body as { id: string }).id)).people, 2);
      await h.settleCounts();
    });
    after(async () => {
      await close();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    });

    test('every string field of every request either took a canary or is listed as clear by design', () => {
      assert.deepEqual(result.unlisted, []);
      // The walk reached the free text that matters (and fact payloads through the facts batch).
      const where = [...result.canaries.values()];
      for (const f of [
        'facts[].payload.splitReason',
        'facts[].payload.shelter',
        'facts[].payload.text',
        'members[].notes',
        'enquirer.name',
        'q',
        'files[].contentBase64 (the given_name column)',
        'files[].contentBase64 (the notes column)',
        'purpose',
        'recipient',
        'newPassword (the new password)',
        'code',
        'message',
        'from',
      ])
        assert.ok(
          where.some((w) => w.endsWith(` ${f}`)),
          `a canary went into ${f}`,
        );
      assert.ok(result.canaries.size > 100, `${result.canaries.size} canaries sent`);
    });

    test('no canary is in the logs', () => {
      const logs = h.logs.join('');
      assert.ok(logs.includes('/api/operations/'), 'the logs were captured');
      assert.deepEqual(
        found(result.canaries, (c) => logs.includes(c)),
        [],
        'canaries in the logs',
      );
    });

    test('no canary is in any row of any table read back as text', async () => {
      const tables = await sql<{ t: string }>`select table_name as t from information_schema.tables
        where table_schema = 'public' and table_type = 'BASE TABLE'`.execute(h.db.kysely);
      let text = '';
      for (const { t } of tables.rows) {
        const rows = await sql<{ j: string }>`select to_jsonb(x)::text as j from ${sql.table(t)} x`.execute(h.db.kysely);
        text += rows.rows.map((r) => r.j).join('\n');
      }
      assert.ok(text.includes('Asia/Damascus'), 'the tables were read');
      assert.deepEqual(
        found(result.canaries, (c) => text.includes(c)),
        [],
        'canaries in the tables',
      );
    });

    if (dialect.name === 'postgres') {
      test('no canary is in a pg_dump of the database', () => {
        const dump = spawnSync('pg_dump', ['--no-owner', h.db.url!], { maxBuffer: 256 * 1024 * 1024 });
        assert.equal(dump.status, 0, dump.stderr?.toString());
        const bytes = dump.stdout as Buffer;
        assert.ok(bytes.includes(Buffer.from('Asia/Damascus')), 'the dump holds the data');
        assert.deepEqual(
          found(result.canaries, (c) => forms(c).some((b) => bytes.includes(b))),
          [],
          'canaries in pg_dump',
        );
      });
    } else {
      test('no canary is in any file of the PGlite data folder (WAL included)', async () => {
        await close();
        const blobs = filesUnder(dataDir!).map((f) => ({ f, bytes: readFileSync(f) }));
        assert.ok(
          blobs.some((b) => b.f.includes('pg_wal') && b.bytes.includes(Buffer.from('Asia/Damascus'))),
          'the WAL holds the data',
        );
        assert.deepEqual(
          found(result.canaries, (c) => forms(c).some((b) => blobs.some((x) => x.bytes.includes(b)))),
          [],
          'canaries in the data folder',
        );
      });
    }
  });
}
