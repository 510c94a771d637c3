/**
 * Memberships in the ledger table: one item per person and account, in the account's partition
 * (`ACCOUNT#{account}` / `MEMBER#{userId}`). The role check is one strongly consistent GetItem (1 read
 * unit, whatever the account holds); a grant or change is one PutItem, a removal one DeleteItem (1 write
 * unit each: the item is well under 1 KB).
 */
import { DeleteCommand, GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { isRole, type Role } from '../domain/access';
import { keys } from './dynamo-keys';
import type { Member } from '../domain/member';
import type { MembershipRepository } from '../ports/membership-repository';
import { getItem, queryPages, stripKeys } from './dynamo-items';

export class DynamoMembershipRepository implements MembershipRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  get(accountId: string, userId: string): Promise<Member | null> {
    return getItem<Member>(this.client, this.tableName, keys.member(accountId, userId));
  }

  async getRole(accountId: string, userId: string): Promise<Role | null> {
    const result = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: keys.member(accountId, userId),
        ConsistentRead: true,
        ProjectionExpression: '#role',
        ExpressionAttributeNames: { '#role': 'role' },
      }),
    );
    const role = result.Item?.role;
    return isRole(role) ? role : null;
  }

  async put(member: Member): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...member, ...keys.member(member.accountId, member.userId), entity: 'member' },
      }),
    );
  }

  async remove(accountId: string, userId: string): Promise<boolean> {
    const result = await this.client.send(
      new DeleteCommand({
        TableName: this.tableName,
        Key: keys.member(accountId, userId),
        ReturnValues: 'ALL_OLD',
      }),
    );
    return result.Attributes !== undefined;
  }

  /** Reads only the account's member items (a key condition on the MEMBER# prefix): a read unit per 4 KB of them. */
  async listByAccount(accountId: string): Promise<Member[]> {
    const { pk } = keys.member(accountId, '');
    const { items } = await queryPages(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': pk, ':prefix': 'MEMBER#' },
    });
    return items.map((item) => stripKeys<Member>(item));
  }
}
