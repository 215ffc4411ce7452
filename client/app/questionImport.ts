/**
 * Questions an instructor pastes, as JSON (an array of `QuestionInput`s) or CSV (a header, then one
 * row per question), read into the API's input and checked for shape: every field there, of its
 * type. What the values may be (ranges, the pool's concepts, keys that differ) is the server's to
 * say, row by row, through `addQuestions`; both kinds of issue are reported against the row.
 */
import Papa from 'papaparse';
import { z } from 'zod';
import type { QuestionInput } from '../gql/graphql.js';

/** One problem with the paste: `row` is the question's index (0-based), null for the paste as a whole. */
export interface RowIssue {
  row: number | null;
  field: string;
  message: string;
}

export interface ParsedQuestions {
  format: 'JSON' | 'CSV';
  /** What each row holds, for the preview, valid or not. */
  rows: Record<string, unknown>[];
  /** The questions to send: all rows, when no row has an issue. */
  questions: QuestionInput[] | null;
  issues: RowIssue[];
  /** The field as the author wrote it: for CSV, an option's column (`optionB`) rather than its path (`options.1.text`). */
  fieldName(row: number, field: string): string;
}

/** The CSV columns, in the order the example shows them; `option<LETTER>` columns hold the options. */
export const CSV_COLUMNS = [
  'key',
  'stem',
  'optionA',
  'optionB',
  'optionC',
  'optionD',
  'correctOption',
  'explanation',
  'concepts',
  'discrimination',
  'difficulty',
  'guessing',
] as const;
const CSV_REQUIRED = ['key', 'stem', 'correctOption', 'concepts', 'discrimination', 'difficulty'];
const CSV_OPTIONAL = ['explanation', 'guessing'];
const OPTION_COLUMN = /^option([A-Z])$/;
/** Concepts in one CSV cell are separated by semicolons. */
const CONCEPT_SEPARATOR = ';';

const requiredText = z
  .string({ error: (issue) => (issue.input === undefined ? 'is missing' : 'must be text') })
  .trim()
  .min(1, 'is empty');
const requiredNumber = z.number({
  error: (issue) => (issue.input === undefined ? 'is missing' : `must be a number, not ${JSON.stringify(issue.input)}`),
});

const questionShape = z.strictObject({
  key: requiredText,
  stem: requiredText,
  options: z
    .array(z.strictObject({ key: requiredText, text: requiredText }), { error: 'must be a list of {key, text}' })
    .min(2, 'needs at least two options'),
  correctOption: requiredText,
  explanation: z.string({ error: 'must be text' }).nullish(),
  concepts: z.array(requiredText, { error: 'must be a list of concepts' }).min(1, 'needs at least one concept'),
  discrimination: requiredNumber,
  difficulty: requiredNumber,
  guessing: z.number({ error: (issue) => `must be a number, not ${JSON.stringify(issue.input)}` }).nullish(),
});

