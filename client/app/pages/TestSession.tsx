/**
 * One adaptive test: its questions one at a time, made for the keyboard (1–n or the option's
 * letter choose, Enter answers, focus always where the next key press goes), the answer and its
 * explanation after each, and the result once it has stopped. Anyone else allowed to read the
 * session (the student's instructors and admins) sees its result so far, read-only.
 */
import { useEffect, useRef, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { Link } from 'wouter';
import { type FragmentType, getFragmentData, graphql } from '../../gql/index.js';
import type { TestSessionFieldsFragment } from '../../gql/graphql.js';
import { conceptLabel, estimateText, signed, statusLabel, stopReasonText } from '../adaptive.js';
import { ConceptChart } from '../lazyCharts.js';
import { Empty, ErrorMessage, Loading, Page, Prose, failureMessage, percent, when } from '../ui.js';

const TestSessionFields = graphql(`
  fragment TestSessionFields on AdaptiveTestSession {
    id
    status
    stopReason
    startedAt
    completedAt
    maxQuestions
    targetStandardError
    itemsAnswered
    accuracy
    learningGain
    pool {
      id
      name
    }
    user {
      id
      name
    }
    proficiency {
      theta
      standardError
    }
    initialProficiency {
      theta
      standardError
    }
    conceptProficiencies {
      concept
      theta
      standardError
      confidence
      responses
    }
    nextQuestion {
      id
      stem
      options {
        key
        text
      }
    }
    responses {
      choice
      correct
      thetaAfter
      standardErrorAfter
      question {
        id
        stem
        options {
          key
          text
        }
        correctOption
        explanation
      }
    }
  }
`);

const TestSessionQuery = graphql(`
  query TestSession($id: ID!) {
    viewer {
      id
    }
    node(id: $id) {
      __typename
      ... on AdaptiveTestSession {
        ...TestSessionFields
      }
    }
  }
`);

const AnswerQuestionMutation = graphql(`
  mutation AnswerTestQuestion($input: AnswerQuestionInput!) {
    answerQuestion(input: $input) {
      __typename
      ... on AdaptiveTestSession {
        ...TestSessionFields
      }
      ... on InvalidInput {
        path
      }
      ... on Error {
        message
      }
    }
  }
`);

const AbandonTestMutation = graphql(`
  mutation AbandonTest($sessionId: ID!) {
    abandonAdaptiveTest(sessionId: $sessionId) {
      __typename
      ... on AdaptiveTestSession {
        ...TestSessionFields
      }
      ... on Error {
        message
      }
    }
  }
`);

type Session = TestSessionFieldsFragment;
type Question = NonNullable<Session['nextQuestion']>;
type Response = Session['responses'][number];

const unmask = (session: FragmentType<typeof TestSessionFields>) => getFragmentData(TestSessionFields, session);

/** `/tests/:sessionId` (the question, or the result once it has stopped) and `/tests/:sessionId/result`. */
export function TestSessionPage({ params, result = false }: { params: { sessionId: string }; result?: boolean }) {
  const sessionId = decodeURIComponent(params.sessionId);
  const [{ data, fetching, error }, reload] = useQuery({
    query: TestSessionQuery,
    variables: { id: sessionId },
    requestPolicy: 'cache-and-network',
  });
  // The session as the last answer returned it: fresher than the query until its refetch arrives.
  const [latest, setLatest] = useState<Session | null>(null);
  const [answered, setAnswered] = useState<{ response: Response; session: Session } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const node = data?.node?.__typename === 'AdaptiveTestSession' ? unmask(data.node) : null;
  const fresh = latest?.id === sessionId ? latest : null;
  const session =
    fresh &&
    (!node || fresh.itemsAnswered > node.itemsAnswered || (fresh.status !== 'ACTIVE' && node.status === 'ACTIVE'))
      ? fresh
      : node;

  if (error && !session) return <ErrorMessage error={error} title="Could not load the test" />;
  if (fetching && !session) return <Loading what="the test" />;
  if (!session) return <ErrorMessage error="There is no test of yours at this address" title="Not found" />;
  // Only the student answers or abandons; their instructors read along.
  const own = data?.viewer?.id === session.user.id;
  if (!own) return <TestResult session={session} notice={null} own={false} />;

  /** Something the server said instead of taking the answer: show it, and read the session again. */
  const refresh = (message: string) => {
    setNotice(message);
    setLatest(null);
    reload({ requestPolicy: 'network-only' });
  };

  if (answered) {
    return (
      <AnswerFeedback
        session={answered.session}
        response={answered.response}
        onNext={() => {
          setNotice(null);
          setAnswered(null);
        }}
      />
    );
  }
  if (!result && session.status === 'ACTIVE' && session.nextQuestion) {
    return (
      <QuestionStep
        key={session.nextQuestion.id}
        session={session}
        question={session.nextQuestion}
        notice={notice}
        onAnswered={(next, response) => {
          setLatest(next);
          setAnswered({ session: next, response });
        }}
        onEnded={(next) => {
          setNotice(null);
          setLatest(next);
        }}
        onRefused={refresh}
      />
    );
  }
  return <TestResult session={session} notice={notice} own />;
}

/** Which option a key press picks: `1`…`9` by position, or an option's letter. */
function optionForKey(key: string, options: readonly { key: string }[]): string | null {
  if (/^[1-9]$/.test(key)) return options[Number(key) - 1]?.key ?? null;
  if (/^[a-z]$/i.test(key))
    return options.find((option) => option.key.toUpperCase() === key.toUpperCase())?.key ?? null;
  return null;
}

function QuestionStep({
  session,
  question,
  notice,
  onAnswered,
  onEnded,
  onRefused,
}: {
  session: Session;
  question: Question;
  notice: string | null;
  onAnswered: (session: Session, response: Response) => void;
  onEnded: (session: Session) => void;
  onRefused: (message: string) => void;
}) {
  const [choice, setChoice] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [sending, answer] = useMutation(AnswerQuestionMutation);
  const shownAt = useRef(performance.now());
  // One key per (question, choice): a retry of the same answer is recognised by the server, not counted twice.
  const idempotencyKeys = useRef(new Map<string, string>());
  const group = useRef<HTMLDivElement>(null);
  const number = session.itemsAnswered + 1;

  const focusOption = (key: string | null) => {
    const inputs = group.current?.querySelectorAll<HTMLInputElement>('input[type="radio"]') ?? [];
    const target = [...inputs].find((input) => input.value === key) ?? inputs[0];
    target?.focus();
  };
  // A new question takes the focus, so the next key press answers it.
  useEffect(() => focusOption(null), []);

  async function submit() {
    if (sending.fetching) return;
    if (!choice) {
      setProblem(`Choose an option first: press 1–${question.options.length}, or its letter.`);
      return;
    }
    setProblem(null);
    const slot = `${question.id}:${choice}`;
    const idempotencyKey = idempotencyKeys.current.get(slot) ?? crypto.randomUUID();
    idempotencyKeys.current.set(slot, idempotencyKey);
    const result = await answer({
      input: {
        sessionId: session.id,
        questionId: question.id,
        choice,
        idempotencyKey,
        latencyMs: Math.round(performance.now() - shownAt.current),
      },
    });
    const payload = result.data?.answerQuestion;
    if (payload?.__typename === 'AdaptiveTestSession') {
      const next = unmask(payload);
      const response = next.responses.find((r) => r.question.id === question.id);
      if (response) onAnswered(next, response);
      else onRefused('Your answer was not recorded; here is the test as it stands.');
    } else if (payload?.__typename === 'Expired') {
      onRefused(`${payload.message} Your answers so far are kept.`);
    } else if (payload?.__typename === 'Conflict') {
      // Answered with another choice (another tab, a lost reply) or already ended.
      onRefused(`${payload.message.replace(/\.?$/, '.')} Here is the test as it stands now.`);
    } else if (payload?.__typename === 'InvalidInput' && payload.path.includes('questionId')) {
      onRefused(
        'That question is no longer the one the test is asking (was it answered in another tab?). Here is the test as it stands now.',
      );
    } else if (payload) {
      setProblem(failureMessage(payload, result.error, 'Your answer was not taken'));
    } else {
      setProblem(
        `${failureMessage(null, result.error, 'No reply from the server')}. Press Enter to send the same answer again: it counts once.`,
      );
    }
  }

  // Keys anywhere on the page: a digit or a letter chooses, Enter answers (buttons and links keep their own Enter).
  const submitRef = useRef(submit);
  submitRef.current = submit;
  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
      const target = event.target instanceof HTMLElement ? event.target : null;
      if (target?.closest('textarea, select, [contenteditable], input:not([type="radio"])')) return;
      const picked = optionForKey(event.key, question.options);
      if (picked) {
        event.preventDefault();
        setChoice(picked);
        focusOption(picked);
      } else if (event.key === 'Enter' && !target?.closest('button, a')) {
        event.preventDefault();
        void submitRef.current();
      }
    }
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [question.options]);

  const last = question.options.length;
  return (
    <Page title={session.pool.name} actions={<AbandonControl session={session} onEnded={onEnded} />}>
      <UncertaintyProgress session={session} />
      {notice && (
        <p className="state notice" role="status">
          {notice}
        </p>
      )}
      <form
        className="card question-card"
        aria-label={`Question ${number}`}
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <fieldset>
          <legend>
            Question {number} <span className="muted">of at most {session.maxQuestions}</span>
          </legend>
          <Prose text={question.stem} />
          <div className="options" ref={group} role="radiogroup" aria-label="Options">
            {question.options.map((option, index) => (
              <label key={option.key} className={`option${choice === option.key ? ' chosen' : ''}`}>
                <input
                  type="radio"
                  name="choice"
                  value={option.key}
                  checked={choice === option.key}
                  onChange={() => setChoice(option.key)}
                />
                <kbd aria-hidden="true">{index + 1}</kbd>
                <span className="option-key">{option.key}.</span>
                <Prose text={option.text} inline />
              </label>
            ))}
          </div>
        </fieldset>
        <p className="hint" id="keys-hint">
          Press 1–{last} or {question.options[0]?.key}–{question.options[last - 1]?.key} to choose, Enter to answer.
        </p>
        <button type="submit" disabled={!choice || sending.fetching} aria-describedby="keys-hint">
          {sending.fetching ? 'Sending…' : 'Answer'}
        </button>
      </form>
      {problem && <ErrorMessage error={problem} title="Not answered" />}
    </Page>
  );
}

