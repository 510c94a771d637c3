/**
 * Postback workloads for the reliability suites: orders with purchases or upsells, rebills reusing the
 * order id (one per charge date), refunds, cancels, chargebacks and commission voids, sent as Buygoods would (affiliate pixel GETs or vendor IPN form
 * POSTs), with duplicates, corrected commissions (updates) and late retries of old content.
 *
 * Every postback is an Intent; copies of one intent are byte-identical requests. The reference model
 * (reference-model.ts) reads the intents alone.
 */
import { Dice } from './random';

export type IntentKind =
  'purchase' | 'upsell' | 'rebill' | 'refund' | 'cancel' | 'chargeback' | 'commission_void';
/** A rebill's slot is its charge: `rebill#<ISO time>`. */
export type Slot = 'primary' | 'refund' | 'cancel' | 'chargeback' | `rebill#${string}`;

export interface Customer {
  readonly name: string;
  readonly email: string;
}

export interface Intent {
  readonly id: number;
  readonly account: string;
  readonly orderId: string;
  readonly kind: IntentKind;
  /** A rebill's charge time as Buygoods writes rr_createdate (`YYYY-MM-DD HH:MM:SS`, GMT); null otherwise. */
  readonly chargedAt?: string | null;
  /** The commission (a positive magnitude), or null when Buygoods leaves the amount unfilled. */
  readonly commissionCents: number | null;
  /** 1 for the first content of a slot, 2 for a corrected one (sent only after the first was processed). */
  readonly version: number;
  readonly style: 'pixel' | 'ipn';
  readonly clickId: string;
  readonly customer: Customer | null;
  /** How the amount is written: Buygoods and vendors are not consistent. */
  readonly amountFormat: number;
  /** A postback whose order id is unusable: 400, logged as rejected. */
  readonly rejected: boolean;
}

export interface Send {
  readonly intent: Intent;
  /** 1 or 2: updates and late retries go out only after phase 1 was processed. */
  readonly phase: 1 | 2;
}

export interface Workload {
  readonly intents: readonly Intent[];
  readonly sends: readonly Send[];
}

const FIRST = ['Zephyrine', 'Octavian', 'Marisol', 'Thaddeus', 'Isolde', 'Leopoldo', 'Wilhelmina', 'Cassius'];
const LAST = [
  'Quillfeather',
  'Vandermolen',
  'Okonkwo-Reyes',
  'Balasubram',
  'Fitzwalter',
  'Szczepanik',
  'Delacroixe',
  'Hollingbrook',
];

export function customerOf(dice: Dice, n: number): Customer {
  const first = dice.pick(FIRST);
  const last = dice.pick(LAST);
  return { name: `${first} ${last}`, email: `${first}.${last}${n}@Example-Shop.com`.toLowerCase() };
}

/** Every customer name and email the workloads can produce (for the log check). */
export function allCustomerFragments(): string[] {
  return [...FIRST, ...LAST];
}

export function isReversal(kind: IntentKind): boolean {
  return kind === 'refund' || kind === 'cancel' || kind === 'chargeback' || kind === 'commission_void';
}

export function slotOf(intent: Pick<Intent, 'kind' | 'chargedAt'>): Slot | null {
  const { kind } = intent;
  if (kind === 'purchase' || kind === 'upsell') return 'primary';
  if (kind === 'rebill') return `rebill#${isoCharge(intent.chargedAt!)}`;
  return kind === 'commission_void' ? null : kind;
}

/** rr_createdate as the API shows a charge time. */
export function isoCharge(rrCreatedate: string): string {
  return `${rrCreatedate.replace(' ', 'T')}Z`;
}

export interface WorkloadOptions {
  readonly accounts: readonly string[];
  readonly ordersPerAccount: number;
  readonly orderPrefix: string;
  /** Corrected commissions and late retries of old content (phase 2). */
  readonly updates: boolean;
  /** Postbacks with an unusable order id, per account. */
  readonly rejectedPerAccount: number;
  readonly seed: number;
}

