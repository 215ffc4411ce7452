/** Small building blocks every page uses: loading, error and empty states, and a page frame. */
import type { ReactNode } from 'react';
import type { CombinedError } from 'urql';

/** Why a mutation did not do its work: the typed error's message, else the request's error, else `fallback`. */
export function failureMessage(
  payload: object | null | undefined,
  error: CombinedError | undefined,
  fallback: string,
): string {
  return payload && 'message' in payload && typeof payload.message === 'string'
    ? payload.message
    : (error?.message ?? fallback);
}

export function Loading({ what }: { what: string }) {
  return (
    <p className="state" role="status" aria-live="polite">
      Loading {what}…
    </p>
  );
}

export function ErrorMessage({
  error,
  title = 'Something went wrong',
}: {
  error: CombinedError | string;
  title?: string;
}) {
  const text = typeof error === 'string' ? error : (error.graphQLErrors[0]?.message ?? error.message);
  return (
    <div className="state error" role="alert">
      <strong>{title}.</strong> {text}
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="state empty">{children}</p>;
}

export function Page({ title, children, actions }: { title: string; children: ReactNode; actions?: ReactNode }) {
  return (
    <section className="page" aria-labelledby="page-title">
      <header className="page-header">
        <h1 id="page-title">{title}</h1>
        {actions}
      </header>
      {children}
    </section>
  );
}

export const percent = (value: number | null | undefined) => (value == null ? '—' : `${Math.round(value * 100)}%`);
export const when = (iso: string) => new Date(iso).toLocaleString();

/** Text with `inline code` spans, as the statements write them. */
export function Prose({ text }: { text: string }) {
  return (
    <p className="prose">
      {text
        .split(/(`[^`]+`)/)
        .map((part, index) =>
          part.startsWith('`') && part.endsWith('`') && part.length > 1 ? (
            <code key={index}>{part.slice(1, -1)}</code>
          ) : (
            part
          ),
        )}
    </p>
  );
}
