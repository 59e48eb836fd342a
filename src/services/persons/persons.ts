/**
 * Registering households and people, reading and correcting a person's record, and finding
 * people by name or tag. Identifiers are sealed with the operation's key before they reach
 * SQL; names are found through keyed hashes of their normalised keys. Every read of one
 * person's record is written to the audit log, and restricted fields are read and written
 * only by roles allowed to.
 */
import { newId } from '../ids.js';
import { keyedBlockingKeys } from '../matching/candidates.js';
import { forgetPeople } from '../matching/name-memory.js';
import { answerRequests } from '../tracing/loop.js';
import type { Insertable } from 'kysely';
import { keyedHash, openJson, sealJson, type OperationKeys } from '../../crypto/envelope.js';
import type { PersonsTable } from '../../db/schema.js';
import * as operationsDb from '../../db/queries/operations.js';
import * as historyDb from '../../db/queries/person-history.js';
import * as personsDb from '../../db/queries/persons.js';
import { AppError, invalid, type FieldIssue } from '../../domain/errors.js';
import { blockingKeys, SEARCH_TIERS, searchKeys, searchTier } from '../../domain/names/index.js';
import {
  ageBandOf,
  hasAnyName,
  restrictedPersonFields,
  type HouseholdBatchInput,
  type PersonData,
  type PersonPatch,
} from '../../domain/schemas/persons.js';
import { parseTag, serialInRanges } from '../../domain/tags.js';
import { audit, auditMany, can, requireOperation, type Ctx } from '../context.js';
import { batchOfOne } from '../batch-of-one.js';
import { flagNewRegistrations, proposeDuplicates } from '../matching/duplicate-reviews.js';
import { queueDuplicateChecks } from '../../db/queries/duplicate-checks.js';
import { medicalAad, piiAad, presentPerson, type PersonPii } from './person-record.js';
import { openProtected, sealProtected } from './protected-fields.js';
import { positionsOf } from './person-status.js';
import { countPersonUpdate, countRegistration, loadOperation, registrationCountToken } from '../counts/counts.js';
import { currentPositions } from '../../domain/counts/index.js';
import type { PersonStatus } from '../../domain/movements/index.js';

/** Refuses restricted fields the actor may not write, naming them; nothing is written. */
export function assertRestrictedWritable(ctx: Ctx, input: Record<string, unknown>, prefix = '') {
  const refused: FieldIssue[] = [];
  for (const [field, permission] of Object.entries(restrictedPersonFields)) {
    if (input[field] !== undefined && !can(ctx, permission))
      refused.push({ path: prefix + field, message: 'your role may not write this field', key: 'restricted_field' });
  }
  if (refused.length) throw new AppError('auth.restricted_field', undefined, { fields: refused });
}

function birthOf(p: { dateOfBirth?: string | null; estimatedAge?: number | null }, now: Date) {
  if (p.dateOfBirth) {
    const dob = new Date(`${p.dateOfBirth}T00:00:00Z`);
    let age = now.getUTCFullYear() - dob.getUTCFullYear();
    if (now.getUTCMonth() < dob.getUTCMonth() || (now.getUTCMonth() === dob.getUTCMonth() && now.getUTCDate() < dob.getUTCDate())) age--;
    return {
      birthYear: dob.getUTCFullYear(),
      estimated: false,
      ageBand: age < 0 ? ('unknown' as const) : ageBandOf(now.getUTCFullYear() - age, now.getUTCFullYear()),
    };
  }
  if (p.estimatedAge !== undefined && p.estimatedAge !== null) {
    const birthYear = now.getUTCFullYear() - p.estimatedAge;
    return { birthYear, estimated: true, ageBand: ageBandOf(birthYear, now.getUTCFullYear()) };
  }
  return { birthYear: null, estimated: false, ageBand: 'unknown' as const };
}

