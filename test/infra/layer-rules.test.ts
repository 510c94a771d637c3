/**
 * The layer rules in eslint.config.js are what keeps the domain pure and the use cases off AWS. They are
 * checked here on deliberate violations, so a config change that silently disables them fails.
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
];
const allowed: Case = {
  filePath: 'functions/adapters/allowed.ts',
  code: "import { SQSClient } from '@aws-sdk/client-sqs';\nexport const c = SQSClient;\n",
};

const messages = lintAll([...violations.map(([filePath, code]) => ({ filePath, code })), allowed]);

describe('layer rules', () => {
  it.each(violations.map((v, index) => [v[0], v[2], index] as const))(
    '%s is refused: %s',
    (_filePath, message, index) => {
      expect(messages[index]!.join('\n')).toContain(message);
    },
  );

  it('an adapter may import the AWS SDK', () => {
    expect(messages[violations.length]).toEqual([]);
  });
});
