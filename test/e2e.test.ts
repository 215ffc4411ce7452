/**
 * The web app in a real browser (Chromium driven by playwright-core: the system's, else the one
 * the npm package @sparticuz/chromium ships, see support/chromium.ts) against the app served on
 * a free port with a fresh embedded database: a student fails, asks the coach, solves and
 * climbs the leaderboard; their instructor reads the coach turn in the timeline; a student takes
 * an adaptive test with the keyboard alone and finds their proficiency per concept, which their
 * instructor reads with the test, read-only; an instructor pastes questions into a pool and, once
 * students have answered them, reads each question's statistics, retires the one flagged, and
 * calibrates the pool, accepting the proposal for one question; a new student plans a learning
 * path, finds its later topics locked with their reason, moves a topic within its prerequisites
 * and opens every topic in practice mode; a student signs up in the browser, takes the placement
 * test, plans a path, follows the next step on the home page to the first topic's exercise, solves
 * it and finds the topics that waited for it open.
 * Screenshots of every page go to test-results/screenshots/ for review.
 */
import { mkdir } from 'node:fs/promises';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CALIBRATION_QUEUE } from '../api/evaluation/jobs.js';
import { processCalibrationRun } from '../api/services/calibration.js';
import { launchChromium } from './support/chromium.js';
import { rawId, startTestServer, type TestServer } from './support/server.js';

const SHOTS = new URL('../test-results/screenshots/', import.meta.url).pathname;

// Wrong, and each test takes 150 ms: one process runs all the tests, so results arrive as fast as
// the tests finish; these arrive one by one, as a slow real solution's would.
const WRONG =
  'function twoSum(nums, target) {\n  const until = Date.now() + 150;\n  while (Date.now() < until) {}\n  return [0, 1];\n}\n';
const RIGHT =
  'function twoSum(nums, target) {\n  const seen = new Map();\n  for (let j = 0; j < nums.length; j++) {\n    const i = seen.get(target - nums[j]);\n    if (i !== undefined) return [i, j];\n    seen.set(nums[j], j);\n  }\n  return [];\n}\n';

let server: TestServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
/** URLs outside the server's origin that a page asked for: none, for the app and GraphiQL to work offline. */
const foreign: string[] = [];

function leavesOrigin(url: string): boolean {
  const { protocol, host } = new URL(url);
  return !['data:', 'blob:', 'about:'].includes(protocol) && host !== new URL(server.url).host;
}

async function open(viewport = { width: 1280, height: 900 }): Promise<Page> {
  const context = await browser.newContext({ viewport, baseURL: server.url });
  contexts.push(context);
  // As offline: a request that would leave the server is recorded, then fails.
  context.on('request', (request) => {
    if (leavesOrigin(request.url())) foreign.push(request.url());
  });
  await context.route(
    (url) => leavesOrigin(url.href),
    (route) => route.abort('internetdisconnected'),
  );
  const page = await context.newPage();
  page.on('websocket', (socket) => {
    if (leavesOrigin(socket.url())) foreign.push(socket.url());
  });
  page.setDefaultTimeout(20_000);
  return page;
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `${SHOTS}${name}.png`, fullPage: true });
}

async function signIn(page: Page, email: string): Promise<void> {
  await page.goto('/');
  const form = page.getByRole('form', { name: 'Sign in' });
  await form.getByLabel('Email').fill(email);
  await form.getByLabel('Password').fill('practice');
  await form.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

/** A link of the main navigation. */
const nav = (page: Page, name: string) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name });

/** Replaces the editor's text as a paste would (typing would trigger auto-closing brackets). */
async function setCode(page: Page, code: string): Promise<void> {
  const editor = page.getByRole('textbox', { name: 'Your code' });
  await editor.click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.insertText(code);
  await expect.poll(() => editor.innerText()).toContain(code.split('\n')[1]?.trim() ?? '');
}

/** Records how many items a list held each time it changed, from now on. */
async function watchListGrowth(page: Page, label: string): Promise<() => Promise<number[]>> {
  await page.evaluate((name) => {
    const counts: number[] = [];
    (window as unknown as { __growth: number[] }).__growth = counts;
    const observer = new MutationObserver(() => {
      const list = document.querySelector(`[aria-label="${name}"]`);
      const count = list ? list.children.length : 0;
      if (counts.at(-1) !== count) counts.push(count);
    });
    observer.observe(document.body, { childList: true, subtree: true, characterData: true });
  }, label);
  return () => page.evaluate(() => (window as unknown as { __growth: number[] }).__growth);
}

beforeAll(async () => {
  // The app under test is built from the sources as they are now.
  await build({ configFile: new URL('../vite.config.ts', import.meta.url).pathname, logLevel: 'error' });
  await mkdir(SHOTS, { recursive: true });
  server = await startTestServer({ env: { EVAL_CONCURRENCY: '1' } });
  browser = await launchChromium();
}, 120_000);

afterEach(() => {
  expect(foreign.splice(0), 'requests that left the server’s origin').toEqual([]);
});

afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
  await server?.stop();
});

