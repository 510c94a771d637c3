/**
 * Public tracking endpoints: the click redirect (302 to the stored destination only) and the pixel
 * (always a 1x1 GIF, never cached, recorded when the pixel exists).
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { logger, metrics, MetricUnit } from '../adapters/observability';
import { NotFoundError } from '../domain/errors';
import { RESOURCE_ID } from '../domain/ids';
import { TRANSPARENT_GIF } from '../domain/pixel';
import { recordClick, type ClickDependencies } from '../use-cases/record-click';
import { recordPixelHit, type PixelHitDependencies } from '../use-cases/record-pixel-hit';
import { errorResponse, header, queryParameters, type HttpResponse } from './http';

const NO_CACHE = {
  'cache-control': 'no-store, no-cache, must-revalidate, max-age=0',
  pragma: 'no-cache',
  expires: '0',
};

function gif(): HttpResponse {
  return {
    statusCode: 200,
    headers: { 'content-type': 'image/gif', ...NO_CACHE },
    body: TRANSPARENT_GIF.toString('base64'),
    isBase64Encoded: true,
  };
}

export function createTrackingHandler(deps: ClickDependencies & PixelHitDependencies) {
  return async (event: APIGatewayProxyEventV2): Promise<HttpResponse> => {
    const path = event.rawPath;
    if (path.startsWith('/v1/pixel/')) {
      try {
        const recorded = await recordPixelHit(
          deps,
          event.pathParameters?.pixelId ?? '',
          queryParameters(event),
        );
        metrics.addMetric(recorded ? 'PixelHits' : 'UnknownPixelHits', MetricUnit.Count, 1);
      } catch (error) {
        // A page must never break because a pixel could not be counted.
        logger.error('pixel hit not recorded', { error: error as Error });
      }
      return gif();
    }
    try {
      const linkId = event.pathParameters?.linkId ?? '';
      if (!RESOURCE_ID.test(linkId)) throw new NotFoundError('No such link');
      metrics.addMetric('Clicks', MetricUnit.Count, 1);
      const { location } = await recordClick(deps, linkId, {
        sourceIp: event.requestContext.http.sourceIp ?? null,
        userAgent: header(event, 'user-agent'),
      });
      return {
        statusCode: 302,
        headers: {
          location,
          ...NO_CACHE,
          'content-type': 'text/plain; charset=utf-8',
          'referrer-policy': 'no-referrer',
        },
        body: 'Found',
      };
    } catch (error) {
      return errorResponse(error);
    }
  };
}
