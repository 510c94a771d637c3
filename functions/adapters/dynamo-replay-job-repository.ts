/**
 * Bulk replay jobs in DynamoDB: one item per job, saved with a condition on its version (a worker that
 * lost a race re-reads). The item expires with the postback log it replays from.
 */
import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConflictError, WriteConflictError } from '../domain/errors';
import { keys } from './dynamo-keys';
import type { ReplayJob } from '../domain/replay-job';
import type { ReplayJobRepository } from '../ports/replay-job-repository';
import { getItem } from './dynamo-items';

export class DynamoReplayJobRepository implements ReplayJobRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly options: { readonly retentionDays: number },
  ) {}

  private item(job: ReplayJob) {
    const expiresAt = Math.floor(Date.parse(job.createdAt) / 1000) + this.options.retentionDays * 86400;
    return { ...job, ...keys.replayJob(job.accountId, job.jobId), entity: 'replay_job', expiresAt };
  }

  async createJob(job: ReplayJob): Promise<void> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: this.item(job),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException')
        throw new ConflictError('replay_job_exists', 'A replay job with this id exists');
      throw error;
    }
  }

  getJob(accountId: string, jobId: string): Promise<ReplayJob | null> {
    return getItem<ReplayJob>(this.client, this.tableName, keys.replayJob(accountId, jobId));
  }

  async saveJob(job: ReplayJob, readVersion: number): Promise<void> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: this.item(job),
          ConditionExpression: 'version = :version',
          ExpressionAttributeValues: { ':version': readVersion },
        }),
      );
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException')
        throw new WriteConflictError('the replay job was saved by another worker');
      throw error;
    }
  }
}