function parseTagAt(raw: string, path: string) {
  const parsed = parseTag(raw);
  if (!parsed.ok) throw new AppError('tag.invalid', parsed.message, { fields: [{ path, message: parsed.message }], reason: parsed.reason });
  return parsed;
}
const notInRange = (path: string) =>
  new AppError('tag.not_in_range', undefined, {
    fields: [{ path, message: 'This tag is not in any wristband range of this operation: check the code on the band.' }],
  });
const tagTaken = (path: string) =>
  new AppError('tag.taken', undefined, {
    fields: [{ path, message: 'This tag is already bound to another person: check the code, or use another wristband.' }],
  });

/** A tag to bind: valid, in one of the operation's ranges, worn by nobody yet. Returns its code. */
type TagCheck = (raw: string, path: string) => string | Promise<string>;

/** The operation's wristband ranges, as the shared rule (domain/tags.ts serialInRanges) reads them. */
async function rangesOf(ctx: Ctx, operationId: string) {
  return (await operationsDb.listTagRanges(ctx.db, operationId)).map((r) => ({ firstSerial: r.first_serial, lastSerial: r.last_serial }));
}

async function checkTag(ctx: Ctx, operationId: string, raw: string, path: string): Promise<string> {
  const parsed = parseTagAt(raw, path);
  if (!serialInRanges(parsed.serial, await rangesOf(ctx, operationId))) throw notInRange(path);
  if (await personsDb.findPersonByTag(ctx.db, operationId, parsed.code)) throw tagTaken(path);
  return parsed.code;
}

/**
 * The same check for a batch, from the operation's ranges and the tags already bound read once.
 * `bind` marks a tag taken by an earlier household of the batch, as a request before would have.
 */
export async function batchTagCheck(ctx: Ctx, operationId: string, raws: readonly string[]) {
  const ranges = await rangesOf(ctx, operationId);
  const bound = (await personsDb.findPersonsByTags(ctx.db, operationId, tagCodesOf(raws))).map((r) => r.tag_code);
  return tagCheckFrom(ranges, bound);
}

/** The codes of the tags that parse (a tag that does not is refused by the check, with its field). */
function tagCodesOf(raws: readonly string[]): string[] {
  const codes = raws.flatMap((raw) => {
    const p = parseTag(raw);
    return p.ok ? [p.code] : [];
  });
  return [...new Set(codes)];
}

function tagCheckFrom(ranges: { firstSerial: number; lastSerial: number }[], alreadyBound: readonly (string | null)[]) {
  const bound = new Set(alreadyBound);
  const check: TagCheck = (raw, path) => {
    const parsed = parseTagAt(raw, path);
    if (!serialInRanges(parsed.serial, ranges)) throw notInRange(path);
    if (bound.has(parsed.code)) throw tagTaken(path);
    return parsed.code;
  };
  return { check, bind: (code: string) => bound.add(code) };
}

function keyRows(keys: OperationKeys, operationId: string, personId: string, pii: PersonPii, sex: string, birthYear: number | null) {
  const seen = new Set<string>();
  const rows: { operation_id: string; kind: string; key_hash: Buffer; person_id: string }[] = [];
  for (const k of blockingKeys({ names: pii.names, sex, birthYear })) {
    const id = `${k.kind}\u0000${k.value}`;
    if (seen.has(id)) continue;
    seen.add(id);
    rows.push({ operation_id: operationId, kind: k.kind, key_hash: keyedHash(keys, k.kind, k.value), person_id: personId });
  }
  return rows;
}

interface BuildOptions {
  path: string;
  tagsInRequest: Set<string>;
  checkTag: TagCheck;
  registeredAt: Date;
}

