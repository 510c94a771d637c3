/** JSON request bodies of the management API. */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { BadRequestError } from '../domain/errors';
import { bodyText } from './http';

export function jsonBody(event: APIGatewayProxyEventV2): unknown {
  const text = bodyText(event);
  if (text === null || text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new BadRequestError('malformed_json', 'The request body is not valid JSON');
  }
}
