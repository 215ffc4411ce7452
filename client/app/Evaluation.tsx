/** An evaluation as it happens: a progress bar and each test's verdict as it arrives. */
import { useEffect } from 'react';
import { useClient, useSubscription } from 'urql';
import { graphql } from '../gql/index.js';
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

export function EvaluationProgress({ runId, testCount }: { runId: string; testCount: number }) {
  const [{ data: events = [], error }] = useSubscription(
    { query: EvaluationEventsDocument, variables: { runId } },
    (previous: Event[] = [], data) => [...previous, data.evaluationEvents],
  );
  const tests = events.filter((event) => event.__typename === 'TestCaseFinished');
  const last = events.at(-1);
  const done = last?.__typename === 'EvaluationCompleted' || last?.__typename === 'EvaluationFailed';
  const queued = events.find((event) => event.__typename === 'EvaluationQueued');
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
      <p className="meta">
        {!done && !tests.length && queued?.__typename === 'EvaluationQueued' && `Queued (position ${queued.position})…`}
        {!done && tests.length > 0 && `${tests.length} of ${testCount} tests finished…`}
      </p>
      <ol className="tests" aria-label="Test results">
        {events.map((event) =>
          event.__typename === 'TestCaseFinished' ? (
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
            </li>
          ) : event.__typename === 'RubricCriterionScored' ? (
            <li key={event.sequence} className={event.points === event.maxPoints ? 'pass' : 'fail'}>
              {event.criterionKey.replaceAll('_', ' ')}: {event.points}/{event.maxPoints}
            </li>
          ) : event.__typename === 'DiagnosticRecorded' ? (
            <li key={event.sequence} className={event.passed ? 'pass' : 'fail'}>
              {event.code.replaceAll('_', ' ').toLowerCase()}: {event.passed ? 'right' : 'not yet'}
            </li>
          ) : null,
        )}
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
