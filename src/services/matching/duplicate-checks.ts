/**
 * Duplicate checks after commit (issue 17). A desk's registration used to look up and score its
 * people's candidates inside the request: half of its time at 100k registered. It now leaves a
 * note per person in its own transaction (migration 0034), and this checker, moments later, looks
 * up each noted person's candidates among everyone registered, writes the proposals to the review
 * queue, appends the audit entry and deletes the notes in one transaction. The notes survive a
 * crash (the sweep finds them at start), so every registration is checked; a pair proposed before
 * is left as it is, so a check done twice proposes nothing twice.
 *
 * The lookups run outside the writing transaction: on PGlite every statement waits for the one
 * before, and a batch of lookups inside a transaction would hold every desk for its length.
 * Two server processes on one PostgreSQL may check the same notes; the one whose delete takes
 * them writes, the other drops what it found.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { Executor } from '../../db/queries/executor.js';
import * as checksDb from '../../db/queries/duplicate-checks.js';
import * as personsDb from '../../db/queries/persons.js';
import { appendAuditMany } from '../../db/queries/audit.js';
import type { KeyRing } from '../keys/keyring.js';
import { describeRow } from './candidates.js';
import { duplicateProposals, flagAudit, writeProposals } from './duplicate-reviews.js';

/** People checked in one go: about a desk's queue, and a short write transaction. */
export const CHECK_BATCH = 100;

export interface CheckResult {
  checked: number;
  proposed: number;
}

/** Checks the oldest `limit` noted registrations of an operation. */
export async function checkQueuedDuplicates(
  db: Kysely<Database>,
  keys: KeyRing,
  operationId: string,
  at: Date,
  limit = CHECK_BATCH,
  giveWay: () => Promise<void> = async () => undefined,
): Promise<CheckResult> {
  const notes = await checksDb.pendingDuplicateChecks(db, operationId, limit);
  if (notes.length === 0) return { checked: 0, proposed: 0 };
  const opKeys = await keys.forOperation(db, operationId);
  const ids = notes.map((n) => n.person_id);
  // A person merged or shredded before the check has nothing left to propose; its note goes.
  const rows = (await personsDb.findPersonsByIds(db, operationId, ids)).filter((r) => !r.merged_into && !r.shredded_at && r.pii);
  // A person at a time, letting the desks' requests go first between them (on PGlite one
  // connection serves both: a request then waits for one lookup at most, not for the batch).
  const found: Awaited<ReturnType<typeof duplicateProposals>> = { proposals: [], warningOf: new Map() };
  for (const r of rows) {
    await giveWay();
    const one = await duplicateProposals(db, opKeys, operationId, at, [{ id: r.id, description: describeRow(opKeys, r) }], {
      excludeOwnHousehold: true,
    });
    found.proposals.push(...one.proposals);
    for (const [id, w] of one.warningOf) found.warningOf.set(id, w);
  }
  await giveWay();
  const by = new Map(notes.map((n) => [n.person_id, n.queued_by]));
  return db.transaction().execute(async (trx: Executor) => {
    const taken = new Set(await checksDb.takeDuplicateChecks(trx, operationId, ids));
    const mine = { ...found, proposals: found.proposals.filter((p) => taken.has(found.warningOf.get(p.id)!.personId)) };
    const warnings = await writeProposals(trx, mine);
    const entry = flagAudit(warnings);
    if (entry)
      await appendAuditMany(trx, [
        {
          ...entry,
          details: { ...entry.details, registeredBy: [...new Set(warnings.map((w) => by.get(w.personId) ?? null))] },
          operationId,
          actorId: null,
          actorKind: 'system',
          at,
        },
      ]);
    return { checked: taken.size, proposed: warnings.length };
  });
}

export interface CheckerOptions {
  clock?: () => Date;
  /** How long a kick waits before checking, so the registrations of that moment go together (ms; default 0: just after the answer). */
  delayMs?: number;
  /** How often to look for notes nobody kicked for (ms); 0 turns the sweep off. */
  sweepMs?: number;
  /** Waits while requests are being answered (the server's give-way, plugins/give-way.ts). */
  giveWay?: () => Promise<void>;
  onError?: (err: unknown) => void;
}

const yieldTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Runs the checks of each operation after its writes, one run per operation at a time. */
export class DuplicateChecker {
  private readonly running = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();
  private readonly timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private hurry = 0;
  private held = 0;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly keys: KeyRing,
    private readonly opts: CheckerOptions = {},
  ) {
    const every = opts.sweepMs ?? 2000;
    if (every > 0) {
      this.timer = setInterval(() => void this.sweep(), every);
      this.timer.unref();
    }
  }

  /** A registration was written in this operation: check it soon. */
  kick(operationId: string): void {
    if (this.stopped || this.held > 0) return;
    if (this.running.has(operationId)) {
      this.again.add(operationId);
      return;
    }
    const run = (async () => {
      let more = false;
      do {
        this.again.delete(operationId);
        if (more || this.hurry > 0) await yieldTurn();
        else if (this.opts.delayMs) await new Promise((resolve) => setTimeout(resolve, this.opts.delayMs).unref());
        else await yieldTurn();
        if (this.stopped || this.held > 0) return;
        const r = await checkQueuedDuplicates(
          this.db,
          this.keys,
          operationId,
          (this.opts.clock ?? (() => new Date()))(),
          CHECK_BATCH,
          this.hurry > 0 ? undefined : this.opts.giveWay,
        );
        more = r.checked >= CHECK_BATCH;
      } while ((more || this.again.has(operationId)) && !this.stopped);
    })()
      .catch((err: unknown) => {
        if (!this.stopped) this.opts.onError?.(err);
      })
      .finally(() => this.running.delete(operationId));
    this.running.set(operationId, run);
  }

  /** Kicks every operation with notes waiting. */
  async sweep(): Promise<void> {
    if (this.stopped || this.held > 0) return;
    try {
      for (const id of await checksDb.operationsWithPendingChecks(this.db)) this.kick(id);
    } catch (err) {
      if (!this.stopped) this.opts.onError?.(err);
    }
  }

  /** Checks everything waiting now, and resolves when done (tests, a closing server). */
  async flush(): Promise<void> {
    this.hurry++;
    try {
      await this.sweep();
      while (this.running.size > 0) await Promise.allSettled([...this.running.values()]);
    } finally {
      this.hurry--;
    }
  }

  /**
   * Holds the checks until the function given back is called (a test's registrations that must
   * all commit before any is checked); the notes wait, as after a crash.
   */
  async hold(): Promise<() => void> {
    this.held++;
    while (this.running.size > 0) await Promise.allSettled([...this.running.values()]);
    let released = false;
    return () => {
      if (!released) this.held--;
      released = true;
    };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await Promise.allSettled([...this.running.values()]);
  }
}