async function buildPerson(ctx: Ctx, keys: OperationKeys, householdId: string, siteId: string, p: PersonData, o: BuildOptions) {
  const operationId = requireOperation(ctx);
  const path = o.path;
  if (!hasAnyName(p.names))
    throw invalid([
      { path: `${path}names`, message: 'give at least a given name or a family name, in Arabic or Latin letters', key: 'names_required' },
    ]);
  assertRestrictedWritable(ctx, p as unknown as Record<string, unknown>, path);
  const id = p.id ?? newId(o.registeredAt);
  let tag: string | null = null;
  if (p.tag) {
    tag = await o.checkTag(p.tag, `${path}tag`);
    if (o.tagsInRequest.has(tag))
      throw new AppError('tag.taken', 'The same tag is given to two people in this request.', {
        fields: [
          {
            path: `${path}tag`,
            message: 'This tag is given to two members: each person needs a wristband of their own.',
            key: 'tag_given_twice',
          },
        ],
      });
    o.tagsInRequest.add(tag);
  }
  const birth = birthOf(p, o.registeredAt);
  const pii: PersonPii = {
    names: p.names,
    ...(p.dateOfBirth ? { dateOfBirth: p.dateOfBirth } : {}),
    ...(p.phone ? { phone: p.phone } : {}),
    ...(p.documentNumber ? { documentNumber: p.documentNumber } : {}),
    ...(p.origin ? { origin: p.origin } : {}),
    ...(p.notes ? { notes: p.notes } : {}),
  };
  const row: Insertable<PersonsTable> = {
    operation_id: operationId,
    id,
    household_id: householdId,
    relationship: p.relationship,
    sex: p.sex,
    birth_year: birth.birthYear,
    age_estimated: birth.estimated,
    age_band: birth.ageBand,
    vulnerabilities: null,
    category: null,
    protected: sealProtected(keys, id, {
      category: p.category ?? 'unknown',
      vulnerabilities: p.vulnerabilities,
      ...(p.carried ? { carried: p.carried } : {}),
    }),
    consent_tracing: p.consent.tracing,
    consent_disclosure: p.consent.disclosure,
    tag_code: tag,
    site_id: siteId,
    pii: sealJson(keys, pii, piiAad(id)),
    medical: p.medicalNotes ? sealJson(keys, { notes: p.medicalNotes }, medicalAad(id)) : null,
    registered_at: o.registeredAt,
    registered_by: ctx.actor.id,
    updated_at: ctx.now,
  };
  return {
    row,
    keyRows: keyRows(keys, operationId, id, pii, p.sex, birth.birthYear),
    description: { names: pii.names, sex: p.sex, birthYear: birth.birthYear, birthYearEstimated: birth.estimated },
  };
}

export interface RegisterOptions {
  /** Propose duplicate pairs for review and warn in the answer (default). A bulk load may
   * skip it and run the batch dedupe once at the end instead. */
  flagDuplicates?: boolean;
  /** A desk's registration: its people are noted for the duplicate checker, which proposes their
   * pairs moments after the commit (services/matching/duplicate-checks.ts), instead of being
   * checked inside the request; the answer then says `duplicateCheck: 'queued'`. */
  queueDuplicateCheck?: boolean;
  /** A bulk load (an import's chunk): called after each household is sealed and keyed, before
   * anything is written, so that it can let other requests go first (see import/write.ts). */
  afterEachHousehold?: () => Promise<void>;
  /** How the rows are inserted: a bulk load hands in its own statements for the same rows
   * (import/write.ts: one unnested insert per table); the default is persons.ts's. */
  store?: RegistrationStore;
}

/** The three inserts of a registration, as `registerHouseholds` makes them. */
export interface RegistrationStore {
  insertHouseholds: typeof personsDb.insertHouseholds;
  insertPersons: typeof personsDb.insertPersons;
  insertPersonKeys: typeof personsDb.insertPersonKeys;
}

export interface HouseholdData {
  id?: string;
  siteId: string;
  notes?: string;
  members: PersonData[];
}

/** One household: the batch of one (`registerHouseholds`), answered with the household as registered. */
export async function registerHousehold(ctx: Ctx, input: HouseholdData, opts: RegisterOptions = {}) {
  const { written, duplicateWarnings, duplicateCheck } = await batchOfOne('households.0.', () => registerWritten(ctx, [input], opts));
  // Answered from the rows just written (no read back): as getHousehold shows them, members in
  // its order (one registration time, then id), the columns the database fills at their defaults.
  const { keys, household, persons } = written[0]!;
  const members = persons
    .map((row) => ({ ...row, version: 1, merged_into: null, shredded_at: null }) as personsDb.PersonRow)
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return {
    id: household.id,
    siteId: household.siteId,
    registeredAt: household.at.toISOString(),
    notes: input.notes ? input.notes : null,
    members: members.map((m) => presentPerson(ctx, keys, m)),
    ...(duplicateCheck ? { duplicateCheck } : { duplicateWarnings }),
  };
}