describe('a student in the browser', () => {
  it('fails, asks the coach, solves, and climbs the leaderboard', async () => {
    const page = await open();
    await page.goto('/');
    await expect.poll(() => page.url()).toMatch(/\/login$/);
    await shot(page, '01-login');
    await signIn(page, 'student1@demo.test');

    // Not on the board yet.
    await nav(page, 'Leaderboard').click();
    await page.getByText('No points on this board yet.').waitFor();

    // The catalog, filtered.
    await nav(page, 'Problems').click();
    await page.getByRole('list', { name: 'Problems' }).waitFor();
    await page.getByLabel('Track').selectOption('CODING_INTERVIEW');
    await page.getByLabel('Difficulty').selectOption('EASY');
    await expect.poll(() => page.getByRole('link', { name: 'Two Sum' }).count()).toBe(1);
    await shot(page, '02-catalog');
    await page.getByRole('link', { name: 'Two Sum' }).click();
    await page.getByRole('heading', { name: 'Two Sum' }).waitFor();
    await page.getByRole('textbox', { name: 'Your code' }).waitFor();
    // The statement is Markdown, rendered: code as code, no backticks or asterisks left.
    const statement = page.getByRole('article', { name: 'Statement' });
    expect(await statement.locator('.prose code').allInnerTexts()).toEqual(expect.arrayContaining(['nums', 'target']));
    expect(await statement.locator('.prose').first().innerText()).not.toMatch(/`|\*\*/);
    // Hints only when asked for, one at a time.
    await statement.getByRole('button', { name: /Show a hint/ }).click();
    await statement
      .getByRole('region', { name: 'Hints' })
      .getByText(/numbers you have already seen/)
      .waitFor();
    await shot(page, '03-problem');

    // A failing submission: the tests arrive one by one.
    await setCode(page, WRONG);
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.getByText(/Draft saved at/).waitFor();

    // Run first, on the examples and an input of the student's own: not graded.
    await page.getByLabel(/Your input: the arguments of twoSum/).fill('[[1, 8, 2], 10]');
    await page.getByRole('button', { name: 'Run' }).click();
    const calls = page.getByRole('list', { name: 'Calls' });
    await page.getByText('Done: nothing is graded until you submit.').waitFor();
    const own = calls.locator('li', { hasText: 'your input' });
    expect(await own.innerText()).toMatch(/twoSum\(\[1,8,2\], 10\) → \[0,1\]\s+your input · \d+ ms · [\d.]+ MB/);
    expect(await calls.locator('li', { hasText: 'wrong answer' }).count()).toBeGreaterThan(0);
    await page.getByLabel(/Your input/).fill('[1, 2');
    await page.getByRole('button', { name: 'Run' }).click();
    await page.getByText(/input\.args: is not JSON/).waitFor();
    await shot(page, '03b-run');
    const growth = await watchListGrowth(page, 'Test results');
    await page.getByRole('button', { name: 'Submit' }).click();
    await page.getByText(/^Score \d+%/).waitFor();
    const counts = await growth();
    expect(counts.at(-1)).toBe(5);
    // Seen with 1, 2, 3… results before all 5: they streamed in, not all at the end.
    expect(counts.filter((count) => count > 0 && count < 5).length).toBeGreaterThanOrEqual(2);
    const results = page.getByRole('list', { name: 'Test results' });
    await expect.poll(() => results.getByText(/Hidden test/).count()).toBe(2);
    // A failing visible test: its arguments, the expected value and what the code returned, side by side.
    const failing = results.getByRole('group', { name: 'Test 2 compared' });
    await failing.waitFor();
    expect(await failing.innerText()).toMatch(
      /Arguments\s+\[3,2,4\],\s+6\s+Expected\s+\[1,2\]\s+Returned ✗ differs\s+\[0,1\]/,
    );
    expect(await failing.getAttribute('class')).toMatch(/\bmismatch\b/);
    expect(await results.getByRole('group', { name: 'Test 1 compared' }).getAttribute('class')).toMatch(/\bmatch\b/);
    // Hidden tests show their verdict only: nothing to compare.
    expect(await results.locator('li', { hasText: 'Hidden test' }).getByRole('group').count()).toBe(0);
    expect(await page.getByText(/^Score \d+%/).innerText()).not.toMatch(/100%/);
    await shot(page, '04-evaluation-failed');

    // The coach's reply streams in, then the final turn cites the failing test.
    await page.getByLabel('Your question for the coach').fill('Why does my code fail?');
    const streamed = await watchListGrowth(page, 'Conversation');
    await page.getByRole('button', { name: 'Ask the coach' }).click();
    const coachTurn = page.locator('.turn.coach').last();
    await expect.poll(() => page.locator('.turn.coach.streaming').count()).toBe(1);
    const partial = await page.locator('.turn.coach.streaming p').innerText();
    await page.getByRole('list', { name: 'Evidence' }).waitFor();
    const finalText = await coachTurn.locator('p').first().innerText();
    expect(finalText.length).toBeGreaterThan(partial.length);
    expect(await coachTurn.innerText()).toMatch(/Built-in coach/);
    expect(await coachTurn.getByRole('list', { name: 'Evidence' }).innerText()).toMatch(/Test \d+ "[^"]+": FAILED/);
    expect((await streamed()).length).toBeGreaterThan(0);
    await shot(page, '05-coach');

    // The solve: every test passes and points are awarded.
    await setCode(page, RIGHT);
    await page.getByRole('button', { name: 'Submit' }).click();
    await page.getByText(/^Score 100%/).waitFor();
    expect(await page.getByText(/^Score 100%/).innerText()).toMatch(/\+\d+ points/);
    // The header follows: the new points, a one-day streak.
    const header = page.getByLabel('You', { exact: true });
    await expect.poll(() => header.innerText()).toMatch(/1\d\d pts/);
    expect(await header.innerText()).toMatch(/1-day streak/);
    await shot(page, '06-solved');

    // On the leaderboard now, first.
    await nav(page, 'Leaderboard').click();
    const mine = page.locator('tr.viewer');
    await mine.waitFor();
    expect(await mine.innerText()).toMatch(/^1\s+Sam Student \(you\)\s+1\d\d\s+1$/);
    await shot(page, '07-leaderboard');

    await nav(page, 'Progress').click();
    await page.getByRole('list', { name: 'Badges' }).waitFor();
    expect(await page.getByRole('list', { name: 'Badges' }).innerText()).toMatch(/First Blood/);
    // Today in the calendar (two submissions, one solve), and the points line drawn.
    await page
      .getByRole('img', { name: /^Activity calendar\. 1 active day in the last 20 weeks: 2 submissions, 1 solved/ })
      .waitFor();
    const points = page.getByRole('figure', { name: 'Points over time, chart' });
    await expect.poll(() => points.locator('.recharts-area-curve').count()).toBe(1);
    await shot(page, '08-progress');
  });

  it('works at mobile width', async () => {
    const page = await open({ width: 390, height: 844 });
    await signIn(page, 'student2@demo.test');
    await page.getByRole('list', { name: 'Problems' }).waitFor();
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(390);
    await shot(page, '09-mobile-catalog');
    await page.getByRole('link', { name: 'Two Sum' }).click();
    await page.getByRole('textbox', { name: 'Your code' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await shot(page, '10-mobile-problem');
  });
});

describe('an instructor in the browser', () => {
  it('opens the student’s timeline and sees the coach turn, then authors and publishes an item', async () => {
    const page = await open();
    await signIn(page, 'instructor@demo.test');
    await nav(page, 'Classes').click();
    await page.getByRole('table', { name: 'Students of Algorithms 101' }).waitFor();
    await shot(page, '11-classes');
    await page.getByRole('link', { name: 'Sam Student' }).click();
    const timeline = page.getByRole('list', { name: 'Learning history' });
    await timeline.waitFor();
    await timeline.getByText('asked the coach').waitFor();
    expect(await timeline.innerText()).toMatch(/Why does my code fail\?/);
    expect(await timeline.innerText()).toMatch(/built-in coach/);
    // Filters: only the coach turns.
    // The code run, with the input the student tried.
    expect(await timeline.innerText()).toMatch(
      /ran their code \(run 1, succeeded\)[\s\S]*their input \[\[1,8,2\],10\] → \[0,1\]/,
    );
    for (const kind of ['Drafts', 'Code runs', 'Submissions', 'Evaluations', 'LLM calls'])
      await page.getByLabel(kind).uncheck();
    await expect.poll(() => timeline.locator('li').count()).toBe(2);
    await shot(page, '12-timeline');

    // Authoring: a new item, a draft version, published, then open to students.
    await nav(page, 'Authoring').click();
    await page.getByRole('form', { name: 'New content item' }).waitFor();
    await page.getByLabel('Title').fill('Add Two Numbers');
    await page.getByLabel('Slug').fill('add-two-numbers');
    await page.getByRole('button', { name: 'Create item' }).click();
    await page.getByRole('button', { name: 'Created' }).waitFor();
    await page.getByRole('button', { name: 'Save draft version' }).click();
    await page.getByText('Version 1: draft').waitFor();
    await page.getByRole('button', { name: 'Publish version' }).click();
    await page.getByText('Version 1: published').waitFor();
    await shot(page, '13-authoring');
    await page.getByRole('link', { name: 'Open the published item' }).click();
    await page.getByRole('heading', { name: 'Add Two Numbers' }).waitFor();
    expect(await page.getByRole('article', { name: 'Statement' }).innerText()).toMatch(/Return the sum of two numbers/);
  });
});

/** Presses Tab until `target` has the focus, as a keyboard user reaches it; fails if it never does. */
async function tabTo(page: Page, target: ReturnType<Page['locator']>, most = 60): Promise<void> {
  for (let presses = 0; presses < most; presses += 1) {
    if (await target.evaluate((element) => element === document.activeElement)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`not reached with ${most} presses of Tab`);
}

/** What has the focus: its tag, input type and value or text. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const element = document.activeElement as HTMLInputElement | null;
    if (!element) return '';
    return element.type === 'radio'
      ? `radio ${element.value}`
      : `${element.tagName.toLowerCase()} ${element.innerText}`;
  });

/** The cells of a table's body rows, as text (a cell's lines kept, blank ones dropped). */
const cells = (table: ReturnType<Page['locator']>) =>
  table
    .locator('tbody tr')
    .evaluateAll((rows) =>
      rows.map((row) =>
        [...(row as HTMLTableRowElement).cells].map((cell) => cell.innerText.trim().replace(/\s*\n\s*/g, '\n')),
      ),
    );

const START_TEST = `mutation ($input: StartAdaptiveTestInput!) { startAdaptiveTest(input: $input) {
  __typename ... on AdaptiveTestSession { id nextQuestion { id key } } } }`;
const ANSWER = `mutation ($input: AnswerQuestionInput!) { answerQuestion(input: $input) {
  __typename ... on AdaptiveTestSession { nextQuestion { id key } } } }`;

/**
 * Takes a test through the API, as from another device: `choose` answers each question by its
 * key, until the test stops or `answers` are given. Returns the session's ID.
 */
async function takeTest(
  token: string,
  poolId: string,
  {
    maxQuestions,
    answers = Infinity,
    choose,
  }: { maxQuestions: number; answers?: number; choose: (key: string) => string },
): Promise<string> {
  type Step = { __typename: string; id: string; nextQuestion: { id: string; key: string } | null };
  const { startAdaptiveTest: started } = await server.query<{ startAdaptiveTest: Step }>(token, START_TEST, {
    input: { poolId, maxQuestions, targetStandardError: 0.05 },
  });
  expect(started.__typename).toBe('AdaptiveTestSession');
  let next = started.nextQuestion;
  for (let given = 0; next && given < answers; given += 1) {
    const { answerQuestion } = await server.query<{ answerQuestion: Step }>(token, ANSWER, {
      input: {
        sessionId: started.id,
        questionId: next.id,
        choice: choose(next.key),
        idempotencyKey: `${rawId(started.id)}:${given}`,
      },
    });
    expect(answerQuestion.__typename).toBe('AdaptiveTestSession');
    next = answerQuestion.nextQuestion;
  }
  return started.id;
}

describe('a student takes an adaptive test', () => {
  it('with the keyboard alone, to a result with θ per concept, then finds it in their history', async () => {
    const page = await open();
    await signIn(page, 'student3@demo.test');
    // No proficiency yet: the Progress page says so and leads to the tests.
    await nav(page, 'Progress').focus();
    await page.keyboard.press('Enter');
    await page.getByText(/^No concept measured yet: finish an adaptive test/).waitFor();
    expect(await page.getByRole('figure', { name: 'Mastery by concept, chart' }).count()).toBe(0);
    await tabTo(page, page.getByRole('link', { name: 'Tests page' }));
    await page.keyboard.press('Enter');
    const pool = page.getByRole('form', { name: 'Algorithms foundations' });
    await pool.waitFor();
    expect(await pool.innerText()).toMatch(/178 questions/);
    expect(await pool.getByLabel('Concepts').innerText()).toMatch(/Dynamic programming/);
    await page.getByText('You have not taken a test yet.').waitFor();
    await shot(page, '16-tests');

    // Started with the defaults (at most 20 questions, until the standard error is 0.3).
    await tabTo(page, pool.getByRole('button', { name: 'Start test' }));
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/tests\/[^/]+$/);

    const precision = page.getByRole('progressbar', { name: 'Precision of your estimate' });
    const progress: number[] = [];
    let answered = 0;
    let withCode = 0;
    let lastButton = '';
    while (lastButton !== 'See your result') {
      const question = page.getByRole('form', { name: `Question ${answered + 1}` });
      await question.waitFor();
      expect(await question.innerText()).toMatch(new RegExp(`Question ${answered + 1}\\s+of at most 20`));
      // The stem is Markdown, rendered: code as code, no backticks or asterisks left.
      expect(await question.innerText()).not.toMatch(/`|\*\*/);
      withCode += (await question.locator('.prose code').count()) > 0 ? 1 : 0;
      // The focus is on the options already: the keys answer.
      await expect.poll(() => focused(page)).toMatch(/^radio [A-Z]$/);
      const keys = await question
        .getByRole('radio')
        .evaluateAll((radios) => radios.map((r) => (r as HTMLInputElement).value));
      if (answered === 0) {
        // A letter chooses its option; a digit chooses by position.
        await page.keyboard.press(keys[1]?.toLowerCase() ?? 'b');
        expect(await question.getByRole('radio', { checked: true }).getAttribute('value')).toBe(keys[1]);
        await shot(page, '17-test-question');
      }
      const pick = (answered % keys.length) + 1;
      await page.keyboard.press(String(pick));
      expect(await question.getByRole('radio', { checked: true }).getAttribute('value')).toBe(keys[pick - 1]);
      await page.keyboard.press('Enter');

      const feedback = page.getByRole('region', { name: 'Your answer' });
      await feedback.waitFor();
      answered += 1;
      expect(await feedback.innerText()).toMatch(/^(Right\.|Not quite: you chose [A-Z]\.)/);
      expect(await feedback.innerText()).toMatch(/The answer is [A-Z]\./);
      expect(await feedback.getByLabel('Explanation').innerText()).not.toBe('');
      progress.push(Number(await precision.getAttribute('aria-valuenow')));
      if (answered === 1) await shot(page, '18-test-feedback');
      // The focus went to the button that moves on.
      lastButton = (await focused(page)).replace(/^button /, '');
      expect(['Next question', 'See your result']).toContain(lastButton);
      await page.keyboard.press('Enter');
    }
    expect(answered).toBeGreaterThan(1);
    expect(answered).toBeLessThanOrEqual(20);
    // Nearly every seeded stem quotes code.
    expect(withCode).toBeGreaterThan(0);
    // The uncertainty shrank: the bar moved toward the target, and reached it unless 20 questions ran out first.
    expect(progress.at(-1)).toBeGreaterThan(progress[0] ?? 100);
    if (answered < 20) expect(progress.at(-1)).toBe(100);

    // The result: θ ± SE, the stop reason, θ per concept as a chart with error bars, each answer.
    await page.getByRole('heading', { name: /^Result: Algorithms foundations/ }).waitFor();
    expect(await focused(page)).toBe('h2 Completed');
    const result = page.getByLabel('Result', { exact: true });
    expect(await result.innerText()).toMatch(/Proficiency θ\s+[+−]?\d\.\d\d ± 0\.\d\d/);
    expect(await result.innerText()).toMatch(new RegExp(`Answered\\s+${answered} of at most 20`));
    expect(
      await page.getByText(/^(Your estimate reached the target precision|It reached its limit of 20)/).count(),
    ).toBe(1);
    const concepts = page.getByRole('table', { name: 'θ per concept' });
    const conceptRows = await concepts.locator('tbody tr').count();
    expect(conceptRows).toBeGreaterThan(1);
    const chart = page.getByRole('figure', { name: 'θ per concept, chart' });
    await expect.poll(() => chart.locator('.recharts-bar-rectangle').count()).toBe(conceptRows);
    expect(await chart.locator('.recharts-errorBar').count()).toBe(conceptRows);
    expect(await page.getByRole('list', { name: 'Your answers' }).locator(':scope > li').count()).toBe(answered);
    await shot(page, '19-test-result');

    // What the browser sent: one response per answer, each with its own key and the time it took.
    const session = decodeURIComponent(new URL(page.url()).pathname.split('/')[2] ?? '');
    const responses = await server.database.prisma.testResponse.findMany({
      where: { sessionId: rawId(session) },
    });
    expect(responses).toHaveLength(answered);
    expect(new Set(responses.map((r) => r.idempotencyKey)).size).toBe(answered);
    expect(responses.every((r) => (r.latencyMs ?? 0) > 0)).toBe(true);
    const measured = (await cells(concepts)).map(([concept, estimate, answers]) => [concept, estimate, answers]);
    const resultStats = await result.innerText();

    // The Progress page keeps what the test measured in each concept, with its mastery.
    await nav(page, 'Progress').focus();
    await page.keyboard.press('Enter');
    const proficiency = page.getByRole('table', { name: 'Proficiency by concept' });
    await proficiency.waitFor();
    const stored = await cells(proficiency);
    expect(stored.map(([concept, , estimate, answers]) => [concept, estimate, answers]).sort()).toEqual(
      [...measured].sort(),
    );
    const { viewer } = await server.query<{ viewer: { conceptProficiencies: { mastery: number }[] } }>(
      await server.logIn('student3@demo.test'),
      '{ viewer { conceptProficiencies { mastery } } }',
    );
    expect(stored.map((row) => row[1])).toEqual(
      viewer.conceptProficiencies.map((p) => `${Math.round(p.mastery * 100)}%`),
    );
    const masteryChart = page.getByRole('figure', { name: 'Mastery by concept, chart' });
    await expect.poll(() => masteryChart.locator('.recharts-bar-rectangle').count()).toBe(stored.length);
    await shot(page, '20a-progress-proficiency');
    expect(await masteryChart.locator('.recharts-reference-line').count()).toBe(1);
    expect(await masteryChart.locator('svg').getByText('mastered: 70%').count()).toBe(1);

    // In the history, and back to the result from there.
    await nav(page, 'Tests').focus();
    await page.keyboard.press('Enter');
    const history = page.getByRole('table', { name: 'Your tests' });
    await history.waitFor();
    const row = history.locator('tbody tr');
    expect(await row.count()).toBe(1);
    expect(await row.innerText()).toMatch(
      new RegExp(
        `Algorithms foundations\\s.+\\sCompleted\\s+${answered} of 20\\s+[+−]?\\d\\.\\d\\d ± 0\\.\\d\\d\\s+\\d+%`,
      ),
    );
    await shot(page, '20-test-history');
    await tabTo(page, row.getByRole('link', { name: 'Algorithms foundations' }));
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: /^Result: Algorithms foundations/ }).waitFor();

    // At phone width the result and the history fit (wide tables scroll inside themselves).
    await page.setViewportSize({ width: 390, height: 844 });
    await expect.poll(() => chart.locator('.recharts-bar-rectangle').count()).toBe(conceptRows);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await shot(page, '20b-mobile-test-result');
    await nav(page, 'Tests').click();
    await history.waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await nav(page, 'Progress').click();
    await expect.poll(() => masteryChart.locator('.recharts-bar-rectangle').count()).toBe(stored.length);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

    // Another test, left open after one answer on another device.
    const student = await server.logIn('student3@demo.test');
    const { questionPools } = await server.query<{ questionPools: { id: string; name: string }[] }>(
      student,
      '{ questionPools { id name } }',
    );
    const poolId = questionPools.find((p) => p.name === 'Algorithms foundations')?.id ?? '';
    const left = await takeTest(student, poolId, { maxQuestions: 5, answers: 1, choose: () => 'A' });

    // Their instructor reads the proficiency and both tests on the student's page.
    const teacher = await open();
    await signIn(teacher, 'instructor@demo.test');
    await nav(teacher, 'Classes').click();
    await teacher.getByRole('link', { name: 'Jordan Student' }).click();
    const theirs = teacher.getByRole('table', { name: 'Proficiency by concept' });
    await theirs.waitFor();
    expect(await cells(theirs)).toEqual(stored);
    const theirChart = teacher.getByRole('figure', { name: 'Mastery by concept, chart' });
    await expect.poll(() => theirChart.locator('.recharts-bar-rectangle').count()).toBe(stored.length);
    const tests = teacher.getByRole('table', { name: 'Tests of Jordan Student' }).locator('tbody tr');
    await expect.poll(() => tests.count()).toBe(2);
    expect(await tests.nth(0).innerText()).toMatch(/^Algorithms foundations\s.+\sIn progress\s+1 of 5\s/);
    expect(await tests.nth(1).innerText()).toMatch(
      new RegExp(`^Algorithms foundations\\s.+\\sCompleted\\s+${answered} of 20\\s`),
    );
    await teacher
      .getByRole('list', { name: 'Learning history' })
      .getByText(/adaptive test on Algorithms/)
      .first()
      .waitFor();
    await shot(teacher, '20e-instructor-student-tests');

    // The finished test's result, read-only: the same figures, the student's answers, no control.
    await tests.nth(1).getByRole('link', { name: 'Algorithms foundations' }).click();
    await teacher.waitForURL(new RegExp(`/tests/${encodeURIComponent(session)}/result$`));
    await teacher.getByRole('heading', { name: /^Result: Algorithms foundations/ }).waitFor();
    await teacher.getByText('Jordan Student’s test, read-only: only they can answer it or end it.').waitFor();
    expect(await teacher.getByLabel('Result', { exact: true }).innerText()).toBe(resultStats);
    expect(await teacher.getByRole('list', { name: 'Their answers' }).locator(':scope > li').count()).toBe(answered);
    expect(
      await teacher.getByText(/^(The estimate reached the target precision|It reached its limit of 20)/).count(),
    ).toBe(1);
    await shot(teacher, '20f-instructor-test-result');

    // The open one, even at the address where its student answers: its answers so far, nothing to answer or abandon.
    await teacher.getByRole('link', { name: 'Back to Jordan Student’s history' }).click();
    await tests.nth(0).getByRole('link', { name: 'Algorithms foundations' }).click();
    await teacher.waitForURL(/\/result$/);
    for (const address of [`/tests/${encodeURIComponent(left)}/result`, `/tests/${encodeURIComponent(left)}`]) {
      if (!teacher.url().endsWith(address)) await teacher.goto(address);
      await teacher.getByRole('heading', { name: 'So far (the test is still open)' }).waitFor();
      expect(await teacher.getByRole('list', { name: 'Their answers' }).locator(':scope > li').count()).toBe(1);
      const soFar = teacher.getByRole('figure', { name: 'θ per concept, chart' });
      const soFarRows = await teacher.getByRole('table', { name: 'θ per concept' }).locator('tbody tr').count();
      expect(soFarRows).toBeGreaterThan(0);
      await expect.poll(() => soFar.locator('.recharts-bar-rectangle').count()).toBe(soFarRows);
      expect(await teacher.getByRole('radio').count()).toBe(0);
      expect(await teacher.getByRole('button', { name: /Answer|Abandon/ }).count()).toBe(0);
      expect(await teacher.getByRole('link', { name: 'Continue the test' }).count()).toBe(0);
    }
    await shot(teacher, '20g-instructor-open-test');
    expect(await server.database.prisma.testResponse.count({ where: { sessionId: rawId(left) } })).toBe(1);
  });
});

