/**
 * The console's only way to the service: the management API on the console's own origin. Every failure
 * becomes an ApiError whose message a person can act on; nothing here decides anything the API decides.
 */
import type { IntegrationView } from '../../functions/use-cases/integration-view';
import type { LinkReportRow } from '../../functions/domain/link-report';
import type { Link, Merchant, Product } from '../../functions/domain/catalog';
import type { Pixel } from '../../functions/domain/pixel';
import type { OrderView, toPostbackView } from '../../functions/handlers/views';
import { authorizationHeader } from './auth';

export type PostbackView = ReturnType<typeof toPostbackView>;
export type { IntegrationView, OrderView, LinkReportRow, Link, Merchant, Product };
export type PixelView = Pixel & { readonly snippet: string };
export type LinkView = Link & { readonly clickUrl?: string };
export type PostbackOutcome = PostbackView['outcome'];
/** A row of the report by link (groupBy=link) and by day (groupBy=day): the figures and the row's key. */
export type PerLinkRow = LinkReportRow & { readonly linkId: string | null };
export type DailyReportRow = LinkReportRow & { readonly day: string };
export interface ReplayJob {
  readonly jobId: string;
  readonly state: 'queued' | 'running' | 'done' | 'failed';
  readonly matched: number;
  readonly sent: number;
  readonly failed: number;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

const WHAT_TO_DO: Record<number, string> = {
  401: 'Sign in again, then retry.',
  403: 'Your sign-in does not give access to this account: pick an account you belong to, or ask its owner to add you.',
  429: 'Too many requests just now: wait a few seconds and retry.',
};

/** The API's own message for a 4xx (it is written for people), or words for what the status means. */
function errorOf(status: number, payload: unknown): ApiError {
  const error = (payload as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  const code = typeof error?.code === 'string' ? error.code : `http_${status}`;
  const apiMessage = typeof error?.message === 'string' ? error.message : null;
  if (status >= 500)
    return new ApiError(
      status,
      code,
      `The service failed to answer (HTTP ${status}). Nothing was changed by this page; retry in a minute.`,
    );
  const advice = WHAT_TO_DO[status];
  const message = [apiMessage ?? `The API refused the request (HTTP ${status}).`, advice]
    .filter(Boolean)
    .join(' ');
  return new ApiError(status, code, message);
}

export interface RequestOptions {
  readonly method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly body?: unknown;
  readonly query?: Record<string, string | number | null | undefined>;
  /** 'text' for CSV downloads. */
  readonly as?: 'json' | 'text';
}

export function pathWithQuery(path: string, query: RequestOptions['query'] = {}): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query))
    if (value !== null && value !== undefined && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text ? `${path}?${text}` : path;
}

export async function apiRequest<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = {
    accept: options.as === 'text' ? 'text/csv, application/json' : 'application/json',
  };
  const authorization = await authorizationHeader();
  if (authorization) headers.authorization = authorization;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(pathWithQuery(path, options.query), {
      method: options.method ?? 'GET',
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
  } catch {
    throw new ApiError(
      0,
      'unreachable',
      `The API at ${location.origin} did not answer. Check that the service is running (locally: npm start) and your connection, then retry.`,
    );
  }
  const text = await response.text();
  if (response.ok && options.as === 'text') {
    if ((response.headers.get('content-type') ?? '').includes('json'))
      throw new ApiError(
        response.status,
        'not_csv',
        'The API answered JSON where CSV was asked for: it does not offer CSV downloads of this report yet.',
      );
    return text as T;
  }
  let payload: unknown = null;
  try {
    payload = text ? JSON.parse(text) : null;
  } catch {
    if (response.ok)
      throw new ApiError(
        response.status,
        'bad_response',
        'The API answered something that is not JSON: reload the page; if it persists, the console and the API are out of step.',
      );
  }
  if (!response.ok) throw errorOf(response.status, payload);
  return payload as T;
}

const account = (accountId: string) => `/v1/accounts/${encodeURIComponent(accountId)}`;