export function buildWorkload(options: WorkloadOptions): Workload {
  const dice = new Dice(options.seed);
  const intents: Intent[] = [];
  const sends: Send[] = [];
  let customers = 0;
  const add = (
    fields: Omit<Intent, 'id' | 'amountFormat' | 'rejected'> & { rejected?: boolean },
    phase: 1 | 2,
    copies: number,
  ) => {
    const intent: Intent = { rejected: false, ...fields, id: intents.length, amountFormat: dice.int(0, 5) };
    intents.push(intent);
    for (let copy = 0; copy < copies; copy++) sends.push({ intent, phase });
    return intent;
  };
  const copies = () => (dice.chance(0.3) ? dice.int(2, 3) : 1);

  for (const account of options.accounts) {
    for (let n = 0; n < options.ordersPerAccount; n++) {
      // The same order ids in every account: each account must see only its own.
      const orderId = `${options.orderPrefix}-${n}`;
      const style = dice.chance(0.3) ? 'ipn' : 'pixel';
      const customer = style === 'ipn' ? customerOf(dice, customers++) : null;
      const clickId = `clk-${account.slice(-1)}-${n}`;
      const base = { account, orderId, style, clickId, customer } as const;

      let gross: number | null = null;
      if (dice.chance(0.85)) {
        const kind = dice.chance(0.88) ? 'purchase' : 'upsell';
        gross = dice.chance(0.05) ? null : dice.int(100, 30_000);
        const primary = add({ ...base, kind, commissionCents: gross, version: 1 }, 1, copies());
        if (options.updates && dice.chance(0.2)) {
          const corrected = (gross ?? 0) + dice.int(1, 5_000);
          add({ ...base, kind, commissionCents: corrected, version: 2 }, 2, dice.int(1, 2));
          if (dice.chance(0.5)) sends.push({ intent: primary, phase: 2 }); // a late retry of the old content
        }
      }
      // Rebills of an IPN order reuse its order id, one per monthly charge; some are corrected later.
      if (style === 'ipn' && gross !== null && dice.chance(0.3)) {
        const months = dice.int(1, 3);
        for (let month = 1; month <= months; month++) {
          const rebill = {
            ...base,
            kind: 'rebill' as const,
            chargedAt: `2026-0${month}-15 08:0${dice.int(0, 9)}:00`,
          };
          const first = add({ ...rebill, commissionCents: dice.int(100, 10_000), version: 1 }, 1, copies());
          if (options.updates && dice.chance(0.15)) {
            add({ ...rebill, commissionCents: first.commissionCents! + dice.int(1, 500), version: 2 }, 2, 1);
            if (dice.chance(0.5)) sends.push({ intent: first, phase: 2 });
          }
        }
      }
      const reversalAmount = () => {
        const roll = dice.int(0, 9);
        if (roll < 3) return null; // no amount: the full commission
        if (roll < 7 && gross !== null) return gross;
        return dice.int(1, gross ?? 10_000);
      };
      for (const [kind, probability] of [
        ['refund', 0.3],
        ['cancel', 0.12],
        ['chargeback', 0.1],
      ] as const) {
        if (!dice.chance(probability)) continue;
        const first = add({ ...base, kind, commissionCents: reversalAmount(), version: 1 }, 1, copies());
        if (options.updates && kind === 'refund' && dice.chance(0.15)) {
          add(
            { ...base, kind, commissionCents: (first.commissionCents ?? 0) + dice.int(1, 500), version: 2 },
            2,
            1,
          );
        }
      }
      const voids = dice.chance(0.1) ? dice.int(1, 2) : 0;
      for (let v = 0; v < voids; v++)
        add(
          {
            ...base,
            kind: 'commission_void',
            commissionCents: v === 0 && dice.chance(0.3) ? null : 100 * (v + 1) + dice.int(1, 99),
            version: 1,
          },
          1,
          copies(),
        );
    }
    for (let r = 0; r < options.rejectedPerAccount; r++) {
      add(
        {
          account,
          orderId: '',
          kind: 'purchase',
          commissionCents: 1_000,
          version: 1,
          style: 'pixel',
          clickId: `clk-rej-${r}`,
          customer: null,
          rejected: true,
        },
        1,
        1,
      );
    }
  }
  // Phase 1 shuffled (reversals before purchases, copies apart); phase 2 shuffled after it.
  const phase1 = dice.shuffle(sends.filter((send) => send.phase === 1));
  const phase2 = dice.shuffle(sends.filter((send) => send.phase === 2));
  return { intents, sends: [...phase1, ...phase2] };
}

