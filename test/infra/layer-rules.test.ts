/**
 * The layer rules in eslint.config.js are what keeps the domain pure, the use cases off AWS and both off
 * node:crypto's random generators. They are checked here on deliberate violations, so a config change
 * that silently disables them fails.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');

interface Case {
  readonly filePath: string;
  readonly code: string;
}

/** One ESLint process (it is ESM and slow to load) lints every case with the project's own config. */
function lintAll(cases: readonly Case[]): string[][] {
  const script = `
    import { ESLint } from 'eslint';
    const cases = JSON.parse(process.argv[1]);
    const eslint = new ESLint();
    const out = [];
    for (const c of cases) {
      const [result] = await eslint.lintText(c.code, { filePath: c.filePath });
      out.push(result.messages.map((m) => m.message));
    }
    console.log(JSON.stringify(out));`;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script, JSON.stringify(cases)], {
    cwd: root,
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`eslint failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as string[][];
}

const violations: ReadonlyArray<readonly [string, string, string]> = [
  [
    'functions/domain/violation.ts',
    "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';\nexport const c = DynamoDBClient;\n",
    'Only functions/adapters talks to AWS',
  ],
  [
    'functions/domain/violation.ts',
    "import { createDocumentClient } from '../adapters/clients';\nexport const c = createDocumentClient;\n",
    'imports no adapter',
  ],
  [
    'functions/domain/violation.ts',
    'export const stage = process.env.STAGE;\n',
    'The domain reads no environment',
  ],
  [
    'functions/use-cases/violation.ts',
    "import { createDocumentClient } from '../adapters/clients';\nexport const c = createDocumentClient;\n",
    'never on a concrete adapter',
  ],
  [
    'functions/use-cases/violation.ts',
    "import { SQSClient } from '@aws-sdk/client-sqs';\nexport const c = SQSClient;\n",
    'Only functions/adapters talks to AWS',
  ],
  [
    'functions/handlers/violation.ts',
    "import { SQSClient } from '@aws-sdk/client-sqs';\nexport const c = SQSClient;\n",
    'Only functions/adapters talks to AWS',
  ],
  [
    'functions/entries/violation.ts',
    "import { SQSClient } from '@aws-sdk/client-sqs';\nexport const c = SQSClient;\n",
    'Only functions/adapters talks to AWS',
  ],
  [
    'functions/domain/violation.ts',
    "import { randomBytes } from 'node:crypto';\nexport const id = randomBytes(8).toString('hex');\n",
    "'randomBytes' import from 'node:crypto' is restricted. Draw random bytes from the RandomSource port",
  ],
  [
    'functions/use-cases/violation.ts',
    "import { randomUUID } from 'crypto';\nexport const id = randomUUID();\n",
    "'randomUUID' import from 'crypto' is restricted",
  ],
  [
    'functions/use-cases/violation.ts',
    "import { getRandomValues as fill } from 'node:crypto';\nexport const id = fill(new Uint8Array(8));\n",
    "'getRandomValues' import from 'node:crypto' is restricted",
  ],
  [
    'functions/use-cases/violation.ts',
    "import * as crypto from 'node:crypto';\nexport const id = crypto.randomBytes(8);\n",
    "'randomBytes', 'randomUUID', and 'getRandomValues' from 'node:crypto' are restricted",
  ],
  [
    'functions/use-cases/violation.ts',
    'export const id = crypto.randomUUID();\n',
    "'crypto.randomUUID' is restricted from being used. Draw random bytes from the RandomSource port",
  ],
  [
    'functions/domain/violation.ts',
    'export const bytes = crypto.getRandomValues(new Uint8Array(8));\n',
    "'crypto.getRandomValues' is restricted from being used",
  ],
];
const allowed: readonly (Case & { readonly why: string })[] = [
  {
    why: 'an adapter may import the AWS SDK',
    filePath: 'functions/adapters/allowed.ts',
    code: "import { SQSClient } from '@aws-sdk/client-sqs';\nexport const c = SQSClient;\n",
  },
  {
    why: 'an adapter may draw random bytes',
    filePath: 'functions/adapters/allowed.ts',
    code: "import { randomBytes } from 'node:crypto';\nexport const r = randomBytes(8);\n",
  },
  {
    why: 'the domain may hash (deterministic)',
    filePath: 'functions/domain/allowed.ts',
    code: "import { createHash, createHmac } from 'node:crypto';\nexport const h = [createHash, createHmac];\n",
  },
];

const messages = lintAll([...violations.map(([filePath, code]) => ({ filePath, code })), ...allowed]);

describe('layer rules', () => {
  it.each(violations.map((v, index) => [v[0], v[2], index] as const))(
    '%s is refused: %s',
    (_filePath, message, index) => {
      expect(messages[index]!.join('\n')).toContain(message);
    },
  );

  it.each(allowed.map((a, index) => [a.why, violations.length + index] as const))('%s', (_why, index) => {
    expect(messages[index]).toEqual([]);
  });
});
