/** Starting an adaptive test for a path topic, from the Path page or the next step on the home page. */
import { useState } from 'react';
import { useMutation } from 'urql';
import { useLocation } from 'wouter';
import { graphql } from '../gql/index.js';
import { failureMessage } from './ui.js';

const StartTopicTestMutation = graphql(`
  mutation StartTopicTest($input: StartAdaptiveTestInput!) {
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

/**
 * Starts a test on a pool for a topic's concept and opens it: the test asks about that concept
 * when the pool has questions on it, else across the pool.
 */
export function useStartTopicTest(concept: string) {
  const [starting, start] = useMutation(StartTopicTestMutation);
  const [problem, setProblem] = useState<string | null>(null);
  const [, navigate] = useLocation();

  async function startTest(poolId: string, concepts: readonly string[]) {
    setProblem(null);
    const result = await start({
      input: { poolId, ...(concepts.includes(concept) ? { concepts: [concept] } : {}) },
    });
    const payload = result.data?.startAdaptiveTest;
    if (payload?.__typename === 'AdaptiveTestSession') navigate(`/tests/${encodeURIComponent(payload.id)}`);
    else setProblem(failureMessage(payload, result.error, 'The test did not start'));
  }

  return { startTest, starting: starting.fetching, problem };
}