/** After an answer: right or wrong, the correct option and why, then on to the next question or the result. */
function AnswerFeedback({ session, response, onNext }: { session: Session; response: Response; onNext: () => void }) {
  const next = useRef<HTMLButtonElement>(null);
  useEffect(() => next.current?.focus(), []);
  const { question } = response;
  const correct = question.options.find((option) => option.key === question.correctOption);
  const ended = session.status !== 'ACTIVE' || !session.nextQuestion;
  return (
    <Page title={session.pool.name}>
      <UncertaintyProgress session={session} />
      <section className={`card feedback ${response.correct ? 'right' : 'wrong'}`} aria-label="Your answer">
        <p className="verdict" role="status">
          {response.correct ? 'Right.' : `Not quite: you chose ${response.choice}.`}
        </p>
        <Prose text={question.stem} />
        <ul className="options answered" aria-label="Options">
          {question.options.map((option) => (
            <li
              key={option.key}
              className={[
                option.key === question.correctOption ? 'correct' : '',
                option.key === response.choice ? 'chosen' : '',
              ].join(' ')}
            >
              <span className="option-key">{option.key}.</span> <Prose text={option.text} inline />
              {option.key === question.correctOption && <span className="mark"> ✓ correct</span>}
              {option.key === response.choice && option.key !== question.correctOption && (
                <span className="mark"> ✗ your answer</span>
              )}
            </li>
          ))}
        </ul>
        {correct && (
          <p>
            <strong>The answer is {correct.key}.</strong>
          </p>
        )}
        {question.explanation && (
          <div className="explanation" aria-label="Explanation">
            <Prose text={question.explanation} />
          </div>
        )}
        <button type="button" ref={next} onClick={onNext}>
          {ended ? 'See your result' : 'Next question'}
        </button>
      </section>
    </Page>
  );
}