/** The amount as text, in one of the formats the contract accepts. */
function formatAmount(cents: number, format: number): string {
  const whole = Math.floor(cents / 100);
  const fraction = String(cents % 100).padStart(2, '0');
  const grouped = whole.toLocaleString('en-US');
  switch (format) {
    case 0:
      return `${whole}.${fraction}`;
    case 1:
      return `$${grouped}.${fraction}`;
    case 2:
      return `${whole},${fraction}`;
    case 3:
      return `USD ${whole}.${fraction}`;
    case 4:
      return `${whole}.${fraction} USD`;
    default:
      return `${grouped}.${fraction}`;
  }
}

export interface PostbackUrls {
  readonly conversionUrl: string;
  readonly refundUrl: string;
}

/** The HTTP request Buygoods would make for an intent. */
export function requestFor(intent: Intent, urls: PostbackUrls): { url: string; init: RequestInit } {
  const amount =
    intent.commissionCents === null ? null : formatAmount(intent.commissionCents, intent.amountFormat);
  if (intent.style === 'ipn') {
    const actionType = {
      purchase: 'neworder',
      upsell: 'neworder',
      rebill: 'rebill',
      refund: 'refund',
      cancel: 'cancel',
      chargeback: 'chargeback',
      commission_void: 'commission_void',
    }[intent.kind];
    const form = new URLSearchParams({
      action_type: actionType,
      order_id: intent.orderId,
      subid: intent.clickId,
      product_codename: 'stressprod',
      currency: 'USD',
    });
    // Buygoods fills the dates it does not have with zeros: the reversals here name no charge.
    form.set('rr_createdate', intent.chargedAt ?? '0000-00-00 00:00:00');
    if (intent.kind === 'upsell') form.set('flag_upsell', '1');
    if (amount !== null) form.set('aff_commission', amount);
    if (intent.customer) {
      form.set('customer_name', intent.customer.name);
      form.set('customer_emailaddress', intent.customer.email);
    }
    return {
      url: urls.conversionUrl.split('?')[0]!,
      init: {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: form.toString(),
      },
    };
  }
  const template =
    intent.kind === 'purchase' || intent.kind === 'upsell' ? urls.conversionUrl : urls.refundUrl;
  const values: Record<string, string> = { SUBID: intent.clickId, PRODUCT_CODENAME: 'stressprod' };
  if (!intent.rejected) values.ORDERID = intent.orderId; // left unfilled: {ORDERID} is a placeholder, a 400
  if (amount !== null) values.COMMISSION_AMOUNT = amount; // left unfilled: null amount
  if (intent.kind === 'purchase') values.CONV_TYPE = 'frontend';
  if (intent.kind === 'upsell') values.CONV_TYPE = 'upsell';
  let url = fill(template, values);
  if (intent.kind !== 'purchase' && intent.kind !== 'upsell' && intent.kind !== 'refund')
    url += `&event=${intent.kind}`;
  return { url, init: { method: 'GET' } };
}

function fill(url: string, values: Record<string, string>): string {
  return url.replace(/\{([A-Z0-9_]+)\}/g, (token, name: string) =>
    name in values ? encodeURIComponent(values[name]!) : token,
  );
}
