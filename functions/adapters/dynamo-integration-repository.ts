/**
 * Integrations in DynamoDB: the account's integration item (nonce and token hash, never the token) and a
 * lookup item per active token hash. Token changes are transactions, so an old token can never outlive
 * its rotation.
 */
import { GetCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '../domain/errors';
import { keys } from './dynamo-keys';
import type { IntegrationRepository } from '../ports/integration-repository';
import type { IntegrationState } from '../domain/integration';

type TransactItems = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>;

export class DynamoIntegrationRepository implements IntegrationRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async findAccountByTokenHash(tokenHash: string): Promise<string | null> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keys.token(tokenHash), ConsistentRead: true }),
    );
    return typeof result.Item?.accountId === 'string' ? result.Item.accountId : null;
  }

  async get(accountId: string): Promise<IntegrationState | null> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keys.integration(accountId), ConsistentRead: true }),
    );
    if (!result.Item) return null;
    const { pk: _pk, sk: _sk, ...state } = result.Item;
    return state as IntegrationState;
  }

  async saveWithToken(state: IntegrationState, previousTokenHash: string | null): Promise<void> {
    const items: TransactItems = [
      {
        Put: {
          TableName: this.tableName,
          Item: { ...keys.integration(state.accountId), ...state },
          // Two concurrent activations or rotations must not both leave a live token behind.
          ...(previousTokenHash === null
            ? {
                ConditionExpression: 'attribute_not_exists(pk) OR #status = :inactive',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: { ':inactive': 'inactive' },
              }
            : {
                ConditionExpression: 'tokenHash = :previous',
                ExpressionAttributeValues: { ':previous': previousTokenHash },
              }),
        },
      },
      {
        Put: {
          TableName: this.tableName,
          Item: { ...keys.token(state.tokenHash!), accountId: state.accountId },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
    ];
    if (previousTokenHash)
      items.push({ Delete: { TableName: this.tableName, Key: keys.token(previousTokenHash) } });
    await this.transact(items);
  }

  async deactivate(accountId: string, tokenHash: string | null, at: string): Promise<void> {
    const items: TransactItems = [
      {
        Update: {
          TableName: this.tableName,
          Key: keys.integration(accountId),
          UpdateExpression:
            'SET #status = :inactive, deactivatedAt = :at, updatedAt = :at, tokenNonce = :null, tokenHash = :null',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':inactive': 'inactive', ':at': at, ':null': null },
        },
      },
    ];
    if (tokenHash) items.push({ Delete: { TableName: this.tableName, Key: keys.token(tokenHash) } });
    await this.transact(items);
  }

  private async transact(items: TransactItems) {
    try {
      await this.client.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (error) {
      if ((error as Error).name === 'TransactionCanceledException') {
        throw new ConflictError(
          'concurrent_change',
          'The integration changed at the same time; read it again and retry',
        );
      }
      throw error;
    }
  }
}