describe('a student whose connection or another tab gets in the way', () => {
  it('retries a lost answer once, is told of an answer taken elsewhere, and abandons with the keyboard', async () => {
    const page = await open();
    await signIn(page, 'student2@demo.test');
    await nav(page, 'Tests').click();
    await page.getByLabel('Questions at most').fill('5');
    await page
      .getByRole('form', { name: 'Algorithms foundations' })
      .getByRole('button', { name: 'Start test' })
      .click();
    const first = page.getByRole('form', { name: 'Question 1' });
    await first.waitFor();
    expect(await first.innerText()).toMatch(/Question 1\s+of at most 5/);
    await expect.poll(() => focused(page)).toMatch(/^radio /);
    const sessionId = decodeURIComponent(new URL(page.url()).pathname.split('/')[2] ?? '');

    // The first answer reaches the server, but its reply is lost; Enter sends it again, with the same key.
    const keys: string[] = [];
    await page.route('**/graphql', async (route) => {
      const body = route.request().postDataJSON() as {
        operationName?: string;
        variables?: { input?: { idempotencyKey?: string } };
      } | null;
      if (body?.operationName !== 'AnswerTestQuestion') return route.fallback();
      keys.push(body.variables?.input?.idempotencyKey ?? '');
      if (keys.length > 1) return route.fallback();
      await route.fetch();
      await route.abort('connectionreset');
    });
    await page.keyboard.press('1');
    await page.keyboard.press('Enter');
    await page.getByText(/Press Enter to send the same answer again: it counts once\./).waitFor();
    await shot(page, '20c-test-lost-reply');
    await page.keyboard.press('Enter');
    await page.getByRole('region', { name: 'Your answer' }).waitFor();
    expect(keys).toHaveLength(2);
    expect(keys[1]).toBe(keys[0]);
    expect(await server.database.prisma.testResponse.count({ where: { sessionId: rawId(sessionId) } })).toBe(1);
    await page.unroute('**/graphql');
    await page.keyboard.press('Enter');

    // Another tab answers the next question first, with another choice.
    await page.getByRole('form', { name: 'Question 2' }).waitFor();
    await expect.poll(() => focused(page)).toMatch(/^radio /);
    const token = await server.logIn('student2@demo.test');
    const { node } = await server.query<{ node: { nextQuestion: { id: string; options: { key: string }[] } } }>(
      token,
      'query ($id: ID!) { node(id: $id) { ... on AdaptiveTestSession { nextQuestion { id options { key } } } } }',
      { id: sessionId },
    );
    const elsewhere = await server.query<{ answerQuestion: { __typename: string } }>(
      token,
      'mutation ($input: AnswerQuestionInput!) { answerQuestion(input: $input) { __typename } }',
      {
        input: {
          sessionId,
          questionId: node.nextQuestion.id,
          choice: node.nextQuestion.options[0]?.key,
          idempotencyKey: 'another-tab',
        },
      },
    );
    expect(elsewhere.answerQuestion.__typename).toBe('AdaptiveTestSession');
    await page.keyboard.press('2');
    await page.keyboard.press('Enter');
    await page
      .getByText('This question was already answered with another choice. Here is the test as it stands now.')
      .waitFor();
    await page.getByRole('form', { name: 'Question 3' }).waitFor();
    await expect.poll(() => focused(page)).toMatch(/^radio /);
    await shot(page, '20d-test-answered-elsewhere');

    // Abandoned: asked once more, "Keep going" first, so a stray Enter does not end the test.
    await tabTo(page, page.getByRole('button', { name: 'Abandon test' }));
    await page.keyboard.press('Enter');
    await expect.poll(() => focused(page)).toBe('button Keep going');
    await page.keyboard.press('Shift+Tab');
    expect(await focused(page)).toBe('button Yes, abandon');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Abandoned' }).waitFor();
    await page.getByText('You ended it before it stopped; your answers are kept.').waitFor();
    expect(await page.getByRole('list', { name: 'Your answers' }).locator(':scope > li').count()).toBe(2);
  });
});

