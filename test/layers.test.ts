/** Layers run one way: `npm run lint` fails on an engine (or a layer below them) importing a service or the schema. */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint();

/** The folders under api/ below the services (eslint.config.js lists the same). */
const ENGINE_FOLDERS = [
  'evaluation',
  'coach',
  'leaderboard',
  'rewards',
  'execution',
  'content',
  'llm',
  'adaptive',
  'paths',
  'auth',
  'db',
];

/** The no-restricted-imports messages ESLint gives `source` as if it were the file at `filePath`. */
async function restricted(filePath: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('layer rule', () => {
  it.each(ENGINE_FOLDERS)('refuses api/%s importing a service or the schema, type imports included', async (folder) => {
    const source = [
      "import { submitSolution } from '../services/practice.js';",
      "import type { AttemptRef } from '../schema/practice.js';",
      'export const probe: [typeof submitSolution, AttemptRef | null] = [submitSolution, null];',
      '',
    ].join('\n');
    const messages = await restricted(`api/${folder}/layer-probe.ts`, source);
    expect(messages).toHaveLength(2);
    expect(messages[0]).toMatch(/Engines do not import services or the schema/);
    // Deeper in the folder too.
    expect(await restricted(`api/${folder}/sub/layer-probe.ts`, source.replaceAll("'../", "'../../"))).toHaveLength(2);
  });

  it('refuses an engine importing the composition root or the context', async () => {
    const source =
      "import type { Runtime } from '../runtime.js';\nimport type { Context } from '../context.js';\nexport type Probe = [Runtime, Context];\n";
    expect(await restricted('api/coach/layer-probe.ts', source)).toHaveLength(2);
  });

  it.each(['execution', 'llm', 'content', 'auth', 'db'])(
    'refuses api/%s (below the engines) importing an engine',
    async (folder) => {
      const source = "import { recordOutcome } from '../rewards/outcome.js';\nexport const probe = recordOutcome;\n";
      const messages = await restricted(`api/${folder}/layer-probe.ts`, source);
      expect(messages).toEqual([expect.stringMatching(/import no engine/)]);
    },
  );

  it.each(['api/coach/llm-coach.ts', 'api/evaluation/rubric.ts', 'api/services/coach.ts', 'api/app.ts'])(
    'refuses %s calling the Anthropic SDK itself: one LLM client, in api/llm/',
    async (filePath) => {
      const source = "import Anthropic from '@anthropic-ai/sdk';\nexport const probe = Anthropic;\n";
      expect(await restricted(filePath, source)).toEqual([expect.stringMatching(/One LLM client/)]);
      expect(await restricted('api/llm/anthropic.ts', source)).toEqual([]);
    },
  );

  it('lets services and the schema import engines, and engines import each other', async () => {
    const engine = "import { recordOutcome } from '../rewards/outcome.js';\nexport const probe = recordOutcome;\n";
    expect(await restricted('api/services/layer-probe.ts', engine)).toEqual([]);
    expect(await restricted('api/schema/layer-probe.ts', engine)).toEqual([]);
    expect(await restricted('api/evaluation/layer-probe.ts', engine)).toEqual([]);
  });
});
