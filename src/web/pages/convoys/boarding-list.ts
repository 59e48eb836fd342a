/**
 * The households a convoy officer may still board, kept on the phone for boarding with no
 * network: downloaded while the board is open with a network (GET …/boardable-households, every
 * two minutes) and sealed to the phone vault (api/vault.ts, docs/decisions/021-phone-vault.md) —
 * never in clear in IndexedDB. Read back only while the vault's key is in memory (the server's,
 * since it last answered in this tab, or opened with the PIN after an offline reload); wiped with
 * the vault (logout, role lost, too long offline).
 */
import * as api from '../../api/endpoints.js';
import { useSealedDownload } from '../../api/sealed-download.js';
import { getBox, openIfOpen } from '../../api/vault.js';
import type { BoardingList } from './boarding-copy.js';

const boxKey = (operationId: string) => `boardable ${operationId}`;

/** Downloads the operation's boarding list now and every two minutes while the board is open online. */
export function useBoardingListDownload(operationId: string, enabled: boolean, tick = 0) {
  useSealedDownload(api.urlOf(api.convoys.listBoardable, { operationId }), boxKey(operationId), enabled, tick);
}

/** The list kept for the operation: opened, `locked` (here, but the vault's key is not in memory), or undefined (none). */
export async function openBoardingList(
  userId: string,
  operationId: string,
): Promise<{ list: BoardingList; savedAt: string } | 'locked' | undefined> {
  const stored = await getBox(boxKey(operationId));
  if (!stored || stored.userId !== userId) return undefined;
  const list = await openIfOpen<BoardingList>(userId, stored.box, boxKey(operationId));
  return list ? { list, savedAt: stored.savedAt } : 'locked';
}
