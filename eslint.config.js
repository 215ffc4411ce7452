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
  {
    // Layers run one way: schema → services → engines → execution / db / pubsub. An engine (or
    // anything below the engines) never imports a service or the schema; the rule it needs
    // moves down to it (test/layers.test.ts proves this rule is on).
    files: ENGINES.map((folder) => `api/${folder}/**`),
    rules: { 'no-restricted-imports': ['error', { patterns: [ABOVE_ENGINES] }] },
  },
  {
    // Below the engines, the engines are above too (the LLM client serves the coach, the scorer
    // and the planner; execution serves evaluation and code runs).
    files: BELOW_ENGINES.map((folder) => `api/${folder}/**`),
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ABOVE_ENGINES,
            {
              regex: `^(\\.\\./)+(${ENGINES.join('|')})(/|$)`,
              message: 'The layers below the engines import no engine: the engine passes what they need.',
            },
          ],
        },
      ],
    },
  },
  prettier,
);
