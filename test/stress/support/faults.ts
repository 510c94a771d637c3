/**
 * Fault injection for the reliability suites, through the SDK middleware hook every client of the service
 * is built with (instrumentClients in functions/adapters/clients.ts). A share of the calls to a service
 * fails the way AWS fails: throttling, 500s, and timeouts, some of them after the request was applied
 * (the ambiguous case that makes idempotency necessary).
 *
 * Two layers, because the SDK retries transient errors itself (3 attempts by default):
 * - 'above-retries' throws before the SDK's retry loop: the error reaches the service's code at once;
 * - 'below-retries' throws inside the loop, per attempt: the SDK retries, and only a fault on every
 *   attempt (or an exhausted retry quota) reaches the service's code.
 * Every error that leaves a client is counted, so the figures say how many faults were injected and how
 * many the service itself had to absorb.
 *
 * Register with install() BEFORE startTestService: the handlers build their clients when they are
 * imported, which happens inside it.
 */
import { instrumentClients, type ServiceName } from '../../../functions/adapters/clients';
import { randomGenerator } from './random';

export type FaultKind =
  /** 400 ThrottlingException, retryable (throttling). */
  | 'throttling'
  /** 400 ProvisionedThroughputExceededException, DynamoDB's own throttle. */
  | 'provisioned-throughput'
  /** 500 InternalServerError. */
  | 'internal-error'
  /** A timeout before the request reached the service. */
  | 'timeout'
  /** The request was applied, then the client timed out: the caller cannot tell it succeeded. */
  | 'timeout-after-success';

export interface FaultSpec {
  /** Share of the matching calls that fail, 0..1. */
  readonly rate: number;
  readonly layer: 'above-retries' | 'below-retries';
  readonly kinds: readonly FaultKind[];
  /** Only these commands (e.g. 'PutItemCommand'); all when absent. */
  readonly commands?: readonly string[];
  /** Only calls whose input (as JSON) contains this text: a poison postback, say. */
  readonly mentioning?: string;
}

export interface FaultFigures {
  readonly calls: number;
  /** Faults thrown, by layer and kind. */
  readonly injected: Record<string, number>;
  readonly injectedTotal: number;
  /** Injected faults that left the SDK client (the SDK's retries did not absorb them), by error name. */
  readonly surfaced: Record<string, number>;
  readonly surfacedTotal: number;
}

const SHAPES: Record<
  FaultKind,
  { name: string; status: number | undefined; fault: 'client' | 'server'; retryable: object | undefined }
> = {
  throttling: { name: 'ThrottlingException', status: 400, fault: 'client', retryable: { throttling: true } },
  'provisioned-throughput': {
    name: 'ProvisionedThroughputExceededException',
    status: 400,
    fault: 'client',
    retryable: { throttling: true },
  },
  'internal-error': { name: 'InternalServerError', status: 500, fault: 'server', retryable: {} },
  timeout: { name: 'TimeoutError', status: undefined, fault: 'client', retryable: undefined },
  'timeout-after-success': { name: 'TimeoutError', status: undefined, fault: 'client', retryable: undefined },
};

/** An error shaped like the ones the SDK throws, marked so the counters can tell it from real ones. */
export function sdkError(kind: FaultKind): Error {
  const shape = SHAPES[kind];
  return Object.assign(new Error(`injected ${kind}`), {
    name: shape.name,
    $fault: shape.fault,
    $metadata: shape.status === undefined ? {} : { httpStatusCode: shape.status },
    ...(shape.retryable ? { $retryable: shape.retryable } : {}),
    $injected: true,
  });
}

type Next = (args: any) => Promise<any>;

export class FaultInjector {
  private readonly specs = new Map<ServiceName, FaultSpec[]>();
  private readonly random: () => number;
  private calls = 0;
  private readonly injected = new Map<string, number>();
  private readonly surfaced = new Map<string, number>();

  constructor(seed: number) {
    this.random = randomGenerator(seed);
  }

  /** Replaces the faults of a service; an empty list turns them off. */
  set(service: ServiceName, specs: readonly FaultSpec[]): void {
    this.specs.set(service, [...specs]);
  }

  clear(): void {
    this.specs.clear();
  }

  figures(): FaultFigures {
    const injected = Object.fromEntries(this.injected);
    const surfaced = Object.fromEntries(this.surfaced);
    const sum = (record: Record<string, number>) => Object.values(record).reduce((total, n) => total + n, 0);
    return {
      calls: this.calls,
      injected,
      injectedTotal: sum(injected),
      surfaced,
      surfacedTotal: sum(surfaced),
    };
  }

  /** Adds the middleware to every client created from now on; returns the unregister function. */
  install(): () => void {
    return instrumentClients((service) => ({
      applyToStack: (stack: any) => {
        stack.add((next: Next) => (args: any) => this.countSurfaced(next, args), {
          step: 'initialize',
          priority: 'high',
          name: 'stressFaultCounter',
        });
        stack.add(
          (next: Next, context: any) => (args: any) =>
            this.maybeFail(service, 'above-retries', context.commandName, next, args),
          {
            step: 'initialize',
            priority: 'low',
            name: 'stressFaultAboveRetries',
          },
        );
        stack.add(
          (next: Next, context: any) => (args: any) =>
            this.maybeFail(service, 'below-retries', context.commandName, next, args),
          {
            step: 'finalizeRequest',
            priority: 'low',
            name: 'stressFaultBelowRetries',
          },
        );
      },
    }));
  }

  private async countSurfaced(next: Next, args: unknown) {
    this.calls++;
    try {
      return await next(args);
    } catch (error) {
      const details = error as Error & { $injected?: boolean };
      if (details.$injected) this.bump(this.surfaced, details.name);
      throw error;
    }
  }

  private async maybeFail(
    service: ServiceName,
    layer: FaultSpec['layer'],
    command: string | undefined,
    next: Next,
    args: { input?: unknown },
  ) {
    const spec = (this.specs.get(service) ?? []).find(
      (candidate) =>
        candidate.layer === layer &&
        (!candidate.commands || candidate.commands.includes(command ?? '')) &&
        (!candidate.mentioning || JSON.stringify(args.input ?? null).includes(candidate.mentioning)),
    );
    if (!spec || this.random() >= spec.rate) return next(args);
    const kind = spec.kinds[Math.floor(this.random() * spec.kinds.length)]!;
    this.bump(this.injected, `${service} ${layer} ${kind}`);
    if (kind === 'timeout-after-success') await next(args);
    throw sdkError(kind);
  }

  private bump(counter: Map<string, number>, key: string) {
    counter.set(key, (counter.get(key) ?? 0) + 1);
  }
}
