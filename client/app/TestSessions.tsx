/** A list of adaptive test sessions, newest first, each linking to the test: the student's own on the Tests page, a student's for their instructors. */
import { Link } from 'wouter';
import { type FragmentType, getFragmentData, graphql } from '../gql/index.js';
import { estimateText, statusLabel } from './adaptive.js';
import { percent, when } from './ui.js';

export const TestSessionRowFields = graphql(`
  fragment TestSessionRowFields on AdaptiveTestSession {
    id
    status
    startedAt
    itemsAnswered
    maxQuestions
    accuracy
    proficiency {
      theta
      standardError
    }
    pool {
      id
      name
    }
  }
`);

export function TestSessionsTable({
  sessions,
  label,
  to,
}: {
  sessions: readonly FragmentType<typeof TestSessionRowFields>[];
  label: string;
  /** Where each row leads: the test (its question while it is open, else its result), or its result. */
  to: 'test' | 'result';
}) {
  return (
    <div className="scroll">
      <table className="board" aria-label={label}>
        <thead>
          <tr>
            <th scope="col">Pool</th>
            <th scope="col">Started</th>
            <th scope="col">Status</th>
            <th scope="col">Answered</th>
            <th scope="col">θ ± SE</th>
            <th scope="col">Accuracy</th>
          </tr>
        </thead>
        <tbody>
          {getFragmentData(TestSessionRowFields, sessions).map((session) => (
            <tr key={session.id}>
              <td>
                <Link href={`/tests/${encodeURIComponent(session.id)}${to === 'result' ? '/result' : ''}`}>
                  {session.pool.name}
                </Link>
              </td>
              <td>{when(session.startedAt)}</td>
              <td>{statusLabel(session.status)}</td>
              <td>
                {session.itemsAnswered} of {session.maxQuestions}
              </td>
              <td className="nowrap">{session.itemsAnswered > 0 ? estimateText(session.proficiency) : '—'}</td>
              <td>{percent(session.accuracy)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