/**
 * How sure the estimate is: the standard error after each answer, from where it started toward
 * the target at which the test stops, and how many questions are left at most.
 */
function UncertaintyProgress({ session }: { session: Session }) {
  const target = session.targetStandardError;
  const current = session.proficiency.standardError;
  const trail = [session.initialProficiency.standardError, ...session.responses.map((r) => r.standardErrorAfter)];
  // Measured from the widest it has been: before the first answers the standard error is the
  // prior's (1), and jsCAT's, from the answers' information alone, starts above it.
  const initial = Math.max(...trail);
  const share = initial > target ? Math.min(1, Math.max(0, (initial - current) / (initial - target))) : 1;
  return (
    <section className="uncertainty" aria-label="Progress">
      <div
        className="bar"
        role="progressbar"
        aria-label="Precision of your estimate"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(share * 100)}
        aria-valuetext={`standard error ${current.toFixed(2)}, the test stops at ${target.toFixed(2)}`}
      >
        <div className="fill" style={{ width: `${share * 100}%` }} />
      </div>
      <p className="meta">
        <span>
          Standard error <strong>{current.toFixed(2)}</strong> (from {initial.toFixed(2)}, stops at {target.toFixed(2)})
        </span>
        <span>
          {session.itemsAnswered} answered, at most {session.maxQuestions}
        </span>
      </p>
      <StandardErrorTrail values={trail} target={target} />
    </section>
  );
}

