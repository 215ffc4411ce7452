/**
 * An evaluation as it happens: a progress bar and each test's verdict as it arrives; once the run
 * ends, each visible test's arguments, expected value and returned value side by side.
 */
import { useEffect } from 'react';
import { useClient, useQuery, useSubscription } from 'urql';
import { type FragmentType, getFragmentData, graphql } from '../gql/index.js';
import type { EvaluationEventsSubscription } from '../gql/graphql.js';
import { MeQuery } from '../operations.js';
import { ErrorMessage, percent } from './ui.js';

const EvaluationEventsDocument = graphql(`
  subscription EvaluationEvents($runId: ID!) {
    evaluationEvents(runId: $runId) {
      __typename
      sequence
      ... on EvaluationQueued {
        position
      }
      ... on TestCaseFinished {
        index
        verdict
        durationMs
        memoryKb
        hidden
      }
      ... on RubricCriterionScored {
        criterionKey
        points
        maxPoints
      }
      ... on DiagnosticRecorded {
        code
        passed
      }
      ... on EvaluationCompleted {
        score
        pointsAwarded
      }
      ... on EvaluationFailed {
        reason
      }
    }
  }
`);

type Event = EvaluationEventsSubscription['evaluationEvents'];

export const TestComparisonFields = graphql(`
  fragment TestComparisonFields on TestResult {
    verdict
    args
    expected
    actual
    stdout
    stderr
  }
`);

// Read once the run has ended: the stream says how each test went, the stored results what it returned.
const EvaluationResultsQuery = graphql(`
  query EvaluationResults($runId: ID!) {
    node(id: $runId) {
      __typename
      ... on EvaluationRun {
        id
        testResults {
          index
          hidden
          ...TestComparisonFields
        }
      }
    }
  }
`);

/** Each verdict in words. */
export const VERDICTS: Record<string, string> = {
  PASSED: 'passed',
  FAILED: 'wrong answer',
  TIME_LIMIT: 'time limit',
  MEMORY_LIMIT: 'memory limit',
  RUNTIME_ERROR: 'runtime error',
  OUTPUT_LIMIT: 'output limit',
  COMPILE_ERROR: 'compile error',
  NOT_RUN: 'not run',
};

/** What each verdict means, for the tooltip. */
const VERDICT_HINTS: Record<string, string> = {
  NOT_RUN:
    'Not run: an earlier test reached the time limit, which ends the run, or the run’s time budget was spent first.',
  TIME_LIMIT: 'Used more CPU time than the limit, or the run’s time budget ran out while it ran.',
};

/** A peak memory in KiB, as a person reads it. */
export function formatMemory(kb: number): string {
  return kb >= 1024 ? `${(kb / 1024).toFixed(1)} MB` : `${kb} KB`;
}

/** A JSON value as a person reads it: on one line when short, else indented. */
function pretty(value: unknown): string {
  const line = JSON.stringify(value) ?? 'undefined';
  return line.length <= 40 ? line : JSON.stringify(value, null, 2);
}

/**
 * One visible test: the arguments, the expected value and what the code returned, side by side,
 * the returned value marked as matching or not; the test's output folded below.
 */
export function TestComparison({
  label,
  result,
}: {
  label: string;
  result: FragmentType<typeof TestComparisonFields>;
}) {
  const r = getFragmentData(TestComparisonFields, result);
  const passed = r.verdict === 'PASSED';
  const args = Array.isArray(r.args) ? r.args : [];
  return (
    <div className={`comparison ${passed ? 'match' : 'mismatch'}`} role="group" aria-label={label}>
      <div className="side-by-side">
        <figure className="arguments">
          <figcaption>Arguments</figcaption>
          <pre>{args.length > 0 ? args.map(pretty).join(',\n') : '(none)'}</pre>
        </figure>
        <figure className="expected">
          <figcaption>Expected</figcaption>
          <pre>{pretty(r.expected)}</pre>
        </figure>
        <figure className="returned">
          <figcaption>
            Returned <span className="mark">{passed ? '✓ matches' : '✗ differs'}</span>
          </figcaption>
          <pre>{r.actual == null ? `nothing (${VERDICTS[r.verdict] ?? r.verdict})` : pretty(r.actual)}</pre>
        </figure>
      </div>
      {(r.stdout || r.stderr) && (
        // A crash's message is what to read first; printed output can wait.
        <details open={r.verdict === 'RUNTIME_ERROR'}>
          <summary>Output{r.stderr ? ' and errors' : ''}</summary>
          {r.stdout && (
            <pre className="stdout" aria-label="stdout">
              {r.stdout}
            </pre>
          )}
          {r.stderr && (
            <pre className="stderr" aria-label="stderr">
              {r.stderr}
            </pre>
          )}
        </details>
      )}
    </div>
  );
}

