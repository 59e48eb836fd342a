/**
 * Browsers submit a form on Enter only from text fields. At a registration table Enter should
 * save from anywhere in the form, including a list, a checkbox or a yes/no choice; this keydown handler does it.
 */
import type { KeyboardEvent } from 'react';

export function enterSubmits(e: KeyboardEvent<HTMLFormElement>) {
  const el = e.target as HTMLElement;
  if (
    e.key === 'Enter' &&
    !e.nativeEvent.isComposing &&
    (el.tagName === 'SELECT' || ['checkbox', 'radio'].includes((el as HTMLInputElement).type))
  ) {
    e.preventDefault();
    e.currentTarget.requestSubmit();
  }
}