export interface QueuedHousehold extends HouseholdData {
  /** When the desk registered it, for a queue recorded offline (default: now). The record's
   * registration time and the age computed from a date of birth are taken at this time. */
  registeredAt?: Date;
  /** A paper form entered later (its audit entry says so, with the form's time). */
  fromPaper?: boolean;
}

/**
 * Many households in one go — a desk's offline queue, a bulk load — under exactly the rules of
 * `registerHousehold`, each household checked as if registered alone after the ones before it
 * (a tag bound earlier in the batch is taken): the site, the household id, names, restricted
 * fields, tags (valid, in a range, free, not twice) checked against what is read once; then one
 * multi-row insert per table, the counts once, one audit append (an entry per household). All
 * or nothing; field paths are `households.N.…`.
 */
export async function registerHouseholds(ctx: Ctx, inputs: readonly QueuedHousehold[], opts: RegisterOptions = {}) {
  const { written: _written, ...answer } = await registerWritten(ctx, inputs, opts);
  return answer;
}

async function registerWritten(ctx: Ctx, inputs: readonly QueuedHousehold[], opts: RegisterOptions) {
  const operationId = requireOperation(ctx);
  if (inputs.length === 0) return { households: [], duplicateWarnings: [], written: [] };
  const queueCheck = opts.queueDuplicateCheck === true && opts.flagDuplicates !== false;
  const keys = await ctx.keys.forOperation(ctx.db, operationId);
  // The site, the household ids given, the ranges and the tags bound: one read.
  const checks = await personsDb.registrationChecks(ctx.db, operationId, {
    siteIds: [...new Set(inputs.map((h) => h.siteId))],
    householdIds: inputs.flatMap((h) => (h.id ? [h.id] : [])),
    tagCodes: tagCodesOf(inputs.flatMap((h) => h.members.flatMap((m) => (m.tag ? [m.tag] : [])))),
  });
  const sites = new Set(checks.sites);
  const taken = new Set(checks.householdsTaken);
  const tagCheck = tagCheckFrom(checks.ranges, checks.tagsBound);
  const households: Parameters<typeof personsDb.insertHouseholds>[1] = [];
  const built: Awaited<ReturnType<typeof buildPerson>>[] = [];
  const out: { id: string; members: string[] }[] = [];
  for (const [h, input] of inputs.entries()) {
    const prefix = `households.${h}.`;
    const registeredAt = input.registeredAt ?? ctx.now;
    if (!sites.has(input.siteId))
      throw new AppError('site.not_found', undefined, {
        fields: [{ path: `${prefix}siteId`, message: 'This site is not in this operation.', key: 'not_in_operation' }],
      });
    const householdId = input.id ?? newId(registeredAt);
    if (taken.has(householdId))
      throw new AppError('conflict', 'A household with this id already exists.', {
        fields: [{ path: `${prefix}id`, message: 'This id is already used: choose another.', key: 'id_taken' }],
      });
    taken.add(householdId);
    const mine = [];
    const tags = new Set<string>();
    for (const [i, m] of input.members.entries()) {
      mine.push(
        await buildPerson(ctx, keys, householdId, input.siteId, m, {
          path: `${prefix}members.${i}.`,
          tagsInRequest: tags,
          checkTag: tagCheck.check,
          registeredAt,
        }),
      );
    }
    const ids = mine.map((b) => b.row.id);
    if (new Set(ids).size !== ids.length)
      throw invalid([{ path: `${prefix}members`, message: 'two members have the same id', key: 'duplicate_member_id' }]);
    for (const t of tags) tagCheck.bind(t);
    households.push({
      operationId,
      id: householdId,
      siteId: input.siteId,
      at: registeredAt,
      by: ctx.actor.id,
      pii: input.notes ? sealJson(keys, { notes: input.notes }, `household:${householdId}`) : null,
    });
    built.push(...mine);
    out.push({ id: householdId, members: ids });
    if (opts.afterEachHousehold) await opts.afterEachHousehold();
  }
  // An import passes its bulk store (chunks of hundreds of people); a desk's registration writes
  // households, people, keys and the people's note for the counts in one statement.
  const store = opts.store;
  if (store) {
    await store.insertHouseholds(ctx.db, households);
    await store.insertPersons(
      ctx.db,
      built.map((b) => b.row),
    );
    await countRegistration(
      ctx,
      built.map((b) => b.row),
    );
    await store.insertPersonKeys(
      ctx.db,
      built.flatMap((b) => b.keyRows),
    );
    if (queueCheck)
      await queueDuplicateChecks(
        ctx.db,
        operationId,
        built.map((b) => b.row.id as string),
        ctx.now,
        ctx.actor.id,
      );
  } else {
    // Households, people, keys and the people's note for the counts (countRegistration's), in one write.
    await personsDb.insertRegistered(ctx.db, operationId, {
      households,
      persons: built.map((b) => b.row),
      keys: built.flatMap((b) => b.keyRows),
      countToken: registrationCountToken(ctx),
      ...(queueCheck ? { duplicateCheck: { at: ctx.now, by: ctx.actor.id } } : {}),
    });
  }
  // Open tracing requests these people may answer are told (only people who consented are proposed).
  await answerRequests(
    ctx,
    keys,
    built.map((b) => ({
      id: b.row.id as string,
      consentTracing: b.row.consent_tracing,
      description: b.description,
      keys: b.keyRows.map((k) => ({ kind: k.kind, hash: k.key_hash })),
    })),
  );
  // Duplicates proposed from the descriptions in hand (nothing read back); their audit entry
  // follows the registrations' in the same append.
  const flagged =
    opts.flagDuplicates === false || queueCheck
      ? { warnings: [], audit: undefined }
      : await proposeDuplicates(
          ctx,
          keys,
          built.map((b) => ({ id: b.row.id as string, description: { ...b.description, householdId: b.row.household_id } })),
        );
  await auditMany(ctx, [
    ...out.map((h, i) => ({
      action: 'household.register',
      subjectKind: 'household',
      subjectId: h.id,
      details: {
        members: h.members,
        ...(inputs[i]!.fromPaper ? { source: 'paper', paperTime: (inputs[i]!.registeredAt ?? ctx.now).toISOString() } : {}),
      },
    })),
    ...(flagged.audit ? [flagged.audit] : []),
  ]);
  const written = households.map((h) => ({
    keys,
    household: h,
    persons: built.filter((b) => b.row.household_id === h.id).map((b) => b.row),
  }));
  return queueCheck
    ? { households: out, duplicateCheck: 'queued' as const, written }
    : { households: out, duplicateWarnings: flagged.warnings, written };
}