export function EvaluationProgress({ runId, testCount }: { runId: string; testCount: number }) {
  const [{ data: events = [], error }] = useSubscription(
    { query: EvaluationEventsDocument, variables: { runId } },
    (previous: Event[] = [], data) => [...previous, data.evaluationEvents],
  );
  const tests = events.filter((event) => event.__typename === 'TestCaseFinished');
  const last = events.at(-1);
  const done = last?.__typename === 'EvaluationCompleted' || last?.__typename === 'EvaluationFailed';
  const queued = events.find((event) => event.__typename === 'EvaluationQueued');
  const [stored] = useQuery({
    query: EvaluationResultsQuery,
    variables: { runId },
    pause: !done,
    requestPolicy: 'network-only',
  });
  const run = stored.data?.node?.__typename === 'EvaluationRun' ? stored.data.node : null;
  // Hidden tests come without arguments or expected value (the API never sends them): no comparison.
  const compared = new Map(
    (run?.testResults ?? []).flatMap((result) => (result.hidden ? [] : [[result.index, result] as const])),
  );
  const client = useClient();
  const earned = last?.__typename === 'EvaluationCompleted' ? last.pointsAwarded : 0;
  // Points and streak changed: the header reads them again.
  useEffect(() => {
    if (done) void client.query(MeQuery, {}, { requestPolicy: 'network-only' }).toPromise();
  }, [done, earned, client]);

  return (
    <section className="card evaluation" aria-label="Evaluation" aria-live="polite">
      <h2>Evaluation</h2>
      {error && <ErrorMessage error={error} title="Lost the evaluation stream" />}
      {testCount > 0 && (
        <progress max={testCount} value={tests.length} aria-label="Tests finished">
          {tests.length}/{testCount}
        </progress>
      )}
      {stored.error && <ErrorMessage error={stored.error} title="Could not load what each test returned" />}
      <p className="meta">
        {!done && !tests.length && queued?.__typename === 'EvaluationQueued' && `Queued (position ${queued.position})…`}
        {!done && tests.length > 0 && `${tests.length} of ${testCount} tests finished…`}
      </p>
      <ol className="tests" aria-label="Test results">
        {events.map((event) => {
          if (event.__typename === 'TestCaseFinished') {
            const result = event.hidden || event.verdict === 'NOT_RUN' ? undefined : compared.get(event.index);
            return (
              <li
                key={event.sequence}
                className={event.verdict === 'PASSED' ? 'pass' : event.verdict === 'NOT_RUN' ? 'skip' : 'fail'}
                title={VERDICT_HINTS[event.verdict]}
              >
                {event.hidden ? 'Hidden test' : 'Test'} {event.index + 1}: {VERDICTS[event.verdict] ?? event.verdict}
                {!event.hidden && event.verdict !== 'NOT_RUN' && (
                  <span className="ms">
                    {' '}
                    · {event.durationMs} ms{event.memoryKb != null && ` · ${formatMemory(event.memoryKb)}`}
                  </span>
                )}
                {result && <TestComparison label={`Test ${event.index + 1} compared`} result={result} />}
              </li>
            );
          }
          return event.__typename === 'RubricCriterionScored' ? (
            <li key={event.sequence} className={event.points === event.maxPoints ? 'pass' : 'fail'}>
              {event.criterionKey.replaceAll('_', ' ')}: {event.points}/{event.maxPoints}
            </li>
          ) : event.__typename === 'DiagnosticRecorded' ? (
            <li key={event.sequence} className={event.passed ? 'pass' : 'fail'}>
              {event.code.replaceAll('_', ' ').toLowerCase()}: {event.passed ? 'right' : 'not yet'}
            </li>
          ) : null;
        })}
      </ol>
      {last?.__typename === 'EvaluationCompleted' && (
        <p className="result" role="status">
          Score {percent(last.score)}
          {last.pointsAwarded > 0 ? ` · +${last.pointsAwarded} points` : ''}
        </p>
      )}
      {last?.__typename === 'EvaluationFailed' && (
        <ErrorMessage
          error={`The platform could not evaluate this (${last.reason}); it does not count.`}
          title="Not evaluated"
        />
      )}
    </section>
  );
}
