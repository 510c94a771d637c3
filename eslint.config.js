/**
 * Lint: typescript-eslint's recommended rules, and the layer rules the README states, so a machine
 * checks them: the domain is pure (no AWS, no adapters, handlers, entries or use cases, no environment),
 * use cases reach AWS only through ports, only adapters (plus the local runner, scripts and the CDK app)
 * import the AWS SDK (the Lambda entries and handlers reach it through the adapters' wiring), and neither
 * the domain nor the use cases draw random bytes themselves (they come through the RandomSource port).
 * Layout is Prettier's: `npm run lint` checks it too, `npm run format` applies it.
 */
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

const awsSdk = { group: ['@aws-sdk/*'], message: 'Only functions/adapters talks to AWS: go through a port.' };
const layer = (name, why) => ({ group: [`**/${name}`, `**/${name}/*`], message: why });
/** Randomness comes through the RandomSource port (functions/ports/random-source.ts): ids stay testable. */
const randomness = ['node:crypto', 'crypto'].map((name) => ({
  name,
  importNames: ['randomBytes', 'randomUUID', 'getRandomValues'],
  message:
    'Draw random bytes from the RandomSource port (functions/ports/random-source.ts), not node:crypto.',
}));
/** The same bytes through the Web Crypto global (`crypto.randomUUID()`, no import). */
const globalRandomness = ['randomUUID', 'getRandomValues'].map((property) => ({
  object: 'crypto',
  property,
  message:
    'Draw random bytes from the RandomSource port (functions/ports/random-source.ts), not the crypto global.',
}));

export default tseslint.config(
  { ignores: ['node_modules/', 'cdk.out/', 'test-results/', '**/*.cjs', 'bench/results/'] },
  ...tseslint.configs.recommended,
  // Formatting is Prettier's (npm run format); no lint rule argues with it.
  prettier,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
    },
  },
  {
    // Tests and the benchmark read JSON answers of many shapes; `any` there is the honest type.
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['functions/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: randomness,
          patterns: [
            awsSdk,
            layer('adapters', 'The domain is pure: it imports no adapter.'),
            layer('handlers', 'The domain is pure: it imports no handler.'),
            layer('entries', 'The domain is pure: it imports no Lambda entry.'),
            layer('use-cases', 'The domain is pure: use cases depend on it, not the other way round.'),
            layer('ports', 'The domain is pure: ports depend on it, not the other way round.'),
          ],
        },
      ],
      'no-restricted-properties': [
        'error',
        {
          object: 'process',
          property: 'env',
          message: 'The domain reads no environment: take it as an argument.',
        },
        ...globalRandomness,
      ],
    },
  },
  {
    files: ['functions/use-cases/**/*.ts', 'functions/ports/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: randomness,
          patterns: [
            awsSdk,
            layer('adapters', 'Use cases depend on ports, never on a concrete adapter.'),
            layer('handlers', 'Use cases know nothing of their entry points.'),
            layer('entries', 'Use cases know nothing of their entry points.'),
          ],
        },
      ],
      'no-restricted-properties': [
        'error',
        {
          object: 'process',
          property: 'env',
          message: 'Configuration is read once, in functions/adapters/config.ts.',
        },
        ...globalRandomness,
      ],
    },
  },
  {
    files: ['functions/handlers/**/*.ts', 'functions/entries/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [awsSdk] }],
    },
  },
  {
    // The console is a client of the API: it may share the domain's types and words, nothing that runs on the server.
    files: ['console/src/**/*.ts', 'console/src/**/*.tsx'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '@aws-sdk/*',
                'node:*',
                '**/adapters/*',
                '**/handlers/*',
                '**/entries/*',
                '**/use-cases/*',
                '**/ports',
                '**/ports/*',
                '**/lib/*',
                '**/local/*',
              ],
              allowTypeImports: true,
              message:
                'The console calls the API: it imports only types from the server code, and pure data from functions/domain.',
            },
          ],
        },
      ],
    },
  },
);
