/**
 * The people a reception site expects on its incoming convoys, kept on the phone for a tag
 * look-up with no network: downloaded while the desk is open with a network (GET …/expected) and
 * sealed to the phone vault (api/vault.ts, docs/decisions/021-phone-vault.md) — never in clear in
 * IndexedDB. Read back only while the vault's key is in memory (this tab, since the server last
 * answered); wiped with the vault (logout, role lost, too long offline).
 */
import { parseTag } from '../../../domain/tags.js';
import * as api from '../../api/endpoints.js';
import { useSealedDownload } from '../../api/sealed-download.js';
import type { Household, Person } from '../../api/types.js';
import { getBox, openIfOpen } from '../../api/vault.js';

export type ExpectedList = api.ResponseOf<typeof api.reception.listExpected>;

const boxKey = (operationId: string, siteId: string) => `expected ${operationId} ${siteId}`;

/** Downloads the site's expected list now and every two minutes while the desk is open online. */
export function useExpectedDownload(operationId: string, siteId: string | undefined, enabled: boolean) {
  useSealedDownload(
    siteId ? api.urlOf(api.reception.listExpected, { operationId, siteId }) : undefined,
    siteId ? boxKey(operationId, siteId) : undefined,
    enabled,
  );
}

/**
 * The person carrying `tag` in the phone's list for the site, with the household members expected
 * with them; `locked` when the list is here but cannot be opened now, undefined when there is none.
 */
export async function findExpected(
  userId: string,
  operationId: string,
  siteId: string,
  tag: string,
): Promise<{ person: Person | null; household: Household | undefined; savedAt: string } | 'locked' | undefined> {
  const stored = await getBox(boxKey(operationId, siteId));
  if (!stored || stored.userId !== userId) return undefined;
  const list = await openIfOpen<ExpectedList>(userId, stored.box, boxKey(operationId, siteId));
  if (!list) return 'locked';
  const code = parseTag(tag);
  if (!code.ok) return { person: null, household: undefined, savedAt: stored.savedAt };
  const person = list.persons.find((p) => p.tag && parseTag(p.tag).ok && (parseTag(p.tag) as { code: string }).code === code.code);
  if (!person) return { person: null, household: undefined, savedAt: stored.savedAt };
  const members = list.persons.filter((p) => p.householdId === person.householdId);
  return {
    person,
    household: { id: person.householdId, siteId: person.siteId ?? siteId, registeredAt: person.registeredAt, notes: null, members },
    savedAt: stored.savedAt,
  };
}
