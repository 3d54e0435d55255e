// The linter guards the layering (which folder may import which) and a few correctness rules;
// Prettier (npm run lint runs both) keeps the formatting and the line length.
import tseslint from 'typescript-eslint';

/** An import of one of these folders (by path segment) or packages is refused, with why. */
const forbid = (...groups) => ({
  'no-restricted-imports': [
    'error',
    {
      patterns: groups.map(({ regex, message }) => ({ regex, message })),
    },
  ],
});

const DOCKERODE = { regex: '^dockerode$', message: 'only source/docker/ talks to dockerode: call the SwarmClient instead' };
const SIMULATOR = { regex: '(^|/)simulator/', message: 'the console reaches the simulator only through a socket, as a real manager' };
const UI = { regex: '(^|/)ui/', message: 'the UI depends on the store, never the reverse' };
const OUTSIDE_SIM = {
  regex: '(^|/)(docker|store|ui|keymap|commands)/|^(dockerode|ink|react|meow)$',
  message: 'the simulator imports only itself and the neutral rules in source/swarm/',
};
const OUTSIDE_SWARM = {
  regex: '(^|/)(docker|store|ui|keymap|commands|simulator)/|^(dockerode|ink|react|meow)$',
  message: 'source/swarm/ holds rules both sides share: it depends on neither',
};

export default tseslint.config(
  { ignores: ['dist/**', 'build/**', 'node_modules/**', 'media/**', 'coverage/**'] },
  {
    files: ['**/*.{ts,tsx}'],
    extends: [tseslint.configs.recommended],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      // Record<string, {}> is how JSON maps from the engine are typed here.
      '@typescript-eslint/no-empty-object-type': 'off',
    },
  },
  { files: ['source/**/*.{ts,tsx}'], rules: forbid(DOCKERODE) },
  { files: ['source/docker/**'], rules: { 'no-restricted-imports': 'off' } },
  { files: ['source/ui/**'], rules: forbid(DOCKERODE, SIMULATOR) },
  { files: ['source/store/**'], rules: forbid(DOCKERODE, UI, SIMULATOR) },
  {
    files: ['source/keymap/**'],
    rules: forbid(DOCKERODE, UI, SIMULATOR, { regex: '(^|/)(store|docker)/', message: 'the keymap is data: it imports nothing of the app' }),
  },
  { files: ['source/simulator/**'], rules: forbid(OUTSIDE_SIM) },
  { files: ['source/swarm/**'], rules: forbid(OUTSIDE_SWARM) },
);
