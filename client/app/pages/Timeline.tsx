/**
 * Instructors: one student's proficiency per concept and adaptive tests, then their learning
 * history (drafts, code runs, submissions, evaluations, coach turns, LLM calls, adaptive tests), filtered.
 */
import { useState } from 'react';
import { useQuery } from 'urql';
import { Link } from 'wouter';
import { graphql } from '../../gql/index.js';
import { ConceptProficiencies } from '../Proficiency.js';
import { TestSessionsTable } from '../TestSessions.js';
import { Empty, ErrorMessage, Loading, Page, Prose, percent, when } from '../ui.js';

// Apart from the history, so paging through the history does not load these again.
const StudentAdaptiveTestsQuery = graphql(`
  query StudentAdaptiveTests($studentId: ID!) {
    node(id: $studentId) {
      __typename
      ... on User {
        id
        conceptProficiencies {
          ...ConceptProficiencyFields
        }
        adaptiveTestSessions {
          ...TestSessionRowFields
        }
      }
    }
  }
`);

const TimelineQuery = graphql(`
  query StudentTimeline($studentId: ID!, $first: Int, $after: String) {
    node(id: $studentId) {
      ... on User {
        name
      }
    }
    learningHistory(studentId: $studentId, first: $first, after: $after) {
      __typename
      ... on Error {
        message
      }
      ... on LearningEventConnection {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          cursor
          node {
            __typename
            ... on SolutionSnapshot {
              id
              draftLanguage: language
              code
              createdAt
            }
            ... on CodeRun {
              id
              number
              codeRunStatus: status
              args
              createdAt
              calls {
                index
                source
                args
                returned
                verdict
                stderr
              }
            }
            ... on Submission {
              id
              language
              createdAt
              attempt {
                contentItem {
                  title
                }
              }
            }
            ... on EvaluationRun {
              id
              kind
              runStatus: status
              score
              queuedAt
            }
            ... on SocraticTurn {
              id
              role
              turnStatus: status
              message
              question
              builtinCoach
              createdAt
            }
            ... on AdaptiveTestSession {
              id
              sessionStatus: status
              startedAt
              itemsAnswered
              proficiency {
                theta
                standardError
              }
              pool {
                name
              }
            }
            ... on LlmInteraction {
              id
              purpose
              model
              tokensIn
              tokensOut
              flagged
              flagReason
              createdAt
            }
          }
        }
      }
    }
  }
`);

const KINDS = {
  SolutionSnapshot: 'Drafts',
  CodeRun: 'Code runs',
  Submission: 'Submissions',
  EvaluationRun: 'Evaluations',
  SocraticTurn: 'Coach turns',
  LlmInteraction: 'LLM calls',
  AdaptiveTestSession: 'Adaptive tests',
} as const;
type Kind = keyof typeof KINDS;