/** The standard error after each answer as a small line, with the target dashed. */
function StandardErrorTrail({ values, target }: { values: number[]; target: number }) {
  if (values.length < 2) return null;
  const width = 300;
  const height = 48;
  const top = Math.max(...values, target);
  const x = (index: number) => (index / (values.length - 1)) * width;
  const y = (value: number) => height - (value / top) * (height - 4) - 2;
  return (
    <svg className="trail" viewBox={`0 0 ${width} ${height}`} preserveAspectRatio="none" aria-hidden="true">
      <line x1={0} x2={width} y1={y(target)} y2={y(target)} className="target" />
      <polyline points={values.map((value, index) => `${x(index)},${y(value)}`).join(' ')} />
    </svg>
  );
}

/** Ends the test early, after a second, explicit confirmation. */
function AbandonControl({ session, onEnded }: { session: Session; onEnded: (session: Session) => void }) {
  const [confirming, setConfirming] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [abandoning, abandon] = useMutation(AbandonTestMutation);
  const keep = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (confirming) keep.current?.focus();
  }, [confirming]);

  async function confirm() {
    const result = await abandon({ sessionId: session.id });
    const payload = result.data?.abandonAdaptiveTest;
    if (payload?.__typename === 'AdaptiveTestSession') onEnded(unmask(payload));
    else setProblem(failureMessage(payload, result.error, 'The test was not ended'));
  }

  if (!confirming) {
    return (
      <button type="button" className="secondary" onClick={() => setConfirming(true)}>
        Abandon test
      </button>
    );
  }
  return (
    <div className="confirm" role="group" aria-label="Abandon the test?">
      <span>End the test now? Your answers are kept.</span>
      <button type="button" onClick={confirm} disabled={abandoning.fetching}>
        Yes, abandon
      </button>
      <button type="button" className="secondary" ref={keep} onClick={() => setConfirming(false)}>
        Keep going
      </button>
      {problem && <ErrorMessage error={problem} title="Not ended" />}
    </div>
  );
}

/**
 * The result: θ overall and per concept (a chart with error bars, and the same as a table), and
 * every answer; to the student (`own`), or read-only to someone reading their session.
 */
