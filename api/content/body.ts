/**
 * The typed body of a content version, stored as JSON in `ContentVersion.body`.
 * One zod schema per track; everything that reads a body parses it through here.
 */
import { z } from 'zod';

/** Languages a coding item can be solved in. */
export const LANGUAGES = ['JAVASCRIPT', 'TYPESCRIPT', 'PYTHON'] as const;
export const languageSchema = z.enum(LANGUAGES);
export type Language = z.infer<typeof languageSchema>;

/** Code keyed by language; at least JavaScript and Python for seeded items. */
export const codeByLanguageSchema = z.partialRecord(languageSchema, z.string().min(1));
export type CodeByLanguage = z.infer<typeof codeByLanguageSchema>;

/**
 * One test case: the entrypoint is called with `args` (JSON values) and its return
 * value must deep-equal `expected`. Comparison happens outside the program under test.
 */
export const testCaseSchema = z.object({
  name: z.string().min(1),
  args: z.array(z.unknown()),
  expected: z.unknown(),
  hidden: z.boolean(),
});
export type TestCase = z.infer<typeof testCaseSchema>;

const codingFields = {
  /** Markdown problem statement. */
  statement: z.string().min(1),
  /** Name of the function the student implements (same name in every language). */
  entrypoint: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/),
  starterCode: codeByLanguageSchema,
  referenceSolution: codeByLanguageSchema,
  testCases: z.array(testCaseSchema).min(1),
  hints: z.array(z.string()),
  /** Per-item overrides of the sandbox limits (defaults: 5 s CPU, 10 s wall, 128 MB). */
  limits: z
    .object({
      cpuMs: z.number().int().min(100).max(30_000),
      wallMs: z.number().int().min(200).max(60_000),
      memoryMb: z.number().int().min(16).max(1024),
    })
    .partial()
    .optional(),
};

export const codingBodySchema = z.object({ kind: z.literal('CODING'), ...codingFields });

export const debugLabBodySchema = z.object({
  kind: z.literal('DEBUG_LAB'),
  ...codingFields,
  /** For a debug lab the starter code is the buggy program the student must fix. */
  expectedDiagnosis: z.object({
    /** One-sentence statement of the root cause. */
    summary: z.string().min(1),
    /** Words a correct diagnosis mentions (matched case-insensitively; any one suffices per group). */
    keywords: z.array(z.array(z.string().min(1)).min(1)).min(1),
    /** 1-based line of the bug in the JavaScript buggy code. */
    bugLine: z.number().int().positive(),
  }),
});

export const rubricCriterionSchema = z.object({
  key: z.string().regex(/^[a-z][a-z0-9_]*$/),
  title: z.string().min(1),
  description: z.string().min(1),
  maxScore: z.number().int().positive(),
  /** What a full-score answer covers: guidance for the scorer, hidden from students. */
  guidance: z.string().min(1),
});

export const systemDesignBodySchema = z.object({
  kind: z.literal('SYSTEM_DESIGN'),
  statement: z.string().min(1),
  rubric: z.array(rubricCriterionSchema).min(1),
  hints: z.array(z.string()),
});

export const contentBodySchema = z.discriminatedUnion('kind', [
  codingBodySchema,
  debugLabBodySchema,
  systemDesignBodySchema,
]);
export type ContentBody = z.infer<typeof contentBodySchema>;
export type CodingBody = z.infer<typeof codingBodySchema>;
export type DebugLabBody = z.infer<typeof debugLabBodySchema>;
export type SystemDesignBody = z.infer<typeof systemDesignBodySchema>;

export const TRACKS = ['CODING_INTERVIEW', 'DEBUG_LAB', 'SYSTEM_DESIGN'] as const;
export const DIFFICULTIES = ['EASY', 'MEDIUM', 'HARD'] as const;

/** A content item as the seed declares it (metadata plus its first published body). */
export const seedItemSchema = z.object({
  slug: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/),
  title: z.string().min(1),
  summary: z.string().min(1),
  track: z.enum(TRACKS),
  difficulty: z.enum(DIFFICULTIES),
  /** Problem-solving pattern, SCREAMING_CASE (e.g. TWO_POINTERS). */
  pattern: z.string().regex(/^[A-Z][A-Z0-9_]*$/),
  /** Rung on the ladder within a pattern: 1 (intro) to 3 (stretch). */
  rung: z.number().int().min(1).max(5),
  tags: z.array(z.string().min(1)),
  estimatedMinutes: z.number().int().positive(),
  basePoints: z.number().int().nonnegative(),
  timeBonusPoints: z.number().int().nonnegative(),
  body: contentBodySchema,
});
export type SeedItem = z.infer<typeof seedItemSchema>;
