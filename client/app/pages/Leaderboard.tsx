/** Leaderboards by scope and window, kept live by leaderboardChanged. */
import { useState } from 'react';
import { useQuery, useSubscription } from 'urql';
import { getFragmentData } from '../../gql/index.js';
import type { LeaderboardScope, LeaderboardWindow } from '../../gql/graphql.js';
import { LeaderboardChangedSubscription, LeaderboardEntryFields, LeaderboardQuery } from '../../operations.js';
import { Empty, ErrorMessage, Loading, Page } from '../ui.js';

const SCOPES: LeaderboardScope[] = ['ORGANIZATION', 'GLOBAL'];
const WINDOWS: LeaderboardWindow[] = ['WEEK', 'MONTH', 'ALL_TIME'];
const label = (value: string) => value.charAt(0) + value.slice(1).toLowerCase().replaceAll('_', ' ');

export function LeaderboardPage() {
  const [scope, setScope] = useState<LeaderboardScope>('ORGANIZATION');
  const [window, setWindow] = useState<LeaderboardWindow>('ALL_TIME');
  const variables = { scope, window, first: 20 };
  const [{ data, fetching, error }, refetch] = useQuery({ query: LeaderboardQuery, variables });
  // A change pushed live: read the page again (with your own entry).
  useSubscription(
    { query: LeaderboardChangedSubscription, variables: { scope, window, first: 20 } },
    (_previous, next) => {
      queueMicrotask(() => refetch({ requestPolicy: 'network-only' }));
      return next;
    },
  );
  const board = data?.leaderboard.__typename === 'LeaderboardConnection' ? data.leaderboard : null;
  const rows = board?.edges.map((edge) => getFragmentData(LeaderboardEntryFields, edge.node)) ?? [];
  const mine = board?.viewerEntry ? getFragmentData(LeaderboardEntryFields, board.viewerEntry) : null;

  return (
    <Page title="Leaderboard">
      <form className="filters" aria-label="Choose a leaderboard" onSubmit={(e) => e.preventDefault()}>
        <label>
          Scope
          <select value={scope} onChange={(e) => setScope(e.target.value as LeaderboardScope)}>
            {SCOPES.map((value) => (
              <option key={value} value={value}>
                {value === 'ORGANIZATION' ? 'My organization' : 'Everyone'}
              </option>
            ))}
          </select>
        </label>
        <label>
          Window
          <select value={window} onChange={(e) => setWindow(e.target.value as LeaderboardWindow)}>
            {WINDOWS.map((value) => (
              <option key={value} value={value}>
                {value === 'ALL_TIME' ? 'All time' : `This ${label(value).toLowerCase()} (UTC)`}
              </option>
            ))}
          </select>
        </label>
      </form>
      {error && <ErrorMessage error={error} title="Could not load the leaderboard" />}
      {data?.leaderboard && 'message' in data.leaderboard && <ErrorMessage error={data.leaderboard.message} />}
      {fetching && !data && <Loading what="the leaderboard" />}
      {board && rows.length === 0 && <Empty>No points on this board yet.</Empty>}
      {rows.length > 0 && (
        <table className="board" aria-label="Leaderboard">
          <thead>
            <tr>
              <th scope="col">Rank</th>
              <th scope="col">Learner</th>
              <th scope="col">Points</th>
              <th scope="col">Solved</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row, index) => (
              <tr key={`${row.rank}-${index}`} className={row.isViewer ? 'viewer' : undefined}>
                <td>{row.rank}</td>
                <td>
                  {row.displayName}
                  {row.isViewer && ' (you)'}
                </td>
                <td>{row.points}</td>
                <td>{row.solvedCount}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {mine && !rows.some((row) => row.isViewer) && (
        <p className="meta">
          You: rank {mine.rank} with {mine.points} points.
        </p>
      )}
    </Page>
  );
}
