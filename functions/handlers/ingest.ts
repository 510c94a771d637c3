/** The postback endpoint: API Gateway event in, ingest use case, an answer that always has a body. */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { countWith, logger, metrics, MetricUnit } from '../adapters/observability';
import { ingestPostback, type IngestDependencies } from '../use-cases/ingest-postback';
import { postbackLogFields } from './log-fields';
import { bodyText, errorBody, errorResponse, header, json, text, type HttpResponse } from './http';

export function createIngestHandler(deps: IngestDependencies) {
  return async (event: APIGatewayProxyEventV2): Promise<HttpResponse> => {
    try {
      const result = await ingestPostback(deps, {
        method: event.requestContext.http.method,
        tokenSegment: event.pathParameters?.token,
        channelSegment: event.pathParameters?.channel,
        rawPath: event.rawPath,
        rawQuery: event.rawQueryString ?? '',
        body: bodyText(event),
        contentType: header(event, 'content-type'),
        sourceIp: event.requestContext.http.sourceIp ?? null,
      });
      const headers = { 'x-postback-id': result.postbackId };
      if (result.status === 200) {
        metrics.addMetric('PostbacksIngested', MetricUnit.Count, 1);
        return text(200, 'OK', headers);
      }
      countWith('IngestRejected', { reason: result.error.code });
      logger.info('postback rejected at ingest', postbackLogFields(result));
      return json(
        400,
        { ...errorBody(result.error.code, result.error.message), postbackId: result.postbackId },
        headers,
      );
    } catch (error) {
      return errorResponse(error);
    }
  };
}