/** A device clock this far ahead of the server's is still believed (phones drift). */
const CLOCK_TOLERANCE_MS = 10 * 60_000;

/** A paper form older than this is not entered at the desk (a list that old comes in by import). */
export const PAPER_MAX_AGE_DAYS = 30;

/** Why a queued household's time is refused, if it is: later than the server's clock, or a paper form without a time or too old. */
function timeProblem(ctx: Ctx, h: HouseholdBatchInput['households'][number]): string | undefined {
  const at = h.registeredAt ? Date.parse(h.registeredAt) : undefined;
  if (h.source === 'paper' && at === undefined) return 'Give the date and time written on the paper form.';
  if (at !== undefined && at > ctx.now.getTime() + CLOCK_TOLERANCE_MS)
    return "This time is later than the server's clock: check the date and time on the device.";
  if (h.source === 'paper' && at !== undefined && at < ctx.now.getTime() - PAPER_MAX_AGE_DAYS * 86_400_000)
    return `A paper form more than ${PAPER_MAX_AGE_DAYS} days old is not entered at the desk: check the date, or import the list.`;
  return undefined;
}

/**
 * The batch endpoint: a desk's offline queue, each household at the time the desk registered it;
 * or filled paper forms entered later, each at the time written on it (the audit says paper).
 */
