import { isTruthyFlag, resolveKind, type KindSignals } from '../../../functions/domain/classify';

const signals = (overrides: Partial<KindSignals>): KindSignals => ({
  channel: 'conversion',
  actionType: null,
  event: null,
  convType: null,
  flagUpsell: null,
  ...overrides,
});

describe('resolveKind: IPN action_type', () => {
  it.each([
    ['neworder', 'purchase'],
    ['NewOrder', 'purchase'],
    ['rebill', 'rebill'],
    ['newsale', 'purchase'],
    ['sale', 'purchase'],
    ['refund', 'refund'],
    ['cancel', 'cancel'],
    ['canceledfromrebill', 'cancel'],
    ['cancelled', 'cancel'],
    ['chargeback', 'chargeback'],
    ['ChargebackRefundTime', 'chargeback'],
    ['commission_void', 'commission_void'],
    ['commissionvoid', 'commission_void'],
    [' REFUND ', 'refund'],
  ])('maps action_type %p to %p', (actionType, kind) => {
    expect(resolveKind(signals({ actionType }))).toEqual({ ok: true, kind });
  });

  it.each([
    ['flag_upsell=1', { flagUpsell: '1' }],
    ['conv_type=upsell', { convType: 'upsell' }],
    ['conv_type=UPSELL', { convType: 'UPSELL' }],
  ])('makes a new order an upsell when %s', (_label, extra) => {
    expect(resolveKind(signals({ actionType: 'neworder', ...extra }))).toEqual({ ok: true, kind: 'upsell' });
  });

  it('lets action_type win over the refund URL', () => {
    expect(resolveKind(signals({ channel: 'refund', actionType: 'neworder', event: 'chargeback' }))).toEqual({
      ok: true,
      kind: 'purchase',
    });
  });

  it('lets action_type win over the conversion URL', () => {
    expect(resolveKind(signals({ channel: 'conversion', actionType: 'chargeback' }))).toEqual({
      ok: true,
      kind: 'chargeback',
    });
  });

  it.each([['upgrade'], ['__proto__'], ['toString'], ['subscription_paused']])(
    'rejects the unknown action_type %p as unsupported_event, naming it',
    (actionType) => {
      const result = resolveKind(signals({ actionType }));
      expect(result).toEqual({
        ok: false,
        error: {
          code: 'unsupported_event',
          message: `The action_type "${actionType.toLowerCase()}" is not a supported event`,
        },
      });
    },
  );

  it('names an unknown action_type safely: quoted, printable and short', () => {
    const result = resolveKind(signals({ actionType: `evil"\r\n${'x'.repeat(100)}` }));
    expect(result.ok).toBe(false);
    const message = result.ok ? '' : (result.error?.message ?? '');
    expect(message).toBe(`The action_type "evil???${'x'.repeat(57)}..." is not a supported event`);
    expect(message).not.toMatch(/[\r\n]/);
  });

  it.each([
    ['connection_test'],
    ['Connection_Test'],
    ['test'],
    ['abandon'],
    ['newcustomer'],
    ['failedrebill'],
    ['uncancel'],
  ])('ignores the IPN event %p, which is not a conversion, naming it', (actionType) => {
    expect(resolveKind(signals({ actionType }))).toEqual({
      ok: false,
      error: null,
      ignored: actionType.toLowerCase(),
    });
    expect(resolveKind(signals({ actionType, channel: 'refund' }))).toEqual({
      ok: false,
      error: null,
      ignored: actionType.toLowerCase(),
    });
  });

  it('ignores an unfilled action_type and falls back to the URL', () => {
    expect(resolveKind(signals({ channel: 'refund', actionType: '{ACTION_TYPE}' }))).toEqual({
      ok: true,
      kind: 'refund',
    });
  });
});

describe('resolveKind: the refund URL', () => {
  it.each([
    [null, 'refund'],
    ['', 'refund'],
    ['{EVENT}', 'refund'],
    ['refund', 'refund'],
    ['cancel', 'cancel'],
    ['Chargeback', 'chargeback'],
    ['commission_void', 'commission_void'],
  ])('reads event %p as %p', (event, kind) => {
    expect(resolveKind(signals({ channel: 'refund', event }))).toEqual({ ok: true, kind });
  });

  it.each([['purchase'], ['upsell'], ['hasOwnProperty'], ['evil\r\nvalue']])(
    'rejects the event %p as unsupported_event without echoing it',
    (event) => {
      const result = resolveKind(signals({ channel: 'refund', event }));
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.error?.code).toBe('unsupported_event');
        expect(result.error?.message).not.toContain(event);
      }
    },
  );
});

describe('resolveKind: the conversion URL', () => {
  it.each([
    ['nothing else', {}, 'purchase'],
    ['conv_type=frontend', { convType: 'frontend' }, 'purchase'],
    ['an unfilled conv_type', { convType: '{CONV_TYPE}' }, 'purchase'],
    ['flag_upsell=0', { flagUpsell: '0' }, 'purchase'],
    ['conv_type=upsell', { convType: 'upsell' }, 'upsell'],
    ['flag_upsell=1', { flagUpsell: '1' }, 'upsell'],
    ['an event parameter, which only the refund URL reads', { event: 'refund' }, 'purchase'],
  ] as const)('gives %s -> %s', (_label, extra, kind) => {
    expect(resolveKind(signals(extra))).toEqual({ ok: true, kind });
  });
});

describe('isTruthyFlag', () => {
  it.each([
    ['1', true],
    ['true', true],
    ['TRUE', true],
    ['yes', true],
    [' 1 ', true],
    ['0', false],
    ['false', false],
    ['', false],
    [null, false],
    ['{IS_TEST}', false],
  ])('reads %p as %p', (value, expected) => {
    expect(isTruthyFlag(value)).toBe(expected);
  });
});
