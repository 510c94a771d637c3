/**
 * HTTP helpers for the reliability suites: a bounded-concurrency pool, a sender that behaves like Buygoods
 * (re-sends on a 5xx or a dropped connection, gives up after a few attempts), and management API reads.
 * Traffic goes only to the local service on 127.0.0.1.
 */

export type Json = Record<string, any>;

export interface Answer {
  readonly status: number;
  readonly text: string;
  readonly headers: Headers;
}

/** Runs fn over items with at most `concurrency` in flight; fails if the whole run exceeds its deadline. */
export async function pool<T, R>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T, index: number) => Promise<R>,
  deadlineMs = 240_000,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  const deadline = Date.now() + deadlineMs;
  let next = 0;
  async function worker() {
    while (next < items.length) {
      if (Date.now() > deadline) throw new Error(`pool: ${items.length - next} item(s) left at the deadline`);
      const index = next++;
      results[index] = await fn(items[index]!, index);
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}

export async function request(url: string, init: RequestInit = {}): Promise<Answer> {
  assertLocal(url);
  const response = await fetch(url, { redirect: 'manual', ...init });
  return { status: response.status, text: await response.text(), headers: response.headers };
}

export function assertLocal(url: string): void {
  const host = new URL(url).hostname;
  if (host !== '127.0.0.1') throw new Error(`the stress suites only talk to 127.0.0.1, not ${host}`);
}

export interface Delivery {
  /** Every answer, in order: Buygoods re-sends until it gets a 2xx or a 4xx. */
  readonly answers: readonly { status: number; postbackId: string | null; bodyLength: number }[];
  readonly final: { status: number; postbackId: string | null };
}

/**
 * Sends like Buygoods: a 5xx, an empty body or a dropped connection is a failure and the same request is
 * sent again (Buygoods keeps trying for days; here at most `attempts` times, with a short pause).
 */
export async function deliver(url: string, init: RequestInit = {}, attempts = 8): Promise<Delivery> {
  const answers: { status: number; postbackId: string | null; bodyLength: number }[] = [];
  for (let attempt = 1; ; attempt++) {
    let status = 0;
    let postbackId: string | null = null;
    let bodyLength = 0;
    try {
      const answer = await request(url, init);
      status = answer.status;
      postbackId = answer.headers.get('x-postback-id');
      bodyLength = answer.text.length;
    } catch {
      status = 0; // connection dropped
    }
    answers.push({ status, postbackId, bodyLength });
    const failed = status === 0 || status >= 500 || bodyLength === 0;
    if (!failed || attempt >= attempts) return { answers, final: { status, postbackId } };
    await new Promise((resolve) => setTimeout(resolve, 25 * attempt));
  }
}

/** Management API reads, re-tried on a 5xx (faults may still be injected while the suite waits). */
export function managementClient(baseUrl: string) {
  async function call(
    method: string,
    path: string,
    body?: unknown,
    attempts = 10,
  ): Promise<{ status: number; body: Json }> {
    for (let attempt = 1; ; attempt++) {
      const answer = await request(`${baseUrl}${path}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      if (answer.status < 500 || attempt >= attempts)
        return { status: answer.status, body: answer.text ? (JSON.parse(answer.text) as Json) : {} };
      await new Promise((resolve) => setTimeout(resolve, 20 * attempt));
    }
  }

  /** Every item of a cursor listing (postbacks, conversions), page after page. */
  async function listAll(path: string, key: string, maxPages = 200): Promise<Json[]> {
    const items: Json[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < maxPages; page++) {
      const separator = path.includes('?') ? '&' : '?';
      const read = await call(
        'GET',
        `${path}${separator}limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      if (read.status !== 200) throw new Error(`GET ${path}: ${read.status} ${JSON.stringify(read.body)}`);
      items.push(...(read.body[key] as Json[]));
      cursor = read.body.cursor as string | null;
      if (!cursor) return items;
    }
    throw new Error(`GET ${path}: more than ${maxPages} pages`);
  }

  return { call, listAll };
}
