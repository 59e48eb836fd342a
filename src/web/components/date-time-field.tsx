/**
 * The coordinators' date-and-time field (situation report "as of", an outside source's time,
 * movement windows): a text field where the date and time are typed as the wall clock of the
 * operation's time zone — `2016-12-15 08:30`, in Western, Arabic-Indic or Persian digits — and
 * read by `lib/wall-time.ts`, the paper desk's reader. The browser's `datetime-local` picker takes
 * no Arabic-Indic digit typed into it and reads the device's zone, not the operation's.
 *
 * What is typed is shown in the user's digits (`i18n/digit-style.ts`), as the placeholder (now, on
 * the operation's clock) is. The field checks as it is typed: once the text is as long as a date
 * and time, on leaving the field, or when the form asks (`checked`); a good one reads back as the
 * interface writes dates, so a slip of a digit shows before it is saved.
 */
import type { ChangeEvent, ReactNode } from 'react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { westernDigits } from '../../domain/digits.js';
import { inDigits, numberingSystemOf, type NumberingSystem } from '../i18n/digit-style.js';
import { isolate, useDigitStyle, useFormat } from '../i18n/format.js';
import { isoToWallTime, readWallTime, type WallTimeProblem } from '../lib/wall-time.js';
import { Field } from './field.js';

/**
 * The length of a date and time written in full (`2016-12-15 08:30`): shorter, a wrong text may
 * still be on its way to a right one (`2016-12-15 08:3`), and its message waits.
 */
const COMPLETE = 16;

/**
 * What the field says of a text: the instant it reads as, and the problem to show now, if any (as
 * a catalogue key). A problem waits while the text may still be on its way to a date and time —
 * unless the user left the field or the form was sent — but a character no date and time has
 * (a letter) shows at once.
 */
export function dateTimeFieldState(
  text: string,
  timeZone: string,
  opts: { required?: boolean; touched?: boolean } = {},
): { iso?: string; problem?: WallTimeProblem; show?: `dateTimeField.${WallTimeProblem}` } {
  const r = readWallTime(text, timeZone, opts.required);
  if (!r.problem) return r;
  const western = westernDigits(text.trim());
  const early = !opts.touched && r.problem !== 'skipped' && western.length < COMPLETE && /^[\d\sT:-]*$/.test(western);
  return early ? { problem: r.problem } : { problem: r.problem, show: `dateTimeField.${r.problem}` };
}

/** What is typed, in the user's digits (one character for one, so the caret can stay where it was). */
export function inUsersDigits(text: string, system: NumberingSystem): string {
  return inDigits(westernDigits(text), system);
}

export function DateTimeField({
  label,
  hint,
  value,
  onChange,
  timeZone,
  required,
  checked,
  error,
  ...rest
}: {
  label: ReactNode;
  /** Said before the field's own hint (the format and the zone). */
  hint?: ReactNode;
  /** The text as typed (any digits); read it with `readWallTime`. */
  value: string;
  onChange: (text: string) => void;
  /** The operation's time zone: the text is its wall clock. */
  timeZone: string;
  required?: boolean;
  /** The form was sent: show the field's problem even if it was never left. */
  checked?: boolean;
  /** A problem found elsewhere (the shared schema, the server), shown before the field's own. */
  error?: string | undefined;
  name?: string;
  'data-testid'?: string;
}) {
  const { t, i18n } = useTranslation();
  const fmt = useFormat(timeZone);
  const system = numberingSystemOf(i18n.language, useDigitStyle());
  const [left, setLeft] = useState(false);
  const state = dateTimeFieldState(value, timeZone, { required: !!required, touched: left || !!checked });
  const zone = isolate(timeZone);
  const example = inDigits(isoToWallTime(Date.now(), timeZone), system);
  const own = state.show ? t(state.show, { zone, example: isolate(example) }) : undefined;

  function change(e: ChangeEvent<HTMLInputElement>) {
    const el = e.target;
    const shown = inUsersDigits(el.value, system);
    if (shown !== el.value) {
      const [start, end] = [el.selectionStart, el.selectionEnd];
      el.value = shown;
      if (start !== null && end !== null) el.setSelectionRange(start, end);
    }
    onChange(shown);
  }

  return (
    <Field
      {...rest}
      label={label}
      hint={
        <>
          {hint ? <>{hint} </> : null}
          {t('dateTimeField.hint', { zone })}
        </>
      }
      // Arabic-Indic digits run right to left in the field as in the rest of the page.
      dir={system === 'arab' ? 'rtl' : 'ltr'}
      autoComplete="off"
      spellCheck={false}
      placeholder={example}
      // Said by the field itself, in the interface's language, not by the browser's bubble.
      aria-required={required || undefined}
      value={value}
      onChange={change}
      onBlur={() => setLeft(true)}
      error={error ?? own}
      ok={state.iso ? t('dateTimeField.reads', { at: fmt.dateTime(state.iso) }) : undefined}
    />
  );
}
