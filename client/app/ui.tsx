/** Small building blocks every page uses: loading, error and empty states, and a page frame. */
import type { ReactNode } from 'react';
import Markdown from 'react-markdown';
import remarkGfm from 'remark-gfm';
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
/** A calendar day (`2026-03-05`) as `5 Mar`: the day it names, whatever the browser's time zone. */
export const shortDay = (day: string) =>
  new Date(`${day}T00:00:00Z`).toLocaleDateString(undefined, { day: 'numeric', month: 'short', timeZone: 'UTC' });

/**
 * Markdown as the content is written (statements, questions, options, explanations): GitHub
 * flavoured (tables, strikethrough, task lists, autolinks). Raw HTML in the text is shown as
 * text, never run, and link URLs pass react-markdown's safe-protocol filter. `inline` renders
 * a one-paragraph text without its paragraph, for labels and table cells.
 */
export function Prose({ text, inline = false }: { text: string; inline?: boolean }) {
  return inline ? (
    <span className="prose inline">
      <Markdown remarkPlugins={REMARK_PLUGINS} disallowedElements={['p']} unwrapDisallowed>
        {text}
      </Markdown>
    </span>
  ) : (
    <div className="prose">
      <Markdown remarkPlugins={REMARK_PLUGINS}>{text}</Markdown>
    </div>
  );
}

const REMARK_PLUGINS = [remarkGfm];
