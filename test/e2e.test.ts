/**
 * The web app in a real browser (Chromium driven by playwright-core: the system's, else the one
 * the npm package @sparticuz/chromium ships, see support/chromium.ts) against the app served on
 * a free port with a fresh embedded database: a student fails, asks the coach, solves and
 * climbs the leaderboard; their instructor reads the coach turn in the timeline.
 * Screenshots of every page go to test-results/screenshots/ for review.
 */
import { mkdir } from 'node:fs/promises';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './support/chromium.js';
import { startTestServer, type TestServer } from './support/server.js';

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
