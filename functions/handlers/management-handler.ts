/**
 * The management API: routes to use cases, answers JSON, errors as {"error":{code,message}} with
 * 400/404/409/422 and never a stack trace.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { toConversionView } from '../domain/conversion-view';
import { BadRequestError, NotFoundError } from '../domain/errors';
import type { IntegrationDependencies, LedgerRepository } from '../ports';
import { activateIntegration } from '../use-cases/activate-integration';
import { deactivateIntegration } from '../use-cases/deactivate-integration';
import { getIntegration } from '../use-cases/get-integration';
import { getOrder } from '../use-cases/get-order';
import { getPostback } from '../use-cases/get-postback';
import { listConversions } from '../use-cases/list-conversions';
import { listPostbacks } from '../use-cases/list-postbacks';
import { rotateIntegrationToken } from '../use-cases/rotate-integration-token';
import { baseUrl, errorBody, errorResponse, json, queryParameters, type HttpResponse } from './http';
import { matchRoute, type Route } from './router';

export type ManagementDependencies = IntegrationDependencies & { readonly ledger: LedgerRepository };

const ok = (payload: unknown) => json(200, payload);

export function managementRoutes(deps: ManagementDependencies): Route<HttpResponse>[] {
  const integration = '/v1/accounts/:accountId/integrations/buygoods';
  return [
    { method: 'POST', pattern: integration, run: async ({ event, params }) => json(201, await activateIntegration(deps, params.accountId!, baseUrl(event))) },
    { method: 'GET', pattern: integration, run: async ({ event, params }) => ok(await getIntegration(deps, params.accountId!, baseUrl(event))) },
    { method: 'DELETE', pattern: integration, run: async ({ event, params }) => ok(await deactivateIntegration(deps, params.accountId!, baseUrl(event))) },
    { method: 'POST', pattern: `${integration}/rotate`, run: async ({ event, params }) => ok(await rotateIntegrationToken(deps, params.accountId!, baseUrl(event))) },
    { method: 'GET', pattern: '/v1/accounts/:accountId/orders/:orderId', run: async ({ params }) => ok(await getOrder(deps, params.accountId!, params.orderId!)) },
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
        return ok({ postbacks: page.items, cursor: page.cursor });
      },
    },
    { method: 'GET', pattern: '/v1/accounts/:accountId/postbacks/:postbackId', run: async ({ params }) => ok(await getPostback(deps, params.accountId!, params.postbackId!)) },
  ];
}

export function createManagementHandler(deps: ManagementDependencies) {
  const routes = managementRoutes(deps);
  return async (event: APIGatewayProxyEventV2): Promise<HttpResponse> => {
    try {
      const match = matchRoute(routes, event.requestContext.http.method, event.rawPath);
      if (match.kind === 'bad_id') throw new BadRequestError('invalid_id', 'Ids in the path may only contain letters, digits, ".", "_" and "-" (at most 128)');
      if (match.kind === 'method_not_allowed') return json(405, errorBody('method_not_allowed', 'This method is not allowed on this resource'));
      if (match.kind === 'none') throw new NotFoundError('No such resource');
      return await match.route.run({ event, params: match.params });
    } catch (error) {
      return errorResponse(error);
    }
  };
}
