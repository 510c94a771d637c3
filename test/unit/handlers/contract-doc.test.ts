/** docs/CONTRACT.md and docs/openapi.json in step: the same operations, written the same way. */
import { readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '../../..');
const contract = readFileSync(path.join(root, 'docs/CONTRACT.md'), 'utf8');
interface Parameter {
  readonly name: string;
  readonly in: string;
  readonly schema?: { readonly enum?: readonly string[] };
}
const openapi = JSON.parse(readFileSync(path.join(root, 'docs/openapi.json'), 'utf8')) as {
  paths: Record<string, Record<string, { parameters?: Parameter[] }>>;
};
const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

/** Every `METHOD[|METHOD] {base}/v1/...` line of the contract's route blocks, as "METHOD /path". */
function contractRoutes(): Set<string> {
  const routes = new Set<string>();
  for (const line of contract.split('\n')) {
    const match = /^ {4}([A-Z]+(?:\|[A-Z]+)*)\s+(?:\{base\})?(\/v1\/\S*)/.exec(line);
    if (!match) continue;
    const pathOnly = match[2]!.split('?')[0]!;
    for (const method of match[1]!.split('|')) routes.add(`${method} ${pathOnly}`);
  }
  return routes;
}

/** Every OpenAPI operation, a path parameter with an enum written out once per value (as the contract lists the postback URLs). */
function openapiRoutes(): Set<string> {
  const routes = new Set<string>();
  for (const [template, item] of Object.entries(openapi.paths)) {
    for (const method of METHODS.filter((m) => item[m])) {
      let paths = [template];
      for (const parameter of item[method]!.parameters ?? []) {
        const values = parameter.schema?.enum;
        if (parameter.in !== 'path' || !values) continue;
        paths = paths.flatMap((p) => values.map((value) => p.replace(`{${parameter.name}}`, value)));
      }
      for (const p of paths) routes.add(`${method.toUpperCase()} ${p}`);
    }
  }
  return routes;
}

test('every route of docs/CONTRACT.md is an operation of docs/openapi.json', () => {
  const documented = openapiRoutes();
  expect([...contractRoutes()].filter((route) => !documented.has(route))).toEqual([]);
});

test('every operation of docs/openapi.json is written in docs/CONTRACT.md', () => {
  const written = contractRoutes();
  expect(written.size).toBeGreaterThan(20);
  expect([...openapiRoutes()].filter((route) => !written.has(route))).toEqual([]);
});
