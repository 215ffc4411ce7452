/**
 * The web app in a real browser (Chromium driven by playwright-core: the system's, else the one
 * the npm package @sparticuz/chromium ships, see support/chromium.ts) against the app served on
 * a free port with a fresh embedded database: a student fails, asks the coach, solves and
 * climbs the leaderboard; their instructor reads the coach turn in the timeline; a student takes
 * an adaptive test with the keyboard alone; an instructor pastes questions into a pool.
 * Screenshots of every page go to test-results/screenshots/ for review.
 */
import { mkdir } from 'node:fs/promises';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
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
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('practice');
  await page.getByRole('button', { name: 'Sign in' }).click();
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

describe('a student takes an adaptive test', () => {
  it('with the keyboard alone, to a result with θ per concept, then finds it in their history', async () => {
    const page = await open();
    await signIn(page, 'student3@demo.test');
    await nav(page, 'Tests').focus();
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

  it('pastes CSV, sees the row the server refused, fixes it, and adds the questions', async () => {
    const page = await open();
    await signIn(page, 'instructor@demo.test');
    await nav(page, 'Question pools').click();
    const form = page.getByRole('form', { name: 'New question pool' });
    await form.getByLabel('Name').fill('Graph basics');
    await form.getByLabel('Slug').fill('graph-basics');
    await form.getByLabel('Concepts').fill('graphs, shortest paths');
    await form.getByRole('button', { name: 'Create pool' }).click();
    const pools = page.getByRole('table', { name: 'Your pools' });
    await expect
      .poll(() => pools.innerText())
      .toMatch(/Graph basics\s+graph-basics\s+Demo University\s+Graphs, Shortest paths\s+0/);
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

    // Fixed: all three are added.
    await paste.fill(rows('GRAPHS'));
    await importer.getByRole('button', { name: 'Add 3 questions' }).click();
    await importer.getByText('Added 3 questions.').waitFor();
    const added = importer.getByRole('table', { name: 'Questions added' });
    expect(await added.locator('tbody tr').count()).toBe(3);
    await expect.poll(() => pools.innerText()).toMatch(/Graph basics[\s\S]*\s3\s+Add questions/);

    // Retired: no longer counted, no longer asked.
    await added.getByRole('button', { name: 'Retire sp-003' }).click();
    await expect.poll(() => added.getByRole('row', { name: /sp-003/ }).innerText()).toMatch(/Retired/);
    await expect.poll(() => pools.innerText()).toMatch(/Graph basics[\s\S]*\s2\s+Add questions/);
    const stored = await server.database.prisma.question.findMany({
      where: { pool: { slug: 'graph-basics' } },
      orderBy: { key: 'asc' },
    });
    expect(stored.map((q) => [q.key, q.status, q.concepts])).toEqual([
      ['sp-001', 'ACTIVE', ['SHORTEST_PATHS']],
      ['sp-002', 'ACTIVE', ['GRAPHS']],
      ['sp-003', 'RETIRED', ['GRAPHS']],
    ]);
    await shot(page, '22-pool-added');
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
