// ESLint (typed rules from typescript-eslint) for correctness; Prettier owns formatting.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Folders under api/ below the services: the engines, and the layers under them. */
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
    files: ENGINE_FOLDERS.map((folder) => `api/${folder}/**`),
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(\\.\\./)+(services|schema)(/|$)',
              message: 'Engines do not import services or the schema: move the rule it needs down to the engine.',
            },
          ],
        },
      ],
    },
  },
  prettier,
);
