/**
 * Instructors: question pools of their organizations for adaptive tests. Create a pool; open one
 * (`/pools/:poolId`) to read its questions with how each has fared (exposure, proportion correct,
 * point-biserial; the doubtful ones flagged for review), retire questions, calibrate their a / b
 * from the answers (Calibration.tsx), and paste more as CSV or JSON (checked here for shape, then
 * by the server, every bad row named).
 */
import { type FormEvent, useEffect, useMemo, useRef, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { Link, useLocation } from 'wouter';
import { graphql } from '../../gql/index.js';
import type { PoolQuestionsQuery } from '../../gql/graphql.js';
import { conceptLabel, EXPOSURE_CAP, figure, needsReview, REVIEW } from '../adaptive.js';
import { PoolCalibration } from '../Calibration.js';
import { ExposureChart } from '../lazyCharts.js';
import {
  CSV_COLUMNS,
  CSV_EXAMPLE,
  JSON_EXAMPLE,
  type ParsedQuestions,
  type RowIssue,
  parseQuestions,
  serverIssues,
} from '../questionImport.js';
import { Empty, ErrorMessage, Loading, Page, Prose, failureMessage } from '../ui.js';

const QuestionPoolsPageQuery = graphql(`
  query QuestionPoolsPage {
    viewer {
      id
      memberships {
        role
        organization {
          id
          slug
          name
        }
      }
    }
    questionPools {
      id
      slug
      name
      concepts
      questionCount
      viewerCanAuthor
      organization {
        id
        name
      }
    }
  }
`);

const PoolQuestionsQuery = graphql(`
  query PoolQuestions($poolId: ID!) {
    node(id: $poolId) {
      __typename
      ... on QuestionPool {
        id
        viewerCanAuthor
        questions {
          id
          key
          stem
          concepts
          discrimination
          difficulty
          guessing
          status
          statistics {
            administered
            exposureRate
            responses
            proportionCorrect
            pointBiserial
          }
        }
      }
    }
  }
`);

const CreateQuestionPoolMutation = graphql(`
  mutation CreateQuestionPool($input: CreateQuestionPoolInput!) {
    createQuestionPool(input: $input) {
      __typename
      ... on QuestionPool {
        id
        slug
        name
        concepts
        questionCount
        organization {
          id
          name
        }
      }
      ... on Error {
        message
      }
    }
  }
`);

const AddQuestionsMutation = graphql(`
  mutation AddPoolQuestions($input: AddQuestionsInput!) {
    addQuestions(input: $input) {
      __typename
      ... on AddQuestionsPayload {
        questions {
          id
          key
          status
        }
      }
      ... on InvalidInput {
        issues {
          path
          message
        }
      }
      ... on Error {
        message
      }
    }
  }
`);

const RetireQuestionMutation = graphql(`
  mutation RetirePoolQuestion($questionId: ID!) {
    retireQuestion(questionId: $questionId) {
      __typename
      ... on Question {
        id
        status
      }
      ... on Error {
        message
      }
    }
  }
`);

interface Pool {
  id: string;
  name: string;
  slug: string;
  concepts: string[];
  questionCount: number;
}

// A pool's question count changes with every question added or retired.
const POOLS_CONTEXT = { additionalTypenames: ['Question'] };

/** `hashing, two pointers` → `["HASHING", "TWO_POINTERS"]`. */
const conceptsOf = (text: string) =>
  text
    .split(/[,;\n]/)
    .map((concept) => concept.trim().toUpperCase().replace(/\s+/g, '_'))
    .filter(Boolean);

/** `/pools`, and `/pools/:poolId` with that pool open. */
export function QuestionPoolsPage({ poolId = null }: { poolId?: string | null }) {
  const context = useMemo(() => POOLS_CONTEXT, []);
  const [{ data, fetching, stale, error }] = useQuery({ query: QuestionPoolsPageQuery, context });
  const [, navigate] = useLocation();
  if (error) return <ErrorMessage error={error} title="Could not load the pools" />;
  if (fetching && !data) return <Loading what="the pools" />;
  const organizations = data?.viewer?.memberships.filter((m) => m.role !== 'STUDENT').map((m) => m.organization) ?? [];
  const authored = (data?.questionPools ?? []).filter((pool) => pool.viewerCanAuthor);
  const selected = authored.find((pool) => pool.id === poolId) ?? null;

  return (
    <Page title="Question pools">
      <p className="hint">
        Pools of your organization for adaptive tests. Students of the organization can take a test on a pool once it
        has questions.
      </p>
      {organizations.length === 0 ? (
        <Empty>You teach in no organization, so there is no pool for you to author.</Empty>
      ) : (
        <>
          <h2>Your organization’s pools</h2>
          {authored.length === 0 ? (
            <Empty>No pool yet: create the first below.</Empty>
          ) : (
            <div className="scroll">
              <table className="board" aria-label="Your pools">
                <thead>
                  <tr>
                    <th scope="col">Pool</th>
                    <th scope="col">Organization</th>
                    <th scope="col">Concepts</th>
                    <th scope="col">Questions</th>
                    <th scope="col">
                      <span className="visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {authored.map((pool) => (
                    <tr key={pool.id} className={pool.id === poolId ? 'viewer' : undefined}>
                      <td>
                        {pool.name} <span className="meta">{pool.slug}</span>
                      </td>
                      <td>{pool.organization?.name}</td>
                      <td>{pool.concepts.map(conceptLabel).join(', ')}</td>
                      <td>{pool.questionCount}</td>
                      <td>
                        <Link
                          href={`/pools/${encodeURIComponent(pool.id)}`}
                          aria-label={`Open ${pool.name}`}
                          aria-current={pool.id === poolId ? 'page' : undefined}
                        >
                          Open
                        </Link>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {poolId && !selected && !fetching && !stale && (
            <ErrorMessage error="There is no pool of yours at this address" title="Not found" />
          )}
          {selected && <PoolDetail key={selected.id} pool={selected} />}
          <NewPoolForm
            organizations={organizations}
            onCreated={(pool) => navigate(`/pools/${encodeURIComponent(pool.id)}`)}
          />
        </>
      )}
    </Page>
  );
}

/** One pool: its questions with their statistics, their calibration, then pasting more. */
function PoolDetail({ pool }: { pool: Pool }) {
  return (
    <section className="pool-detail" aria-labelledby="pool-detail-title">
      <h2 id="pool-detail-title">{pool.name}</h2>
      <p className="meta">
        Concepts: {pool.concepts.map(conceptLabel).join(', ')} · {pool.questionCount} active questions
      </p>
      <PoolQuestions pool={pool} />
      <PoolCalibration pool={pool} />
      <QuestionImport pool={pool} />
    </section>
  );
}

function NewPoolForm({
  organizations,
  onCreated,
}: {
  organizations: { id: string; name: string }[];
  onCreated: (pool: Pool) => void;
}) {
  const [organizationId, setOrganizationId] = useState('');
  const [name, setName] = useState('');
  const [slug, setSlug] = useState('');
  const [concepts, setConcepts] = useState('');
  const [description, setDescription] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [creating, create] = useMutation(CreateQuestionPoolMutation);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setProblem(null);
    const result = await create({
      input: {
        organizationId: organizationId || organizations[0]?.id || '',
        name,
        slug,
        concepts: conceptsOf(concepts),
        ...(description.trim() ? { description } : {}),
      },
    });
    const payload = result.data?.createQuestionPool;
    if (payload?.__typename === 'QuestionPool') {
      setName('');
      setSlug('');
      setConcepts('');
      setDescription('');
      onCreated(payload);
    } else setProblem(failureMessage(payload, result.error, 'Not created'));
  }

  return (
    <form className="card form" onSubmit={submit} aria-label="New question pool">
      <h2>New pool</h2>
      {organizations.length > 1 && (
        <label>
          Organization
          <select value={organizationId} onChange={(e) => setOrganizationId(e.target.value)}>
            {organizations.map((org) => (
              <option key={org.id} value={org.id}>
                {org.name}
              </option>
            ))}
          </select>
        </label>
      )}
      <label>
        Name
        <input required value={name} onChange={(e) => setName(e.target.value)} />
      </label>
      <label>
        Slug
        <input
          required
          pattern="[a-z0-9]+(-[a-z0-9]+)*"
          title="lower-case words joined by hyphens, e.g. graphs-basics"
          value={slug}
          onChange={(e) => setSlug(e.target.value)}
        />
      </label>
      <label>
        Concepts (separated by commas)
        <input
          required
          placeholder="e.g. graphs, shortest paths"
          value={concepts}
          onChange={(e) => setConcepts(e.target.value)}
        />
      </label>
      {concepts.trim() && <p className="meta">Stored as: {conceptsOf(concepts).join(', ')}</p>}
      <label>
        Description (Markdown, optional)
        <textarea rows={3} value={description} onChange={(e) => setDescription(e.target.value)} />
      </label>
      <button type="submit" disabled={creating.fetching}>
        Create pool
      </button>
      {problem && <ErrorMessage error={problem} title="Not created" />}
    </form>
  );
}

/** Paste, check, add: the questions added join the pool's list above. */
function QuestionImport({ pool }: { pool: Pool }) {
  const [text, setText] = useState('');
  const [refused, setRefused] = useState<RowIssue[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const [added, setAdded] = useState<string[] | null>(null);
  const [adding, add] = useMutation(AddQuestionsMutation);
  const parsed = useMemo(() => (text.trim() ? parseQuestions(text) : null), [text]);
  const issues = parsed ? [...parsed.issues, ...refused] : [];

  async function submit(event: FormEvent) {
    event.preventDefault();
    setProblem(null);
    setRefused([]);
    setAdded(null);
    if (!parsed?.questions) return;
    const result = await add({ input: { poolId: pool.id, questions: parsed.questions } });
    const payload = result.data?.addQuestions;
    if (payload?.__typename === 'AddQuestionsPayload') {
      setAdded(payload.questions.map((question) => question.key));
      setText('');
    } else if (payload?.__typename === 'InvalidInput') setRefused(serverIssues(payload.issues));
    else setProblem(failureMessage(payload, result.error, 'Nothing was added'));
  }

  return (
    <section className="card form" aria-label={`Add questions to ${pool.name}`}>
      <h2>Add questions to {pool.name}</h2>
      <p className="meta">
        Concepts of this pool: {pool.concepts.join(', ')} · {pool.questionCount} questions now
      </p>
      <ImportFormat />
      <form className="form" onSubmit={submit} aria-label="Paste questions">
        <label className="block">
          Questions (CSV or JSON)
          <textarea
            rows={10}
            spellCheck={false}
            className="mono"
            value={text}
            onChange={(e) => {
              setText(e.target.value);
              setRefused([]);
            }}
          />
        </label>
        {parsed && <Preview parsed={parsed} issues={issues} />}
        {refused.length > 0 && <p className="hint">Fix the rows named in the paste, then add them again.</p>}
        <button type="submit" disabled={!parsed?.questions || refused.length > 0 || adding.fetching}>
          {parsed?.questions ? `Add ${parsed.questions.length} questions` : 'Add questions'}
        </button>
      </form>
      {problem && <ErrorMessage error={problem} title="Nothing was added" />}
      {added && (
        <p role="status">
          <strong>Added {added.length} questions</strong> ({added.join(', ')}): they are in the list above.
        </p>
      )}
    </section>
  );
}

function ImportFormat() {
  return (
    <details className="format">
      <summary>The format</summary>
      <p>
        <strong>CSV</strong>: a header row, then one question per row. Columns: <code>{CSV_COLUMNS.join(',')}</code>.
      </p>
      <ul>
        <li>
          <code>key</code>: a handle unique in the pool, lower-case words joined by hyphens (<code>graphs-007</code>).
        </li>
        <li>
          <code>stem</code>, the options and <code>explanation</code> are Markdown; quote a cell that holds commas,
          quotes (doubled: <code>""</code>) or line breaks.
        </li>
        <li>
          <code>optionA</code>…<code>optionD</code>: 2 to 8 options (add <code>optionE</code>… for more; leave a cell
          empty for fewer). <code>correctOption</code> is the letter of the right one.
        </li>
        <li>
          <code>concepts</code>: concepts of the pool, separated by <code>;</code> (<code>GRAPHS;COMPLEXITY</code>).
        </li>
        <li>
          IRT parameters: <code>discrimination</code> (a, above 0 and at most 4), <code>difficulty</code> (b, −4 to 4),{' '}
          <code>guessing</code> (c, 0 to below 1; empty for none). <code>explanation</code> and <code>guessing</code>{' '}
          may be left out.
        </li>
      </ul>
      <pre>{CSV_EXAMPLE}</pre>
      <p>
        <strong>JSON</strong>: an array of questions as <code>addQuestions</code> takes them:
      </p>
      <pre>{JSON_EXAMPLE}</pre>
      <p className="meta">All the questions are added, or none: rows with a problem are named below the paste.</p>
    </details>
  );
}

/** What the paste holds, row by row, with each row's problems beside it. */
function Preview({ parsed, issues }: { parsed: ParsedQuestions; issues: RowIssue[] }) {
  const general = issues.filter((issue) => issue.row === null || issue.row >= parsed.rows.length);
  const badRows = new Set(issues.flatMap((issue) => (issue.row === null ? [] : [issue.row])));
  const text = (value: unknown) => (typeof value === 'string' ? value : value == null ? '' : JSON.stringify(value));
  return (
    <>
      {issues.length > 0 ? (
        <div className="state error" role="alert">
          <strong>
            {issues.length} {issues.length === 1 ? 'problem' : 'problems'}
            {badRows.size > 0 &&
              ` in ${badRows.size === 1 ? 'row' : 'rows'} ${[...badRows].map((row) => row + 1).join(', ')}`}
            : nothing is added until every row is right.
          </strong>
          {general.length > 0 && (
            <ul>
              {general.map((issue, index) => (
                <li key={index}>
                  {issue.row !== null && `Row ${issue.row + 1}: `}
                  {issue.field && <code>{issue.field}</code>} {issue.message}
                </li>
              ))}
            </ul>
          )}
        </div>
      ) : (
        <p className="meta" role="status">
          {parsed.rows.length} {parsed.rows.length === 1 ? 'question' : 'questions'} read as {parsed.format}, ready to
          add.
        </p>
      )}
      {parsed.rows.length > 0 && (
        <div className="scroll">
          <table className="board import" aria-label="Questions to add">
            <thead>
              <tr>
                <th scope="col">Row</th>
                <th scope="col">Key</th>
                <th scope="col">Stem</th>
                <th scope="col">Options</th>
                <th scope="col">Answer</th>
                <th scope="col">Concepts</th>
                <th scope="col">a · b · c</th>
                <th scope="col">Problems</th>
              </tr>
            </thead>
            <tbody>
              {parsed.rows.map((row, index) => {
                const mine = issues.filter((issue) => issue.row === index);
                return (
                  <tr key={index} className={mine.length > 0 ? 'invalid' : undefined} aria-label={`Row ${index + 1}`}>
                    <td>{index + 1}</td>
                    <td className="key">{text(row.key)}</td>
                    <td className="stem">
                      <Prose text={text(row.stem)} />
                    </td>
                    <td>{Array.isArray(row.options) ? row.options.length : '—'}</td>
                    <td>{text(row.correctOption)}</td>
                    <td>{Array.isArray(row.concepts) ? row.concepts.join(', ') : text(row.concepts)}</td>
                    <td>{[row.discrimination, row.difficulty, row.guessing].map((v) => text(v) || '—').join(' · ')}</td>
                    <td>
                      {mine.length > 0 && (
                        <ul className="issues">
                          {mine.map((issue, i) => (
                            <li key={i}>
                              {issue.field && <code>{parsed.fieldName(index, issue.field)}</code>} {issue.message}
                            </li>
                          ))}
                        </ul>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

type PoolQuestion = Extract<
  NonNullable<PoolQuestionsQuery['node']>,
  { __typename: 'QuestionPool' }
>['questions'][number];
type Statistic = 'administered' | 'exposureRate' | 'responses' | 'proportionCorrect' | 'pointBiserial';
type SortKey = 'key' | 'status' | Statistic;

const COLUMNS: { key: SortKey; label: string; title?: string }[] = [
  { key: 'key', label: 'Key' },
  { key: 'status', label: 'Status' },
  { key: 'administered', label: 'Given', title: 'Sessions it was given in' },
  { key: 'exposureRate', label: 'Exposure', title: 'Share of the pool’s sessions it was given in' },
  { key: 'responses', label: 'Answers' },
  { key: 'proportionCorrect', label: 'p correct', title: 'Share of the answers that were right' },
  { key: 'pointBiserial', label: 'Point-biserial', title: 'Correlation of a right answer with the session’s θ' },
];

/** Orders by one column; a question without the figure yet (—) comes last either way, then by key. */
function sorted(questions: readonly PoolQuestion[], by: SortKey, descending: boolean): PoolQuestion[] {
  const value = (q: PoolQuestion): string | number | null =>
    by === 'key' || by === 'status' ? q[by] : (q.statistics?.[by] ?? null);
  return [...questions].sort((x, y) => {
    const a = value(x);
    const b = value(y);
    if (a === null || b === null) return a === b ? x.key.localeCompare(y.key) : a === null ? 1 : -1;
    const order = typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b));
    return (descending ? -order : order) || x.key.localeCompare(y.key);
  });
}

/** The pool's questions with their statistics, ordered by any column, each active one retirable. */
function PoolQuestions({ pool }: { pool: Pool }) {
  const context = useMemo(() => POOLS_CONTEXT, []);
  const [{ data, fetching, error }] = useQuery({
    query: PoolQuestionsQuery,
    variables: { poolId: pool.id },
    context,
    requestPolicy: 'cache-and-network',
  });
  const [sort, setSort] = useState<{ by: SortKey; descending: boolean }>({ by: 'key', descending: false });
  const node = data?.node?.__typename === 'QuestionPool' ? data.node : null;
  const questions = useMemo(
    () => sorted(node?.questions ?? [], sort.by, sort.descending),
    [node?.questions, sort.by, sort.descending],
  );
  if (error) return <ErrorMessage error={error} title="Could not load its questions" />;
  if (fetching && !data) return <Loading what="its questions" />;
  if (!node?.viewerCanAuthor) return <ErrorMessage error="Only its organization’s instructors read its questions" />;
  if (questions.length === 0) return <Empty>No question yet: paste the first ones below.</Empty>;

  const active = questions.filter((q) => q.status === 'ACTIVE').length;
  const toReview = questions.filter((q) => q.status === 'ACTIVE' && needsReview(q.statistics)).length;
  const exposure = [...questions]
    .sort((x, y) => x.key.localeCompare(y.key))
    .flatMap((q) =>
      q.statistics?.exposureRate == null
        ? []
        : [{ key: q.key, exposureRate: q.statistics.exposureRate, retired: q.status === 'RETIRED' }],
    );
  const ordered = (column: SortKey) => (sort.by === column ? (sort.descending ? 'descending' : 'ascending') : 'none');

  return (
    <>
      <h3>Questions</h3>
      <p className="meta" role="status">
        <span>
          {questions.length} questions, {active} active
        </span>
        {toReview > 0 && (
          <span>
            <strong>{toReview} to review</strong> (point-biserial below {figure(REVIEW.pointBiserialBelow)} with at
            least {REVIEW.minResponses} answers: weak, or keyed to the wrong option)
          </span>
        )}
      </p>
      <div className="scroll">
        <table className="board questions" aria-label={`Questions of ${pool.name}`}>
          <thead>
            <tr>
              {COLUMNS.slice(0, 1).map((column) => (
                <SortHeader key={column.key} column={column} sort={ordered(column.key)} onSort={setSort} />
              ))}
              <th scope="col">Question</th>
              <th scope="col" title="IRT discrimination · difficulty · guessing">
                a · b · c
              </th>
              {COLUMNS.slice(1).map((column) => (
                <SortHeader key={column.key} column={column} sort={ordered(column.key)} onSort={setSort} />
              ))}
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {questions.map((question) => (
              <QuestionRow key={question.id} question={question} />
            ))}
          </tbody>
        </table>
      </div>
      <h3>Exposure</h3>
      {exposure.length === 0 ? (
        <Empty>No test has been taken on this pool yet.</Empty>
      ) : (
        <ExposureChart rows={exposure} />
      )}
      {exposure.some((row) => !row.retired && row.exposureRate > EXPOSURE_CAP) && (
        <p className="hint">
          Above the cap: with few questions per concept every test asks the same ones. Add questions so exposure control
          can spread them.
        </p>
      )}
    </>
  );
}

function SortHeader({
  column,
  sort,
  onSort,
}: {
  column: (typeof COLUMNS)[number];
  sort: 'ascending' | 'descending' | 'none';
  onSort: (sort: { by: SortKey; descending: boolean }) => void;
}) {
  return (
    <th scope="col" aria-sort={sort} title={column.title}>
      <button
        type="button"
        className="link sort"
        onClick={() => onSort({ by: column.key, descending: sort === 'ascending' })}
      >
        {column.label}
        <span aria-hidden="true">{sort === 'ascending' ? ' ▲' : sort === 'descending' ? ' ▼' : ''}</span>
      </button>
    </th>
  );
}

/** One question and its figures; Retire asks once more, since a retired question cannot be brought back. */
function QuestionRow({ question }: { question: PoolQuestion }) {
  const [confirming, setConfirming] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [retiring, retire] = useMutation(RetireQuestionMutation);
  const keep = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (confirming) keep.current?.focus();
  }, [confirming]);
  const stats = question.statistics;
  const review = question.status === 'ACTIVE' && needsReview(stats);

  async function confirm() {
    setProblem(null);
    const result = await retire({ questionId: question.id });
    const payload = result.data?.retireQuestion;
    if (payload?.__typename === 'Question') setConfirming(false);
    else setProblem(failureMessage(payload, result.error, 'Not retired'));
  }

  return (
    <tr
      aria-label={question.key}
      className={[review ? 'review' : '', question.status === 'RETIRED' ? 'retired' : ''].join(' ').trim() || undefined}
    >
      <td className="key">{question.key}</td>
      <td className="stem">
        <Prose text={question.stem} />
        <span className="meta">{question.concepts.map(conceptLabel).join(', ')}</span>
      </td>
      <td className="nowrap">
        {[question.discrimination, question.difficulty, question.guessing].map(figure).join(' · ')}
      </td>
      <td>{question.status === 'ACTIVE' ? 'Active' : 'Retired'}</td>
      <td>{stats?.administered ?? '—'}</td>
      <td>{figure(stats?.exposureRate)}</td>
      <td>{stats?.responses ?? '—'}</td>
      {/* No share of no answers, whatever the API says (it has answered 0 for a question never answered). */}
      <td>{figure(stats?.responses ? stats.proportionCorrect : null)}</td>
      <td>
        {figure(stats?.pointBiserial)}
        {review && <span className="tag hard flag">review: weak or miskeyed</span>}
      </td>
      <td className="nowrap">
        {question.status !== 'ACTIVE' ? null : confirming ? (
          <span className="confirm" role="group" aria-label={`Retire ${question.key} for good?`}>
            <button type="button" onClick={confirm} disabled={retiring.fetching}>
              Yes, retire
            </button>
            <button type="button" className="secondary" ref={keep} onClick={() => setConfirming(false)}>
              Keep
            </button>
          </span>
        ) : (
          <button
            type="button"
            className="secondary"
            aria-label={`Retire ${question.key}`}
            onClick={() => setConfirming(true)}
          >
            Retire
          </button>
        )}
        {problem && <ErrorMessage error={problem} title="Not retired" />}
      </td>
    </tr>
  );
}
