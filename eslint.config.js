// Lint rules for the engine, the UI and the tools: typescript-eslint's recommended set plus Svelte's.
import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';
import modelBoundaries from './scripts/eslint/model-boundaries.js';

export default ts.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'resources/**', 'tests/fixtures/**', 'coverage/**'] },
  js.configs.recommended,
  ...ts.configs.recommended,
  ...svelte.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { projectService: true, extraFileExtensions: ['.svelte'], parser: ts.parser, svelteConfig } },
  },
  {
    // A model kind lives in its folder: the registry is the only way in, and its id is written nowhere else.
    files: ['src/**/*.ts', 'src/**/*.svelte'],
    plugins: { local: modelBoundaries },
    rules: { 'local/registry-imports-only': 'error', 'local/no-kind-strings': 'error' },
  },
  {
    // Tests may name the kinds they exercise.
    files: ['src/**/*.test.ts'],
    rules: { 'local/no-kind-strings': 'off' },
  },
  {
    // The renderer never imports the engine; only the shared contract.
    files: ['src/renderer/**/*'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/main/**', 'electron', 'node:*'], message: 'The renderer may import src/shared only.' }] }],
      'no-restricted-syntax': ['error', { selector: "Identifier[name='ipcRenderer']", message: 'The renderer reaches the engine only through the bridge.' }],
    },
  },
  {
    files: ['src/shared/**/*'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['node:*', 'electron', '**/main/**', '**/renderer/**'], message: 'src/shared is pure TypeScript: no Node, no DOM, no engine.' }] }],
    },
  },
);
