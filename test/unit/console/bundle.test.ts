/** The console bundle as browsers get it: every file the page loads, and the JS under its 150 KB gzipped budget. */
import { gzipSync } from 'node:zlib';
import { buildConsole } from '../../../console/build';

const GZIPPED_JS_BUDGET = 150 * 1024;

test('the console builds to index.html, app.js and app.css, and the JS is under 150 KB gzipped', async () => {
  const files = await buildConsole();
  const index = files.get('index.html')!.body.toString();
  for (const loaded of ['app.js', 'app.css']) {
    expect(index).toContain(`"${loaded}"`);
    expect(files.get(loaded)?.body.length).toBeGreaterThan(0);
  }
  const js = gzipSync(files.get('app.js')!.body).length;
  console.log(`console app.js: ${files.get('app.js')!.body.length} bytes, ${js} gzipped`);
  expect(js).toBeLessThan(GZIPPED_JS_BUDGET);
  // No inline script or style in the page: the CSP (script-src/style-src 'self') would refuse them.
  expect(index).not.toMatch(/<script>|<style|style="/);
});
