/** Your progress: points, streak, badges, achievements, mastery per pattern and proficiency per concept. */
import { useQuery } from 'urql';
import { Link } from 'wouter';
import { ViewerQuery } from '../../operations.js';
import { ConceptProficiencies } from '../Proficiency.js';
import { Empty, ErrorMessage, Loading, Page, percent, when } from '../ui.js';

export function ProgressPage() {
  const [{ data, fetching, error }] = useQuery({ query: ViewerQuery, requestPolicy: 'cache-and-network' });
  if (error) return <ErrorMessage error={error} title="Could not load your progress" />;
  if (fetching && !data) return <Loading what="your progress" />;
  const viewer = data?.viewer;
  if (!viewer) return <ErrorMessage error="Sign in to see your progress" />;
  return (
    <Page title="Your progress">
      <dl className="stats">
        <div>
          <dt>Points</dt>
          <dd>{viewer.points}</dd>
        </div>
        <div>
          <dt>Solved</dt>
          <dd>{viewer.solvedCount}</dd>
        </div>
        <div>
          <dt>Streak</dt>
          <dd>{viewer.currentStreak} days</dd>
        </div>
        <div>
          <dt>Longest streak</dt>
          <dd>{viewer.longestStreak} days</dd>
        </div>
      </dl>
      <h2>Badges</h2>
      {viewer.badges.length === 0 ? (
        <Empty>No badge yet: solve a problem to earn your first.</Empty>
      ) : (
        <ul className="cards badges" aria-label="Badges">
          {viewer.badges.map((earned) => (
            <li key={earned.badge.key} className="card">
              <strong>{earned.badge.name}</strong>
              <p>{earned.badge.description}</p>
              <p className="meta">Earned {when(earned.awardedAt)}</p>
            </li>
          ))}
        </ul>
      )}
      <h2>Achievements</h2>
      {viewer.achievements.length === 0 ? (
        <Empty>No achievement yet.</Empty>
      ) : (
        <ul aria-label="Achievements">
          {viewer.achievements.map((achievement) => (
            <li key={achievement.key}>
              {achievement.key.replaceAll('_', ' ').toLowerCase()} · {when(achievement.achievedAt)}
            </li>
          ))}
        </ul>
      )}
      <h2>Mastery</h2>
      {viewer.mastery.length === 0 ? (
        <Empty>Mastery appears once you have been evaluated on a pattern.</Empty>
      ) : (
        <ul aria-label="Mastery">
          {viewer.mastery.map((row) => (
            <li key={`${row.track}-${row.pattern}`}>
              {row.pattern.replaceAll('_', ' ').toLowerCase()}:{' '}
              <meter value={row.mastery} min={0} max={1} aria-label={`${row.pattern} mastery`} /> {percent(row.mastery)}
            </li>
          ))}
        </ul>
      )}
      <h2>Proficiency by concept</h2>
      <ConceptProficiencies
        proficiencies={viewer.conceptProficiencies}
        empty={
          <>
            No concept measured yet: finish an adaptive test on the <Link href="/tests">Tests page</Link> and your
            proficiency in each of its concepts appears here.
          </>
        }
      />
    </Page>
  );
}