export async function registerHouseholdQueue(ctx: Ctx, body: HouseholdBatchInput, opts: RegisterOptions = {}) {
  const refused = body.households.flatMap((h, i) => {
    const message = timeProblem(ctx, h);
    return message ? [{ path: `households.${i}.registeredAt`, message }] : [];
  });
  if (refused.length > 0) throw invalid(refused);
  return registerHouseholds(
    ctx,
    body.households.map(({ registeredAt, source, ...h }) => ({
      ...h,
      ...(registeredAt ? { registeredAt: new Date(registeredAt) } : {}),
      ...(source === 'paper' ? { fromPaper: true } : {}),
    })),
    opts,
  );
}

export async function addMember(ctx: Ctx, householdId: string, input: PersonData, opts: RegisterOptions = {}) {
  const operationId = requireOperation(ctx);
  const keys = await ctx.keys.forOperation(ctx.db, operationId);
  const household = await personsDb.findHousehold(ctx.db, operationId, householdId);
  if (!household) throw new AppError('household.not_found');
  const built = await buildPerson(ctx, keys, householdId, household.site_id, input, {
    path: '',
    tagsInRequest: new Set(),
    checkTag: (raw, path) => checkTag(ctx, operationId, raw, path),
    registeredAt: ctx.now,
  });
  if (await personsDb.findPerson(ctx.db, operationId, built.row.id))
    throw new AppError('conflict', 'A person with this id already exists.');
  await personsDb.insertPersons(ctx.db, [built.row]);
  await countRegistration(ctx, [built.row]);
  await personsDb.insertPersonKeys(ctx.db, built.keyRows);
  await audit(ctx, { action: 'person.register', subjectKind: 'person', subjectId: built.row.id, details: { householdId } });
  const duplicateWarnings = opts.flagDuplicates === false ? [] : await flagNewRegistrations(ctx, [built.row.id]);
  return { ...presentPerson(ctx, keys, (await personsDb.findPerson(ctx.db, operationId, built.row.id))!), duplicateWarnings };
}

export async function getPerson(ctx: Ctx, personId: string) {
  const operationId = requireOperation(ctx);
  const row = await personsDb.findPerson(ctx.db, operationId, personId);
  if (!row) throw new AppError('person.not_found');
  if (row.shredded_at) throw new AppError('person.shredded');
  const keys = await ctx.keys.forOperation(ctx.db, operationId);
  await audit(ctx, { action: 'person.read', subjectKind: 'person', subjectId: personId });
  return presentPerson(ctx, keys, row);
}

export async function getHousehold(ctx: Ctx, householdId: string, opts: { audited: boolean } = { audited: true }) {
  const operationId = requireOperation(ctx);
  const household = await personsDb.findHousehold(ctx.db, operationId, householdId);
  if (!household) throw new AppError('household.not_found');
  const keys = await ctx.keys.forOperation(ctx.db, operationId);
  const members = await personsDb.listHouseholdMembers(ctx.db, operationId, householdId);
  if (opts.audited)
    await audit(ctx, {
      action: 'household.read',
      subjectKind: 'household',
      subjectId: householdId,
      details: { members: members.map((m) => m.id) },
    });
  return {
    id: household.id,
    siteId: household.site_id,
    registeredAt: new Date(household.registered_at).toISOString(),
    notes: household.pii ? openJson<{ notes: string }>(keys, household.pii, `household:${householdId}`).notes : null,
    members: members.map((m) => presentPerson(ctx, keys, m)),
  };
}

/** How many more people than asked for are ranked by name before a page is cut from them. */
const SEARCH_WINDOW_FACTOR = 4;
const SEARCH_WINDOW_MAX = 400;