/** Reads a paste: JSON when it starts with `[` or `{`, CSV otherwise. */
export function parseQuestions(text: string): ParsedQuestions {
  // Only blank lines go: a tab or comma at the end of a line is an empty last cell.
  const lines = text.replace(/^(\s*\n)+/, '').replace(/(\n\s*)+$/, '');
  return /^\s*[[{]/.test(lines) ? parseJson(lines) : parseCsv(lines);
}

function parseJson(text: string): ParsedQuestions {
  const fieldName = (_row: number, field: string) => field;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const issue = { row: null, field: '', message: `not valid JSON: ${(error as Error).message}` };
    return { format: 'JSON', rows: [], questions: null, issues: [issue], fieldName };
  }
  if (!Array.isArray(value)) {
    const issue = { row: null, field: '', message: 'must be an array of questions, e.g. [{"key": …}]' };
    return { format: 'JSON', rows: [], questions: null, issues: [issue], fieldName };
  }
  const rows = value.map((row: unknown) => (row && typeof row === 'object' ? (row as Record<string, unknown>) : {}));
  return { format: 'JSON', rows, ...checkShape(value), fieldName };
}

function parseCsv(text: string): ParsedQuestions {
  const parsed = Papa.parse<Record<string, string>>(text, {
    header: true,
    skipEmptyLines: 'greedy',
    transformHeader: (header) => header.trim(),
    // Commas, or tabs as a spreadsheet copies; never the semicolons between concepts.
    delimitersToGuess: [',', '\t'],
  });
  const columns = parsed.meta.fields ?? [];
  const optionColumns = columns.filter((column) => OPTION_COLUMN.test(column));
  const issues: RowIssue[] = [];
  for (const column of CSV_REQUIRED.filter((name) => !columns.includes(name)))
    issues.push({ row: null, field: column, message: 'column is missing' });
  if (optionColumns.length < 2)
    issues.push({
      row: null,
      field: 'optionA',
      message: 'at least two option columns (optionA, optionB, …) are needed',
    });
  for (const column of columns.filter(
    (name) => !CSV_REQUIRED.includes(name) && !CSV_OPTIONAL.includes(name) && !OPTION_COLUMN.test(name),
  ))
    issues.push({ row: null, field: column, message: `unknown column (the columns are ${CSV_COLUMNS.join(', ')})` });
  for (const error of parsed.errors) {
    if (error.type === 'Delimiter') continue; // One column only: the missing columns are reported above.
    issues.push({ row: error.row ?? null, field: '', message: error.message });
  }

  // Each row's options come from its non-empty option columns, in order: remember which was which.
  const optionColumnsOf: string[][] = [];
  const rows = parsed.data.map((record) => {
    const present = optionColumns.filter((column) => (record[column] ?? '').trim() !== '');
    optionColumnsOf.push(present);
    const cell = (column: string) => {
      const value = record[column]?.trim();
      return value === undefined || value === '' ? undefined : value;
    };
    const number = (column: string) => {
      const value = cell(column);
      return value === undefined || Number.isNaN(Number(value)) ? value : Number(value);
    };
    return {
      key: cell('key'),
      stem: cell('stem'),
      options: present.map((column) => ({ key: OPTION_COLUMN.exec(column)?.[1] ?? '', text: cell(column) })),
      correctOption: cell('correctOption'),
      ...(cell('explanation') !== undefined ? { explanation: cell('explanation') } : {}),
      concepts: (cell('concepts') ?? '')
        .split(CONCEPT_SEPARATOR)
        .map((concept) => concept.trim())
        .filter(Boolean),
      discrimination: number('discrimination'),
      difficulty: number('difficulty'),
      ...(cell('guessing') !== undefined ? { guessing: number('guessing') } : {}),
    };
  });
  const shape = checkShape(rows);
  const fieldName = (row: number, field: string) =>
    field.replace(/^options\.(\d+)(\.\w+)?$/, (whole, index: string) => optionColumnsOf[row]?.[Number(index)] ?? whole);
  const all = [...issues, ...shape.issues];
  return { format: 'CSV', rows, questions: all.length === 0 ? shape.questions : null, issues: all, fieldName };
}

function checkShape(values: unknown[]): { questions: QuestionInput[] | null; issues: RowIssue[] } {
  if (values.length === 0) return { questions: null, issues: [{ row: null, field: '', message: 'no question in it' }] };
  const questions: QuestionInput[] = [];
  const issues: RowIssue[] = [];
  values.forEach((value, row) => {
    const result = questionShape.safeParse(value);
    if (result.success) questions.push(result.data);
    else
      for (const issue of result.error.issues)
        issues.push({ row, field: issue.path.map(String).join('.'), message: unknownKeysMessage(issue) });
  });
  return { questions: issues.length === 0 ? questions : null, issues };
}

function unknownKeysMessage(issue: z.core.$ZodIssue): string {
  return issue.code === 'unrecognized_keys' ? `unknown field ${issue.keys.join(', ')}` : issue.message;
}

/**
 * The server's issues (paths like `["input", "questions", "3", "concepts"]`) against the rows;
 * an issue outside the questions belongs to the paste as a whole.
 */
export function serverIssues(issues: readonly { path: readonly string[]; message: string }[]): RowIssue[] {
  return issues.map(({ path, message }) => {
    const [, list, index, ...field] = path;
    return list === 'questions' && index !== undefined && /^\d+$/.test(index)
      ? { row: Number(index), field: field.join('.'), message }
      : { row: null, field: path.slice(1).join('.'), message };
  });
}

/** An example paste in CSV, as the page documents it. */
export const CSV_EXAMPLE = [
  CSV_COLUMNS.join(','),
  'graphs-001,"What does **BFS** visit first?",The nearest vertices,The deepest vertices,Random vertices,,A,"It explores by distance: all vertices at distance 1, then 2, …",GRAPHS,1.2,-0.5,0.2',
  'graphs-002,"How many edges can a simple undirected graph on `n` vertices have?",n - 1,n(n - 1) / 2,n²,2n,B,Each pair of vertices at most once.,GRAPHS;COMPLEXITY,1.0,0.3,',
].join('\n');

/** The same questions as JSON. */
export const JSON_EXAMPLE = JSON.stringify(
  [
    {
      key: 'graphs-001',
      stem: 'What does **BFS** visit first?',
      options: [
        { key: 'A', text: 'The nearest vertices' },
        { key: 'B', text: 'The deepest vertices' },
        { key: 'C', text: 'Random vertices' },
      ],
      correctOption: 'A',
      explanation: 'It explores by distance: all vertices at distance 1, then 2, …',
      concepts: ['GRAPHS'],
      discrimination: 1.2,
      difficulty: -0.5,
      guessing: 0.2,
    },
  ],
  null,
  2,
);
