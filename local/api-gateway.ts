/**
 * A local stand-in for the HTTP API: turns each Node request into an API Gateway HTTP API v2 event for
 * the real handlers and writes their result back, the way API Gateway would.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';

export type HttpHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

export interface LocalRoute {
  readonly methods: readonly string[];
  /** API Gateway route syntax: `/v1/postbacks/buygoods/{token}/{channel}` or `/v1/accounts/{proxy+}`. */
  readonly path: string;
  readonly handler: HttpHandler;
  /**
   * The route's authorizer (management routes): what API Gateway would put on the event as
   * `requestContext.authorizer`, or null for its 401.
   */
  readonly authorizer?: (request: IncomingMessage, body: Buffer) => Promise<object | null>;
}

/** API Gateway's own answer when its JWT authorizer refuses a request. */
const UNAUTHORIZED = {
  statusCode: 401,
  headers: { 'content-type': 'application/json', 'www-authenticate': 'Bearer' },
  body: '{"message":"Unauthorized"}',
};

/** API Gateway's own limit on a request payload; our handlers enforce stricter ones. */
const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;

export function lambdaContext(functionName: string): Context {
  const started = Date.now();
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: `/local/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, 30_000 - (Date.now() - started)),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

function matchRoute(routePath: string, path: string): Record<string, string> | null {
  const expected = routePath.split('/');
  const actual = path.split('/');
  const params: Record<string, string> = {};
  for (const [index, part] of expected.entries()) {
    const greedy = /^\{(\w+)\+\}$/.exec(part);
    if (greedy) {
      if (actual.length <= index) return null;
      params[greedy[1]!] = actual.slice(index).join('/');
      return params;
    }
    const value = actual[index];
    if (value === undefined) return null;
    const param = /^\{(\w+)\}$/.exec(part);
    if (param) {
      if (value === '') return null;
      try {
        params[param[1]!] = decodeURIComponent(value);
      } catch {
        params[param[1]!] = value;
      }
    } else if (part !== value) return null;
  }
  return expected.length === actual.length ? params : null;
}

function queryStringParameters(rawQuery: string): Record<string, string> | undefined {
  if (!rawQuery) return undefined;
  const merged: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(rawQuery))
    merged[key] = key in merged ? `${merged[key]},${value}` : value;
  return merged;
}

function isText(buffer: Buffer): boolean {
  return Buffer.from(buffer.toString('utf8'), 'utf8').equals(buffer);
}

export function toApiGatewayEvent(
  request: IncomingMessage,
  body: Buffer,
  routeKey: string,
  pathParameters: Record<string, string>,
  domainName: string,
): APIGatewayProxyEventV2 {
  const url = request.url ?? '/';
  const questionMark = url.indexOf('?');
  const rawPath = questionMark < 0 ? url : url.slice(0, questionMark);
  const rawQueryString = questionMark < 0 ? '' : url.slice(questionMark + 1);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers))
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
  headers['x-forwarded-proto'] = 'http';
  const now = new Date();
  const textual = isText(body);
  return {
    version: '2.0',
    routeKey,
    rawPath,
    rawQueryString,
    headers,
    queryStringParameters: queryStringParameters(rawQueryString),
    pathParameters,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName,
      domainPrefix: domainName.split('.')[0]!,
      http: {
        method: request.method ?? 'GET',
        path: rawPath,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    body: body.length === 0 ? undefined : textual ? body.toString('utf8') : body.toString('base64'),
    isBase64Encoded: body.length > 0 && !textual,
  };
}

function send(response: ServerResponse, result: APIGatewayProxyStructuredResultV2) {
  const body = result.isBase64Encoded
    ? Buffer.from(result.body ?? '', 'base64')
    : Buffer.from(result.body ?? '');
  response.writeHead(result.statusCode ?? 200, { ...result.headers, 'content-length': String(body.length) });
  response.end(body);
}

function readBody(request: IncomingMessage): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_PAYLOAD_BYTES) chunks.push(chunk);
    });
    request.on('end', () => resolve(size > MAX_PAYLOAD_BYTES ? null : Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

/**
 * Request line and headers Node reads before giving up. Its default (16 KiB) would refuse a URL between
 * 16 KiB and this with a bare 431 before the handler could answer its own 414 with a body.
 */
const MAX_HEADER_BYTES = 64 * 1024;

const CLIENT_ERRORS: Record<string, readonly [number, string]> = {
  HPE_HEADER_OVERFLOW: [431, 'Request Header Fields Too Large'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'Request Timeout'],
};

/**
 * What Node cannot parse (headers past MAX_HEADER_BYTES, a malformed request line, a timeout) gets Node's
 * own status, with a body.
 */
function answerClientError(error: Error & { code?: string }, socket: Socket) {
  // Node's own guard: no reply into a response already under way on this (keep-alive) socket.
  const inFlight = (socket as Socket & { _httpMessage?: ServerResponse | null })._httpMessage;
  if (!socket.writable || inFlight?.headersSent) return socket.destroy();
  const [status, reason] = CLIENT_ERRORS[error.code ?? ''] ?? [400, 'Bad Request'];
  const body = JSON.stringify({ message: reason });
  // end, not destroy: the client may still be sending, and a reset would lose the answer.
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}

/** Static files served beside the API, as CloudFront serves the console beside it in AWS. */
export interface LocalStaticSite {
  /** Path prefix ending in '/', e.g. '/console/'; the prefix alone serves index.html. */
  readonly prefix: string;
  readonly files: ReadonlyMap<string, { readonly contentType: string; readonly body: Buffer }>;
  readonly headers: Readonly<Record<string, string>>;
}

/** Answers a request under the site's prefix (GET and HEAD only); false when the path is not the site's. */
function serveStatic(site: LocalStaticSite, method: string, path: string, response: ServerResponse): boolean {
  if (path === site.prefix.slice(0, -1)) {
    response.writeHead(301, { location: site.prefix, 'content-length': '0' });
    response.end();
    return true;
  }
  if (!path.startsWith(site.prefix)) return false;
  const file = site.files.get(path.slice(site.prefix.length) || 'index.html');
  if (!file || (method !== 'GET' && method !== 'HEAD')) {
    send(response, {
      statusCode: file ? 405 : 404,
      headers: { 'content-type': 'application/json' },
      body: file ? '{"message":"Method Not Allowed"}' : '{"message":"Not Found"}',
    });
    return true;
  }
  response.writeHead(200, {
    ...site.headers,
    'content-type': file.contentType,
    'content-length': String(file.body.length),
    'cache-control': 'no-cache',
  });
  response.end(method === 'HEAD' ? undefined : file.body);
  return true;
}

export function createLocalApi(routes: readonly LocalRoute[], site?: LocalStaticSite): Server {
  const server = createServer({ maxHeaderSize: MAX_HEADER_BYTES }, async (request, response) => {
    try {
      const body = await readBody(request);
      if (body === null)
        return send(response, {
          statusCode: 413,
          headers: { 'content-type': 'application/json' },
          body: '{"message":"Request Entity Too Large"}',
        });
      const path = (request.url ?? '/').split('?')[0]!;
      const method = request.method ?? 'GET';
      if (site && serveStatic(site, method, path, response)) return;
      for (const route of routes) {
        const params = matchRoute(route.path, path);
        if (!params || !route.methods.includes(method)) continue;
        const event = toApiGatewayEvent(
          request,
          body,
          `${method} ${route.path}`,
          params,
          request.headers.host ?? '127.0.0.1',
        );
        if (route.authorizer) {
          const authorizer = await route.authorizer(request, body);
          if (!authorizer) return send(response, UNAUTHORIZED);
          Object.assign(event.requestContext, { authorizer });
        }
        return send(response, await route.handler(event, lambdaContext(route.path)));
      }
      send(response, {
        statusCode: 404,
        headers: { 'content-type': 'application/json' },
        body: '{"message":"Not Found"}',
      });
    } catch (error) {
      console.error('local API: handler failed', error);
      send(response, {
        statusCode: 500,
        headers: { 'content-type': 'application/json' },
        body: '{"message":"Internal Server Error"}',
      });
    }
  });
  server.on('clientError', answerClientError);
  return server;
}
