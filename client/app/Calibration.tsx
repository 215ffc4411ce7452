/**
 * A pool's calibration, for its instructors: ask for its questions' 2PL parameters to be estimated
 * again from the stored answers (a job on the server), follow the run until it ends, read the
 * proposal beside the current a / b with its fit, and accept it for all the questions or some.
 * Nothing changes in the pool until a run is accepted.
 */
import { type FormEvent, useEffect, useMemo, useRef, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { type FragmentType, getFragmentData, graphql } from '../gql/index.js';
import type { CalibrationRunItemsQuery, CalibrationSkipReason, CalibrationStatus } from '../gql/graphql.js';
import { figure, POOR_FIT_RMSD, signed } from './adaptive.js';
import { DifficultyChart } from './lazyCharts.js';
import { Empty, ErrorMessage, Loading, when } from './ui.js';

const CalibrationRunFields = graphql(`
  fragment CalibrationRunFields on CalibrationRun {
    id
    status
    minResponses
    requestedAt
    startedAt
    finishedAt
    acceptedAt
    error
    persons
    iterations
    converged
    calibratedCount
    requestedBy {
      id
      name
    }
    acceptedBy {
      id
      name
    }
  }
`);

const PoolCalibrationsQuery = graphql(`
  query PoolCalibrations($poolId: ID!) {
    node(id: $poolId) {
      __typename
      ... on QuestionPool {
        id
        calibrations {
          ...CalibrationRunFields
        }
      }
    }
  }
`);

const CalibrationRunItemsQuery = graphql(`
  query CalibrationRunItems($runId: ID!) {
    node(id: $runId) {
      __typename
      ... on CalibrationRun {
        id
        status
        minResponses
        items {
          question {
            id
            key
            status
            discrimination
            difficulty
          }
          responses
          calibrated
          skipReason
          accepted
          discriminationBefore
          difficultyBefore
          discrimination
          difficulty
          discriminationChange
          difficultyChange
          rmsd
        }
      }
    }
  }
`);

const CalibratePoolMutation = graphql(`
  mutation CalibratePool($input: CalibrateQuestionPoolInput!) {
    calibrateQuestionPool(input: $input) {
      __typename
      ... on CalibrationRun {
        ...CalibrationRunFields
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

const AcceptCalibrationMutation = graphql(`
  mutation AcceptPoolCalibration($input: AcceptCalibrationInput!) {
    acceptCalibration(input: $input) {
      __typename
      ... on CalibrationRun {
        ...CalibrationRunFields
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

/** The API's bounds of `minResponses` (CalibrateQuestionPoolInput): the server checks them, and names the field. */
const MIN_RESPONSES = { default: 100, least: 20, most: 100_000 } as const;

/** How often the runs are read again while one is queued or running. */
const POLL_MS = 1_000;

// A first run finds no CalibrationRun in the list to invalidate: name the type.
const RUNS_CONTEXT = { additionalTypenames: ['CalibrationRun'] };
// Accepting changes the questions' a / b: every query that shows questions (the statistics table,
// the pools' list) or runs is read again.
const ACCEPT_CONTEXT = { additionalTypenames: ['CalibrationRun', 'Question', 'QuestionPool'] };

type Run = ReturnType<typeof unmask>;
type Item = Extract<NonNullable<CalibrationRunItemsQuery['node']>, { __typename: 'CalibrationRun' }>['items'][number];

const questions = (count: number) => `${count} question${count === 1 ? '' : 's'}`;
const unmask = (run: FragmentType<typeof CalibrationRunFields>) => getFragmentData(CalibrationRunFields, run);
const inProgress = (status: CalibrationStatus) => status === 'QUEUED' || status === 'RUNNING';
const hasProposal = (status: CalibrationStatus) => status === 'SUCCEEDED' || status === 'ACCEPTED';

const STATUS: Record<CalibrationStatus, string> = {
  QUEUED: 'Queued',
  RUNNING: 'Running',
  SUCCEEDED: 'Succeeded: to review',
  FAILED: 'Failed',
  ACCEPTED: 'Accepted',
};

const SKIPPED: Record<CalibrationSkipReason, (run: { minResponses: number }) => string> = {
  FEW_RESPONSES: (run) => `Kept: fewer than ${run.minResponses} answers`,
  GUESSING: () => 'Kept: it has a guessing parameter (3PL)',
};

/** The input fields as the forms label them, for an InvalidInput's path. */
const FIELDS: Record<string, string> = { minResponses: 'Minimum answers', poolId: 'Pool', runId: 'Run' };

/** One bad field of an InvalidInput. */
interface InputIssue {
  path: readonly string[];
  message: string;
}

/** A typed failure of a mutation, worded for the panel: a title by kind, and the server's message. */
interface Problem {
  title: string;
  text: string;
  /** The issues of an InvalidInput, to show beside their fields. */
  issues: readonly InputIssue[];
}

const TITLES: Record<string, string> = {
  Forbidden: 'Not allowed',
  NotFound: 'Not found',
  Conflict: 'Conflict',
  InvalidInput: 'Check the form',
};

function problemOf(
  payload: { __typename: string; message?: string; issues?: readonly InputIssue[] } | null | undefined,
  transport: { message: string } | undefined,
  fallback: string,
  fieldName: (path: readonly string[]) => string,
): Problem {
  if (payload?.__typename === 'InvalidInput' && payload.issues) {
    return {
      title: TITLES.InvalidInput ?? fallback,
      text: payload.issues.map((issue) => `${fieldName(issue.path)}: ${issue.message}`).join('; '),
      issues: payload.issues,
    };
  }
  if (payload?.message) return { title: TITLES[payload.__typename] ?? fallback, text: payload.message, issues: [] };
  return { title: fallback, text: transport?.message ?? 'The server did not answer.', issues: [] };
}

/** `["input", "minResponses"]` → `Minimum answers`. */
const inputField = (path: readonly string[]) => FIELDS[path[1] ?? ''] ?? path.slice(1).join('.');

/** The pool's calibration runs, the form that asks for one, and the proposal of the run open. */
export function PoolCalibration({ pool }: { pool: { id: string; name: string } }) {
  const context = useMemo(() => RUNS_CONTEXT, []);
  const [{ data, fetching, error }, reload] = useQuery({
    query: PoolCalibrationsQuery,
    variables: { poolId: pool.id },
    context,
    requestPolicy: 'cache-and-network',
  });
  // The run whose details are open; null: the newest.
  const [openId, setOpenId] = useState<string | null>(null);
  const node = data?.node?.__typename === 'QuestionPool' ? data.node : null;
  const runs = useMemo(() => (node ? node.calibrations.map(unmask) : []), [node]);
  const running = runs.some((run) => inProgress(run.status));

  // Read the runs again while one is queued or running; stop once none is.
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => reload({ requestPolicy: 'network-only' }), POLL_MS);
    return () => clearInterval(timer);
  }, [running, reload]);

  const open = runs.find((run) => run.id === openId) ?? runs[0] ?? null;

  return (
    <section className="calibration" aria-labelledby="calibration-title">
      <h3 id="calibration-title">Calibration</h3>
      <p className="hint">
        Estimates each question’s discrimination (a) and difficulty (b) again from the answers stored so far (2PL,
        marginal maximum likelihood), on the server. A run only proposes: the questions keep their parameters until you
        accept it, for all of them or some.
      </p>
      <CalibrateForm pool={pool} running={running} onQueued={() => setOpenId(null)} />
      {error && !data ? (
        <ErrorMessage error={error} title="Could not load the calibrations" />
      ) : fetching && !data ? (
        <Loading what="the calibrations" />
      ) : runs.length === 0 ? (
        <Empty>No calibration yet.</Empty>
      ) : (
        <>
          {error && <ErrorMessage error={error} title="Could not read the calibrations again" />}
          <RunsTable runs={runs} open={open} onOpen={setOpenId} poolName={pool.name} />
          {open && <RunDetail key={open.id} run={open} />}
        </>
      )}
    </section>
  );
}

function CalibrateForm({
  pool,
  running,
  onQueued,
}: {
  pool: { id: string; name: string };
  running: boolean;
  onQueued: () => void;
}) {
  const [minResponses, setMinResponses] = useState(String(MIN_RESPONSES.default));
  const [problem, setProblem] = useState<Problem | null>(null);
  const [queued, setQueued] = useState(false);
  const [calibrating, calibrate] = useMutation(CalibratePoolMutation);
  // A request whose reply was lost is sent again with its key, so that it queues one run, not two.
  const unanswered = useRef<{ minResponses: number | null; key: string } | null>(null);
  const fieldProblem = problem?.issues.find((issue) => issue.path[1] === 'minResponses');

  async function submit(event: FormEvent) {
    event.preventDefault();
    setProblem(null);
    setQueued(false);
    const threshold = minResponses.trim() === '' ? null : Number(minResponses);
    // Not an Int at all: GraphQL would refuse the request before the server could name the field.
    if (threshold !== null && !(Number.isInteger(threshold) && Math.abs(threshold) < 2 ** 31)) {
      const issue = { path: ['input', 'minResponses'], message: 'must be a whole number' };
      setProblem({
        title: TITLES.InvalidInput ?? 'Not calibrated',
        text: `${inputField(issue.path)}: ${issue.message}`,
        issues: [issue],
      });
      return;
    }
    const previous = unanswered.current;
    const key = previous && previous.minResponses === threshold ? previous.key : crypto.randomUUID();
    unanswered.current = { minResponses: threshold, key };
    const result = await calibrate({ input: { poolId: pool.id, minResponses: threshold, idempotencyKey: key } });
    const payload = result.data?.calibrateQuestionPool;
    if (payload) unanswered.current = null;
    if (payload?.__typename === 'CalibrationRun') {
      setQueued(true);
      onQueued();
    } else setProblem(problemOf(payload, result.error, 'Not calibrated', inputField));
  }

  return (
    <form className="card form calibrate" onSubmit={submit} aria-label={`Calibrate ${pool.name}`}>
      <label>
        Minimum answers per question
        <input
          type="number"
          inputMode="numeric"
          step={1}
          value={minResponses}
          aria-invalid={fieldProblem ? true : undefined}
          aria-describedby="calibrate-min-hint"
          onChange={(e) => {
            setMinResponses(e.target.value);
            setProblem(null);
          }}
        />
      </label>
      <p className="meta" id="calibrate-min-hint">
        {fieldProblem ? (
          <strong className="invalid-text">{fieldProblem.message}.</strong>
        ) : (
          <span>
            From {MIN_RESPONSES.least} to {MIN_RESPONSES.most.toLocaleString('en')}, {MIN_RESPONSES.default} by default:
            a question with fewer answers (see Answers above) keeps its parameters.
          </span>
        )}
      </p>
      <div className="confirm">
        <button type="submit" disabled={calibrating.fetching || running}>
          Calibrate
        </button>
        {running && <span className="hint">A run is under way: its result comes below.</span>}
      </div>
      {problem && <ErrorMessage error={problem.text} title={problem.title} />}
      {/* Until the run has ended: then the list says how it went. */}
      {queued && running && !problem && (
        <p role="status" className="meta">
          Queued: the run below follows the job until it ends.
        </p>
      )}
    </form>
  );
}

function RunsTable({
  runs,
  open,
  onOpen,
  poolName,
}: {
  runs: readonly Run[];
  open: Run | null;
  onOpen: (id: string) => void;
  poolName: string;
}) {
  return (
    <div className="scroll">
      <table className="board runs" aria-label={`Calibrations of ${poolName}`}>
        <thead>
          <tr>
            <th scope="col">Requested</th>
            <th scope="col">Status</th>
            <th scope="col" title="Answers a question needed to be estimated">
              Minimum
            </th>
            <th scope="col">Calibrated</th>
            <th scope="col">Finished</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {runs.map((run) => {
            const current = run.id === open?.id;
            return (
              <tr key={run.id} className={current ? 'viewer' : undefined} aria-current={current ? 'true' : undefined}>
                <td>
                  {when(run.requestedAt)} <span className="meta">by {run.requestedBy.name}</span>
                </td>
                <td>
                  <RunStatus run={run} />
                </td>
                <td>{run.minResponses}</td>
                <td>
                  {hasProposal(run.status) ? (
                    <>
                      {questions(run.calibratedCount)}
                      {run.persons != null && <span className="meta"> from {run.persons} examinees</span>}
                    </>
                  ) : (
                    '—'
                  )}
                </td>
                <td>{run.finishedAt ? when(run.finishedAt) : '—'}</td>
                <td>
                  {!current && (
                    <button
                      type="button"
                      className="secondary"
                      aria-label={`Show the run of ${when(run.requestedAt)}`}
                      onClick={() => onOpen(run.id)}
                    >
                      Show
                    </button>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function RunStatus({ run }: { run: Run }) {
  return (
    <>
      <span className={`tag status ${run.status.toLowerCase()}`}>{STATUS[run.status]}</span>
      {run.status === 'ACCEPTED' && run.acceptedAt && (
        <span className="meta">
          {' '}
          {when(run.acceptedAt)}
          {run.acceptedBy && ` by ${run.acceptedBy.name}`}
        </span>
      )}
      {run.status === 'FAILED' && run.error && <span className="meta"> {run.error}</span>}
      {run.converged === false && <span className="tag hard flag">did not converge: treat with care</span>}
    </>
  );
}

/** One run: where it is while it runs, why it failed, or its proposal. */
function RunDetail({ run }: { run: Run }) {
  const heading = `The run of ${when(run.requestedAt)}`;
  if (inProgress(run.status)) {
    return (
      <div className="card" aria-label={heading} role="region">
        <p role="status">
          {run.status === 'QUEUED' ? 'Waiting for a worker…' : 'Estimating the parameters…'} The proposal appears here
          when it is done.
        </p>
      </div>
    );
  }
  if (run.status === 'FAILED') {
    return (
      <div className="card" aria-label={heading} role="region">
        <ErrorMessage error={run.error ?? 'No reason was given.'} title="The calibration failed" />
      </div>
    );
  }
  return <Proposal run={run} heading={heading} />;
}

/** A finished run's questions: before and proposed a / b, the fit, and which to apply. */
function Proposal({ run, heading }: { run: Run; heading: string }) {
  const [{ data, fetching, error }] = useQuery({
    query: CalibrationRunItemsQuery,
    variables: { runId: run.id },
    requestPolicy: 'cache-and-network',
  });
  const node = data?.node?.__typename === 'CalibrationRun' ? data.node : null;
  const items = useMemo(() => node?.items ?? [], [node]);
  const calibrated = useMemo(() => items.filter((item) => item.calibrated), [items]);
  // Questions left out of the acceptance, by id: all are in by default.
  const [excluded, setExcluded] = useState<ReadonlySet<string>>(new Set());
  const [problem, setProblem] = useState<Problem | null>(null);
  const [accepted, setAccepted] = useState<number | null>(null);
  const [accepting, accept] = useMutation(AcceptCalibrationMutation);
  const acceptContext = useMemo(() => ACCEPT_CONTEXT, []);
  const all = useRef<HTMLInputElement>(null);

  // The status that came with the items, so that the table and its last column agree.
  const pending = (node?.status ?? run.status) === 'SUCCEEDED';
  const chosen = calibrated.filter((item) => !excluded.has(item.question.id));
  useEffect(() => {
    if (all.current) all.current.indeterminate = chosen.length > 0 && chosen.length < calibrated.length;
  }, [chosen.length, calibrated.length]);

  if (error && !data) return <ErrorMessage error={error} title="Could not load the proposal" />;
  if (fetching && !data) return <Loading what="the proposal" />;

  const poorFit = items.filter((item) => item.rmsd != null && item.rmsd > POOR_FIT_RMSD).length;
  const keyOf = (path: readonly string[]) =>
    path[1] === 'questionIds' && path[2] !== undefined
      ? (chosen[Number(path[2])]?.question.key ?? inputField(path))
      : inputField(path);

  async function submit() {
    setProblem(null);
    // All that were estimated: the API's default, sent as no list at all.
    const everything = chosen.length === calibrated.length;
    const result = await accept(
      { input: { runId: run.id, ...(everything ? {} : { questionIds: chosen.map((item) => item.question.id) }) } },
      acceptContext,
    );
    const payload = result.data?.acceptCalibration;
    if (payload?.__typename === 'CalibrationRun') setAccepted(chosen.length);
    else setProblem(problemOf(payload, result.error, 'Not accepted', keyOf));
  }

  const toggle = (id: string, on: boolean) =>
    setExcluded((previous) => {
      const next = new Set(previous);
      if (on) next.delete(id);
      else next.add(id);
      return next;
    });

  return (
    <section className="card proposal" aria-label={heading}>
      <h4>{pending ? 'Proposal' : 'Accepted proposal'}</h4>
      <p className="meta" role="status">
        <span>
          {calibrated.length} of {questions(items.length)} estimated
        </span>
        {poorFit > 0 && (
          <span>
            <strong>{poorFit} with a poor fit</strong> (RMSD above {figure(POOR_FIT_RMSD)}: the 2PL curve misses their
            answers; read them before applying)
          </span>
        )}
      </p>
      {items.length === 0 ? (
        <Empty>This run holds no question.</Empty>
      ) : (
        <div className="scroll">
          <table className="board questions calibration" aria-label={`Calibrated questions, ${heading}`}>
            <thead>
              <tr>
                <th scope="col" rowSpan={2}>
                  Key
                </th>
                <th scope="col" rowSpan={2}>
                  Answers
                </th>
                <th scope="colgroup" colSpan={3}>
                  Discrimination (a)
                </th>
                <th scope="colgroup" colSpan={3}>
                  Difficulty (b)
                </th>
                <th scope="col" rowSpan={2} title="Root mean squared gap between the answers and the 2PL curve">
                  Fit (RMSD)
                </th>
                <th scope="col" rowSpan={2}>
                  {pending ? (
                    <label className="check">
                      <input
                        ref={all}
                        type="checkbox"
                        checked={calibrated.length > 0 && chosen.length === calibrated.length}
                        disabled={calibrated.length === 0}
                        onChange={(e) =>
                          setExcluded(e.target.checked ? new Set() : new Set(calibrated.map((i) => i.question.id)))
                        }
                      />
                      Apply
                    </label>
                  ) : (
                    'Applied'
                  )}
                </th>
              </tr>
              <tr>
                <th scope="col">{pending ? 'Current' : 'Before'}</th>
                <th scope="col">Proposed</th>
                <th scope="col">Change</th>
                <th scope="col">{pending ? 'Current' : 'Before'}</th>
                <th scope="col">Proposed</th>
                <th scope="col">Change</th>
              </tr>
            </thead>
            <tbody>
              {items.map((item) => (
                <ItemRow
                  key={item.question.id}
                  item={item}
                  run={run}
                  pending={pending}
                  chosen={!excluded.has(item.question.id)}
                  onChoose={(on) => toggle(item.question.id, on)}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {calibrated.length > 0 && (
        <DifficultyChart
          rows={calibrated.map((item) => ({
            key: item.question.key,
            current: item.difficultyBefore,
            proposed: item.difficulty ?? item.difficultyBefore,
            poorFit: item.rmsd != null && item.rmsd > POOR_FIT_RMSD,
          }))}
        />
      )}
      {pending && (
        <div className="confirm">
          <button type="button" onClick={submit} disabled={accepting.fetching || chosen.length === 0}>
            {chosen.length === calibrated.length
              ? `Accept for ${calibrated.length === 1 ? 'the question' : `all ${calibrated.length} questions`}`
              : `Accept for ${chosen.length} of ${questions(calibrated.length)}`}
          </button>
          <span className="hint">The questions chosen take the proposed a and b; the next tests use them.</span>
        </div>
      )}
      {problem && <ErrorMessage error={problem.text} title={problem.title} />}
      {accepted !== null && !pending && (
        <p role="status">
          <strong>Accepted:</strong> {questions(accepted)} took {accepted === 1 ? 'its' : 'their'} new parameters (see
          the questions above).
        </p>
      )}
    </section>
  );
}

function ItemRow({
  item,
  run,
  pending,
  chosen,
  onChoose,
}: {
  item: Item;
  run: Run;
  pending: boolean;
  chosen: boolean;
  onChoose: (on: boolean) => void;
}) {
  const { question } = item;
  const poorFit = item.rmsd != null && item.rmsd > POOR_FIT_RMSD;
  // While the proposal waits, its question may have been given other parameters (another run accepted).
  const moved = (before: number, now: number) =>
    pending && figure(before) !== figure(now) ? <span className="meta"> now {figure(now)}</span> : null;
  return (
    <tr
      aria-label={question.key}
      className={poorFit ? 'review' : question.status === 'RETIRED' ? 'retired' : undefined}
    >
      <td className="key">
        {question.key}
        {question.status === 'RETIRED' && <span className="meta"> retired</span>}
      </td>
      <td>{item.responses}</td>
      <td>
        {figure(item.discriminationBefore)}
        {moved(item.discriminationBefore, question.discrimination)}
      </td>
      <td>{figure(item.discrimination)}</td>
      <td>{item.discriminationChange == null ? '—' : signed(item.discriminationChange)}</td>
      <td>
        {figure(item.difficultyBefore)}
        {moved(item.difficultyBefore, question.difficulty)}
      </td>
      <td>{figure(item.difficulty)}</td>
      <td>{item.difficultyChange == null ? '—' : signed(item.difficultyChange)}</td>
      <td>
        {figure(item.rmsd)}
        {poorFit && <span className="tag hard flag">poor fit</span>}
      </td>
      <td>
        {!item.calibrated ? (
          <span className="meta">{item.skipReason ? SKIPPED[item.skipReason](run) : 'Kept'}</span>
        ) : pending ? (
          <input
            type="checkbox"
            aria-label={`Apply to ${question.key}`}
            checked={chosen}
            onChange={(e) => onChoose(e.target.checked)}
          />
        ) : item.accepted ? (
          'Yes'
        ) : (
          'No'
        )}
      </td>
    </tr>
  );
}
