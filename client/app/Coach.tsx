/** The Socratic coach: the conversation on this attempt, and the reply streaming in. */
import { type FormEvent, useCallback, useEffect, useRef, useState } from 'react';
import { useMutation, useSubscription } from 'urql';
import { type FragmentType, getFragmentData } from '../gql/index.js';
import type { CoachTurnEventsSubscription } from '../gql/graphql.js';
import {
  AskCoachMutation,
  CoachTurnEventsSubscription as CoachTurnEventsDocument,
  CoachTurnFields,
} from '../operations.js';
import { ErrorMessage, Prose } from './ui.js';

type Turn = FragmentType<typeof CoachTurnFields>;
type Event = CoachTurnEventsSubscription['coachTurnEvents'];

function TurnView({ turn }: { turn: Turn }) {
  const t = getFragmentData(CoachTurnFields, turn);
  if (t.role === 'STUDENT') return <li className="turn student">{t.message}</li>;
  if (t.status === 'FAILED')
    return <li className="turn coach failed">The coach could not answer ({t.failureReason}).</li>;
  return (
    <li className="turn coach">
      <span className="who">{t.builtinCoach ? 'Built-in coach' : 'Coach'}</span>
      <Prose text={t.message} />
      {t.question && (
        <div className="question">
          <Prose text={t.question} />
        </div>
      )}
      {t.evidence.length > 0 && (
        <ul className="evidence" aria-label="Evidence">
          {t.evidence.map((item) => (
            <li key={item.ref} title={item.summary}>
              {item.summary}
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}

/** Follows one turn as it streams; calls onDone (once) with the final turn. */
function StreamingTurn({ turnId, onDone }: { turnId: string; onDone: (turn: Turn) => void }) {
  const [{ data, error }] = useSubscription(
    { query: CoachTurnEventsDocument, variables: { turnId } },
    (previous: { text: string; final: Turn | null } = { text: '', final: null }, next) => {
      const event: Event = next.coachTurnEvents;
      if (event.__typename === 'CoachTokenDelta') {
        return { ...previous, text: previous.text.slice(0, event.offset) + event.text };
      }
      if (event.__typename === 'CoachTurnCompleted' || event.__typename === 'CoachTurnFailed') {
        // The final turn replaces the streamed text (it may have been withheld and replaced).
        return { ...previous, final: event.turn };
      }
      return previous;
    },
  );
  const final = data?.final ?? null;
  const reported = useRef(false);
  useEffect(() => {
    if (final && !reported.current) {
      reported.current = true;
      onDone(final);
    }
  }, [final, onDone]);
  if (error) return <ErrorMessage error={error} title="Lost the coach’s reply" />;
  return (
    <li className="turn coach streaming" aria-busy="true">
      <span className="who">Coach</span>
      {/* Markdown as it streams: an unclosed fence or emphasis renders as text until it closes. */}
      <Prose text={data?.text || 'Thinking…'} />
    </li>
  );
}

export function CoachPanel({ attemptId, turns: initial }: { attemptId: string; turns: Turn[] }) {
  const [turns, setTurns] = useState<Turn[]>(initial);
  const [message, setMessage] = useState('');
  const [streaming, setStreaming] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [{ fetching }, ask] = useMutation(AskCoachMutation);
  const finished = useCallback((turn: Turn) => {
    const id = getFragmentData(CoachTurnFields, turn).id;
    setTurns((previous) =>
      previous.some((known) => getFragmentData(CoachTurnFields, known).id === id) ? previous : [...previous, turn],
    );
    setStreaming(null);
  }, []);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setProblem(null);
    const result = await ask({ input: { attemptId, message, idempotencyKey: crypto.randomUUID() } });
    const payload = result.data?.askCoach;
    if (result.error) setProblem(result.error.message);
    else if (payload?.__typename === 'SocraticTurn') {
      const turn = getFragmentData(CoachTurnFields, payload);
      setTurns((previous) => [
        ...previous,
        { __typename: 'SocraticTurn', id: `${turn.id}-asked`, role: 'STUDENT', message } as unknown as Turn,
      ]);
      setStreaming(turn.id);
      setMessage('');
    } else if (payload && 'message' in payload) {
      setProblem(
        'retryAfterSeconds' in payload
          ? `${payload.message} (try again in ${payload.retryAfterSeconds} s)`
          : payload.message,
      );
    }
  }

  return (
    <section className="card coach" aria-label="Coach">
      <h2>Coach</h2>
      <ol className="turns" aria-label="Conversation">
        {turns.map((turn) => (
          <TurnView key={getFragmentData(CoachTurnFields, turn).id} turn={turn} />
        ))}
        {streaming && <StreamingTurn turnId={streaming} onDone={finished} />}
      </ol>
      {turns.length === 0 && !streaming && <p className="meta">Ask about a failing test or where to start.</p>}
      <form onSubmit={submit} className="ask">
        <label>
          Your question for the coach
          <textarea value={message} rows={2} required onChange={(e) => setMessage(e.target.value)} />
        </label>
        {problem && <ErrorMessage error={problem} title="The coach was not asked" />}
        <button type="submit" disabled={fetching || Boolean(streaming) || !message.trim()}>
          Ask the coach
        </button>
      </form>
    </section>
  );
}