export function TimelinePage({ params }: { params: { id: string } }) {
  const studentId = decodeURIComponent(params.id);
  const [after, setAfter] = useState<string | null>(null);
  const [shown, setShown] = useState<Record<Kind, boolean>>({
    SolutionSnapshot: true,
    CodeRun: true,
    Submission: true,
    EvaluationRun: true,
    SocraticTurn: true,
    LlmInteraction: true,
    AdaptiveTestSession: true,
  });
  const [{ data, fetching, error }] = useQuery({ query: TimelineQuery, variables: { studentId, first: 50, after } });
  const history = data?.learningHistory;
  const page = history?.__typename === 'LearningEventConnection' ? history : null;
  const name = data?.node && 'name' in data.node ? data.node.name : 'Student';
  const events = page?.edges.filter((edge) => shown[edge.node.__typename as Kind]) ?? [];

  return (
    <Page title={`${name}: learning history`}>
      {/* Not where the history is refused: the same rule hides both. */}
      {!(history && 'message' in history) && <AdaptiveTests studentId={studentId} name={name} />}
      <h2>History</h2>
      <fieldset className="filters">
        <legend>Show</legend>
        {(Object.keys(KINDS) as Kind[]).map((kind) => (
          <label key={kind} className="check">
            <input
              type="checkbox"
              checked={shown[kind]}
              onChange={(e) => setShown((previous) => ({ ...previous, [kind]: e.target.checked }))}
            />
            {KINDS[kind]}
          </label>
        ))}
      </fieldset>
      {error && <ErrorMessage error={error} title="Could not load the history" />}
      {history && 'message' in history && <ErrorMessage error={history.message} title="Not available" />}
      {fetching && !data && <Loading what="the learning history" />}
      {page && events.length === 0 && <Empty>Nothing to show with these filters.</Empty>}
      <ol className="timeline" aria-label="Learning history">
        {events.map(({ cursor, node }) => (
          <li key={cursor} className={`event ${node.__typename}`}>
            {node.__typename === 'SolutionSnapshot' && (
              <>
                <span className="meta">{when(node.createdAt)} · draft saved</span>
                <pre>{node.code}</pre>
              </>
            )}
            {node.__typename === 'CodeRun' && (
              <div>
                <span className="meta">
                  {when(node.createdAt)} · ran their code (run {node.number}, {node.codeRunStatus.toLowerCase()})
                </span>
                <ul className="calls">
                  {node.calls.map((c) => (
                    <li key={c.index}>
                      {c.source === 'CUSTOM' ? 'their input ' : 'example '}
                      <code>{JSON.stringify(c.args)}</code> →{' '}
                      <code>{c.returned === null ? (c.verdict ?? 'nothing') : JSON.stringify(c.returned)}</code>
                      {c.verdict && c.returned !== null ? ` (${c.verdict.toLowerCase().replaceAll('_', ' ')})` : ''}
                      {c.stderr && <pre>{c.stderr}</pre>}
                    </li>
                  ))}
                </ul>
              </div>
            )}
            {node.__typename === 'Submission' && (
              <span>
                <span className="meta">{when(node.createdAt)}</span> · submitted {node.attempt.contentItem.title}{' '}
                {node.language ? `(${node.language.toLowerCase()})` : ''}
              </span>
            )}
            {node.__typename === 'EvaluationRun' && (
              <span>
                <span className="meta">{when(node.queuedAt)}</span> · evaluation {node.runStatus.toLowerCase()}
                {node.score != null ? `, score ${percent(node.score)}` : ''}
              </span>
            )}
            {node.__typename === 'SocraticTurn' && (
              <div>
                <span className="meta">
                  {when(node.createdAt)} ·{' '}
                  {node.role === 'STUDENT' ? 'asked the coach' : node.builtinCoach ? 'built-in coach' : 'coach'}
                </span>
                {/* The coach writes Markdown; what the student typed is shown as typed. */}
                {node.role === 'STUDENT' ? <p>{node.message}</p> : <Prose text={node.message} />}
                {node.question && (
                  <div className="question">
                    <Prose text={node.question} />
                  </div>
                )}
              </div>
            )}
            {node.__typename === 'AdaptiveTestSession' && (
              <span>
                <span className="meta">{when(node.startedAt)}</span> · adaptive test on {node.pool.name},{' '}
                {node.sessionStatus.toLowerCase()} after {node.itemsAnswered} answers: θ{' '}
                {node.proficiency.theta.toFixed(2)} ± {node.proficiency.standardError.toFixed(2)} ·{' '}
                <Link href={`/tests/${encodeURIComponent(node.id)}/result`}>result</Link>
              </span>
            )}
            {node.__typename === 'LlmInteraction' && (
              <span>
                <span className="meta">{when(node.createdAt)}</span> · {node.purpose.toLowerCase()} call to {node.model}{' '}
                ({node.tokensIn} in / {node.tokensOut} out){node.flagged ? ` · withheld: ${node.flagReason}` : ''}
              </span>
            )}
          </li>
        ))}
      </ol>
      {page?.pageInfo.hasNextPage && (
        <button type="button" className="secondary" onClick={() => setAfter(page.pageInfo.endCursor ?? null)}>
          Older events
        </button>
      )}
    </Page>
  );
}

/** The student's proficiency per concept and their adaptive tests, each linking to its result. */
function AdaptiveTests({ studentId, name }: { studentId: string; name: string }) {
  const [{ data, fetching, error }] = useQuery({
    query: StudentAdaptiveTestsQuery,
    variables: { studentId },
    requestPolicy: 'cache-and-network',
  });
  if (error) return <ErrorMessage error={error} title="Could not load their adaptive tests" />;
  if (fetching && !data) return <Loading what="their adaptive tests" />;
  const student = data?.node?.__typename === 'User' ? data.node : null;
  if (!student) return null;
  return (
    <>
      <h2>Proficiency by concept</h2>
      <ConceptProficiencies
        proficiencies={student.conceptProficiencies}
        empty={`No concept measured yet: ${name} has not finished an adaptive test.`}
      />
      <h2>Adaptive tests</h2>
      {student.adaptiveTestSessions.length === 0 ? (
        <Empty>{name} has not taken an adaptive test.</Empty>
      ) : (
        <TestSessionsTable sessions={student.adaptiveTestSessions} label={`Tests of ${name}`} to="result" />
      )}
    </>
  );
}
