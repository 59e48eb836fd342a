/**
 * The counts the generator knows to be true, kept as it generates: sex × age band tables for
 * people registered, boarded, arrived, missing, walked in, and counted in head-count vehicles.
 * A reconciliation or dashboard test compares what Corridor derives from the facts with these.
 */
import { ageBands, type AgeBand } from '../../domain/schemas/persons.js';
import { recordAgeBand } from './person.js';
import type { HeadCountRow, Sadd, ScenarioPerson, Sex } from './types.js';

const SEXES: readonly Sex[] = ['female', 'male', 'unknown'];

export class SaddCounter {
  private readonly cells = new Map<string, number>();
  total = 0;

  add(sex: Sex, band: AgeBand, n = 1): void {
    const k = `${sex}|${band}`;
    this.cells.set(k, (this.cells.get(k) ?? 0) + n);
    this.total += n;
  }

  addPerson(p: ScenarioPerson): void {
    this.add(p.sex, recordAgeBand(p));
  }

  toSadd(): Sadd {
    const rows: Sadd['rows'] = [];
    for (const sex of SEXES) {
      for (const ageBand of ageBands) {
        const count = this.cells.get(`${sex}|${ageBand}`) ?? 0;
        if (count > 0) rows.push({ sex, ageBand, count });
      }
    }
    return { total: this.total, rows };
  }
}

export class TotalsCounter {
  registeredRecords = 0;
  readonly registeredPeople = new SaddCounter();
  readonly boarded = new SaddCounter();
  readonly arrived = new SaddCounter();
  readonly missing = new SaddCounter();
  readonly unmanifested = new SaddCounter();
  readonly headCount = new SaddCounter();
  readonly byCategory: Record<string, number> = {};

  addHeadCount(rows: readonly HeadCountRow[]): void {
    for (const r of rows) {
      this.headCount.add(r.sex, r.ageBand, r.count);
      this.byCategory[r.category] = (this.byCategory[r.category] ?? 0) + r.count;
    }
  }
}
