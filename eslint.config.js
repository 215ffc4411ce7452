// ESLint (typed rules from typescript-eslint) for correctness; Prettier owns formatting.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

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
    // The LLM client sits below the engines: it serves the coach, the scorer and the planner, never imports them.
    files: ['api/llm/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: ['**/coach/*', '**/evaluation/*', '**/services/*', '**/schema/*', '**/leaderboard/*'] },
      ],
    },
  },
  prettier,
);
