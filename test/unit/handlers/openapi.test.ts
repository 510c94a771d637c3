/**
 * The OpenAPI document describes exactly the routes the service serves: every documented operation has a
 * route (management routes in the router, public ones in HTTP_ROUTES), and every route is documented.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { managementRoutes } from '../../../functions/handlers/management';
import { merchantRoutes } from '../../../functions/handlers/merchants';
import { HTTP_ROUTES } from '../../../lib/resources';

const document = JSON.parse(readFileSync(path.join(__dirname, '../../../docs/openapi.json'), 'utf8')) as {
  paths: Record<string, Record<string, { security?: unknown[] }>>;
};
const documented = Object.entries(document.paths).flatMap(([route, operations]) =>
  Object.keys(operations).map((method) => `${method.toUpperCase()} ${route}`),
);

const served = [
  ...[...managementRoutes({} as never), ...merchantRoutes({} as never)].map(
    (route) => `${route.method} ${route.pattern.replace(/:(\w+)/g, '{$1}')}`,
  ),
  ...HTTP_ROUTES.filter((route) => route.auth === 'none').flatMap((route) =>
    route.methods.map((method) => `${method} ${route.path}`),
  ),
];

test('every served route is documented and every documented operation is served', () => {
  expect([...new Set(documented)].sort()).toEqual([...new Set(served)].sort());
});

test('the document marks exactly the public routes as unauthenticated', () => {
  const publicPaths = new Set(
    HTTP_ROUTES.filter((route) => route.auth === 'none').map((route) => route.path),
  );
  for (const [route, operations] of Object.entries(document.paths)) {
    for (const operation of Object.values(operations))
      expect({ route, open: (operation.security ?? []).length === 0 }).toEqual({
        route,
        open: publicPaths.has(route),
      });
  }
});

test('every merchant and product route is served by the merchants function in AWS', () => {
  const merchantPaths = HTTP_ROUTES.filter((route) => route.function === 'merchants').map(
    (route) => route.path,
  );
  const merchantPatterns = merchantRoutes({} as never).map((route) =>
    route.pattern.replace(/:(\w+)/g, '{$1}'),
  );
  expect([...new Set(merchantPatterns)].sort()).toEqual([...merchantPaths].sort());
});
