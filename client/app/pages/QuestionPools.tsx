/**
 * Instructors: question pools of their organizations for adaptive tests. Create a pool, paste
 * questions as CSV or JSON (checked here for shape, then by the server, every bad row named), and
 * retire questions.
 */
import { type FormEvent, useMemo, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../../gql/index.js';
import { conceptLabel } from '../adaptive.js';
import {
  CSV_COLUMNS,
  CSV_EXAMPLE,
  JSON_EXAMPLE,
  type ParsedQuestions,
  type RowIssue,
  parseQuestions,
  serverIssues,
} from '../questionImport.js';
import { Empty, ErrorMessage, Loading, Page, failureMessage } from '../ui.js';

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
      organization {
        id
        name
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
          stem
          concepts
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

export function QuestionPoolsPage() {
  const context = useMemo(() => POOLS_CONTEXT, []);
  const [{ data, fetching, error }] = useQuery({ query: QuestionPoolsPageQuery, context });
  const [selectedId, setSelectedId] = useState<string | null>(null);
  if (error) return <ErrorMessage error={error} title="Could not load the pools" />;
  if (fetching && !data) return <Loading what="the pools" />;
  const organizations = data?.viewer?.memberships.filter((m) => m.role !== 'STUDENT').map((m) => m.organization) ?? [];
  const authored = (data?.questionPools ?? []).filter((pool) =>
    organizations.some((org) => org.id === pool.organization?.id),
  );
  const selected = authored.find((pool) => pool.id === selectedId) ?? null;

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
                    <tr key={pool.id} className={pool.id === selectedId ? 'viewer' : undefined}>
                      <td>
                        {pool.name} <span className="meta">{pool.slug}</span>
                      </td>
                      <td>{pool.organization?.name}</td>
                      <td>{pool.concepts.map(conceptLabel).join(', ')}</td>
                      <td>{pool.questionCount}</td>
                      <td>
                        <button
                          type="button"
                          className="secondary"
                          aria-label={`Add questions to ${pool.name}`}
                          onClick={() => setSelectedId(pool.id)}
                        >
                          Add questions
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {selected && <QuestionImport key={selected.id} pool={selected} />}
          <NewPoolForm organizations={organizations} onCreated={(pool) => setSelectedId(pool.id)} />
          {/* Per-question statistics (exposure rate, proportion correct, point-biserial) and calibration
              (calibrateQuestionPool, then accepting its result) belong here, beside the selected pool, once
              their API is in schema.graphql. */}
        </>
      )}
    </Page>
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

type Added = { id: string; key: string; stem: string; concepts: string[]; status: string };

/** Paste, check, add; then the questions added, each of which can be retired. */
function QuestionImport({ pool }: { pool: Pool }) {
  const [text, setText] = useState('');
  const [refused, setRefused] = useState<RowIssue[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const [added, setAdded] = useState<Added[]>([]);
  const [adding, add] = useMutation(AddQuestionsMutation);
  const parsed = useMemo(() => (text.trim() ? parseQuestions(text) : null), [text]);
  const issues = parsed ? [...parsed.issues, ...refused] : [];

  async function submit(event: FormEvent) {
    event.preventDefault();
    setProblem(null);
    setRefused([]);
    if (!parsed?.questions) return;
    const result = await add({ input: { poolId: pool.id, questions: parsed.questions } });
    const payload = result.data?.addQuestions;
    if (payload?.__typename === 'AddQuestionsPayload') {
      setAdded((previous) => [...payload.questions, ...previous]);
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
      {added.length > 0 && <AddedQuestions questions={added} />}
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
                    <td className="stem">{text(row.stem).slice(0, 120)}</td>
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

function AddedQuestions({ questions }: { questions: Added[] }) {
  const [retiring, retire] = useMutation(RetireQuestionMutation);
  const [statuses, setStatuses] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);

  async function retireOne(id: string) {
    setProblem(null);
    const result = await retire({ questionId: id });
    const payload = result.data?.retireQuestion;
    if (payload?.__typename === 'Question') setStatuses((previous) => ({ ...previous, [payload.id]: payload.status }));
    else setProblem(failureMessage(payload, result.error, 'Not retired'));
  }

  return (
    <>
      <p role="status">
        <strong>Added {questions.length} questions.</strong>
      </p>
      <div className="scroll">
        <table className="board" aria-label="Questions added">
          <thead>
            <tr>
              <th scope="col">Key</th>
              <th scope="col">Stem</th>
              <th scope="col">Concepts</th>
              <th scope="col">Status</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {questions.map((question) => {
              const status = statuses[question.id] ?? question.status;
              return (
                <tr key={question.id}>
                  <td className="key">{question.key}</td>
                  <td className="stem">{question.stem.slice(0, 120)}</td>
                  <td>{question.concepts.join(', ')}</td>
                  <td>{status === 'ACTIVE' ? 'Active' : 'Retired'}</td>
                  <td>
                    <button
                      type="button"
                      className="secondary"
                      aria-label={`Retire ${question.key}`}
                      disabled={status !== 'ACTIVE' || retiring.fetching}
                      onClick={() => retireOne(question.id)}
                    >
                      Retire
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {problem && <ErrorMessage error={problem} title="Not retired" />}
    </>
  );
}
