/**
 * The management API: routes to use cases, answers JSON, errors as {"error":{code,message}} with
 * 400/404/409/422 and never a stack trace.
 */
import { toConversionView, toOrderView, toPostbackView } from './views';
import type { PostbackRecord } from '../domain/postback-log';
import type { AggregateRepository } from '../ports/aggregate-repository';
import type { CatalogRepository } from '../ports/catalog-repository';
import type { IntegrationDependencies } from '../use-cases/integration-view';
import type { LedgerRepository } from '../ports/ledger-repository';
import type { TrafficRepository } from '../ports/traffic-repository';
import { eraseCustomer } from '../use-cases/erase-customer';
import { getLinkReport, reportFormat, type ReportDependencies } from '../use-cases/get-link-report';
import { getAccountSettings, saveAccountSettings } from '../use-cases/account-settings';
import { listCatalog } from '../use-cases/list-catalog';
import { reportColumns, toCsv } from '../domain/link-report';
import { listPixels } from '../use-cases/list-pixels';
import { replayPostback, type ReplayDependencies } from '../use-cases/replay-postbacks';
import { startReplayJob, type StartReplayJobDependencies } from '../use-cases/start-replay-job';
import { getReplayJob } from '../use-cases/get-replay-job';
import { toReplayJobView } from '../domain/replay-job';
import { saveLink } from '../use-cases/save-link';
import { sendTestPostback } from '../use-cases/send-test-postback';
import { jsonBody } from './http-body';
import { activateIntegration } from '../use-cases/activate-integration';
import { deactivateIntegration } from '../use-cases/deactivate-integration';
import { getIntegration } from '../use-cases/get-integration';
import { getOrder } from '../use-cases/get-order';
import { getPostback } from '../use-cases/get-postback';
import { listConversions } from '../use-cases/list-conversions';
import { listPostbacks } from '../use-cases/list-postbacks';
import { rotateIntegrationToken } from '../use-cases/rotate-integration-token';
import { baseUrl, header, json, queryParameters, type HttpResponse } from './http';
import { merchantRoutes } from './merchants';
import { createRoutedHandler, type Route } from './router';
import { MANAGEMENT_OPERATIONS } from './operations';
import { getMember, listMembers } from '../use-cases/get-member';
import { removeMember } from '../use-cases/remove-member';
import { saveMember, type MemberDependencies } from '../use-cases/save-member';

export type ManagementDependencies = IntegrationDependencies &
  ReplayDependencies &
  StartReplayJobDependencies &
  ReportDependencies &
  MemberDependencies & {
    readonly ledger: LedgerRepository;
    readonly catalog: CatalogRepository;
    readonly traffic: TrafficRepository;
    readonly aggregates: AggregateRepository;
  };

/** 200 with the record once processed, else 202: it is queued and will be processed shortly. */
function processedOrAccepted(
  result: { processed: true; record: PostbackRecord } | { processed: false; postbackId: string },
  status = 200,
) {
  return result.processed
    ? json(status, toPostbackView(result.record))
    : json(202, { ...result, processed: undefined, outcome: 'pending' });
}

const ok = (payload: unknown) => json(200, payload);

