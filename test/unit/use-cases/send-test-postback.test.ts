import type { PostbackMessage } from '../../../functions/domain/postback-log';
import { activateIntegration } from '../../../functions/use-cases/activate-integration';
import { deactivateIntegration } from '../../../functions/use-cases/deactivate-integration';
import { recordPostback } from '../../../functions/use-cases/record-postback';
import { sendTestPostback } from '../../../functions/use-cases/send-test-postback';
import {
  CollectingPublisher,
  InMemoryAggregates,
  InMemoryCatalog,
  InMemoryLedger,
  InMemoryTraffic,
} from '../../support/fakes';
import { BASE_URL, integrationWorld, tokenInUrl } from '../../support/integration-world';

function setup() {
  const world = integrationWorld();
  const ledger = new InMemoryLedger();
  const publisher = new CollectingPublisher();
  const deps = { ...world.deps, ledger, publisher, waitMs: 1000 };
  /** The consumer, run on every message the publisher takes (as the queue would deliver it). */
  const consume = () => {
    const catalog = new InMemoryCatalog();
    const recordDeps = {
      ...world.deps,
      ledger,
      catalog,
      traffic: new InMemoryTraffic(catalog),
      aggregates: new InMemoryAggregates(ledger),
    };
    const publish = publisher.publish.bind(publisher);
    publisher.publish = async (message: PostbackMessage) => {
      await publish(message);
      await recordPostback(recordDeps, message);
    };
  };
  return { ...world, deps, ledger, publisher, consume };
}

describe('sending a test postback', () => {
  test('an account that never activated gets a not-found, and nothing is sent', async () => {
    const { deps, publisher } = setup();
    await expect(sendTestPostback(deps, 'acme')).rejects.toMatchObject({ status: 404 });
    expect(publisher.messages).toEqual([]);
  });

  test('a deactivated integration is a conflict, and nothing is sent', async () => {
    const { deps, publisher } = setup();
    await activateIntegration(deps, 'acme', BASE_URL);
    await deactivateIntegration(deps, 'acme', BASE_URL);
    await expect(sendTestPostback(deps, 'acme')).rejects.toMatchObject({
      status: 409,
      code: 'integration_inactive',
    });
    expect(publisher.messages).toEqual([]);
  });

  test('it goes through the real ingest path on the live token: a marked test purchase with its own order id', async () => {
    const { deps, publisher } = setup();
    const view = await activateIntegration(deps, 'acme', BASE_URL);
    await sendTestPostback(deps, 'acme');

    expect(publisher.messages).toHaveLength(1);
    const [message] = publisher.messages;
    const suffix = '000000000002'; // the second draw (the first was the token's nonce): 6 bytes
    expect(message).toMatchObject({
      accountId: 'acme',
      rejection: null,
      raw: { method: 'GET', channel: 'conversion' },
    });
    expect(Object.fromEntries(new URLSearchParams(message!.raw.rawQuery))).toEqual({
      subid: `test-${suffix}`,
      orderid: `TEST-${suffix}`,
      commission: '1.00',
      product: 'test-product',
      conv_type: 'frontend',
      is_test: '1',
    });
    expect(tokenInUrl(view.conversionUrl)).toBeTruthy();
  });

  test('two test postbacks are two orders', async () => {
    const { deps, publisher } = setup();
    await activateIntegration(deps, 'acme', BASE_URL);
    await sendTestPostback(deps, 'acme');
    await sendTestPostback(deps, 'acme');
    const orders = publisher.messages.map((m) => new URLSearchParams(m.raw.rawQuery).get('orderid'));
    expect(new Set(orders).size).toBe(2);
  });

  test('once the consumer has recorded it, the answer is its record: an accepted test purchase', async () => {
    const { deps, consume } = setup();
    await activateIntegration(deps, 'acme', BASE_URL);
    consume();
    const result = await sendTestPostback(deps, 'acme');
    expect(result).toMatchObject({
      processed: true,
      record: { accountId: 'acme', outcome: 'accepted', kind: 'purchase', orderId: 'TEST-000000000002' },
    });
  });

  test('not recorded within the wait: the answer names the postback to look up later', async () => {
    const { deps, publisher, clock } = setup();
    await activateIntegration(deps, 'acme', BASE_URL);
    const started = clock.now().getTime();
    const result = await sendTestPostback(deps, 'acme');
    expect(result).toEqual({ processed: false, postbackId: publisher.messages[0]!.postbackId });
    expect(clock.now().getTime() - started).toBeGreaterThanOrEqual(1000);
  });
});
