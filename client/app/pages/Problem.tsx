/** One problem: the statement, an editor with drafts, submission with live evaluation, and the coach. */
import { lazy, Suspense, useEffect, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../../gql/index.js';
import type { Language } from '../../gql/graphql.js';
import { CoachPanel } from '../Coach.js';
import { CodeRunResults } from '../CodeRun.js';
import { EvaluationProgress } from '../Evaluation.js';
import { ErrorMessage, Loading, Page, Prose, failureMessage } from '../ui.js';

// The editor (CodeMirror) loads on its own, after the page.
const CodeEditor = lazy(() => import('../Editor.js').then((module) => ({ default: module.CodeEditor })));

const ProblemQuery = graphql(`
  query Problem($slug: String!) {
    contentItem(slug: $slug) {
      id
      title
      track
      difficulty
      basePoints
      timeBonusPoints
      estimatedMinutes
      currentVersion {
        statement
        entrypoint
        starterCode {
          language
          code
        }
        sampleTests {
          index
          name
          args
          expected
        }
        testCount
        hiddenTestCount
        rubric {
          key
          title
          description
          maxScore
        }
        hints
      }
    }
  }
`);

const StartProblemMutation = graphql(`
  mutation StartProblem($input: StartAttemptInput!) {
    startAttempt(input: $input) {
      __typename
      ... on Attempt {
        id
        snapshots {
          language
          code
        }
        coachTurns {
          ...CoachTurnFields
        }
      }
      ... on Error {
        message
      }
    }
  }
`);

const SaveDraftMutation = graphql(`
  mutation SaveProblemDraft($input: SaveDraftInput!) {
    saveDraft(input: $input) {
      __typename
      ... on SolutionSnapshot {
        createdAt
      }
      ... on Error {
        message
      }
    }
  }
`);

const RunCodeMutation = graphql(`
  mutation RunProblemCode($input: RunCodeInput!) {
    runCode(input: $input) {
      __typename
      ... on CodeRun {
        id
      }
      ... on Error {
        message
      }
    }
  }
`);

const SubmitMutation = graphql(`
  mutation SubmitProblem($input: SubmitSolutionInput!) {
    submitSolution(input: $input) {
      __typename
      ... on Submission {
        evaluationRuns {
          id
        }
      }
      ... on Error {
        message
      }
    }
  }
`);

/** The hints, one at a time, in the order they are written: each asked for, none shown unasked. */
function Hints({ hints }: { hints: readonly string[] }) {
  const [shown, setShown] = useState(0);
  if (hints.length === 0) return null;
  return (
    <section aria-label="Hints">
      <h2>Hints</h2>
      {shown > 0 && (
        <ol className="hints">
          {hints.slice(0, shown).map((hint, index) => (
            <li key={index}>
              <Prose text={hint} />
            </li>
          ))}
        </ol>
      )}
      {shown < hints.length ? (
        <button type="button" className="secondary" onClick={() => setShown(shown + 1)}>
          {shown === 0 ? 'Show a hint' : 'Show the next hint'} ({hints.length - shown} left)
        </button>
      ) : (
        <p className="meta">No more hints.</p>
      )}
    </section>
  );
}

export function ProblemPage({ params }: { params: { slug: string } }) {
  const [{ data, fetching, error }] = useQuery({ query: ProblemQuery, variables: { slug: params.slug } });
  const [started, start] = useMutation(StartProblemMutation);
  const [, saveDraft] = useMutation(SaveDraftMutation);
  const [submitting, submit] = useMutation(SubmitMutation);
  const [running, runCode] = useMutation(RunCodeMutation);
  const [args, setArgs] = useState('');
  const [codeRunId, setCodeRunId] = useState<string | null>(null);
  const item = data?.contentItem;
  const version = item?.currentVersion;
  const languages = version?.starterCode.map((snippet) => snippet.language) ?? [];
  const [language, setLanguage] = useState<Language>('JAVASCRIPT');
  const [code, setCode] = useState('');
  const [answer, setAnswer] = useState('');
  const [bugLine, setBugLine] = useState('');
  const [notice, setNotice] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [runIds, setRunIds] = useState<string[]>([]);

  const attempt = started.data?.startAttempt.__typename === 'Attempt' ? started.data.startAttempt : null;

  useEffect(() => {
    if (item?.id) void start({ input: { contentItemId: item.id } });
  }, [item?.id, start]);

  // The latest draft if any, else the starter code.
  useEffect(() => {
    if (!version || !started.data) return;
    const draft = attempt?.snapshots[0];
    const chosen = draft?.language ?? version.starterCode[0]?.language ?? 'JAVASCRIPT';
    setLanguage(chosen);
    setCode(draft?.code ?? version.starterCode.find((s) => s.language === chosen)?.code ?? '');
  }, [version, started.data, attempt]);

  if (error) return <ErrorMessage error={error} title="Could not load the problem" />;
  if (fetching || !data) return <Loading what="the problem" />;
  if (!item || !version)
    return <ErrorMessage error="This problem does not exist or is not published" title="Not found" />;
  const design = item.track === 'SYSTEM_DESIGN';
  const debug = item.track === 'DEBUG_LAB';

  async function save() {
    if (!attempt) return;
    setProblem(null);
    const result = await saveDraft({ input: { attemptId: attempt.id, language, code } });
    const payload = result.data?.saveDraft;
    if (payload?.__typename === 'SolutionSnapshot')
      setNotice(`Draft saved at ${new Date(payload.createdAt).toLocaleTimeString()}`);
    else setProblem(failureMessage(payload, result.error, 'Could not save'));
  }

  async function run() {
    if (!attempt) return;
    setProblem(null);
    const result = await runCode({
      input: {
        attemptId: attempt.id,
        language,
        code,
        ...(args.trim() ? { args } : {}),
        idempotencyKey: crypto.randomUUID(),
      },
    });
    const payload = result.data?.runCode;
    if (payload?.__typename === 'CodeRun') setCodeRunId(payload.id);
    else setProblem(failureMessage(payload, result.error, 'Could not run'));
  }

  async function handIn() {
    if (!attempt) return;
    setProblem(null);
    const result = await submit({
      input: {
        attemptId: attempt.id,
        idempotencyKey: crypto.randomUUID(),
        ...(design ? { answer } : { language, code }),
        ...(debug ? { answer, ...(bugLine ? { bugLine: Number(bugLine) } : {}) } : {}),
      },
    });
    const payload = result.data?.submitSolution;
    if (payload?.__typename === 'Submission' && payload.evaluationRuns[0]) {
      setRunIds((previous) => [payload.evaluationRuns[0]?.id ?? '', ...previous]);
      setNotice('Submitted.');
    } else setProblem(failureMessage(payload, result.error, 'Could not submit'));
  }

  return (
    <Page title={item.title}>
      <div className="problem">
        <article className="card statement" aria-label="Statement">
          <p className="meta">
            {item.difficulty.toLowerCase()} · {item.estimatedMinutes} min · {item.basePoints} pts + up to{' '}
            {item.timeBonusPoints} for speed
          </p>
          <Prose text={version.statement} />
          {version.sampleTests.length > 0 && (
            <>
              <h2>Examples</h2>
              <ul className="examples">
                {version.sampleTests.map((test) => (
                  <li key={test.index}>
                    <code>
                      {version.entrypoint}({(test.args as unknown[]).map((arg) => JSON.stringify(arg)).join(', ')}) →{' '}
                      {JSON.stringify(test.expected)}
                    </code>
                  </li>
                ))}
              </ul>
              <p className="meta">
                {version.testCount} tests, {version.hiddenTestCount} hidden (you see only whether they pass).
              </p>
            </>
          )}
          {version.rubric.length > 0 && (
            <>
              <h2>Rubric</h2>
              <ul>
                {version.rubric.map((criterion) => (
                  <li key={criterion.key}>
                    <strong>
                      <Prose text={criterion.title} inline />
                    </strong>{' '}
                    ({criterion.maxScore} pts)
                    <Prose text={criterion.description} />
                  </li>
                ))}
              </ul>
            </>
          )}
          <Hints key={item.id} hints={version.hints} />
        </article>
        <div className="work">
          {started.error && <ErrorMessage error={started.error} title="Could not start an attempt" />}
          {started.fetching && !attempt && <Loading what="your attempt" />}
          {attempt && (
            <section className="card" aria-label="Your solution">
              {!design && (
                <>
                  <div className="toolbar">
                    <label>
                      Language
                      <select
                        value={language}
                        onChange={(e) => {
                          const next = e.target.value as Language;
                          setLanguage(next);
                          setCode(version.starterCode.find((s) => s.language === next)?.code ?? '');
                        }}
                      >
                        {languages.map((value) => (
                          <option key={value} value={value}>
                            {value.charAt(0) + value.slice(1).toLowerCase()}
                          </option>
                        ))}
                      </select>
                    </label>
                  </div>
                  <Suspense fallback={<Loading what="the editor" />}>
                    <CodeEditor value={code} language={language} onChange={setCode} label="Your code" />
                  </Suspense>
                </>
              )}
              {(design || debug) && (
                <label className="block">
                  {design ? 'Your design' : 'Your diagnosis: what is the bug, and why?'}
                  <textarea rows={design ? 14 : 4} value={answer} onChange={(e) => setAnswer(e.target.value)} />
                </label>
              )}
              {debug && (
                <label>
                  Line of the bug
                  <input type="number" min={1} value={bugLine} onChange={(e) => setBugLine(e.target.value)} />
                </label>
              )}
              {!design && (
                <label className="block">
                  Your input: the arguments of {version.entrypoint} as a JSON array (optional)
                  <input
                    type="text"
                    className="mono"
                    value={args}
                    placeholder={JSON.stringify(version.sampleTests[0]?.args ?? [])}
                    onChange={(e) => setArgs(e.target.value)}
                  />
                </label>
              )}
              <div className="toolbar">
                {!design && (
                  <button type="button" className="secondary" onClick={save}>
                    Save draft
                  </button>
                )}
                {!design && (
                  <button
                    type="button"
                    className="secondary"
                    onClick={run}
                    disabled={running.fetching}
                    title="Run on the examples and your input; not graded"
                  >
                    Run
                  </button>
                )}
                <button type="button" onClick={handIn} disabled={submitting.fetching}>
                  Submit
                </button>
                <span className="meta" role="status">
                  {notice}
                </span>
              </div>
              {problem && <ErrorMessage error={problem} title="Not done" />}
            </section>
          )}
          {codeRunId && <CodeRunResults key={codeRunId} runId={codeRunId} entrypoint={version.entrypoint ?? ''} />}
          {runIds[0] && <EvaluationProgress key={runIds[0]} runId={runIds[0]} testCount={version.testCount} />}
          {attempt && <CoachPanel attemptId={attempt.id} turns={attempt.coachTurns} />}
        </div>
      </div>
    </Page>
  );
}