export function managementRoutes(deps: ManagementDependencies): Route<HttpResponse>[] {
  const integration = '/v1/accounts/:accountId/integrations/buygoods';
  return [
    {
      method: 'POST',
      pattern: integration,
      run: async ({ event, params }) =>
        json(201, await activateIntegration(deps, params.accountId!, baseUrl(event))),
    },
    {
      method: 'GET',
      pattern: integration,
      run: async ({ event, params }) => ok(await getIntegration(deps, params.accountId!, baseUrl(event))),
    },
    {
      method: 'DELETE',
      pattern: integration,
      run: async ({ event, params }) =>
        ok(await deactivateIntegration(deps, params.accountId!, baseUrl(event))),
    },
    {
      method: 'POST',
      pattern: `${integration}/rotate`,
      run: async ({ event, params }) =>
        ok(await rotateIntegrationToken(deps, params.accountId!, baseUrl(event))),
    },
    {
      method: 'POST',
      pattern: `${integration}/test`,
      run: async ({ params }) => processedOrAccepted(await sendTestPostback(deps, params.accountId!), 201),
    },
    {
      method: 'PUT',
      pattern: '/v1/accounts/:accountId/links/:linkId',
      run: async ({ event, params }) => {
        const { link, created } = await saveLink(deps, params.accountId!, params.linkId!, jsonBody(event));
        return json(created ? 201 : 200, { ...link, clickUrl: `${baseUrl(event)}/v1/click/${link.linkId}` });
      },
    },
    {
      method: 'GET',
      pattern: '/v1/accounts/:accountId/pixels',
      run: async ({ event, params }) =>
        ok({ pixels: await listPixels(deps, params.accountId!, baseUrl(event)) }),
    },
    {
      method: 'GET',
      pattern: '/v1/accounts/:accountId/reports/links',
      run: async ({ event, params }) => {
        const query = queryParameters(event);
        const report = await getLinkReport(deps, params.accountId!, query);
        if (reportFormat(query, header(event, 'accept')) === 'json') return ok(report);
        const body = toCsv(report.rows, reportColumns(report.groupBy));
        return {
          statusCode: 200,
          headers: {
            'content-type': 'text/csv; charset=utf-8; header=present',
            'cache-control': 'no-store',
            'content-disposition': `attachment; filename="links-report.csv"`,
          },
          body,
        };
      },
    },
    {
      method: 'GET',
      pattern: '/v1/accounts/:accountId/settings',
      run: async ({ params }) => ok(await getAccountSettings(deps, params.accountId!)),
    },
    {
      method: 'PUT',
      pattern: '/v1/accounts/:accountId/settings',
      run: async ({ event, params }) =>
        ok(await saveAccountSettings(deps, params.accountId!, jsonBody(event))),
    },
    ...(['link', 'merchant', 'product'] as const).map((what) => ({
      method: 'GET',
      pattern: `/v1/accounts/:accountId/${what}s`,
      run: async ({
        event,
        params,
      }: {
        event: Parameters<typeof queryParameters>[0];
        params: Record<string, string>;
      }) => {
        const page = await listCatalog(deps, params.accountId!, what, queryParameters(event));
        return ok({ [`${what}s`]: page.items, cursor: page.cursor });
      },
    })),
    // Bulk replay is a background job: 202 with its id and how many postbacks it matched; its progress below.
    {
      method: 'POST',
      pattern: '/v1/accounts/:accountId/postbacks/replay',
      run: async ({ event, params }) =>
        json(202, toReplayJobView(await startReplayJob(deps, params.accountId!, jsonBody(event)))),
    },
    {
      method: 'GET',
      pattern: '/v1/accounts/:accountId/replays/:jobId',
      run: async ({ params }) =>
        ok(toReplayJobView(await getReplayJob(deps, params.accountId!, params.jobId!))),
    },
    {
      method: 'POST',
      pattern: '/v1/accounts/:accountId/postbacks/:postbackId/replay',
      run: async ({ params }) =>
        processedOrAccepted(await replayPostback(deps, params.accountId!, params.postbackId!)),
    },
    {
      method: 'DELETE',
      pattern: '/v1/accounts/:accountId/customers',
      run: async ({ event, params }) =>
        ok(await eraseCustomer(deps, params.accountId!, queryParameters(event))),
    },
    {
      method: 'GET',
      pattern: '/v1/accounts/:accountId/orders/:orderId',
      run: async ({ params }) => ok(toOrderView(await getOrder(deps, params.accountId!, params.orderId!))),
    },
    {
      method: 'GET',
      pattern: '/v1/accounts/:accountId/conversions',
      run: async ({ event, params }) => {
        const page = await listConversions(deps, params.accountId!, queryParameters(event));
        return ok({ conversions: page.items.map(toConversionView), cursor: page.cursor });
      },
    },
    {
      method: 'GET',
      pattern: '/v1/accounts/:accountId/postbacks',
      run: async ({ event, params }) => {
        const page = await listPostbacks(deps, params.accountId!, queryParameters(event));
        return ok({ postbacks: page.items.map(toPostbackView), cursor: page.cursor });
      },
    },
    {
      method: 'GET',
      pattern: '/v1/accounts/:accountId/postbacks/:postbackId',
      run: async ({ params }) =>
        ok(toPostbackView(await getPostback(deps, params.accountId!, params.postbackId!))),
    },
    ...memberRoutes(deps),
  ];
}

/** Who belongs to the account, with which role (owners and operators only: see docs/openapi.json). */
function memberRoutes(deps: MemberDependencies): Route<HttpResponse>[] {
  const member = '/v1/accounts/:accountId/members/:userId';
  return [
    {
      method: 'GET',
      pattern: '/v1/accounts/:accountId/members',
      run: async ({ params }) => ok({ members: await listMembers(deps, params.accountId!) }),
    },
    {
      method: 'GET',
      pattern: member,
      run: async ({ params }) => ok(await getMember(deps, params.accountId!, params.userId!)),
    },
    {
      method: 'PUT',
      pattern: member,
      run: async ({ event, params, principal }) => {
        const {
          member: saved,
          created,
          invitation,
        } = await saveMember(deps, principal, params.accountId!, params.userId!, jsonBody(event));
        return json(created ? 201 : 200, { ...saved, invitation });
      },
    },
    {
      method: 'DELETE',
      pattern: member,
      run: async ({ params, principal }) =>
        ok(await removeMember(deps, principal, params.accountId!, params.userId!)),
    },
  ];
}

/**
 * Local mode serves every management route from one function; in AWS the merchant and product routes
 * have their own function, and API Gateway sends them there before the catch-all route.
 */
export function createManagementHandler(deps: ManagementDependencies) {
  return createRoutedHandler([...managementRoutes(deps), ...merchantRoutes(deps)], {
    memberships: deps.memberships,
    operations: MANAGEMENT_OPERATIONS,
  });
}
