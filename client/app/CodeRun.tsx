/** A code run as it happens: each call on an example or on the student's own input, with what it returned. */
import { useSubscription } from 'urql';
import { graphql } from '../gql/index.js';
import type { CodeRunUpdatesSubscription } from '../gql/graphql.js';
import { formatMemory, VERDICTS } from './Evaluation.js';
import { ErrorMessage } from './ui.js';

const CodeRunUpdatesDocument = graphql(`
  subscription CodeRunUpdates($id: ID!) {
    codeRun(id: $id) {
      id
      number
      status
      failureReason
      calls {
        index
        source
        name
        args
        expected
        returned
        verdict
        stdout
        stderr
        durationMs
        memoryKb
      }
    }
  }
`);

type Run = CodeRunUpdatesSubscription['codeRun'];

function call(entrypoint: string, args: unknown): string {
  return `${entrypoint}(${Array.isArray(args) ? args.map((arg) => JSON.stringify(arg)).join(', ') : ''})`;
}

export function CodeRunResults({ runId, entrypoint }: { runId: string; entrypoint: string }) {
  const [{ data, error }] = useSubscription(
    { query: CodeRunUpdatesDocument, variables: { id: runId } },
    (_previous: Run | undefined, next) => next.codeRun,
  );
  const run = data;
  return (
    <section className="card evaluation" aria-label="Run" aria-live="polite">
      <h2>Run{run ? ` ${run.number}` : ''} (not graded)</h2>
      {error && <ErrorMessage error={error} title="Lost the run" />}
      {run?.status === 'QUEUED' && <p className="meta">Waiting for a sandbox…</p>}
      {run?.status === 'FAILED' && (
        <ErrorMessage
          error={`The platform could not run your code (${run.failureReason ?? 'unknown'}).`}
          title="Not run"
        />
      )}
      <ol className="tests calls" aria-label="Calls">
        {run?.calls.map((c) => (
          <li
            key={c.index}
            className={
              c.verdict === null || c.verdict === 'PASSED' ? 'pass' : c.verdict === 'NOT_RUN' ? 'skip' : 'fail'
            }
          >
            <code>{call(entrypoint, c.args)}</code>
            {c.returned !== null && c.returned !== undefined && (
              <>
                {' '}
                → <code>{JSON.stringify(c.returned)}</code>
              </>
            )}
            <div className="meta">
              {[
                c.source === 'EXAMPLE' ? `expected ${JSON.stringify(c.expected)}` : 'your input',
                c.verdict ? (VERDICTS[c.verdict] ?? c.verdict) : null,
                c.verdict !== 'NOT_RUN' ? `${c.durationMs} ms` : null,
                c.verdict !== 'NOT_RUN' && c.memoryKb != null ? formatMemory(c.memoryKb) : null,
              ]
                .filter(Boolean)
                .join(' · ')}
            </div>
            {(c.stdout || c.stderr) && (
              <details>
                <summary>Output</summary>
                {c.stdout && <pre aria-label="stdout">{c.stdout}</pre>}
                {c.stderr && <pre aria-label="stderr">{c.stderr}</pre>}
              </details>
            )}
          </li>
        ))}
      </ol>
      {run?.status === 'SUCCEEDED' && (
        <p className="meta" role="status">
          Done: nothing is graded until you submit.
        </p>
      )}
    </section>
  );
}