describe('an instructor authors a question pool', () => {
  const HEADER =
    'key,stem,optionA,optionB,optionC,optionD,correctOption,explanation,concepts,discrimination,difficulty,guessing';
  const rows = (secondConcepts: string, firstDifficulty = '-1') =>
    [
      HEADER,
      `sp-001,"Which algorithm finds shortest paths with **non-negative** weights?",Dijkstra,DFS,Kruskal,,A,It settles the closest vertex first.,SHORTEST_PATHS,1.2,${firstDifficulty},0.2`,
      `sp-002,"What is the cost of BFS on \`V\` vertices and \`E\` edges?",O(V + E),O(V²),O(E log V),O(1),A,,${secondConcepts},1.0,0,`,
      'sp-003,Which graph has a topological order?,Any graph,A DAG,A tree with a cycle,,B,Only acyclic graphs.,GRAPHS,0.9,0.5,',
    ].join('\n');

  /** A student who joins the demo university by signing up; returns their token. */
  async function newStudent(email: string): Promise<string> {
    const { body } = await server.graphql<{ signUp: { token?: string } }>(
      'mutation ($input: SignUpInput!) { signUp(input: $input) { ... on AuthPayload { token } } }',
      { input: { email, password: 'password-1', name: email.split('@')[0], organizationSlug: 'demo-university' } },
    );
    const token = body.data?.signUp.token;
    if (!token) throw new Error(`sign-up failed for ${email}: ${JSON.stringify(body)}`);
    return token;
  }

  /** Two places with a real minus sign, '—' for none: how the page writes a statistic. */
  const written = (value: number | null) =>
    value === null ? '—' : `${value < 0 && value.toFixed(2) !== '-0.00' ? '−' : ''}${Math.abs(value).toFixed(2)}`;

  it('pastes CSV, fixes the row the server refused, reads the statistics once students answered, retires the flagged question, and calibrates the pool, accepting the proposal for one question', async () => {
    const page = await open();
    await signIn(page, 'instructor@demo.test');
    await nav(page, 'Question pools').click();
    const form = page.getByRole('form', { name: 'New question pool' });
    await form.getByLabel('Name').fill('Graph basics');
    await form.getByLabel('Slug').fill('graph-basics');
    await form.getByLabel('Concepts').fill('graphs, shortest paths');
    await form.getByRole('button', { name: 'Create pool' }).click();
    // The new pool is open, at its own address.
    await page.waitForURL(/\/pools\/[^/]+$/);
    const poolId = decodeURIComponent(new URL(page.url()).pathname.split('/')[2] ?? '');
    const pools = page.getByRole('table', { name: 'Your pools' });
    await expect
      .poll(() => pools.innerText())
      .toMatch(/Graph basics\s+graph-basics\s+Demo University\s+Graphs, Shortest paths\s+0/);
    await page.getByText('No question yet: paste the first ones below.').waitFor();
    const importer = page.getByRole('region', { name: 'Add questions to Graph basics' });
    const paste = importer.getByLabel('Questions (CSV or JSON)');
    const preview = importer.getByRole('table', { name: 'Questions to add' });

    // A shape problem is named here, before anything is sent.
    await paste.fill(rows('GRAPHS;COMPLEXITY', 'hard'));
    await expect.poll(() => importer.getByRole('alert').innerText()).toMatch(/1 problem in row 1/);
    expect(await preview.getByRole('row', { name: 'Row 1' }).innerText()).toMatch(
      /difficulty must be a number, not "hard"/,
    );
    expect(await importer.getByRole('button', { name: /^Add/ }).isDisabled()).toBe(true);

    // Right in shape, but row 2 names a concept the pool does not have: the server refuses it all.
    await paste.fill(rows('GRAPHS;COMPLEXITY'));
    await importer.getByText('3 questions read as CSV, ready to add.').waitFor();
    await importer.getByRole('button', { name: 'Add 3 questions' }).click();
    await expect.poll(() => importer.getByRole('alert').innerText()).toMatch(/1 problem in row 2: nothing is added/);
    const refused = preview.getByRole('row', { name: 'Row 2' });
    expect(await refused.innerText()).toMatch(/concepts COMPLEXITY is not a concept of this pool/);
    expect(await refused.getAttribute('class')).toBe('invalid');
    expect(await preview.getByRole('row', { name: 'Row 1' }).getAttribute('class')).toBeNull();
    expect(await server.database.prisma.question.count({ where: { pool: { slug: 'graph-basics' } } })).toBe(0);
    await shot(page, '21-pool-row-error');

    // Fixed: all three are added, and listed in the pool by key, with no statistics yet.
    await paste.fill(rows('GRAPHS'));
    await importer.getByRole('button', { name: 'Add 3 questions' }).click();
    await importer.getByText(/^Added 3 questions \(sp-001, sp-002, sp-003\)/).waitFor();
    const list = page.getByRole('table', { name: 'Questions of Graph basics' });
    await expect.poll(() => list.locator('tbody tr').count()).toBe(3);
    // Given in no test yet: no exposure, no share right, no correlation.
    const unasked = (key: string, stem: string, concepts: string, abc: string) => [
      key,
      `${stem}\n${concepts}`,
      abc,
      'Active',
      '0',
      '—',
      '0',
      '—',
      '—',
    ];
    expect((await cells(list)).map((row) => row.slice(0, 9))).toEqual([
      unasked(
        'sp-001',
        'Which algorithm finds shortest paths with non-negative weights?',
        'Shortest paths',
        '1.20 · −1.00 · 0.20',
      ),
      unasked('sp-002', 'What is the cost of BFS on V vertices and E edges?', 'Graphs', '1.00 · 0.00 · —'),
      unasked('sp-003', 'Which graph has a topological order?', 'Graphs', '0.90 · 0.50 · —'),
    ]);
    // The stems are Markdown, rendered.
    expect(await list.getByRole('row', { name: 'sp-001' }).locator('.prose strong').innerText()).toBe('non-negative');
    expect(await list.getByRole('row', { name: 'sp-002' }).locator('.prose code').count()).toBe(2);
    await page.getByText('No test has been taken on this pool yet.').waitFor();
    await expect.poll(() => pools.innerText()).toMatch(/Graph basics[\s\S]*\s3\s+Open/);

    // Students take 24 whole tests: the abler ones get sp-001 and sp-003 right and sp-002 wrong,
    // the others the reverse, as if sp-002 were keyed to the wrong option; 2 more tests ask one question.
    const students = await Promise.all([1, 2, 3, 4].map((n) => newStudent(`pool-student${n}@demo.test`)));
    const wrong: Record<string, string> = { 'sp-001': 'B', 'sp-002': 'B', 'sp-003': 'A' };
    const right: Record<string, string> = { 'sp-001': 'A', 'sp-002': 'A', 'sp-003': 'B' };
    for (let n = 0; n < 24; n += 1) {
      const able = n % 2 === 0;
      await takeTest(students[n % 4] ?? '', poolId, {
        maxQuestions: 3,
        choose: (key) => ((key === 'sp-002') === able ? wrong : right)[key] ?? 'A',
      });
    }
    for (const token of students.slice(0, 2)) await takeTest(token, poolId, { maxQuestions: 1, choose: () => 'C' });

    // What the API reports, which the page must show.
    type Stats = {
      administered: number;
      exposureRate: number | null;
      responses: number;
      proportionCorrect: number | null;
      pointBiserial: number | null;
    };
    const instructor = await server.logIn('instructor@demo.test');
    const { node } = await server.query<{ node: { questions: { key: string; statistics: Stats }[] } }>(
      instructor,
      `query ($id: ID!) { node(id: $id) { ... on QuestionPool { questions {
        key statistics { administered exposureRate responses proportionCorrect pointBiserial } } } } }`,
      { id: poolId },
    );
    const stats = Object.fromEntries(node.questions.map((q) => [q.key, q.statistics]));
    // The answers made sp-002 look miskeyed, and only it.
    expect(stats['sp-002']?.responses).toBeGreaterThanOrEqual(20);
    expect(stats['sp-002']?.pointBiserial).toBeLessThan(0.1);
    expect(stats['sp-001']?.pointBiserial).toBeGreaterThan(0.1);
    expect(stats['sp-003']?.pointBiserial).toBeGreaterThan(0.1);

    const expected = ['sp-001', 'sp-002', 'sp-003'].map((key) => {
      const q = stats[key] as Stats;
      return [
        key,
        String(q.administered),
        written(q.exposureRate),
        String(q.responses),
        written(q.proportionCorrect),
        // The flag beside the figure, on sp-002 alone.
        `${written(q.pointBiserial)}${key === 'sp-002' ? '\nreview: weak or miskeyed' : ''}`,
      ];
    });
    await page.reload();
    await expect.poll(async () => (await cells(list)).map((row) => [row[0], ...row.slice(4, 9)])).toEqual(expected);
    expect(await list.getByRole('row', { name: 'sp-002' }).getAttribute('class')).toBe('review');
    await page.getByText(/^1 to review$/).waitFor();

    // Ordered by point-biserial: the flagged question first, then last.
    const pointBiserial = list.getByRole('button', { name: 'Point-biserial' });
    await pointBiserial.click();
    await expect
      .poll(() => list.getByRole('columnheader', { name: 'Point-biserial' }).getAttribute('aria-sort'))
      .toBe('ascending');
    const order = async () => (await cells(list)).map((row) => row[0]);
    await expect.poll(async () => (await order())[0]).toBe('sp-002');
    await pointBiserial.click();
    await expect.poll(async () => (await order()).at(-1)).toBe('sp-002');
    await list.getByRole('button', { name: 'Key' }).click();
    await expect.poll(order).toEqual(['sp-001', 'sp-002', 'sp-003']);

    // Exposure per question as a chart, with the cap.
    const exposure = page.getByRole('figure', { name: 'Exposure rate per question, chart' });
    await expect.poll(() => exposure.locator('.recharts-bar-rectangle').count()).toBe(3);
    expect(await exposure.locator('.recharts-reference-line').count()).toBe(1);
    expect(await exposure.locator('svg').getByText('cap 0.25').count()).toBe(1);
    await shot(page, '22-pool-statistics');

    // The flagged question retired from the list, after a second step: no longer counted, flagged or asked.
    const flagged = list.getByRole('row', { name: 'sp-002' });
    await flagged.getByRole('button', { name: 'Retire sp-002' }).click();
    await expect.poll(() => focused(page)).toBe('button Keep');
    await flagged.getByRole('button', { name: 'Yes, retire' }).click();
    await expect.poll(() => flagged.innerText()).toMatch(/\sRetired\s/);
    expect(await flagged.getByRole('button').count()).toBe(0);
    expect(await flagged.getAttribute('class')).toBe('retired');
    expect(await page.getByText(/to review/).count()).toBe(0);
    expect(await list.getByRole('button', { name: /^Retire sp-00[13]$/ }).count()).toBe(2);
    await expect.poll(() => pools.innerText()).toMatch(/Graph basics[\s\S]*\s2\s+Open/);
    const stored = await server.database.prisma.question.findMany({
      where: { pool: { slug: 'graph-basics' } },
      orderBy: { key: 'asc' },
    });
    expect(stored.map((q) => [q.key, q.status, q.concepts])).toEqual([
      ['sp-001', 'ACTIVE', ['SHORTEST_PATHS']],
      ['sp-002', 'RETIRED', ['GRAPHS']],
      ['sp-003', 'ACTIVE', ['GRAPHS']],
    ]);
    await shot(page, '22b-pool-retired');

    // Calibration, from the answers above: nothing asked for yet, and a threshold the server refuses, by name.
    const calibration = page.getByRole('region', { name: 'Calibration' });
    await calibration.getByText('No calibration yet.').waitFor();
    const calibrate = calibration.getByRole('form', { name: 'Calibrate Graph basics' });
    const threshold = calibrate.getByLabel('Minimum answers per question');
    expect(await threshold.inputValue()).toBe('100');
    await threshold.fill('5');
    await calibrate.getByRole('button', { name: 'Calibrate' }).click();
    await expect
      .poll(() => calibrate.getByRole('alert').innerText())
      .toBe('Check the form. Minimum answers: must be at least 20');
    expect(await threshold.getAttribute('aria-invalid')).toBe('true');
    const calibrations = server.database.prisma.calibrationRun;
    expect(await calibrations.count({ where: { pool: { slug: 'graph-basics' } } })).toBe(0);

    // Every question has at least 24 answers: with 20, the job estimates the two 2PL ones. The server's
    // calibration worker is off for a while, as if busy: the run waits, queued, and the page reads the list
    // again and again; a worker comes back, and the page shows the run ended, then reads it no more.
    const { jobs, prisma: serverPrisma, logger } = server.app.runtime;
    await jobs.stopWorking(CALIBRATION_QUEUE);
    const statuses: string[] = [];
    page.on('response', async (response) => {
      // urql sends a query as GET when it fits in a URL.
      const request = response.request();
      const operation =
        new URL(request.url()).searchParams.get('operationName') ??
        (request.postDataJSON() as { operationName?: string } | null)?.operationName;
      if (operation !== 'PoolCalibrations') return;
      // In the order the responses came, whenever their bodies are read.
      const at = statuses.push('…') - 1;
      const body = (await response.json()) as { data?: { node?: { calibrations?: { status: string }[] } } };
      statuses[at] = body.data?.node?.calibrations?.[0]?.status ?? 'none';
    });
    await threshold.fill('20');
    expect(await threshold.getAttribute('aria-invalid')).toBeNull();
    await calibrate.getByRole('button', { name: 'Calibrate' }).click();
    await calibrate.getByText('Queued: the run below follows the job until it ends.').waitFor();
    const runs = calibration.getByRole('table', { name: 'Calibrations of Graph basics' });
    await expect.poll(() => runs.locator('tbody tr').count()).toBe(1);
    await expect.poll(() => runs.locator('tbody tr').first().innerText()).toMatch(/\sQueued\s/);
    await calibration.getByText(/^Waiting for a worker… The proposal appears here when it is done\.$/).waitFor();
    expect(await calibrate.getByRole('button', { name: 'Calibrate' }).isDisabled()).toBe(true);
    await expect
      .poll(() => statuses.filter((status) => status === 'QUEUED').length, { timeout: 10_000 })
      .toBeGreaterThanOrEqual(3);
    await shot(page, '23-pool-calibration-queued');
    await jobs.work(CALIBRATION_QUEUE, {}, ({ calibrationRunId }) =>
      processCalibrationRun({ prisma: serverPrisma, logger }, calibrationRunId),
    );
    await expect.poll(() => runs.locator('tbody tr').first().innerText(), { timeout: 30_000 }).toMatch(/Succeeded/);
    await expect.poll(() => statuses.at(-1)).toBe('SUCCEEDED');
    expect(await calibrate.getByRole('button', { name: 'Calibrate' }).isDisabled()).toBe(false);
    expect(await calibrate.getByText(/^Queued/).count()).toBe(0);
    const readsWhenDone = statuses.length;
    await page.waitForTimeout(3_000);
    expect(statuses.length, 'reads of the runs once none is queued or running').toBe(readsWhenDone);
    expect(await runs.locator('tbody tr').first().innerText()).toMatch(
      /by Ada Instructor\s+Succeeded: to review\s+20\s+2 questions\s+from 26 examinees/,
    );
    // Nothing has changed yet.
    expect(await calibrations.findFirstOrThrow({ where: { pool: { slug: 'graph-basics' } } })).toMatchObject({
      status: 'SUCCEEDED',
      minResponses: 20,
    });

    // The proposal as the API reports it: current beside proposed, the change, the fit, the skipped one.
    type Proposed = {
      question: { id: string; key: string };
      responses: number;
      calibrated: boolean;
      discriminationBefore: number;
      difficultyBefore: number;
      discrimination: number | null;
      difficulty: number | null;
      discriminationChange: number | null;
      difficultyChange: number | null;
      rmsd: number | null;
    };
    const { node: proposal } = await server.query<{ node: { calibrations: { id: string; items: Proposed[] }[] } }>(
      instructor,
      `query ($id: ID!) { node(id: $id) { ... on QuestionPool { calibrations { id items {
        question { id key } responses calibrated discriminationBefore difficultyBefore discrimination difficulty
        discriminationChange difficultyChange rmsd } } } } }`,
      { id: poolId },
    );
    const items = proposal.calibrations[0]?.items ?? [];
    expect(items.map((item) => [item.question.key, item.calibrated])).toEqual([
      ['sp-001', false],
      ['sp-002', true],
      ['sp-003', true],
    ]);
    const change = (value: number | null) =>
      value === null ? '—' : written(value).replace(/^(?=\d)/, written(value) === '0.00' ? '' : '+');
    const fit = (item: Proposed) => item.rmsd !== null && item.rmsd > 0.1;
    const proposed = calibration.getByRole('table', { name: /^Calibrated questions/ });
    await expect
      .poll(() => cells(proposed))
      .toEqual(
        items.map((item) => [
          `${item.question.key}${item.question.key === 'sp-002' ? '\nretired' : ''}`,
          String(item.responses),
          written(item.discriminationBefore),
          written(item.discrimination),
          change(item.discriminationChange),
          written(item.difficultyBefore),
          written(item.difficulty),
          change(item.difficultyChange),
          `${written(item.rmsd)}${fit(item) ? '\npoor fit' : ''}`,
          item.calibrated ? '' : 'Kept: it has a guessing parameter (3PL)',
        ]),
      );
    for (const item of items) {
      const row = proposed.getByRole('row', { name: item.question.key });
      expect(await row.getByRole('checkbox').count()).toBe(item.calibrated ? 1 : 0);
      // A poor fit shows on its row too.
      expect((await row.getAttribute('class')) === 'review').toBe(fit(item));
    }
    expect(await proposed.getByRole('checkbox', { name: 'Apply to sp-002' }).isChecked()).toBe(true);
    expect(await proposed.getByRole('checkbox', { name: 'Apply to sp-003' }).isChecked()).toBe(true);
    const difficulty = calibration.getByRole('figure', { name: 'Proposed against current difficulty, chart' });
    await expect.poll(() => difficulty.locator('.recharts-scatter-symbol').count()).toBe(2);
    expect(await difficulty.locator('.recharts-reference-line').count()).toBe(1);
    await calibration.getByRole('button', { name: 'Accept for all 2 questions' }).waitFor();
    await shot(page, '23b-pool-calibration-proposal');

    // Accepted for sp-003 alone (sp-002 is retired, sp-001 was kept): its a / b change in the list above, without
    // a reload; the others' do not.
    await proposed.getByRole('checkbox', { name: 'Apply to sp-002' }).uncheck();
    await calibration.getByRole('button', { name: 'Accept for 1 of 2 questions' }).click();
    await calibration.getByText(/^Accepted: 1 question took its new parameters/).waitFor();
    await expect.poll(() => runs.locator('tbody tr').first().innerText()).toMatch(/Accepted\s+\S.* by Ada Instructor/);
    const sp003 = items.find((item) => item.question.key === 'sp-003') as Proposed;
    await expect
      .poll(async () => (await cells(list)).map((row) => [row[0], row[2]]))
      .toEqual([
        ['sp-001', '1.20 · −1.00 · 0.20'],
        ['sp-002', '1.00 · 0.00 · —'],
        ['sp-003', `${written(sp003.discrimination)} · ${written(sp003.difficulty)} · —`],
      ]);
    expect(`${written(sp003.discrimination)} · ${written(sp003.difficulty)}`).not.toBe('0.90 · 0.50');
    await expect
      .poll(async () => (await cells(proposed)).map((row) => [row[0]?.split('\n')[0], row.at(-1)]))
      .toEqual([
        ['sp-001', 'Kept: it has a guessing parameter (3PL)'],
        ['sp-002', 'No'],
        ['sp-003', 'Yes'],
      ]);
    expect(await calibration.getByRole('button', { name: /^Accept/ }).count()).toBe(0);
    const after = await server.database.prisma.question.findMany({
      where: { pool: { slug: 'graph-basics' } },
      orderBy: { key: 'asc' },
    });
    expect(after.map((q) => [q.key, q.discrimination, q.difficulty])).toEqual([
      ['sp-001', 1.2, -1],
      ['sp-002', 1, 0],
      ['sp-003', sp003.discrimination, sp003.difficulty],
    ]);
    expect(await calibrations.findFirstOrThrow({ where: { pool: { slug: 'graph-basics' } } })).toMatchObject({
      status: 'ACCEPTED',
      acceptedQuestionIds: [rawId(sp003.question.id)],
    });
    await shot(page, '23c-pool-calibration-accepted');
  });
});

