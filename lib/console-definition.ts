/**
 * The console's place and headers, shared by the CDK distribution and the local API so both serve it the
 * same way. Pure data: no CDK or SDK imports here.
 */

/** Where the console is served, on the API's own origin (locally and behind CloudFront alike). */
export const CONSOLE_PATH = '/console/';

/**
 * Security headers of every console response. The CSP allows only the console's own files and calls to
 * its own origin (the API); no inline script or style, no framing.
 */
export const CONSOLE_SECURITY_HEADERS = {
  contentSecurityPolicy:
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  referrerPolicy: 'no-referrer',
  frameOptions: 'DENY',
  contentTypeOptions: 'nosniff',
  /** Two years, sub-domains included (served over HTTPS only in AWS). */
  strictTransportSecurityMaxAgeSeconds: 63_072_000,
  permissionsPolicy: 'camera=(), microphone=(), geolocation=(), payment=()',
} as const;

/** The same headers as HTTP header names and values (the local API sends these). */
export function consoleHeaderValues(): Record<string, string> {
  const h = CONSOLE_SECURITY_HEADERS;
  return {
    'content-security-policy': h.contentSecurityPolicy,
    'referrer-policy': h.referrerPolicy,
    'x-frame-options': h.frameOptions,
    'x-content-type-options': h.contentTypeOptions,
    'strict-transport-security': `max-age=${h.strictTransportSecurityMaxAgeSeconds}; includeSubDomains`,
    'permissions-policy': h.permissionsPolicy,
  };
}
