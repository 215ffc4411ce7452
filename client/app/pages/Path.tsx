/**
 * Your learning path: the profile it is planned for, a button that plans it, and its topics in
 * order with their lock, progress and exercises; pause, resume, practice mode and reordering
 * within the prerequisites.
 */
import { type FormEvent, type RefObject, useEffect, useMemo, useRef, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { Link, useLocation } from 'wouter';
import { type FragmentType, getFragmentData, graphql } from '../../gql/index.js';
import type {
  PathPageQuery as PathPageData,
  CurriculumPlanner,
  CurriculumStatus,
  LearningStyle,
  SkillLevel,
  StudyTime,
  Track,
} from '../../gql/graphql.js';
import { conceptLabel } from '../adaptive.js';
import { useStartTopicTest } from '../topicTest.js';
import { Empty, ErrorMessage, Loading, Page, Prose, failureMessage, percent } from '../ui.js';

export const PathTopicFields = graphql(`
  fragment PathTopicFields on CurriculumTopic {
    id
    title
    description
    order
    difficulty
    objectives
    estimatedMinutes
    concept
    locked
    lockedReason
    prerequisites {
      id
      title
      order
    }
    exercises {
      order
      contentItem {
        id
        slug
        title
        track
      }
      questionPool {
        id
        slug
        name
        concepts
        questionCount
      }
    }
    progress {
      attempts
      consecutiveFailures
      bestScore
      timeSpentSeconds
      completed
      completedAt
      lastAttemptAt
      unlockedAt
    }
  }
`);

export const PathCurriculumFields = graphql(`
  fragment PathCurriculumFields on Curriculum {
    id
    title
    status
    planner
    plannerNote
    weeklyHours
    totalTopics
    completedTopics
    topics {
      ...PathTopicFields
    }
  }
`);

const PathPageQuery = graphql(`
  query PathPage {
    viewer {
      id
      learningProfile {
        skillLevel
        learningStyle
        goals
        weeklyHours
        preferredTimes
        practiceMode
        assessmentCompleted
        updatedAt
      }
      curriculum {
        ...PathCurriculumFields
      }
    }
  }
`);

const UpdateLearningProfileMutation = graphql(`
  mutation UpdateLearningProfile($input: UpdateLearningProfileInput!) {
    updateLearningProfile(input: $input) {
      __typename
      ... on LearningProfile {
        skillLevel
        learningStyle
        goals
        weeklyHours
        preferredTimes
        practiceMode
        updatedAt
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

const GenerateCurriculumMutation = graphql(`
  mutation GenerateCurriculum($input: GenerateCurriculumInput) {
    generateCurriculum(input: $input) {
      __typename
      ... on Curriculum {
        ...PathCurriculumFields
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

const PauseCurriculumMutation = graphql(`
  mutation PauseCurriculum {
    pauseCurriculum {
      __typename
      ... on Curriculum {
        id
        status
      }
      ... on Error {
        message
      }
    }
  }
`);

const ResumeCurriculumMutation = graphql(`
  mutation ResumeCurriculum {
    resumeCurriculum {
      __typename
      ... on Curriculum {
        id
        status
      }
      ... on Error {
        message
      }
    }
  }
`);

const ReorderTopicsMutation = graphql(`
  mutation ReorderTopics($input: ReorderTopicsInput!) {
    reorderTopics(input: $input) {
      __typename
      ... on Curriculum {
        ...PathCurriculumFields
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

const StartPlacementMutation = graphql(`
  mutation StartPlacement {
    startPlacement {
      __typename
      ... on AdaptiveTestSession {
        id
      }
      ... on Error {
        message
      }
    }
  }
`);

// Before the first profile or curriculum the page holds neither type: name them, so that the
// mutations that create them read the page again.
const PATH_CONTEXT = { additionalTypenames: ['LearningProfile', 'Curriculum', 'CurriculumTopic'] };

const SKILL_LEVELS: Record<SkillLevel, string> = {
  BEGINNER: 'Beginner',
  INTERMEDIATE: 'Intermediate',
  ADVANCED: 'Advanced',
  EXPERT: 'Expert',
};
const LEARNING_STYLES: Record<LearningStyle, string> = {
  MIXED: 'Mixed (code, then a test)',
  HANDS_ON: 'Hands-on (code first)',
  READING: 'Reading (questions first)',
  VISUAL: 'Visual (diagrams first)',
};
const STUDY_TIMES: Record<StudyTime, string> = {
  MORNING: 'Mornings',
  AFTERNOON: 'Afternoons',
  EVENING: 'Evenings',
  NIGHT: 'Late at night',
  WEEKEND: 'Weekends',
};
const STATUS: Record<CurriculumStatus, string> = {
  DRAFT: 'Draft',
  ACTIVE: 'Active',
  PAUSED: 'Paused',
  COMPLETED: 'Completed',
};
const PLANNER: Record<CurriculumPlanner, string> = {
  ANTHROPIC: 'Planned by the Anthropic model',
  BUILTIN: 'Planned by the built-in planner',
  INSTRUCTOR: 'From your instructor’s template',
};
const TRACK: Record<Track, string> = {
  CODING_INTERVIEW: 'Coding',
  DEBUG_LAB: 'Debug lab',
  SYSTEM_DESIGN: 'System design',
};

/** The API's bounds of `weeklyHours` (UpdateLearningProfileInput): it checks them, and names the field. */
const WEEKLY_HOURS = { least: 0.5, most: 40, default: 3 } as const;

/** One bad field of an InvalidInput. */
interface InputIssue {
  path: readonly string[];
  message: string;
}

type Profile = NonNullable<NonNullable<PathPageData['viewer']>['learningProfile']>;
type CurriculumData = ReturnType<typeof unmaskCurriculum>;
type Topic = ReturnType<typeof unmaskTopic>;

const unmaskCurriculum = (curriculum: FragmentType<typeof PathCurriculumFields>) =>
  getFragmentData(PathCurriculumFields, curriculum);
const unmaskTopic = (topic: FragmentType<typeof PathTopicFields>) => getFragmentData(PathTopicFields, topic);

/** The form's fields, as typed (numbers as text until sent). */
interface ProfileDraft {
  skillLevel: SkillLevel;
  learningStyle: LearningStyle;
  goals: string;
  weeklyHours: string;
  preferredTimes: StudyTime[];
}

function draftOf(profile: Profile | null | undefined): ProfileDraft {
  return {
    skillLevel: profile?.skillLevel ?? 'BEGINNER',
    learningStyle: profile?.learningStyle ?? 'MIXED',
    goals: (profile?.goals ?? []).join('\n'),
    weeklyHours: String(profile?.weeklyHours ?? WEEKLY_HOURS.default),
    preferredTimes: profile?.preferredTimes ?? [],
  };
}

/** The form as UpdateLearningProfileInput: a goal a line, blank lines dropped, an empty hours field left out. */
function inputOf(draft: ProfileDraft) {
  const hours = draft.weeklyHours.trim();
  return {
    skillLevel: draft.skillLevel,
    learningStyle: draft.learningStyle,
    goals: draft.goals
      .split('\n')
      .map((goal) => goal.trim())
      .filter((goal) => goal !== ''),
    ...(hours === '' ? {} : { weeklyHours: Number(hours) }),
    // In the order the form lists them, whatever order they were ticked in.
    preferredTimes: (Object.keys(STUDY_TIMES) as StudyTime[]).filter((time) => draft.preferredTimes.includes(time)),
  };
}

const sameDraft = (a: ProfileDraft, b: ProfileDraft) => JSON.stringify(inputOf(a)) === JSON.stringify(inputOf(b));

/** `["input", "goals", "1"]` → `Goal 2`; the other fields by their label. */
function issueText(issue: InputIssue): string {
  const [, field, index] = issue.path;
  if (field === 'goals' && index !== undefined) return `Goal ${Number(index) + 1} ${issue.message}`;
  return `${FIELD_LABELS[field ?? ''] ?? 'This field'} ${issue.message}`;
}
const FIELD_LABELS: Record<string, string> = {
  skillLevel: 'Skill level',
  learningStyle: 'Learning style',
  goals: 'Goals',
  weeklyHours: 'Hours a week',
  preferredTimes: 'Preferred times',
  practiceMode: 'Practice mode',
};

export function PathPage() {
  const context = useMemo(() => PATH_CONTEXT, []);
  const [{ data, fetching, error }] = useQuery({ query: PathPageQuery, context, requestPolicy: 'cache-and-network' });
  if (error && !data) return <ErrorMessage error={error} title="Could not load your path" />;
  if (fetching && !data) return <Loading what="your path" />;
  const viewer = data?.viewer;
  if (!viewer) return <ErrorMessage error="Sign in to see your learning path" />;
  const curriculum = viewer.curriculum ? unmaskCurriculum(viewer.curriculum) : null;
  return (
    <Page title="Your learning path">
      <p className="hint">
        A path is a list of topics in order, each with its exercises. A topic opens once the topics it builds on are
        completed (a best score of {percent(0.7)} or more); practice mode opens them all.
      </p>
      {error && <ErrorMessage error={error} title="Could not read your path again" />}
      <Placement completed={viewer.learningProfile?.assessmentCompleted ?? false} />
      <ProfileForm profile={viewer.learningProfile ?? null} hasPath={curriculum !== null} />
      <h2 id="curriculum-title">Your topics</h2>
      {curriculum ? (
        <Curriculum curriculum={curriculum} practiceMode={viewer.learningProfile?.practiceMode ?? false} />
      ) : (
        <Empty>No path yet: fill in your profile above and choose “Plan my path”.</Empty>
      )}
    </Page>
  );
}

/** The placement test: offered until it is done, since its measures seed the plan. */
function Placement({ completed }: { completed: boolean }) {
  const [starting, start] = useMutation(StartPlacementMutation);
  const [problem, setProblem] = useState<string | null>(null);
  const [, navigate] = useLocation();

  async function takePlacement() {
    setProblem(null);
    const result = await start({});
    const payload = result.data?.startPlacement;
    if (payload?.__typename === 'AdaptiveTestSession') navigate(`/tests/${encodeURIComponent(payload.id)}`);
    else setProblem(failureMessage(payload, result.error, 'The placement test did not start'));
  }

  if (completed) {
    return (
      <p className="state notice" aria-label="Placement">
        Placement completed: your path starts from what it measured.
      </p>
    );
  }
  return (
    <section className="card" aria-labelledby="placement-title">
      <h2 id="placement-title">Placement</h2>
      <p className="muted">
        A short adaptive test across the concepts (at most 20 questions): the path then skips what you already know.
      </p>
      {problem && <ErrorMessage error={problem} title="Not started" />}
      <button type="button" onClick={takePlacement} disabled={starting.fetching}>
        {starting.fetching ? 'Starting…' : 'Take the placement test'}
      </button>
    </section>
  );
}

function ProfileForm({ profile, hasPath }: { profile: Profile | null; hasPath: boolean }) {
  const saved = useMemo(() => draftOf(profile), [profile]);
  const [draft, setDraft] = useState<ProfileDraft>(saved);
  const [issues, setIssues] = useState<readonly InputIssue[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [saving, save] = useMutation(UpdateLearningProfileMutation);
  const [planning, plan] = useMutation(GenerateCurriculumMutation);
  // A plan whose reply was lost is asked for again with its key (for the same profile), so that
  // the retry plans once; any other click is a new plan, with a new key.
  const unanswered = useRef<{ profile: string; key: string } | null>(null);
  const dirty = !sameDraft(draft, saved);
  const busy = saving.fetching || planning.fetching;

  const edit = (change: Partial<ProfileDraft>) => {
    setDraft((current) => ({ ...current, ...change }));
    setNotice(null);
  };
  const issueOf = (field: string) => issues.filter((issue) => issue.path[1] === field);
  const general = issues.filter((issue) => !(issue.path[1] && issue.path[1] in FIELD_LABELS));

  /** Saves the form when it changed; false when the server refused it (its issues shown by field). */
  async function saveProfile(): Promise<boolean> {
    if (!dirty && profile) return true;
    const result = await save({ input: inputOf(draft) });
    const payload = result.data?.updateLearningProfile;
    if (payload?.__typename === 'LearningProfile') return true;
    if (payload?.__typename === 'InvalidInput') setIssues(payload.issues);
    else setProblem(failureMessage(payload, result.error, 'Your profile was not saved'));
    return false;
  }

  function reset() {
    setIssues([]);
    setProblem(null);
    setNotice(null);
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    reset();
    if (await saveProfile()) setNotice('Profile saved.');
  }

  async function planPath() {
    reset();
    if (!(await saveProfile())) return;
    const planned = JSON.stringify(inputOf(draft));
    const previous = unanswered.current;
    const key = previous && previous.profile === planned ? previous.key : crypto.randomUUID();
    unanswered.current = { profile: planned, key };
    const result = await plan({ input: { idempotencyKey: key } });
    const payload = result.data?.generateCurriculum;
    if (payload) unanswered.current = null;
    if (payload?.__typename === 'Curriculum') setNotice('Your path is planned: its topics are below.');
    else if (payload?.__typename === 'InvalidInput') setIssues(payload.issues);
    else setProblem(failureMessage(payload, result.error, 'No path was planned'));
  }

  const invalid = (field: string) => (issueOf(field).length > 0 ? true : undefined);
  /** Under a field: what the server found wrong with it, else its hint. */
  const below = (field: string, id: string, hint?: string) =>
    issueOf(field).length > 0 ? (
      <span className="invalid-text" id={id}>
        {issueOf(field).map(issueText).join('; ')}.
      </span>
    ) : hint ? (
      <span className="muted" id={id}>
        {hint}
      </span>
    ) : null;
  const describedBy = (field: string, id: string, hint?: string) =>
    issueOf(field).length > 0 || hint ? id : undefined;
  const HOURS_HINT = `${WEEKLY_HOURS.least} to ${WEEKLY_HOURS.most}: the path holds what fits in a few weeks of it.`;
  const GOALS_HINT = 'One a line, up to 10.';

  return (
    <form className="card form profile" onSubmit={submit} aria-labelledby="profile-title">
      <h2 id="profile-title">Your profile</h2>
      <div className="profile-fields">
        <div className="field">
          <label htmlFor="profile-skill">Skill level</label>
          <select
            id="profile-skill"
            value={draft.skillLevel}
            aria-invalid={invalid('skillLevel')}
            aria-describedby={describedBy('skillLevel', 'profile-skill-note')}
            onChange={(e) => edit({ skillLevel: e.target.value as SkillLevel })}
          >
            {(Object.keys(SKILL_LEVELS) as SkillLevel[]).map((level) => (
              <option key={level} value={level}>
                {SKILL_LEVELS[level]}
              </option>
            ))}
          </select>
          {below('skillLevel', 'profile-skill-note')}
        </div>
        <div className="field">
          <label htmlFor="profile-style">Learning style</label>
          <select
            id="profile-style"
            value={draft.learningStyle}
            aria-invalid={invalid('learningStyle')}
            aria-describedby={describedBy('learningStyle', 'profile-style-note')}
            onChange={(e) => edit({ learningStyle: e.target.value as LearningStyle })}
          >
            {(Object.keys(LEARNING_STYLES) as LearningStyle[]).map((style) => (
              <option key={style} value={style}>
                {LEARNING_STYLES[style]}
              </option>
            ))}
          </select>
          {below('learningStyle', 'profile-style-note')}
        </div>
        <div className="field">
          <label htmlFor="profile-hours">Hours a week</label>
          <input
            id="profile-hours"
            type="number"
            inputMode="decimal"
            min={WEEKLY_HOURS.least}
            max={WEEKLY_HOURS.most}
            step={0.5}
            value={draft.weeklyHours}
            aria-invalid={invalid('weeklyHours')}
            aria-describedby={describedBy('weeklyHours', 'profile-hours-note', HOURS_HINT)}
            onChange={(e) => edit({ weeklyHours: e.target.value })}
          />
          {below('weeklyHours', 'profile-hours-note', HOURS_HINT)}
        </div>
      </div>
      <div className="field">
        <label htmlFor="profile-goals">Goals</label>
        <textarea
          id="profile-goals"
          rows={3}
          value={draft.goals}
          placeholder="Pass a coding interview"
          aria-invalid={invalid('goals')}
          aria-describedby={describedBy('goals', 'profile-goals-note', GOALS_HINT)}
          onChange={(e) => edit({ goals: e.target.value })}
        />
        {below('goals', 'profile-goals-note', GOALS_HINT)}
      </div>
      <fieldset className="times" aria-describedby={describedBy('preferredTimes', 'profile-times-note')}>
        <legend>Preferred times</legend>
        {(Object.keys(STUDY_TIMES) as StudyTime[]).map((time) => (
          <label key={time} className="check">
            <input
              type="checkbox"
              checked={draft.preferredTimes.includes(time)}
              aria-invalid={invalid('preferredTimes')}
              onChange={(e) =>
                edit({
                  preferredTimes: e.target.checked
                    ? [...draft.preferredTimes, time]
                    : draft.preferredTimes.filter((t) => t !== time),
                })
              }
            />{' '}
            {STUDY_TIMES[time]}
          </label>
        ))}
        {below('preferredTimes', 'profile-times-note')}
      </fieldset>
      {general.length > 0 && <ErrorMessage error={general.map(issueText).join('; ')} title="Check the form" />}
      {problem && <ErrorMessage error={problem} title="Not done" />}
      {notice && (
        <p className="state notice" role="status">
          {notice}
        </p>
      )}
      <div className="confirm">
        <button type="submit" className="secondary" disabled={busy || (!dirty && profile !== null)}>
          Save profile
        </button>
        <button type="button" onClick={planPath} disabled={busy} aria-describedby="plan-hint">
          {planning.fetching ? 'Planning…' : hasPath ? 'Plan my path again' : 'Plan my path'}
        </button>
        <span className="muted" id="plan-hint">
          {hasPath
            ? 'A new plan replaces your path; the one before is kept aside.'
            : 'Saves your profile, then plans topics for your goals and hours.'}
        </span>
      </div>
    </form>
  );
}

function Curriculum({ curriculum, practiceMode }: { curriculum: CurriculumData; practiceMode: boolean }) {
  const topics = curriculum.topics.map(unmaskTopic);
  const [pausing, pause] = useMutation(PauseCurriculumMutation);
  const [resuming, resume] = useMutation(ResumeCurriculumMutation);
  const [switching, setPracticeMode] = useMutation(UpdateLearningProfileMutation);
  const [reordering, reorder] = useMutation(ReorderTopicsMutation);
  const [problem, setProblem] = useState<{ title: string; text: string } | null>(null);

  async function togglePaused() {
    setProblem(null);
    if (curriculum.status === 'PAUSED') {
      const result = await resume({});
      const payload = result.data?.resumeCurriculum;
      if (payload?.__typename !== 'Curriculum')
        setProblem({ title: 'Not resumed', text: failureMessage(payload, result.error, 'Your path was not resumed') });
    } else {
      const result = await pause({});
      const payload = result.data?.pauseCurriculum;
      if (payload?.__typename !== 'Curriculum')
        setProblem({ title: 'Not paused', text: failureMessage(payload, result.error, 'Your path was not paused') });
    }
  }

  // The box follows the click at once; the topics follow once the path is read again.
  const [practice, setPractice] = useState(practiceMode);
  useEffect(() => setPractice(practiceMode), [practiceMode]);

  async function togglePracticeMode(on: boolean) {
    setProblem(null);
    setPractice(on);
    const result = await setPracticeMode({ input: { practiceMode: on } });
    const payload = result.data?.updateLearningProfile;
    if (payload?.__typename !== 'LearningProfile') {
      setPractice(!on);
      setProblem({
        title: 'Practice mode unchanged',
        text: failureMessage(payload, result.error, 'Practice mode was not changed'),
      });
    }
  }

  // The topic being moved: its card takes the focus back once it is in its new place (the
  // list is read again after the move, and moving the card's markup loses the focus).
  const moved = useRef<{ id: string; by: -1 | 1 } | null>(null);

  async function move(index: number, by: -1 | 1) {
    // One move at a time (the buttons stay enabled, so that the focus stays on them).
    if (reordering.fetching) return;
    setProblem(null);
    const ids = topics.map((topic) => topic.id);
    const other = index + by;
    const [a, b] = [ids[index], ids[other]];
    if (a === undefined || b === undefined) return;
    [ids[index], ids[other]] = [b, a];
    moved.current = { id: a, by };
    const result = await reorder({ input: { topicIds: ids } });
    const payload = result.data?.reorderTopics;
    if (payload?.__typename === 'Curriculum') return;
    moved.current = null;
    setProblem({
      title: 'Not moved',
      text:
        payload?.__typename === 'InvalidInput'
          ? payload.issues.map((issue) => issue.message).join('; ')
          : failureMessage(payload, result.error, 'The topics were not reordered'),
    });
  }

  const pausable = curriculum.status === 'ACTIVE' || curriculum.status === 'PAUSED';
  return (
    <section className="curriculum" aria-labelledby="curriculum-title">
      <div className="card">
        <h3 className="item-title">{curriculum.title}</h3>
        <p className="meta">
          <span className={`tag status ${curriculum.status.toLowerCase()}`} aria-label="Status">
            {STATUS[curriculum.status]}
          </span>
          <span>{PLANNER[curriculum.planner]}</span>
          <span>for {curriculum.weeklyHours} h a week</span>
        </p>
        {curriculum.plannerNote && <p className="muted">{curriculum.plannerNote}</p>}
        <div className="path-progress">
          <progress
            value={curriculum.completedTopics}
            max={Math.max(1, curriculum.totalTopics)}
            aria-label="Topics completed"
            aria-valuetext={`${curriculum.completedTopics} of ${curriculum.totalTopics} topics completed`}
          />
          <span>
            {curriculum.completedTopics} of {curriculum.totalTopics} topics completed
          </span>
        </div>
        <div className="confirm">
          {pausable && (
            <button
              type="button"
              className="secondary"
              onClick={togglePaused}
              disabled={pausing.fetching || resuming.fetching}
            >
              {curriculum.status === 'PAUSED' ? 'Resume path' : 'Pause path'}
            </button>
          )}
          <label className="check">
            <input
              type="checkbox"
              checked={practice}
              disabled={switching.fetching}
              onChange={(e) => togglePracticeMode(e.target.checked)}
              aria-describedby="practice-hint"
            />{' '}
            Practice mode
          </label>
          <span className="muted" id="practice-hint">
            Opens every topic, whatever its prerequisites: they guide, they do not lock you in.
          </span>
        </div>
      </div>
      {problem && <ErrorMessage error={problem.text} title={problem.title} />}
      {topics.length === 0 ? (
        <Empty>This path has no topic.</Empty>
      ) : (
        <ol className="topics" aria-label="Topics">
          {topics.map((topic, index) => (
            <TopicCard
              key={topic.id}
              topic={topic}
              first={index === 0}
              last={index === topics.length - 1}
              moved={moved}
              onMove={(by) => move(index, by)}
            />
          ))}
        </ol>
      )}
    </section>
  );
}

const minutes = (seconds: number) => `${Math.round(seconds / 60)} min`;

function TopicCard({
  topic,
  first,
  last,
  moved,
  onMove,
}: {
  topic: Topic;
  first: boolean;
  last: boolean;
  moved: RefObject<{ id: string; by: -1 | 1 } | null>;
  onMove: (by: -1 | 1) => void;
}) {
  const up = useRef<HTMLButtonElement>(null);
  const down = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const move = moved.current;
    if (move?.id !== topic.id) return;
    moved.current = null;
    // The same button again, unless it is now disabled (the topic reached an end).
    ((move.by < 0 && !first) || last ? up : down).current?.focus();
  }, [topic.order, topic.id, moved, first, last]);
  const progress = topic.progress;
  const completed = progress?.completed ?? false;
  const state = completed ? 'Completed' : topic.locked ? 'Locked' : 'Open';
  const titleId = `topic-${topic.order}-title`;
  return (
    <li
      id={`topic-${topic.order}`}
      className={`card topic${topic.locked ? ' locked' : ''}${completed ? ' completed' : ''}`}
      aria-labelledby={titleId}
    >
      <div className="topic-head">
        <h3 className="item-title" id={titleId}>
          <span className="topic-order">{topic.order}.</span> {topic.title}
          {completed && (
            <span className="done" aria-hidden="true">
              {' '}
              ✓
            </span>
          )}
        </h3>
        <div className="reorder" role="group" aria-label={`Move ${topic.title}`}>
          <button
            ref={up}
            type="button"
            className="secondary"
            disabled={first}
            onClick={() => onMove(-1)}
            aria-label={`Move ${topic.title} up`}
          >
            ↑
          </button>
          <button
            ref={down}
            type="button"
            className="secondary"
            disabled={last}
            onClick={() => onMove(1)}
            aria-label={`Move ${topic.title} down`}
          >
            ↓
          </button>
        </div>
      </div>
      <p className="meta">
        <span className={`tag status ${state.toLowerCase()}`} aria-label="State">
          {state}
        </span>
        <span className="tag">{conceptLabel(topic.concept)}</span>
        <span>Difficulty {topic.difficulty}/10</span>
        <span>about {topic.estimatedMinutes} min</span>
      </p>
      {topic.locked && topic.lockedReason && <p className="lock-reason">{topic.lockedReason}</p>}
      <Prose text={topic.description} />
      {topic.objectives.length > 0 && (
        <>
          <h4>You will be able to</h4>
          <ul className="objectives">
            {topic.objectives.map((objective) => (
              <li key={objective}>{objective}</li>
            ))}
          </ul>
        </>
      )}
      {topic.prerequisites.length > 0 && (
        <p className="meta">
          After:{' '}
          {topic.prerequisites.map((prerequisite, i) => (
            <span key={prerequisite.id}>
              {i > 0 && ', '}
              <a href={`#topic-${prerequisite.order}`}>{prerequisite.title}</a>
            </span>
          ))}
        </p>
      )}
      <p className="meta" aria-label="Progress">
        {progress && progress.attempts > 0 ? (
          <>
            <span>Best score {percent(progress.bestScore)}</span>
            <span>
              {progress.attempts} {progress.attempts === 1 ? 'attempt' : 'attempts'}
            </span>
            <span>{minutes(progress.timeSpentSeconds)} spent</span>
            {completed && progress.completedAt && (
              <span>completed {new Date(progress.completedAt).toLocaleDateString()}</span>
            )}
          </>
        ) : (
          <span>Not started</span>
        )}
      </p>
      {progress && progress.consecutiveFailures >= 3 && !completed && (
        <p className="state notice" role="note">
          Three tries in a row did not pass: try an easier exercise first, or ask the coach on the problem’s page.
        </p>
      )}
      <h4>Exercises</h4>
      <ol className="exercises" aria-label={`Exercises of ${topic.title}`}>
        {topic.exercises.map((exercise) => (
          <li key={exercise.order}>
            <Exercise exercise={exercise} concept={topic.concept} locked={topic.locked} />
          </li>
        ))}
      </ol>
    </li>
  );
}

function Exercise({
  exercise,
  concept,
  locked,
}: {
  exercise: Topic['exercises'][number];
  concept: string;
  locked: boolean;
}) {
  const { startTest, starting, problem } = useStartTopicTest(concept);
  const item = exercise.contentItem;
  const pool = exercise.questionPool;

  if (item) {
    return (
      <>
        {locked ? <span>{item.title}</span> : <Link href={`/problems/${item.slug}`}>{item.title}</Link>}{' '}
        <span className="tag">{TRACK[item.track]}</span>
      </>
    );
  }
  if (pool) {
    const label = `Adaptive test: ${pool.name}`;
    return (
      <>
        {locked ? (
          <span>{label}</span>
        ) : (
          <button
            type="button"
            className="link"
            onClick={() => startTest(pool.id, pool.concepts)}
            disabled={starting || pool.questionCount === 0}
          >
            {label}
          </button>
        )}{' '}
        <span className="tag">
          {pool.concepts.includes(concept) ? `on ${conceptLabel(concept)}` : `${pool.questionCount} questions`}
        </span>
        {problem && <ErrorMessage error={problem} title="Not started" />}
      </>
    );
  }
  return <span className="muted">No longer available.</span>;
}
