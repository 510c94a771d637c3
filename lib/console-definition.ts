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

/**
 * The CSP with more places the console may call besides its own origin: in AWS the user pool's sign-in
 * domain, whose token endpoint the console calls to trade its code for a token.
 */
export function consoleContentSecurityPolicy(connectSources: readonly string[] = []): string {
  return CONSOLE_SECURITY_HEADERS.contentSecurityPolicy.replace(
    "connect-src 'self'",
    ["connect-src 'self'", ...connectSources].join(' '),
  );
}

/** The file next to the console's page that says where people sign in (written by the deployment, served by npm start). */
export const CONSOLE_CONFIG_FILE = 'config.json';

/**
 * What config.json holds. `signIn.domain` is the hosted sign-in's base URL (Cognito's domain in AWS,
 * `/local-idp` locally: the same /oauth2/authorize, /oauth2/token and /logout endpoints under both);
 * `clientId` is the console's app client. Null: the console offers no sign-in.
 */
export interface ConsoleConfig {
  readonly signIn: { readonly domain: string; readonly clientId: string } | null;
}

/** The same headers as HTTP header names and values (the local API sends these). */
export function consoleHeaderValues(): Record<string, string> {
  const h = CONSOLE_SECURITY_HEADERS;
  return {
    'content-security-policy': consoleContentSecurityPolicy(),
    'referrer-policy': h.referrerPolicy,
    'x-frame-options': h.frameOptions,
    'x-content-type-options': h.contentTypeOptions,
    'strict-transport-security': `max-age=${h.strictTransportSecurityMaxAgeSeconds}; includeSubDomains`,
    'permissions-policy': h.permissionsPolicy,
  };
}
