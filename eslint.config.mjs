// `npm run lint` (with clang-format for native/): ESLint's and
// typescript-eslint's recommended rules over lib/, test/, bench/ and scripts/.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist/', 'build/', 'build-asan/', 'prebuilds/', '.deps/', 'node_modules/', 'bench-results/', 'weft-demo/', 'docs/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      // `_`-prefixed names are deliberately unused (tsc's noUnused* agrees).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
);
