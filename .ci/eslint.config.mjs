import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test/fixtures/**', 'test-results/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-console': 'off',
    },
  },
  {
    // The layering rule that matters most (docs/ARCHITECTURE.md, "Layers"); the rest of the
    // folder rule is test/unit/layers.test.ts.
    files: ['src/core/**', 'src/providers/**', 'src/config/**', 'src/cli/**', 'src/webview/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'vscode', message: 'Only src/extension may import vscode.' }] },
      ],
    },
  },
);
