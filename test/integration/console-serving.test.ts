/** The local API serves the console beside the API at /console/, with the security headers CloudFront adds in AWS. */
import type { LocalService } from '../../local/service';
import { consoleHeaderValues } from '../../lib/console-definition';
import { startTestService } from '../support/local-service';

let service: LocalService;
beforeAll(async () => {
  service = await startTestService({ console: true });
});
afterAll(() => service?.stop());

test('GET /console/ is the page, with every security header', async () => {
  const response = await fetch(`${service.url}/console/`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
  for (const [name, value] of Object.entries(consoleHeaderValues()))
    expect(response.headers.get(name)).toBe(value);
  expect(await response.text()).toContain('<div id="app">');
});

test('the script and the stylesheet are served with their types; /console redirects to /console/', async () => {
  const js = await fetch(`${service.url}/console/app.js`);
  expect([js.status, js.headers.get('content-type')]).toEqual([200, 'text/javascript; charset=utf-8']);
  const css = await fetch(`${service.url}/console/app.css`);
  expect([css.status, css.headers.get('content-type')]).toEqual([200, 'text/css; charset=utf-8']);
  const bare = await fetch(`${service.url}/console`, { redirect: 'manual' });
  expect([bare.status, bare.headers.get('location')]).toEqual([301, '/console/']);
});

test('an unknown file is a 404 and a write a 405, each with a JSON body; the API next to it still answers', async () => {
  const missing = await fetch(`${service.url}/console/nothing.js`);
  expect([missing.status, await missing.json()]).toEqual([404, { message: 'Not Found' }]);
  const post = await fetch(`${service.url}/console/`, { method: 'POST', body: 'x' });
  expect([post.status, await post.json()]).toEqual([405, { message: 'Method Not Allowed' }]);
  const api = await fetch(`${service.url}/v1/accounts/acct-serving/orders/NONE`);
  expect(api.status).toBe(404);
});
