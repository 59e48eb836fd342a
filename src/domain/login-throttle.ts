/**
 * How long a client must wait before its next login attempt, from the failures counted for it.
 * Two counters are kept for every failure: one for the (username typed, client address) pair and
 * one for the client address alone. Nothing is counted per account, so someone who does not know
 * a password can slow down only their own address, never the real user at theirs.
 */

/** Failures of one (username, address) pair before it must wait; then 15 min, doubling, up to a day. */
export const PAIR_FREE_FAILURES = 5;
export const PAIR_FIRST_WAIT_SECONDS = 15 * 60;
export const PAIR_MAX_WAIT_SECONDS = 24 * 3600;

/** Failures of one address (any usernames) before it must wait; then 1 s, doubling, up to 15 min. */
export const ADDRESS_FREE_FAILURES = 20;
export const ADDRESS_MAX_WAIT_SECONDS = 15 * 60;

/** Counters start again after this long without a failure. */
export const THROTTLE_FORGET_SECONDS = 24 * 3600;

export type ThrottleScope = 'pair' | 'address';

/** Seconds to wait after the `failures`-th failure of a counter (0: no wait). */
export function waitAfterFailures(scope: ThrottleScope, failures: number): number {
  if (scope === 'pair') {
    if (failures < PAIR_FREE_FAILURES) return 0;
    return Math.min(PAIR_MAX_WAIT_SECONDS, PAIR_FIRST_WAIT_SECONDS * 2 ** Math.min(20, failures - PAIR_FREE_FAILURES));
  }
  if (failures < ADDRESS_FREE_FAILURES) return 0;
  return Math.min(ADDRESS_MAX_WAIT_SECONDS, 2 ** Math.min(20, failures - ADDRESS_FREE_FAILURES));
}

/**
 * The address a throttle counts: an IPv4 address as it is (also when written as IPv4-mapped
 * IPv6), an IPv6 address by its /64 prefix, since one subscriber usually holds a whole /64.
 */
export function throttleAddressOf(ip: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  if (mapped) return mapped[1]!;
  if (!ip.includes(':')) return ip;
  const [head = '', tail = ''] = ip.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = ip.includes('::') ? [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right] : left;
  return (
    groups
      .slice(0, 4)
      .map((g) => g.replace(/^0+(?=.)/, ''))
      .join(':') + '::/64'
  );
}