/**
 * Finds people by a tag or by what someone types of a name, in any script: a page of results
 * (`offset`, `limit`), each with where the person stands now and the size of their household.
 */
export async function searchPersons(ctx: Ctx, query: { q?: string; tag?: string; status?: PersonStatus; offset: number; limit: number }) {
  const operationId = requireOperation(ctx);
  const keys = await ctx.keys.forOperation(ctx.db, operationId);
  let rows: personsDb.PersonRow[] = [];
  if (query.tag) {
    const parsed = parseTag(query.tag);
    if (!parsed.ok) throw new AppError('tag.invalid', parsed.message, { fields: [{ path: 'tag', message: parsed.message }] });
    const row = await personsDb.findPersonByTag(ctx.db, operationId, parsed.code);
    rows = row && query.offset === 0 ? [row] : [];
  } else if (query.q) {
    const q = query.q;
    const hashes = searchKeys(q).map((k) => ({ kind: k.kind, hash: keyedHash(keys, k.kind, k.value) }));
    // A wider window than asked for, ranked by how well each name answers the query (the exact
    // name first, in either script, however it was split into fields), then by keys shared.
    const window = Math.max(query.offset + query.limit, Math.min(SEARCH_WINDOW_MAX, (query.offset + query.limit) * SEARCH_WINDOW_FACTOR));
    const hits = await personsDb.findPersonIdsByKeys(ctx.db, operationId, hashes, window);
    const found = await personsDb.findPersonsByIds(
      ctx.db,
      operationId,
      hits.map((h) => h.person_id),
    );
    const order = new Map(hits.map((h, i) => [h.person_id, i]));
    const tierOf = new Map(
      found.map((r) => [r.id, SEARCH_TIERS.indexOf(searchTier(q, openJson<PersonPii>(keys, r.pii, piiAad(r.id)).names))]),
    );
    rows = found
      .sort((a, b) => (tierOf.get(a.id) ?? 0) - (tierOf.get(b.id) ?? 0) || (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0))
      .slice(query.offset, query.offset + query.limit);
  } else if (query.status) {
    // Everyone who stands so now, as the count derives it (the list behind the dashboard's card).
    const { registry, facts } = await loadOperation(ctx.db, ctx.keys, operationId);
    const ids = [...currentPositions(facts, registry)].filter(([, p]) => p.status === query.status).map(([id]) => id);
    const page = ids
      .sort()
      .reverse()
      .slice(query.offset, query.offset + query.limit);
    const found = new Map((await personsDb.findPersonsByIds(ctx.db, operationId, page)).map((r) => [r.id, r]));
    rows = page.flatMap((id) => (found.has(id) ? [found.get(id)!] : []));
  } else {
    throw invalid([{ path: 'q', message: 'give a name (q) or a tag to search for', key: 'search_query_required' }]);
  }
  await audit(ctx, {
    action: 'person.search',
    subjectKind: 'person',
    details: { by: query.tag ? 'tag' : query.q ? 'name' : 'status', results: rows.map((r) => r.id) },
  });
  const positions = await positionsOf(ctx, rows);
  const sizes = await historyDb.householdSizes(ctx.db, operationId, [...new Set(rows.map((r) => r.household_id))]);
  return rows.map((r) => ({
    ...presentPerson(ctx, keys, r),
    status: positions.get(r.id)?.status ?? null,
    householdSize: sizes.get(r.household_id) ?? 1,
  }));
}

