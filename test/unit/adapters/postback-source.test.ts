/**
 * Where the ledger adapter reads a filtered postback listing, a bulk replay's pages and its count: the
 * queries it sends, captured by a client that answers empty pages. The contract suites prove the results;
 * this proves the read path (an issue's own items, the sparse outcome index), so a filtered read costs
 * what it returns and not the whole range.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoLedgerRepository } from '../../../functions/adapters/dynamo-ledger-repository';

interface SentQuery {
  readonly IndexName?: string;
  readonly FilterExpression?: string;
  readonly Select?: string;
  readonly ExpressionAttributeValues: Record<string, unknown>;
}

function capturing() {
  const queries: SentQuery[] = [];
  const client = {
    send: async (command: { input: SentQuery }) => (queries.push(command.input), { Items: [], Count: 0 }),
  } as unknown as DynamoDBDocumentClient;
  return { queries, ledger: new DynamoLedgerRepository(client, 'ledger', { postbackLogRetentionDays: 90 }) };
}

const partitions = (queries: readonly SentQuery[]) => [
  ...new Set(
    queries.map((query) => String(query.ExpressionAttributeValues[':pk']).replace(/#\d+$/, '#<shard>')),
  ),
];
const RANGE = { from: '2026-11-01T00:00:00.000Z', to: '2026-12-01T00:00:00.000Z' };

describe.each([
  [
    'a bulk replay page',
    (ledger: DynamoLedgerRepository, filter: Parameters<DynamoLedgerRepository['findPostbacks']>[1]) =>
      ledger.findPostbacks('acme', filter, 100, null),
  ],
  [
    'a bulk replay count',
    (ledger: DynamoLedgerRepository, filter: Parameters<DynamoLedgerRepository['findPostbacks']>[1]) =>
      ledger.countPostbacks('acme', filter, 1000),
  ],
  [
    'a filtered listing',
    (ledger: DynamoLedgerRepository, filter: Parameters<DynamoLedgerRepository['findPostbacks']>[1]) =>
      ledger.listPostbacks('acme', filter, filter.outcome, 50, null, filter.issue),
  ],
])('%s', (_name, read) => {
  it("reads an issue's own items, the outcome as a filter on them", async () => {
    const { queries, ledger } = capturing();
    await read(ledger, { ...RANGE, outcome: 'rejected', issue: 'order_id_placeholder' });
    expect(partitions(queries)).toEqual(['PBISSUE#acme#order_id_placeholder#<shard>']);
    expect(queries).toHaveLength(8);
    expect(
      queries.every(
        (query) => query.IndexName === undefined && query.FilterExpression === '#outcome = :outcome',
      ),
    ).toBe(true);
  });

  it('reads the sparse outcome index for an outcome it holds, with no filter', async () => {
    const { queries, ledger } = capturing();
    await read(ledger, { ...RANGE, outcome: 'rejected', issue: null });
    expect(partitions(queries)).toEqual(['PBOUT#acme#rejected#<shard>']);
    expect(queries.every((query) => query.IndexName === 'gsi2' && query.FilterExpression === undefined)).toBe(
      true,
    );
  });

  it('filters the log itself only for the outcomes the index leaves out (most of the log)', async () => {
    const { queries, ledger } = capturing();
    await read(ledger, { ...RANGE, outcome: 'accepted', issue: null });
    expect(partitions(queries)).toEqual(['PBLOG#acme#<shard>']);
    expect(queries.every((query) => query.FilterExpression === '#outcome = :outcome')).toBe(true);
  });
});
