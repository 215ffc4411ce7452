/**
 * Pasting questions in the web app (client/app/questionImport.ts): CSV and JSON become the API's
 * QuestionInput, shape problems are named by row and column before anything is sent, the
 * server's row issues land on the same rows, and the examples the page documents are accepted by
 * the real API as they stand.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { CSV_EXAMPLE, JSON_EXAMPLE, parseQuestions, serverIssues } from '../client/app/questionImport.js';
import { globalId, startTestServer, type TestServer } from './support/server.js';

const HEADER =
  'key,stem,optionA,optionB,optionC,optionD,correctOption,explanation,concepts,discrimination,difficulty,guessing';

describe('reading a paste', () => {
  it('reads CSV rows into questions: options from the filled option columns, concepts split on semicolons', () => {
    const parsed = parseQuestions(
      [
        HEADER,
        'g-1,"Stem with a comma, and ""quotes""",one,two,,,B,,GRAPHS; TREES ,1.5,-0.25,',
        'g-2,"A stem\non two lines",x,y,z,w,D,Because.,GRAPHS,0.8,2,0.25',
      ].join('\n'),
    );
    expect(parsed.format).toBe('CSV');
    expect(parsed.issues).toEqual([]);
    expect(parsed.questions).toEqual([
      {
        key: 'g-1',
        stem: 'Stem with a comma, and "quotes"',
        options: [
          { key: 'A', text: 'one' },
          { key: 'B', text: 'two' },
        ],
        correctOption: 'B',
        concepts: ['GRAPHS', 'TREES'],
        discrimination: 1.5,
        difficulty: -0.25,
      },
      {
        key: 'g-2',
        stem: 'A stem\non two lines',
        options: ['x', 'y', 'z', 'w'].map((text, i) => ({ key: 'ABCD'[i], text })),
        correctOption: 'D',
        explanation: 'Because.',
        concepts: ['GRAPHS'],
        discrimination: 0.8,
        difficulty: 2,
        guessing: 0.25,
      },
    ]);
  });

  it('reads tab-separated rows as a spreadsheet copies them', () => {
    const parsed = parseQuestions(
      [HEADER.replaceAll(',', '\t'), ['t-1', 'Stem', 'a', 'b', '', '', 'A', '', 'X;Y', '1', '0', ''].join('\t')].join(
        '\n',
      ),
    );
    expect(parsed.issues).toEqual([]);
    expect(parsed.questions?.[0]).toMatchObject({ key: 't-1', concepts: ['X', 'Y'], discrimination: 1 });
  });

  it('names each shape problem by row and by the column the author wrote, and sends nothing', () => {
    const parsed = parseQuestions(
      [HEADER, 'ok-1,Fine,a,b,,,A,,GRAPHS,1,0,', 'bad-2,,a,,,,A,,GRAPHS,hard,0,', 'bad-3,Stem,a,b,c,,A,,,1,,x'].join(
        '\n',
      ),
    );
    expect(parsed.questions).toBeNull();
    const named = parsed.issues.map((issue) => [
      issue.row,
      issue.row === null ? issue.field : parsed.fieldName(issue.row, issue.field),
      issue.message,
    ]);
    expect(named).toEqual([
      [1, 'stem', 'is missing'],
      [1, 'options', 'needs at least two options'],
      [1, 'discrimination', 'must be a number, not "hard"'],
      [2, 'concepts', 'needs at least one concept'],
      [2, 'difficulty', 'is missing'],
      [2, 'guessing', 'must be a number, not "x"'],
    ]);
  });

  it('reports missing and unknown columns, and rows with too many cells', () => {
    const parsed = parseQuestions('key,stem,optionA,answer\nk,s,a,A,extra');
    expect(parsed.questions).toBeNull();
    const general = parsed.issues.filter((issue) => issue.row === null).map((issue) => issue.field);
    expect(general).toEqual(['correctOption', 'concepts', 'discrimination', 'difficulty', 'optionA', 'answer']);
    expect(parsed.issues.some((issue) => issue.row === 0 && /fields/i.test(issue.message))).toBe(true);
  });

  it('reads JSON as an array of QuestionInput, naming bad fields by path and unknown ones', () => {
    const good = parseQuestions(JSON_EXAMPLE);
    expect(good.format).toBe('JSON');
    expect(good.issues).toEqual([]);
    expect(good.questions).toHaveLength(1);

    const bad = parseQuestions(
      JSON.stringify([
        { ...JSON.parse(JSON_EXAMPLE)[0], options: [{ key: 'A', text: '' }, { key: 'B' }], weight: 2 },
        'not a question',
      ]),
    );
    expect(bad.questions).toBeNull();
    expect(bad.issues.map((issue) => [issue.row, issue.field, issue.message])).toEqual([
      [0, 'options.0.text', 'is empty'],
      [0, 'options.1.text', 'is missing'],
      [0, '', 'unknown field weight'],
      [1, '', expect.stringMatching(/expected object/)],
    ]);
    expect(parseQuestions('[{"key": ').issues[0]).toMatchObject({ row: null, message: /not valid JSON/ });
    expect(parseQuestions('{"key": "k"}').issues[0]).toMatchObject({ row: null, message: /must be an array/ });
  });

  it('puts the server’s issues on the rows they name', () => {
    expect(
      serverIssues([
        { path: ['input', 'questions', '3', 'concepts'], message: 'not a concept of this pool' },
        { path: ['input', 'questions', '0', 'options', '1', 'key'], message: 'keys must differ' },
        { path: ['input', 'poolId'], message: 'is not a pool' },
      ]),
    ).toEqual([
      { row: 3, field: 'concepts', message: 'not a concept of this pool' },
      { row: 0, field: 'options.1.key', message: 'keys must differ' },
      { row: null, field: 'poolId', message: 'is not a pool' },
    ]);
    const parsed = parseQuestions(CSV_EXAMPLE);
    expect(parsed.fieldName(0, 'options.2.text')).toBe('optionC');
    // The second example row fills all four option columns; the first leaves optionD empty.
    expect(parsed.fieldName(1, 'options.3.key')).toBe('optionD');
    expect(parsed.fieldName(0, 'options.3.key')).toBe('options.3.key');
  });
});

describe('the documented examples', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });

  it('are accepted by addQuestions as they stand', async () => {
    const token = await server.logIn('instructor@demo.test');
    const org = await server.database.prisma.organization.findUniqueOrThrow({ where: { slug: 'demo-university' } });
    const created = await server.query<{ createQuestionPool: { id: string } }>(
      token,
      `mutation ($input: CreateQuestionPoolInput!) { createQuestionPool(input: $input) { ... on QuestionPool { id } } }`,
      {
        input: {
          organizationId: globalId('Organization', org.id),
          slug: 'examples',
          name: 'Examples',
          concepts: ['GRAPHS', 'COMPLEXITY'],
        },
      },
    );
    const add = (questions: unknown) =>
      server.query<{ addQuestions: { __typename: string; questions?: { key: string }[] } }>(
        token,
        `mutation ($input: AddQuestionsInput!) { addQuestions(input: $input) {
          __typename ... on AddQuestionsPayload { questions { key } } } }`,
        { input: { poolId: created.createQuestionPool.id, questions } },
      );
    const csv = parseQuestions(CSV_EXAMPLE);
    expect(csv.issues).toEqual([]);
    expect((await add(csv.questions)).addQuestions.questions?.map((q) => q.key)).toEqual(['graphs-001', 'graphs-002']);
    const json = parseQuestions(JSON_EXAMPLE.replace('graphs-001', 'graphs-003'));
    expect((await add(json.questions)).addQuestions.questions?.map((q) => q.key)).toEqual(['graphs-003']);
  });
});
