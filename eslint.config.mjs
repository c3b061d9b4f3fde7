// `pnpm lint`: the house's one mechanical rule, lines of at most 120 characters in every source, test and
// bench file (STYLE.md: a function you can read in one screen). Long strings, template literals, regular
// expressions and URLs may run over: breaking them would hurt what they say more than the width helps.
import stylistic from '@stylistic/eslint-plugin';
import tsParser from '@typescript-eslint/parser';

export default [
  {
    ignores: ['**/node_modules/**', '**/dist/**', '**/out/**', '**/.vscode-test/**', '.device-kit/**', '**/*.d.ts',
      'extension/engine/**', 'packages/engine/wasm/**'],
  },
  {
    files: ['**/*.{ts,mts,cts,js,mjs,cjs}'],
    languageOptions: { parser: tsParser, ecmaVersion: 'latest', sourceType: 'module' },
    linterOptions: { reportUnusedDisableDirectives: 'off' },
    plugins: { '@stylistic': stylistic },
    rules: {
      '@stylistic/max-len': ['error', {
        code: 120, tabWidth: 2, ignoreUrls: true, ignoreStrings: true, ignoreTemplateLiterals: true,
        ignoreRegExpLiterals: true,
      }],
    },
  },
];
