/**
 * Your progress: points, streak, an activity calendar and points over time, badges,
 * achievements, mastery per pattern and proficiency per concept.
 */
import { useQuery } from 'urql';
import { Link } from 'wouter';
import { graphql } from '../../gql/index.js';
import { ViewerQuery } from '../../operations.js';
import { ActivityCalendar, CALENDAR_WEEKS, localToday } from '../Activity.js';
import { PatternMasteryChart, PointsChart } from '../lazyCharts.js';
import { ConceptProficiencies } from '../Proficiency.js';
import { Empty, ErrorMessage, Loading, Page, percent, when } from '../ui.js';

const ProgressChartsQuery = graphql(`
  query ProgressCharts($days: Int!) {
    viewer {
      id
      timeZone
      dailyActivity(days: $days) {
        day
        submissions
        solved
        points
      }
      pointsHistory(days: $days) {
        day
        points
        total
      }
    }
  }
`);

/** The days the charts reach back: the calendar's weeks. */
const CHART_DAYS = CALENDAR_WEEKS * 7;

const patternLabel = (pattern: string) => pattern.charAt(0) + pattern.slice(1).toLowerCase().replaceAll('_', ' ');

/** The activity calendar and the points line, from their own query: the rest of the page need not wait for them. */
function ActivityCharts() {
  const [{ data, fetching, error }] = useQuery({
    query: ProgressChartsQuery,
    variables: { days: CHART_DAYS },
    requestPolicy: 'cache-and-network',
  });
  if (error && !data) return <ErrorMessage error={error} title="Could not load your activity" />;
  if (fetching && !data) return <Loading what="your activity" />;
  const viewer = data?.viewer;
  if (!viewer) return null;
  return (
    <>
      <h2>Activity</h2>
      <ActivityCalendar days={viewer.dailyActivity} today={localToday(viewer.timeZone)} />
      <h2>Points over time</h2>
      {viewer.pointsHistory.length === 0 ? (
        <Empty>No points yet: solve a problem and your points start to climb here.</Empty>
      ) : (
        <PointsChart rows={viewer.pointsHistory} />
      )}
    </>
  );
}

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
      <ActivityCharts />
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
        <>
          <PatternMasteryChart
            rows={viewer.mastery.map((row) => ({
              key: `${row.track}-${row.pattern}`,
              label: patternLabel(row.pattern),
              mastery: row.mastery,
            }))}
          />
          <ul aria-label="Mastery">
            {viewer.mastery.map((row) => (
              <li key={`${row.track}-${row.pattern}`}>
                {patternLabel(row.pattern)}:{' '}
                <meter value={row.mastery} min={0} max={1} aria-label={`${row.pattern} mastery`} />{' '}
                {percent(row.mastery)}
              </li>
            ))}
          </ul>
        </>
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
