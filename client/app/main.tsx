/** The web app: students practise, ask the coach and climb leaderboards; instructors follow their classes. */
import { lazy, StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { useQuery } from 'urql';
import { Link, Redirect, Route, Switch } from 'wouter';
import { MeQuery } from '../operations.js';
import { AuthoringPage } from './pages/Authoring.js';
import { CatalogPage } from './pages/Catalog.js';
import { ClassesPage } from './pages/Classes.js';
import { LeaderboardPage } from './pages/Leaderboard.js';
import { LoginPage } from './pages/Login.js';
import { PathPage } from './pages/Path.js';
import { ProblemPage } from './pages/Problem.js';
import { ProgressPage } from './pages/Progress.js';
import { TestSessionPage } from './pages/TestSession.js';
import { TestsPage } from './pages/Tests.js';
import { TimelinePage } from './pages/Timeline.js';
import { SessionProvider, useSession } from './session.js';
import './styles.css';
import { ErrorMessage, Loading } from './ui.js';

// Authoring pools (with its CSV parser and shape checks) is for instructors only: it loads on its own.
const QuestionPoolsPage = lazy(() =>
  import('./pages/QuestionPools.js').then((module) => ({ default: module.QuestionPoolsPage })),
);

function Shell() {
  const { token, signOut } = useSession();
  const [{ data, fetching, error }] = useQuery({ query: MeQuery, pause: !token });
  if (!token) {
    return (
      <Switch>
        <Route path="/login" component={LoginPage} />
        <Route>
          <Redirect to="/login" />
        </Route>
      </Switch>
    );
  }
  if (fetching && !data) return <Loading what="your account" />;
  if (error) {
    return (
      <main className="main">
        <ErrorMessage error={error} title="Could not load your account" />
        <button type="button" onClick={signOut}>
          Sign in again
        </button>
      </main>
    );
  }
  const viewer = data?.viewer;
  const teaches = viewer?.memberships.some((m) => m.role !== 'STUDENT') ?? false;
  return (
    <>
      <header className="topbar">
        <Link href="/" className="brand">
          Practice
        </Link>
        <nav aria-label="Main">
          <Link href="/">Problems</Link>
          <Link href="/path">Path</Link>
          <Link href="/progress">Progress</Link>
          <Link href="/tests">Tests</Link>
          <Link href="/leaderboard">Leaderboard</Link>
          {teaches && <Link href="/classes">Classes</Link>}
          {teaches && <Link href="/authoring">Authoring</Link>}
          {teaches && <Link href="/pools">Question pools</Link>}
        </nav>
        <div className="me" aria-label="You">
          <span>{viewer?.name}</span>
          <span className="pill" title="Points">
            {viewer?.points ?? 0} pts
          </span>
          <span className="pill" title="Current streak">
            {viewer?.currentStreak ?? 0}-day streak
          </span>
          <button type="button" className="link" onClick={signOut}>
            Sign out
          </button>
        </div>
      </header>
      <main className="main">
        <Switch>
          <Route path="/" component={CatalogPage} />
          <Route path="/problems/:slug" component={ProblemPage} />
          <Route path="/path" component={PathPage} />
          <Route path="/progress" component={ProgressPage} />
          <Route path="/leaderboard" component={LeaderboardPage} />
          <Route path="/classes" component={ClassesPage} />
          <Route path="/students/:id" component={TimelinePage} />
          <Route path="/authoring" component={AuthoringPage} />
          <Route path="/tests" component={TestsPage} />
          <Route path="/tests/:sessionId/result">{(params) => <TestSessionPage params={params} result />}</Route>
          <Route path="/tests/:sessionId" component={TestSessionPage} />
          <Route path="/pools/:poolId?">
            {(params) => (
              <Suspense fallback={<Loading what="the pools" />}>
                <QuestionPoolsPage poolId={params.poolId ? decodeURIComponent(params.poolId) : null} />
              </Suspense>
            )}
          </Route>
          <Route path="/login">
            <Redirect to="/" />
          </Route>
          <Route>
            <ErrorMessage error="There is no page at this address" title="Not found" />
          </Route>
        </Switch>
      </main>
    </>
  );
}

const root = document.getElementById('root');
if (!root) throw new Error('#root is missing');
createRoot(root).render(
  <StrictMode>
    <SessionProvider>
      <Shell />
    </SessionProvider>
  </StrictMode>,
);
