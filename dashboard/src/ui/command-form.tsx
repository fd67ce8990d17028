/**
 * A form that sends one command: its fields, a submit button, the outcome and the errors with
 * their codes. Without a token it says one is needed instead of offering to send.
 */
import { useState, type FormEvent, type ReactNode } from 'react';
import { ErrorList } from './errors.js';
import { TokenNeeded, useHasToken } from './token.js';

export interface CommandFormProps {
  readonly title: string;
  /** Label of the submit button. */
  readonly action: string;
  /** Sends the command; resolves to a line saying what it did. */
  readonly onSubmit: (form: FormData) => Promise<string>;
  readonly children: ReactNode;
  /** Used in test ids and element ids. */
  readonly name: string;
}

export function CommandForm({ title, action, onSubmit, children, name }: CommandFormProps) {
  const hasToken = useHasToken();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [outcome, setOutcome] = useState<string | undefined>(undefined);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    setBusy(true);
    setError(undefined);
    setOutcome(undefined);
    onSubmit(data)
      .then(setOutcome, setError)
      .finally(() => setBusy(false));
  };

  return (
    <form className="command" onSubmit={submit} data-testid={`form-${name}`} aria-label={title}>
      <h3>{title}</h3>
      <fieldset disabled={!hasToken || busy}>{children}</fieldset>
      {hasToken ? (
        <button type="submit" disabled={busy}>
          {busy ? 'Sending…' : action}
        </button>
      ) : (
        <TokenNeeded />
      )}
      {outcome ? <p className="outcome">{outcome}</p> : null}
      <ErrorList error={error} />
    </form>
  );
}

/** A labelled input. */
export function Field({ label, name, ...input }: { readonly label: string; readonly name: string } & React.InputHTMLAttributes<HTMLInputElement>) {
  return (
    <label className="field">
      <span>{label}</span>
      <input name={name} {...input} />
    </label>
  );
}

/** A labelled select. */
export function Choice({
  label,
  name,
  options,
  defaultValue,
}: {
  readonly label: string;
  readonly name: string;
  readonly options: ReadonlyArray<{ readonly value: string; readonly label: string }>;
  readonly defaultValue?: string;
}) {
  return (
    <label className="field">
      <span>{label}</span>
      <select name={name} defaultValue={defaultValue}>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </label>
  );
}

/** A form field's text ('' when absent). */
export const text = (form: FormData, name: string): string => {
  const value = form.get(name);
  return typeof value === 'string' ? value.trim() : '';
};