describe('a student plans a learning path', () => {
  it('sets their hours, plans a path, finds the first topic open and a later one locked with its reason, and opens them all in practice mode', async () => {
    const email = 'pathfinder@example.test';
    const { body } = await server.graphql<{ signUp: { __typename: string } }>(
      'mutation ($input: SignUpInput!) { signUp(input: $input) { __typename } }',
      { input: { email, password: 'practice', name: 'Pat Pathfinder' } },
    );
    expect(body.data?.signUp.__typename).toBe('AuthPayload');
    const page = await open();
    await signIn(page, email);
    await nav(page, 'Path').click();
    await page.getByText('No path yet').waitFor();

    // A bad value is named beside its field, and nothing is planned.
    const hours = page.getByLabel('Hours a week');
    await hours.fill('100');
    await page.getByRole('button', { name: 'Plan my path' }).click();
    await page.getByText('Hours a week must be 0.5 to 40.').waitFor();
    expect(await hours.getAttribute('aria-invalid')).toBe('true');
    await hours.fill('6');
    await page.getByRole('button', { name: 'Plan my path' }).click();

    const topics = page.getByRole('list', { name: 'Topics' }).locator(':scope > li');
    await topics.first().waitFor();
    expect(await page.getByLabel('Topics completed').getAttribute('max')).toBe(String(await topics.count()));
    const stored = await server.database.prisma.curriculum.findFirstOrThrow({
      where: { user: { email }, replacedAt: null },
      include: { user: { include: { learningProfile: true } } },
    });
    expect([stored.weeklyHours, stored.user?.learningProfile?.weeklyHours]).toEqual([6, 6]);
    const first = topics.first();
    const firstTitle = (await first.getByRole('heading', { level: 3 }).innerText()).replace(/^1\.\s*/, '');
    expect(await first.getByLabel('State').innerText()).toBe('Open');
    // Its exercises lead to their problem, or start a test.
    const exercises = first.getByRole('list', { name: `Exercises of ${firstTitle}` }).locator(':scope > li');
    expect(await exercises.count()).toBeGreaterThan(0);
    expect(await exercises.getByRole('link').or(exercises.getByRole('button')).count()).toBe(await exercises.count());
    const locked = page.getByRole('list', { name: 'Topics' }).locator(':scope > li.locked');
    expect(await locked.count()).toBeGreaterThan(0);
    expect(await locked.first().getByLabel('State').innerText()).toMatch(/Locked/);
    expect(await locked.first().locator('.lock-reason').innerText()).toContain(`Waits for ${firstTitle}`);
    await shot(page, '26-path');

    // Moving the first topic below one that waits for it is refused, naming the prerequisite.
    await first.getByRole('button', { name: `Move ${firstTitle} down` }).click();
    await page.getByRole('alert').getByText(`must come after its prerequisite "${firstTitle}"`).waitFor();
    // The third topic, which waits for the first only, moves above the second with the keyboard,
    // and keeps the focus.
    const title = async (topic: ReturnType<typeof topics.nth>) =>
      (await topic.getByRole('heading', { level: 3 }).innerText()).replace(/^\d+\.\s*/, '');
    const [second, third] = [await title(topics.nth(1)), await title(topics.nth(2))];
    const after = await topics
      .nth(2)
      .getByText(/^After:/)
      .textContent();
    expect(after?.replace(/\s+/g, ' ')).toBe(`After: ${firstTitle}`);
    await topics
      .nth(2)
      .getByRole('button', { name: `Move ${third} up` })
      .focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => title(topics.nth(1))).toBe(third);
    expect(await title(topics.nth(2))).toBe(second);
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label')))
      .toBe(`Move ${third} up`);
    expect(await page.getByRole('alert').count()).toBe(0);

    // Practice mode opens every topic.
    await page.getByLabel('Practice mode').check();
    await expect.poll(() => locked.count()).toBe(0);
    expect(await page.locator('.lock-reason').count()).toBe(0);
    expect(await server.database.prisma.learningProfile.count({ where: { user: { email }, practiceMode: true } })).toBe(
      1,
    );
    await shot(page, '27-path-practice-mode');
  });
});