export async function updatePerson(ctx: Ctx, personId: string, patch: PersonPatch) {
  const operationId = requireOperation(ctx);
  assertRestrictedWritable(ctx, patch as Record<string, unknown>);
  const row = await personsDb.findPerson(ctx.db, operationId, personId);
  if (!row) throw new AppError('person.not_found');
  if (row.shredded_at) throw new AppError('person.shredded');
  const keys = await ctx.keys.forOperation(ctx.db, operationId);
  const pii = openJson<PersonPii>(keys, row.pii, piiAad(personId));
  const next: PersonPii = { ...pii };
  if (patch.names) {
    if (!hasAnyName(patch.names))
      throw invalid([
        { path: 'names', message: 'give at least a given name or a family name, in Arabic or Latin letters', key: 'names_required' },
      ]);
    next.names = patch.names;
  }
  for (const f of ['phone', 'documentNumber', 'origin', 'notes'] as const) {
    if (patch[f] === null) delete next[f];
    else if (patch[f] !== undefined) next[f] = patch[f];
  }
  const set: Parameters<typeof personsDb.updatePerson>[3] = { updated_at: ctx.now };
  if (patch.dateOfBirth !== undefined || patch.estimatedAge !== undefined) {
    if (patch.dateOfBirth && patch.estimatedAge !== undefined && patch.estimatedAge !== null)
      throw invalid([{ path: 'estimatedAge', message: 'give a date of birth or an estimated age, not both', key: 'age_or_birth_date' }]);
    const birth = birthOf({ dateOfBirth: patch.dateOfBirth, estimatedAge: patch.estimatedAge }, ctx.now);
    if (patch.dateOfBirth) next.dateOfBirth = patch.dateOfBirth;
    else delete next.dateOfBirth;
    Object.assign(set, { birth_year: birth.birthYear, age_estimated: birth.estimated, age_band: birth.ageBand });
  }
  if (patch.sex) set.sex = patch.sex;
  if (patch.relationship) set.relationship = patch.relationship;
  if (patch.vulnerabilities || patch.category || patch.carried) {
    const was = openProtected(keys, row);
    const carried = patch.carried ?? was.carried;
    const now = {
      category: patch.category ?? was.category,
      vulnerabilities: patch.vulnerabilities ?? was.vulnerabilities,
      ...(carried ? { carried } : {}),
    };
    Object.assign(set, { protected: sealProtected(keys, personId, now), category: null, vulnerabilities: null });
  }
  if (patch.consent) Object.assign(set, { consent_tracing: patch.consent.tracing, consent_disclosure: patch.consent.disclosure });
  if (patch.tag === null) set.tag_code = null;
  else if (patch.tag !== undefined) {
    const parsed = parseTag(patch.tag);
    set.tag_code = parsed.ok && parsed.code === row.tag_code ? row.tag_code : await checkTag(ctx, operationId, patch.tag, 'tag');
  }
  if (patch.medicalNotes === null) set.medical = null;
  else if (patch.medicalNotes !== undefined) set.medical = sealJson(keys, { notes: patch.medicalNotes }, medicalAad(personId));
  set.pii = sealJson(keys, next, piiAad(personId));
  await personsDb.updatePerson(ctx.db, operationId, personId, set);
  // The names as they were leave memory (a candidate lookup would miss them anyway: the sealing changed).
  forgetPeople(operationId, [personId]);
  if (set.sex !== undefined || set.age_band !== undefined || set.protected !== undefined) await countPersonUpdate(ctx, row);
  if (patch.names || set.sex || set.birth_year !== undefined) {
    await personsDb.deletePersonKeys(ctx.db, operationId, personId);
    const updated = (await personsDb.findPerson(ctx.db, operationId, personId))!;
    await personsDb.insertPersonKeys(ctx.db, keyRows(keys, operationId, personId, next, updated.sex, updated.birth_year));
  }
  // A corrected name, sex or age, or consent to tracing given now, may answer an open request.
  if (patch.names || set.sex || set.birth_year !== undefined || (patch.consent?.tracing && !row.consent_tracing)) {
    const updated = (await personsDb.findPerson(ctx.db, operationId, personId))!;
    const description = { names: next.names, sex: updated.sex, birthYear: updated.birth_year, birthYearEstimated: updated.age_estimated };
    await answerRequests(ctx, keys, [
      { id: personId, consentTracing: updated.consent_tracing, description, keys: keyedBlockingKeys(keys, description) },
    ]);
  }
  await audit(ctx, { action: 'person.update', subjectKind: 'person', subjectId: personId, details: { fields: Object.keys(patch).sort() } });
  return presentPerson(ctx, keys, (await personsDb.findPerson(ctx.db, operationId, personId))!);
}
