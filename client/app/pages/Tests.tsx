/** Adaptive tests: the pools you may be tested on, a start button for each, and your past sessions. */
import { type FormEvent, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { useLocation } from 'wouter';
import { graphql } from '../../gql/index.js';
import { conceptLabel } from '../adaptive.js';
import { TestSessionsTable } from '../TestSessions.js';
import { Empty, ErrorMessage, Loading, Page, Prose, failureMessage } from '../ui.js';

const TestsPageQuery = graphql(`
  query TestsPage {
    questionPools {
      id
      name
      description
      concepts
      questionCount
      organization {
        name
      }
    }
    viewer {
      id
      adaptiveTestSessions {
        ...TestSessionRowFields
      }
    }
  }
`);

const StartTestMutation = graphql(`
  mutation StartTest($input: StartAdaptiveTestInput!) {
    startAdaptiveTest(input: $input) {
      __typename
      ... on AdaptiveTestSession {
        id
      }
      ... on Error {
        message
      }
    }
  }
`);

/** The API's bounds for a test's limits (StartAdaptiveTestInput); empty fields take its defaults. */
const MAX_QUESTIONS = { min: 1, max: 100, default: 20 };
const TARGET_SE = { min: 0.05, max: 2, default: 0.3 };

export function TestsPage() {
  const [{ data, fetching, error }] = useQuery({ query: TestsPageQuery, requestPolicy: 'cache-and-network' });
  const [starting, start] = useMutation(StartTestMutation);
  const [maxQuestions, setMaxQuestions] = useState('');
  const [targetStandardError, setTargetStandardError] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [, navigate] = useLocation();

  async function begin(event: FormEvent<HTMLFormElement>, poolId: string) {
    event.preventDefault();
    setProblem(null);
    const result = await start({
      input: {
        poolId,
        ...(maxQuestions ? { maxQuestions: Number(maxQuestions) } : {}),
        ...(targetStandardError ? { targetStandardError: Number(targetStandardError) } : {}),
      },
    });
    const payload = result.data?.startAdaptiveTest;
    if (payload?.__typename === 'AdaptiveTestSession') navigate(`/tests/${encodeURIComponent(payload.id)}`);
    else setProblem(failureMessage(payload, result.error, 'The test did not start'));
  }

  if (error) return <ErrorMessage error={error} title="Could not load the tests" />;
  if (fetching && !data) return <Loading what="the tests" />;
  const pools = data?.questionPools ?? [];
  const sessions = data?.viewer?.adaptiveTestSessions ?? [];
  return (
    <Page title="Adaptive tests">
      <p className="hint">
        Each question is chosen for how you did on the ones before, so a short test measures you as well as a long fixed
        one. It stops once your estimate is precise enough, or after its maximum number of questions.
      </p>
      <fieldset className="filters" aria-label="Test settings">
        <label>
          Questions at most
          <input
            type="number"
            inputMode="numeric"
            min={MAX_QUESTIONS.min}
            max={MAX_QUESTIONS.max}
            step={1}
            placeholder={String(MAX_QUESTIONS.default)}
            value={maxQuestions}
            onChange={(e) => setMaxQuestions(e.target.value)}
          />
        </label>
        <label>
          Stop at standard error
          <input
            type="number"
            inputMode="decimal"
            min={TARGET_SE.min}
            max={TARGET_SE.max}
            step={0.05}
            placeholder={String(TARGET_SE.default)}
            value={targetStandardError}
            onChange={(e) => setTargetStandardError(e.target.value)}
          />
        </label>
      </fieldset>
      {problem && <ErrorMessage error={problem} title="Not started" />}
      <h2>Question pools</h2>
      {pools.length === 0 ? (
        <Empty>No question pool is open to you yet.</Empty>
      ) : (
        <ul className="cards" aria-label="Question pools">
          {pools.map((pool) => (
            <li key={pool.id} className="card pool">
              <form onSubmit={(event) => begin(event, pool.id)} aria-label={pool.name}>
                <h3 className="item-title">{pool.name}</h3>
                {pool.description && <Prose text={pool.description} />}
                <p className="meta">
                  <span>{pool.questionCount} questions</span>
                  <span>{pool.organization ? pool.organization.name : 'Open to everyone'}</span>
                </p>
                <p className="meta" aria-label="Concepts">
                  {pool.concepts.map((concept) => (
                    <span key={concept} className="tag">
                      {conceptLabel(concept)}
                    </span>
                  ))}
                </p>
                <button type="submit" disabled={starting.fetching || pool.questionCount === 0}>
                  Start test
                </button>
              </form>
            </li>
          ))}
        </ul>
      )}
      <h2>Your tests</h2>
      {sessions.length === 0 ? (
        <Empty>You have not taken a test yet.</Empty>
      ) : (
        <TestSessionsTable sessions={sessions} label="Your tests" to="test" />
      )}
    </Page>
  );
}