function TestResult({ session, notice, own }: { session: Session; notice: string | null; own: boolean }) {
  const heading = useRef<HTMLHeadingElement>(null);
  // Arriving from the last answer: the result is where the keyboard continues.
  useEffect(() => heading.current?.focus(), []);
  const active = session.status === 'ACTIVE';
  const concepts = session.conceptProficiencies.filter((row) => row.responses > 0);
  return (
    <Page title={`Result: ${session.pool.name}`}>
      {!own && (
        <p className="state notice" role="note">
          {session.user.name}’s test, read-only: only they can answer it or end it.
        </p>
      )}
      {notice && (
        <p className="state notice" role="status">
          {notice}
        </p>
      )}
      <section aria-labelledby="result-summary">
        <h2 id="result-summary" tabIndex={-1} ref={heading}>
          {active ? 'So far (the test is still open)' : statusLabel(session.status)}
        </h2>
        <p>{stopReasonText(session.stopReason, session, own)}</p>
        {own && active && session.nextQuestion && (
          <p>
            <Link href={`/tests/${encodeURIComponent(session.id)}`}>Continue the test</Link>
          </p>
        )}
        <dl className="stats" aria-label="Result">
          <div>
            <dt>Proficiency θ</dt>
            <dd>{estimateText(session.proficiency)}</dd>
          </div>
          <div>
            <dt>Accuracy</dt>
            <dd>{percent(session.accuracy)}</dd>
          </div>
          <div>
            <dt>Learning gain</dt>
            <dd>{signed(session.learningGain)}</dd>
          </div>
          <div>
            <dt>Answered</dt>
            <dd>
              {session.itemsAnswered} <span className="muted">of at most {session.maxQuestions}</span>
            </dd>
          </div>
        </dl>
        <p className="meta">
          Started {when(session.startedAt)}
          {session.completedAt && <> · ended {when(session.completedAt)}</>}
        </p>
      </section>
      <h2>θ per concept</h2>
      {concepts.length === 0 ? (
        <Empty>No concept has an answer yet.</Empty>
      ) : (
        <>
          <ConceptChart rows={concepts.map((row) => ({ ...row, label: conceptLabel(row.concept) }))} />
          <div className="scroll">
            <table className="board" aria-label="θ per concept">
              <thead>
                <tr>
                  <th scope="col">Concept</th>
                  <th scope="col">θ ± SE</th>
                  <th scope="col">Answers</th>
                  <th scope="col">Confidence</th>
                </tr>
              </thead>
              <tbody>
                {concepts.map((row) => (
                  <tr key={row.concept}>
                    <td>{conceptLabel(row.concept)}</td>
                    <td className="nowrap">{estimateText(row)}</td>
                    <td>{row.responses}</td>
                    <td>{percent(row.confidence)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      <h2>{own ? 'Your answers' : 'Their answers'}</h2>
      {session.responses.length === 0 ? (
        <Empty>No question was answered.</Empty>
      ) : (
        <ol className="responses" aria-label={own ? 'Your answers' : 'Their answers'}>
          {session.responses.map((response) => {
            const chosen = response.question.options.find((option) => option.key === response.choice);
            return (
              <li key={response.question.id} className={`card ${response.correct ? 'right' : 'wrong'}`}>
                <Prose text={response.question.stem} />
                <p className="meta">
                  <span className={`tag ${response.correct ? 'easy' : 'hard'}`}>
                    {response.correct ? 'Right' : 'Wrong'}
                  </span>
                  <span>
                    {own ? 'You' : 'They'} chose {response.choice}
                    {chosen && (
                      <>
                        : <Prose text={chosen.text} inline />
                      </>
                    )}
                  </span>
                  {!response.correct && response.question.correctOption && (
                    <span>Answer: {response.question.correctOption}</span>
                  )}
                  <span>
                    θ after: {estimateText({ theta: response.thetaAfter, standardError: response.standardErrorAfter })}
                  </span>
                </p>
              </li>
            );
          })}
        </ol>
      )}
      <p>
        {own ? (
          <Link href="/tests">Back to the tests</Link>
        ) : (
          <Link href={`/students/${encodeURIComponent(session.user.id)}`}>Back to {session.user.name}’s history</Link>
        )}
      </p>
    </Page>
  );
}