describe('GraphiQL in the browser', () => {
  /** Replaces the text of one of GraphiQL's editors, typed as a person would. */
  async function typeInto(page: Page, editor: ReturnType<Page['locator']>, text: string): Promise<void> {
    await editor.locator('.view-lines').click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.press('Delete');
    await page.keyboard.type(text);
    await page.keyboard.press('Escape');
  }

  it('loads from the server alone, offline, and runs a query and a subscription', async () => {
    const page = await open();
    const paths: string[] = [];
    page.on('request', (request) => paths.push(new URL(request.url()).pathname));
    const sockets: string[] = [];
    page.on('websocket', (socket) => sockets.push(socket.url()));
    await page.goto('/graphql');
    const operation = page.getByRole('region', { name: 'Operation Editor' });
    await operation.locator('.monaco-editor').waitFor();
    // Its script, styles and editor workers came from this server.
    await expect
      .poll(() => paths)
      .toEqual(
        expect.arrayContaining([
          '/graphiql/yoga-graphiql.umd.js',
          '/graphiql/graphiql.css',
          '/graphiql/monacoeditorwork/editor.worker.bundle.js',
          '/graphiql/monacoeditorwork/graphql.worker..bundle.js',
        ]),
      );
    // Its icon is this server's too, asked for here: the npm package's Chromium (a headless shell) fetches no icons.
    const icon = await page.locator('link[rel="icon"]').getAttribute('href');
    expect(icon).toBe('/graphiql/favicon.svg');
    expect((await page.request.get(icon ?? '')).headers()['content-type']).toMatch(/^image\/svg\+xml/);

    // Monaco lays text out with non-breaking spaces.
    const result = async () =>
      (await page.getByRole('region', { name: 'Result Window' }).innerText()).replace(/\s+/g, ' ');
    await typeInto(page, operation, '{ contentItem(slug: "two-sum") { title } }');
    await page.getByRole('button', { name: /^Execute query/ }).click();
    await expect.poll(result).toMatch(/"title": "Two Sum"/);
    await shot(page, '14-graphiql-query');

    // A subscription, over graphql-ws on the same origin, signed in with the Headers editor.
    const token = await server.logIn('student3@demo.test');
    await page.getByRole('button', { name: 'Headers' }).click();
    await typeInto(
      page,
      page.locator('.graphiql-editor-tool .graphiql-editor:not(.hidden)'),
      `{ "authorization": "Bearer ${token}" }`,
    );
    await typeInto(page, operation, 'subscription { leaderboardChanged(scope: GLOBAL, window: ALL_TIME) { rank } }');
    await page.getByRole('button', { name: /^Execute query/ }).click();
    await expect.poll(result).toMatch(/"leaderboardChanged": \[/);
    expect(await result()).not.toMatch(/"errors"/);
    expect(sockets).toEqual([`${server.url.replace(/^http/, 'ws')}/graphql`]);
    await shot(page, '15-graphiql-subscription');
  });
});

describe('a new student from sign-up to a topic unlocked', () => {
  it('signs up, takes the placement test with the keyboard, plans a path, follows the next step and unlocks what waited for it', async () => {
    const email = 'newcomer@example.test';
    const page = await open();
    await page.goto('/');
    const signUp = page.getByRole('form', { name: 'Create an account' });
    // A short password is named beside its field.
    await signUp.getByLabel('Name').fill('Nia Newcomer');
    await signUp.getByLabel('Email').fill(email);
    await signUp.getByLabel('Password').fill('short');
    await signUp.getByRole('button', { name: 'Create an account' }).click();
    await signUp.locator('#sign-up-password-issue').waitFor();
    expect(await signUp.getByLabel('Password').getAttribute('aria-invalid')).toBe('true');
    await signUp.getByLabel('Password').fill('practice-1');
    await signUp.getByRole('button', { name: 'Create an account' }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    // Home: no path yet, and the way to plan one.
    await page.getByRole('link', { name: 'Plan your path' }).click();
    await page.waitForURL(/\/path$/);

    // The placement test, to its end, with the keyboard.
    await page.getByRole('button', { name: 'Take the placement test' }).click();
    await page.waitForURL(/\/tests\/[^/]+$/);
    let answered = 0;
    for (;;) {
      const question = page.getByRole('form', { name: `Question ${answered + 1}` });
      await question.waitFor();
      await expect.poll(() => focused(page)).toMatch(/^radio [A-Z]$/);
      await page.keyboard.press(String((answered % 2) + 1));
      await page.keyboard.press('Enter');
      await page.getByRole('region', { name: 'Your answer' }).waitFor();
      answered += 1;
      const next = (await focused(page)).replace(/^button /, '');
      expect(['Next question', 'See your result']).toContain(next);
      await page.keyboard.press('Enter');
      if (next === 'See your result') break;
    }
    expect(answered).toBeLessThanOrEqual(20);
    await page.getByRole('heading', { name: /^Result: / }).waitFor();
    await shot(page, '28-placement-result');
    const user = await server.database.prisma.user.findFirstOrThrow({
      where: { email },
      include: { learningProfile: true },
    });
    expect(user.learningProfile?.assessmentCompleted).toBe(true);

    await nav(page, 'Path').click();
    await page.getByText(/^Placement completed/).waitFor();
    expect(await page.getByRole('button', { name: 'Take the placement test' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Plan my path' }).click();
    const topics = page.getByRole('list', { name: 'Topics' }).locator(':scope > li');
    await topics.first().waitFor();
    await shot(page, '29-placement-path');

    // The next step, on the home page.
    await nav(page, 'Problems').click();
    const step = page.getByRole('region', { name: /^Your next step: / });
    await step.waitFor();
    const topicTitle = (await step.getByRole('heading').innerText()).replace(/^Your next step: /, '');
    expect(await step.locator('p').first().innerText()).not.toBe('');
    await shot(page, '30-next-step');
    const curriculum = await server.database.prisma.curriculum.findFirstOrThrow({
      where: { userId: user.id, replacedAt: null },
      include: {
        topics: {
          include: {
            progress: true,
            prerequisites: true,
            exercises: {
              orderBy: { order: 'asc' },
              include: { contentItem: { include: { currentVersion: true } } },
            },
          },
        },
      },
    });
    const topic = curriculum.topics.find((candidate) => candidate.title === topicTitle);
    if (!topic) throw new Error(`no topic "${topicTitle}" on the path`);
    expect(topic.progress?.completed ?? false).toBe(false);
    // The topics that wait for this one alone: locked now.
    const waiting = curriculum.topics.filter(
      (other) => other.prerequisites.length === 1 && other.prerequisites[0]?.prerequisiteId === topic.id,
    );
    expect(waiting.length).toBeGreaterThan(0);
    expect(waiting.every((other) => other.progress?.unlockedAt == null)).toBe(true);

    const problemLink = step.getByRole('link', { name: /^Solve / });
    if ((await problemLink.count()) > 0) {
      // A coding problem: its reference solution passes every test.
      await problemLink.click();
      const slug = decodeURIComponent(new URL(page.url()).pathname.split('/')[2] ?? '');
      const item = topic.exercises.find((exercise) => exercise.contentItem?.slug === slug)?.contentItem;
      const body = item?.currentVersion?.body as { referenceSolution?: Record<string, string> } | undefined;
      const solution = body?.referenceSolution?.JAVASCRIPT ?? body?.referenceSolution?.javascript;
      if (!solution) throw new Error(`no JavaScript reference solution for ${slug}`);
      await setCode(page, solution);
      await page.getByRole('button', { name: 'Submit' }).click();
      await page.getByText(/^Score 100%/).waitFor({ timeout: 60_000 });
    } else {
      // An adaptive test on the topic's concept: every answer right, read from the database.
      await step.getByRole('button', { name: /^Take a test on / }).click();
      await page.waitForURL(/\/tests\/[^/]+$/);
      const sessionId = rawId(decodeURIComponent(new URL(page.url()).pathname.split('/')[2] ?? ''));
      expect(
        (await server.database.prisma.adaptiveTestSession.findUniqueOrThrow({ where: { id: sessionId } })).concepts,
      ).toEqual([topic.concept]);
      for (let given = 0; ; given += 1) {
        const question = page.getByRole('form', { name: `Question ${given + 1}` });
        await question.waitFor();
        const session = await server.database.prisma.adaptiveTestSession.findUniqueOrThrow({
          where: { id: sessionId },
          include: { currentQuestion: true },
        });
        const right = session.currentQuestion?.correctOption;
        if (!right) throw new Error('no current question');
        await expect.poll(() => focused(page)).toMatch(/^radio [A-Z]$/);
        await page.keyboard.press(right.toLowerCase());
        await page.keyboard.press('Enter');
        const feedback = page.getByRole('region', { name: 'Your answer' });
        await feedback.waitFor();
        expect(await feedback.innerText()).toMatch(/^Right\./);
        const next = (await focused(page)).replace(/^button /, '');
        await page.keyboard.press('Enter');
        if (next === 'See your result') break;
      }
      await page.getByRole('heading', { name: /^Result: / }).waitFor();
    }
    await shot(page, '31-next-step-done');

    // On the Path page: the topic completed, those that waited for it open.
    await nav(page, 'Path').click();
    const card = page.getByRole('listitem', { name: new RegExp(`^\\d+\\. ${escape(topicTitle)}`) });
    await expect.poll(() => card.getByLabel('State').innerText()).toBe('Completed');
    for (const other of waiting) {
      const dependent = page.getByRole('listitem', { name: new RegExp(`^\\d+\\. ${escape(other.title)}`) });
      expect(await dependent.getByLabel('State').innerText()).toBe('Open');
      expect(await dependent.locator('.lock-reason').count()).toBe(0);
    }
    await shot(page, '32-topic-unlocked');
    const progress = await server.database.prisma.topicProgress.findMany({
      where: { topicId: { in: [topic.id, ...waiting.map((other) => other.id)] } },
    });
    expect(progress.find((row) => row.topicId === topic.id)?.completed).toBe(true);
    for (const other of waiting) {
      expect(progress.find((row) => row.topicId === other.id)?.unlockedAt).toBeInstanceOf(Date);
    }
  });
});

/** Text as a regular expression that matches it literally. */
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
