/**
 * A fresh ledger table on the local DynamoDB engine of the jest global setup, made from the same definition
 * the stacks use (lib/resources.ts): the port contract suites run the DynamoDB adapters against it.
 */
import { randomBytes } from 'node:crypto';
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../../functions/adapters/clients';
import { LEDGER_TABLE } from '../../lib/resources';
import { createTable } from '../../local/provision';

export interface ContractTable {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  drop(): Promise<void>;
}

export async function createContractTable(label: string): Promise<ContractTable> {
  if (!process.env.AWS_ENDPOINT_URL_DYNAMODB)
    throw new Error('the jest global setup did not start the local engines');
  const dynamo = new DynamoDBClient({});
  const tableName = `contract-${label}-${randomBytes(4).toString('hex')}`;
  await createTable(dynamo, LEDGER_TABLE, tableName);
  return {
    client: createDocumentClient(),
    tableName,
    drop: async () => {
      await dynamo.send(new DeleteTableCommand({ TableName: tableName }));
      dynamo.destroy();
    },
  };
}
