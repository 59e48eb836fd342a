/**
 * A labelled form control with its hint and error tied to it by aria-describedby, so screen
 * readers announce them and every control has a visible label.
 */
import { useId, type ChangeEvent, type InputHTMLAttributes, type ReactNode, type Ref, type SelectHTMLAttributes } from 'react';
import { westernDigits } from '../../domain/digits.js';

interface Common {
  label: ReactNode;
  hint?: ReactNode;
  error?: string | undefined;
  ok?: ReactNode;
}

function describe(id: string, c: Common) {
  const ids = [c.hint ? `${id}-hint` : '', c.error ? `${id}-error` : '', c.ok ? `${id}-ok` : ''].filter(Boolean).join(' ');
  return ids || undefined;
}

function Messages({ id, c }: { id: string; c: Common }) {
  return (
    <>
      {c.hint && (
        <span className="hint" id={`${id}-hint`}>
          {c.hint}
        </span>
      )}
      {c.error && (
        <span className="field-error" id={`${id}-error`} role="alert">
          {c.error}
        </span>
      )}
      {c.ok && !c.error && (
        <span className="field-ok" id={`${id}-ok`}>
          {c.ok}
        </span>
      )}
    </>
  );
}

/**
 * A numeric field (inputMode numeric, decimal or tel, or type number or tel) takes Arabic-Indic and
 * Persian digits as typed: they become Western digits before the page sees the value, so validation
 * and the server read them (a `type="number"` input would drop them: it becomes a text input with a
 * numeric keyboard).
 */
export function numericInput<T extends InputHTMLAttributes<HTMLInputElement>>(input: T): T {
  const numeric =
    input.type === 'number' ||
    input.type === 'tel' ||
    input.inputMode === 'numeric' ||
    input.inputMode === 'decimal' ||
    input.inputMode === 'tel';
  if (!numeric) return input;
  const onChange = input.onChange;
  return {
    ...input,
    ...(input.type === 'number' ? { type: 'text', inputMode: input.inputMode ?? 'numeric' } : {}),
    onChange: (e: ChangeEvent<HTMLInputElement>) => {
      const v = westernDigits(e.target.value);
      if (v !== e.target.value) e.target.value = v;
      onChange?.(e);
    },
  };
}

export function Field({
  label,
  hint,
  error,
  ok,
  ref,
  ...input
}: Common & InputHTMLAttributes<HTMLInputElement> & { ref?: Ref<HTMLInputElement> | undefined }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        ref={ref}
        id={id}
        aria-invalid={error ? true : undefined}
        aria-describedby={describe(id, { label, hint, error, ok })}
        {...numericInput(input)}
      />
      <Messages id={id} c={{ label, hint, error, ok }} />
    </div>
  );
}

export function SelectField({ label, hint, error, children, ...select }: Common & SelectHTMLAttributes<HTMLSelectElement>) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} aria-invalid={error ? true : undefined} aria-describedby={describe(id, { label, hint, error })} {...select}>
        {children}
      </select>
      <Messages id={id} c={{ label, hint, error }} />
    </div>
  );
}

export function Check({ label, ...input }: { label: ReactNode } & InputHTMLAttributes<HTMLInputElement>) {
  return (
    <label className="check">
      <input type="checkbox" {...input} />
      <span>{label}</span>
    </label>
  );
}
