/**
 * Browsers submit a form on Enter only from text fields. At a registration table Enter should
 * save from anywhere in the form, including a list or a checkbox; this keydown handler does it.
 */
import type { KeyboardEvent } from 'react';

export function enterSubmits(e: KeyboardEvent<HTMLFormElement>) {
  const el = e.target as HTMLElement;
  if (e.key === 'Enter' && !e.nativeEvent.isComposing && (el.tagName === 'SELECT' || (el as HTMLInputElement).type === 'checkbox')) {
    e.preventDefault();
    e.currentTarget.requestSubmit();
  }
}
