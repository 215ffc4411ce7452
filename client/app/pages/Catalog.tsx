/**
 * The home page: your next step on your path first, then the catalog: filter problems by track,
 * difficulty and pattern; see your progress on each.
 */
import { useMemo, useState } from 'react';
import { useQuery } from 'urql';
import { Link } from 'wouter';
import { graphql } from '../../gql/index.js';
import type { Difficulty, NextStepQuery as NextStepData, Track } from '../../gql/graphql.js';
import { conceptLabel } from '../adaptive.js';
import { useStartTopicTest } from '../topicTest.js';
import { Empty, ErrorMessage, Loading, Page, Prose, percent } from '../ui.js';

const CatalogPageQuery = graphql(`
  query CatalogPage($filter: ContentFilter, $first: Int, $after: String) {
    contentItems(filter: $filter, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          slug
          title
          summary
          track
          difficulty
          pattern
          estimatedMinutes
          basePoints
          viewerProgress {
            status
            bestScore
          }
        }
      }
    }
  }
`);

const NextStepQuery = graphql(`
  query NextStep {
    viewer {
      id
      curriculum {
        id
      }
      nextStep {
        kind
        reason
        dueAt
        topic {
          id
          title
          concept
        }
        exercise {
          contentItem {
            slug
            title
          }
          questionPool {
            id
            slug
            name
            concepts
            questionCount
          }
        }
      }
    }
  }
`);

// Before the first curriculum the answer holds none: name it, so that planning one reads this again.
const NEXT_STEP_CONTEXT = { additionalTypenames: ['Curriculum', 'CurriculumTopic', 'TopicProgress'] };

const TRACKS: Track[] = ['CODING_INTERVIEW', 'DEBUG_LAB', 'SYSTEM_DESIGN'];
const DIFFICULTIES: Difficulty[] = ['EASY', 'MEDIUM', 'HARD'];
const label = (value: string) => value.charAt(0) + value.slice(1).toLowerCase().replaceAll('_', ' ');

export function CatalogPage() {
  const [track, setTrack] = useState<Track | ''>('');
  const [difficulty, setDifficulty] = useState<Difficulty | ''>('');
  const [pattern, setPattern] = useState('');
  const filter = {
    ...(track ? { track } : {}),
    ...(difficulty ? { difficulty } : {}),
    ...(pattern.trim() ? { pattern: pattern.trim().toUpperCase().replaceAll(' ', '_') } : {}),
  };
  const [{ data, fetching, error }] = useQuery({ query: CatalogPageQuery, variables: { filter, first: 50 } });
  const items = data?.contentItems.edges.map((edge) => edge.node) ?? [];

  return (
    <Page title="Problems">
      <NextStep />
      <form className="filters" aria-label="Filter problems" onSubmit={(e) => e.preventDefault()}>
        <label>
          Track
          <select value={track} onChange={(e) => setTrack(e.target.value as Track | '')}>
            <option value="">All tracks</option>
            {TRACKS.map((value) => (
              <option key={value} value={value}>
                {label(value)}
              </option>
            ))}
          </select>
        </label>
        <label>
          Difficulty
          <select value={difficulty} onChange={(e) => setDifficulty(e.target.value as Difficulty | '')}>
            <option value="">Any difficulty</option>
            {DIFFICULTIES.map((value) => (
              <option key={value} value={value}>
                {label(value)}
              </option>
            ))}
          </select>
        </label>
        <label>
          Pattern
          <input value={pattern} placeholder="e.g. hashing" onChange={(e) => setPattern(e.target.value)} />
        </label>
      </form>
      {error && <ErrorMessage error={error} title="Could not load the problems" />}
      {fetching && !data && <Loading what="problems" />}
      {data && items.length === 0 && <Empty>No problem matches these filters.</Empty>}
      {items.length > 0 && (
        <ul className="cards" aria-label="Problems">
          {items.map((item) => (
            <li key={item.id} className="card item">
              <Link href={`/problems/${item.slug}`} className="item-title">
                {item.title}
              </Link>
              <p>
                <Prose text={item.summary} inline />
              </p>
              <p className="meta">
                <span className={`tag ${item.difficulty.toLowerCase()}`}>{label(item.difficulty)}</span>
                <span className="tag">{label(item.track)}</span>
                <span className="tag">{label(item.pattern)}</span>
                <span>{item.estimatedMinutes} min</span>
                <span>{item.basePoints} pts</span>
                {item.viewerProgress && (
                  <span className={`tag status ${item.viewerProgress.status.toLowerCase()}`}>
                    {item.viewerProgress.status === 'SOLVED'
                      ? 'Solved'
                      : `Best ${percent(item.viewerProgress.bestScore)}`}
                  </span>
                )}
              </p>
            </li>
          ))}
        </ul>
      )}
      {data && <p className="meta">{data.contentItems.totalCount} problems</p>}
    </Page>
  );
}

/** What to do now on your path; a way to plan one when there is none. */
function NextStep() {
  const context = useMemo(() => NEXT_STEP_CONTEXT, []);
  const [{ data, error }] = useQuery({ query: NextStepQuery, context, requestPolicy: 'cache-and-network' });
  if (error && !data) return <ErrorMessage error={error} title="Could not load your next step" />;
  const viewer = data?.viewer;
  if (!viewer) return null;
  if (!viewer.curriculum) {
    return (
      <p className="card next-step">
        No learning path yet. <Link href="/path">Plan your path</Link>
      </p>
    );
  }
  const step = viewer.nextStep;
  if (!step) return null;
  return (
    <section className="card next-step" aria-labelledby="next-step-title">
      <h2 id="next-step-title">Your next step: {step.topic.title}</h2>
      <p>{step.reason}</p>
      <NextExercise exercise={step.exercise} concept={step.topic.concept} />
    </section>
  );
}

type Step = NonNullable<NonNullable<NextStepData['viewer']>['nextStep']>;

function NextExercise({ exercise, concept }: { exercise: Step['exercise']; concept: string }) {
  const { startTest, starting, problem } = useStartTopicTest(concept);
  const { contentItem: item, questionPool: pool } = exercise;
  if (item) return <Link href={`/problems/${item.slug}`}>Solve {item.title}</Link>;
  if (!pool) return <span className="muted">This exercise is no longer available.</span>;
  return (
    <>
      <button
        type="button"
        onClick={() => startTest(pool.id, pool.concepts)}
        disabled={starting || pool.questionCount === 0}
      >
        {pool.concepts.includes(concept) ? `Take a test on ${conceptLabel(concept)}` : `Take the test ${pool.name}`}
      </button>
      {problem && <ErrorMessage error={problem} title="Not started" />}
    </>
  );
}