/** The management API, route by route (CONTRACT.md section 4 and 4a). */
export const api = {
  getIntegration: (a: string) => apiRequest<IntegrationView>(`${account(a)}/integrations/buygoods`),
  activate: (a: string) =>
    apiRequest<IntegrationView>(`${account(a)}/integrations/buygoods`, { method: 'POST' }),
  rotate: (a: string) =>
    apiRequest<IntegrationView>(`${account(a)}/integrations/buygoods/rotate`, { method: 'POST' }),
  deactivate: (a: string) =>
    apiRequest<IntegrationView>(`${account(a)}/integrations/buygoods`, { method: 'DELETE' }),
  sendTest: (a: string) =>
    apiRequest<PostbackView | { postbackId: string; outcome: 'pending' }>(
      `${account(a)}/integrations/buygoods/test`,
      { method: 'POST' },
    ),

  listPostbacks: (
    a: string,
    query: { outcome?: string; issue?: string; from?: string; to?: string; cursor?: string; limit?: number },
  ) => apiRequest<{ postbacks: PostbackView[]; cursor: string | null }>(`${account(a)}/postbacks`, { query }),
  getPostback: (a: string, id: string) =>
    apiRequest<PostbackView>(`${account(a)}/postbacks/${encodeURIComponent(id)}`),
  replay: (a: string, id: string) =>
    apiRequest<PostbackView | { postbackId: string; outcome: 'pending' }>(
      `${account(a)}/postbacks/${encodeURIComponent(id)}/replay`,
      { method: 'POST' },
    ),
  replayAll: (a: string, filter: { outcome?: string; issue?: string; from?: string; to?: string }) =>
    apiRequest<{ jobId: string; matched: number }>(`${account(a)}/postbacks/replay`, {
      method: 'POST',
      body: filter,
    }),
  getReplay: (a: string, jobId: string) =>
    apiRequest<ReplayJob>(`${account(a)}/replays/${encodeURIComponent(jobId)}`),

  getOrder: (a: string, orderId: string) =>
    apiRequest<OrderView>(`${account(a)}/orders/${encodeURIComponent(orderId)}`),

  listLinks: (a: string) => apiRequest<{ links: LinkView[]; cursor: string | null }>(`${account(a)}/links`),
  saveLink: (
    a: string,
    linkId: string,
    body: { name: string; destinationUrl: string; campaign: string | null },
  ) => apiRequest<LinkView>(`${account(a)}/links/${encodeURIComponent(linkId)}`, { method: 'PUT', body }),
  listPixels: (a: string) => apiRequest<{ pixels: PixelView[] }>(`${account(a)}/pixels`),

  listMerchants: (a: string) =>
    apiRequest<{ merchants: Merchant[]; cursor: string | null }>(`${account(a)}/merchants`),
  saveMerchant: (
    a: string,
    merchantId: string,
    body: { name: string; paymentGateway: 'buygoods'; settings: Record<string, string> },
  ) =>
    apiRequest<Merchant>(`${account(a)}/merchants/${encodeURIComponent(merchantId)}`, {
      method: 'PUT',
      body,
    }),
  listProducts: (a: string) =>
    apiRequest<{ products: Product[]; cursor: string | null }>(`${account(a)}/products`),
  saveProduct: (
    a: string,
    productId: string,
    body: {
      name: string;
      merchantId: string;
      fulfillmentProvider: 'buygoods';
      productCodename: string;
      settings: Record<string, string>;
    },
  ) =>
    apiRequest<Product>(`${account(a)}/products/${encodeURIComponent(productId)}`, { method: 'PUT', body }),

  getSettings: (a: string) => apiRequest<{ timeZone: string }>(`${account(a)}/settings`),
  saveSettings: (a: string, body: { timeZone: string }) =>
    apiRequest<{ timeZone: string }>(`${account(a)}/settings`, { method: 'PUT', body }),
  linkReport: (a: string, query: ReportQuery) =>
    apiRequest<{ rows: PerLinkRow[] }>(`${account(a)}/reports/links`, {
      query: { ...query, groupBy: 'link' },
    }),
  dailyReport: (a: string, query: ReportQuery) =>
    apiRequest<{ rows: DailyReportRow[] }>(`${account(a)}/reports/links`, {
      query: { ...query, groupBy: 'day' },
    }),
  reportCsv: (a: string, query: ReportQuery & { groupBy: 'link' | 'day' }) =>
    apiRequest<string>(`${account(a)}/reports/links`, { query: { ...query, format: 'csv' }, as: 'text' }),
};

export interface ReportQuery {
  readonly from: string;
  readonly to: string;
  readonly tz: string;
  readonly dateBasis: 'event' | 'sale';
}
