/**
 * Checks seeded content: every reference solution passes all of its item's tests, and
 * every starter (or buggy) program fails at least one, in every language it ships.
 */
import { type Language, type SeedItem, seedItemSchema, type TestCase } from '../../api/content/body.js';
import { DEFAULT_LIMITS } from '../../api/execution/executor.js';
import { createUnsafeLocalExecutor } from '../../api/execution/unsafe-local.js';

// The seed's own solutions are trusted code: they run unsandboxed, with the same harness and verdicts.
const executor = createUnsafeLocalExecutor();

async function passesAll(
  language: Language,
  code: string,
  entrypoint: string,
  testCases: readonly TestCase[],
): Promise<{ passed: number; firstFailure?: string }> {
  const results = await executor.run({ language, code, entrypoint, testCases, limits: DEFAULT_LIMITS }, () => {});
  const failures = results
    .filter((result) => result.verdict !== 'PASSED')
    .map((result) => {
      const testCase = testCases[result.index];
      const got = result.actual ?? `${result.verdict}: ${result.stderr.trim().split('\n').at(-1) ?? ''}`;
      return `${testCase?.name}: expected ${JSON.stringify(testCase?.expected)}, got ${got}`;
    });
  return { passed: testCases.length - failures.length, firstFailure: failures[0] };
}

const SEEDED_LANGUAGES = ['JAVASCRIPT', 'PYTHON'] as const;

/**
 * Returns a list of problems (empty when all content is sound); `log` gets a line per item and
 * language run. Every item must ship every seeded language; only those in `run` are run.
 */
export async function runSeedItemChecks(
  items: readonly SeedItem[],
  log: (line: string) => void = () => {},
  run: readonly Language[] = SEEDED_LANGUAGES,
): Promise<string[]> {
  const problems: string[] = [];
  const slugs = new Set<string>();
  for (const raw of items) {
    const parsed = seedItemSchema.safeParse(raw);
    if (!parsed.success) {
      problems.push(`${raw.slug}: invalid item: ${parsed.error.message}`);
      continue;
    }
    const item = parsed.data;
    if (slugs.has(item.slug)) problems.push(`${item.slug}: duplicate slug`);
    slugs.add(item.slug);
    const body = item.body;
    if (body.kind === 'SYSTEM_DESIGN') {
      log(`${item.slug}: ${body.rubric.length} rubric criteria`);
      continue;
    }
    const hidden = body.testCases.filter((t) => t.hidden).length;
    if (body.testCases.length < 5 || hidden < 2) problems.push(`${item.slug}: needs >= 5 tests with >= 2 hidden`);
    for (const language of SEEDED_LANGUAGES) {
      const reference = body.referenceSolution[language];
      const starter = body.starterCode[language];
      if (!reference || !starter) {
        problems.push(`${item.slug}: missing ${language} reference or starter`);
        continue;
      }
      if (!run.includes(language)) continue;
      const ref = await passesAll(language, reference, body.entrypoint, body.testCases);
      if (ref.passed !== body.testCases.length)
        problems.push(`${item.slug} ${language} reference fails ${ref.firstFailure}`);
      const start = await passesAll(language, starter, body.entrypoint, body.testCases);
      if (start.passed === body.testCases.length) problems.push(`${item.slug} ${language} starter passes every test`);
      log(
        `${item.slug} ${language}: reference ${ref.passed}/${body.testCases.length}, starter ${start.passed}/${body.testCases.length}`,
      );
    }
  }
  return problems;
}
