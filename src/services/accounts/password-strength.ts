/**
 * How strong a new password is, estimated by zxcvbn-ts as a cracker would guess it: its common
 * passwords (the 30,000 most used, `password1234` among them), English words, names, keyboard
 * walks, dates, repeats and l33t spellings, plus the account's own username and display name.
 * Every place a password is set (`corridor user add`, an admin creating an account, a password
 * change) calls `assertStrongPassword`; a weak one is a 400 `user.password_weak` naming the field,
 * with zxcvbn's warning. Random passwords Corridor generates (first admin, demo accounts, resets)
 * pass by construction (120 bits).
 */
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as english from '@zxcvbn-ts/language-en';
import { AppError } from '../../domain/errors.js';

/** zxcvbn's score 3: "safely unguessable", about 10^8 guesses or more (0–4 scale). */
export const MIN_PASSWORD_SCORE = 3;

let estimator: ZxcvbnFactory | undefined;

/** Built on first use: loading the dictionaries takes about half a second. */
function zxcvbn(): ZxcvbnFactory {
  estimator ??= new ZxcvbnFactory({
    dictionary: { ...common.dictionary, ...english.dictionary },
    graphs: common.adjacencyGraphs,
    translations: english.translations,
  });
  return estimator;
}

export interface PasswordVerdict {
  score: number;
  ok: boolean;
  /** Why it is weak and what to do, in one sentence for the field. */
  message: string;
}

export async function estimatePassword(password: string, userInputs: string[] = []): Promise<PasswordVerdict> {
  // Only the first 100 characters are estimated (zxcvbn's cost grows with length; longer is strong).
  const r = await zxcvbn().check(password.slice(0, 100), userInputs.filter(Boolean));
  const ok = r.score >= MIN_PASSWORD_SCORE;
  const hints = [r.feedback.warning, ...r.feedback.suggestions].filter(Boolean).join(' ');
  return {
    score: r.score,
    ok,
    message: ok ? '' : `is too easy to guess${hints ? `: ${hints}` : ''} Use a longer phrase of uncommon words.`,
  };
}

/** Throws 400 `user.password_weak` with the field named `field` when the password is too easy to guess. */
export async function assertStrongPassword(password: string, userInputs: string[], field = 'password'): Promise<void> {
  const v = await estimatePassword(password, userInputs);
  if (v.ok) return;
  throw new AppError('user.password_weak', `${field}: ${v.message}`, { fields: [{ path: field, message: v.message }], score: v.score });
}
