// ESLint (typed rules from typescript-eslint) for correctness; Prettier owns formatting.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** The engines under api/: below the services, above execution, the LLM client and the data. */
const ENGINES = ['evaluation', 'coach', 'leaderboard', 'rewards', 'adaptive', 'paths'];
/** The layers below the engines: they serve every engine and import none. */
const BELOW_ENGINES = ['execution', 'content', 'llm', 'auth', 'db'];

/** Services, the schema and the composition root are above every engine. */
const ABOVE_ENGINES = {
  regex: '^(\\.\\./)+((services|schema)(/|$)|(app|runtime|context|builder)\\.js$)',
  message: 'Engines do not import services or the schema: move the rule it needs down to the engine.',
};

/** The layers below the engines import no engine. */
const NO_ENGINE = {
  regex: `^(\\.\\./)+(${ENGINES.join('|')})(/|$)`,
  message: 'The layers below the engines import no engine: the engine passes what they need.',
};

/** One LLM client: everything but api/llm/ goes through it. */
const ONE_LLM_CLIENT = {
  name: '@anthropic-ai/sdk',
  message: 'One LLM client: call the model through api/llm/ (LlmClient), not the SDK.',
};

/** What the files of api/<folder> (api/ itself for '') may not import. */
function restrictedImports(folder) {
  const patterns = ENGINES.includes(folder)
    ? [ABOVE_ENGINES]
    : BELOW_ENGINES.includes(folder)
      ? [ABOVE_ENGINES, NO_ENGINE]
      : [];
  return { paths: folder === 'llm' ? [] : [ONE_LLM_CLIENT], patterns };
}

export default tseslint.config(
  { ignores: ['node_modules/', 'api/generated/', 'client/gql/', 'client/dist/', '.data/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: globals.node },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  { files: ['client/app/**'], languageOptions: { globals: globals.browser } },
  // Layers run one way: schema → services → engines → execution / llm / db / pubsub. An engine
  // (or anything below the engines) never imports a service or the schema, and below the
  // engines nothing imports an engine: the rule it needs moves down. Only api/llm/ talks to the
  // Anthropic SDK. test/layers.test.ts proves these rules are on.
  ...['', ...ENGINES, ...BELOW_ENGINES].map((folder) => ({
    files: [folder ? `api/${folder}/**` : 'api/**'],
    rules: { 'no-restricted-imports': ['error', restrictedImports(folder)] },
  })),
  prettier,
);
