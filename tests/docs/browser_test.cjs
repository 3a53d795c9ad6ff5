// Drives headless chromium through the docs pages (see browser_test.sh). Every check failure is
// collected; the exit code is 1 if there was any. Screenshots go to --work.
'use strict';

const { spawn } = require('child_process');
const fs = require('fs');
const http = require('http');
const path = require('path');

const options = {};
for (let i = 2; i + 1 < process.argv.length; i += 2) options[process.argv[i].replace(/^--/, '')] = process.argv[i + 1];
const { chromium } = require(options.playwright);

const failures = [];
function check(condition, message) {
  if (condition) {
    console.log('  ok: ' + message);
  } else {
    console.log('  FAILED: ' + message);
    failures.push(message);
  }
}

// Starts a server that prints "listening on http://127.0.0.1:N"; resolves to {child, url}.
function startServer(command, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(command + ' did not start within 10 s'));
    }, 10000);
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ child, url: match[1] });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(command + ' exited with ' + code + ' before listening'));
    });
  });
}

function stopServer(server) {
  return new Promise((resolve) => {
    const timer = setTimeout(() => server.child.kill('SIGKILL'), 10000);
    server.child.removeAllListeners('exit');
    server.child.on('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    server.child.kill('SIGTERM');
  });
}

function getJson(url) {
  return new Promise((resolve, reject) => {
    http.get(url, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => (body += chunk));
      response.on('end', () => {
        try {
          resolve({ headers: response.headers, body: JSON.parse(body) });
        } catch (e) {
          reject(e);
        }
      });
    }).on('error', reject);
  });
}

function specOperations(spec) {
  const methods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
  const ops = [];
  for (const [p, item] of Object.entries(spec.paths || {})) {
    for (const method of methods) if (item[method]) ops.push(method.toUpperCase() + ' ' + p);
  }
  return ops.sort();
}

// A page whose console errors, uncaught exceptions, dialogs and off-host requests are recorded.
async function watchedPage(context) {
  const page = await context.newPage();
  const events = { errors: [], dialogs: [] };
  page.on('console', (message) => {
    if (message.type() === 'error') events.errors.push(message.text());
  });
  page.on('pageerror', (error) => events.errors.push(String(error)));
  page.on('dialog', async (dialog) => {
    events.dialogs.push(dialog.message());
    await dialog.dismiss();
  });
  return { page, events };
}

async function navOperations(page) {
  return page.$$eval('a.nav-op', (links) => links.map((a) =>
    a.querySelector('.method').textContent + ' ' + a.querySelector('.nav-path').textContent));
}

async function visibleNavOperations(page) {
  return page.$$eval('a.nav-op', (links) => links.filter((a) => a.offsetParent !== null).map((a) =>
    a.querySelector('.method').textContent + ' ' + a.querySelector('.nav-path').textContent));
}

async function search(page, text) {
  await page.fill('#search', text);
  return visibleNavOperations(page);
}

function sameList(a, b) {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function checkQuiet(name, events) {
  check(events.errors.length === 0, name + ': no console errors' + (events.errors.length ? ': ' + events.errors.join(' | ') : ''));
  check(events.dialogs.length === 0, name + ': no dialog opened' + (events.dialogs.length ? ': ' + events.dialogs.join(' | ') : ''));
}

async function petstore(context) {
  console.log('petstore: /docs of the running example server');
  const server = await startServer(options['petstore-server'], ['--port', '0', '--quiet']);
  try {
    const { page, events } = await watchedPage(context);
    const response = await page.goto(server.url + '/docs');
    check(response.status() === 200, 'petstore: GET /docs is 200');
    const headers = response.headers();
    check(/text\/html/.test(headers['content-type'] || ''), 'petstore: the page is text/html');
    check(/script-src 'sha256-/.test(headers['content-security-policy'] || ''), 'petstore: a hash-based Content-Security-Policy');
    await page.waitForSelector('body.ready', { timeout: 10000 });

    const spec = await getJson(server.url + '/openapi.json');
    check(/application\/json/.test(spec.headers['content-type']), 'petstore: /openapi.json is application/json');
    const expected = specOperations(spec.body);
    const listed = (await navOperations(page)).sort();
    check(expected.length === 6 && sameList(listed, expected), 'petstore: every operation is listed: ' + listed.join(', '));

    const found = await search(page, 'vaccinations');
    check(sameList(found, ['GET /pets/{petId}/vaccinations']), 'petstore: search "vaccinations" leaves one operation: ' + found.join(', '));
    check((await search(page, 'no-such-operation')).length === 0, 'petstore: a search for nothing hides every operation');
    check((await search(page, 'delete')).length === 1, 'petstore: search by method');
    check((await search(page, '')).length === 6, 'petstore: clearing the search shows every operation again');

    await page.click('a.nav-op:has(.nav-path:text-is("/pets")):has(.method:text-is("POST"))');
    await page.waitForSelector('#operation .op-path');
    check((await page.textContent('#operation .op-path')) === '/pets', 'petstore: the POST /pets view opens');
    const body = page.locator('#operation section.part', { hasText: 'Request body' }).locator('details.schema').first();
    check((await body.locator('.prop-name').count()) === 0, 'petstore: the body schema starts collapsed');
    await body.locator('summary').first().click();
    await body.locator('.prop-name').first().waitFor({ timeout: 5000 });  // built on the toggle event
    const names = await body.locator(':scope > .schema-body > .props > .prop .prop-name').allTextContents();
    check(['name', 'status', 'category', 'tags'].every((n) => names.includes(n)), 'petstore: expanding the body schema shows its properties: ' + names.join(', '));
    const category = body.locator('li.prop', { has: page.locator('.prop-name', { hasText: /^category$/ }) })
      .locator('details.expand').first();
    await category.locator('summary').first().click();
    await category.locator('.prop-name').first().waitFor({ timeout: 5000 });
    const nested = await category.locator('.prop-name').allTextContents();
    check(nested.includes('id') && nested.includes('name'), 'petstore: a nested schema expands too: ' + nested.join(', '));
    const example = await page.textContent('#operation .examples pre');
    check(/"status": "available"/.test(example) && JSON.parse(example).name !== undefined, 'petstore: the request example is shown');
    const curl = await page.textContent('#operation pre.curl');
    check(curl.startsWith("curl -X POST '" + server.url + "/pets'"), 'petstore: the example request targets this server');
    await page.screenshot({ path: path.join(options.work, 'petstore-docs.png'), fullPage: true });

    await page.click('a[href="#errors"]');
    check(/urn:oasgen:problem:validation/.test(await page.textContent('#errors')), 'petstore: the error format is documented');
    await page.click('a.nav-op:has(.nav-path:text-is("/pets/{petId}")):has(.method:text-is("GET"))');
    check((await page.textContent('#operation .op-path')) === '/pets/{petId}', 'petstore: navigation by operation');
    checkQuiet('petstore', events);
    await page.close();
  } finally {
    await stopServer(server);
  }
}

async function hostile(context) {
  console.log('docs-xss: spec text with <script>, javascript: and attribute break-outs');
  const server = await startServer(options['docs-server'], [path.join(options.work, 'xss', 'docs')]);
  try {
    const { page, events } = await watchedPage(context);
    await page.goto(server.url + '/docs');
    await page.waitForSelector('body.ready', { timeout: 10000 });
    const title = 'XSS <script>alert("title")</script> "><img src=x onerror=alert(1)>';
    check((await page.textContent('#api-title')) === title, 'docs-xss: the title shows as text');
    check((await page.title()) === title + ' API reference', 'docs-xss: the document title is the text');
    const overview = await page.textContent('#main');
    check(overview.includes('[a Markdown link](javascript:alert(2))'), 'docs-xss: a javascript: link in a description is text');
    await page.click('a.nav-op:has(.nav-path:text-is("/items/{id}"))');
    check((await page.textContent('#operation .op-summary')) === '</script><script>alert(10)</script>', 'docs-xss: the summary shows as text');
    const schema = page.locator('#operation details.schema').first();
    await schema.locator('summary').first().click();
    await schema.locator('.prop-name').first().waitFor({ timeout: 5000 });
    const names = await schema.locator('.prop-name').allTextContents();
    check(names.includes('<img src=x onerror=alert(28)>'), 'docs-xss: a property named with markup shows as text');
    check((await page.textContent('#operation .examples pre')).includes('</script><script>alert(19)</script>'), 'docs-xss: the example shows as text');
    await page.click('a.nav-op:has(.nav-path:text-is("/items"))');
    await page.click('a[href="#overview"]');
    await page.waitForTimeout(300);  // time for anything that would run late
    const injected = await page.evaluate(() => document.querySelectorAll('img, iframe, svg, b, #main script, a[href^="javascript"]').length);
    check(injected === 0, 'docs-xss: no element came from spec text');
    await page.screenshot({ path: path.join(options.work, 'docs-xss.png'), fullPage: true });
    checkQuiet('docs-xss', events);
    await page.close();

    // The same file opened from disk: the page needs nothing but itself.
    const offline = await watchedPage(context);
    await offline.page.goto('file://' + path.join(options.work, 'xss', 'docs', 'index.html'));
    await offline.page.waitForSelector('body.ready', { timeout: 10000 });
    check((await offline.page.textContent('#api-title')) === title, 'docs-xss: the page works opened as a file');
    checkQuiet('docs-xss (file)', offline.events);
    await offline.page.close();
  } finally {
    await stopServer(server);
  }
}

async function github(context) {
  const dir = path.join(options.work, 'github', 'docs');
  if (!fs.existsSync(path.join(dir, 'index.html'))) {
    console.log('big-github: SKIPPED (no docs generated: big-github.json is not available)');
    return;
  }
  console.log('big-github: a large spec stays usable');
  const server = await startServer(options['docs-server'], [dir]);
  try {
    const { page, events } = await watchedPage(context);
    const start = Date.now();
    await page.goto(server.url + '/docs');
    await page.waitForSelector('body.ready', { timeout: 30000 });
    const opened = Date.now() - start;
    const spec = await getJson(server.url + '/openapi.json');
    const expected = specOperations(spec.body);
    const listed = (await navOperations(page)).sort();
    check(expected.length > 1000 && sameList(listed, expected), 'big-github: all ' + expected.length + ' operations are listed');
    const searchStart = Date.now();
    const found = await search(page, 'repos/{owner}/{repo}/issues/{issue_number}/comments');
    const searched = Date.now() - searchStart;
    check(found.length >= 2 && found.every((op) => op.includes('/issues/{issue_number}/comments')), 'big-github: search finds ' + found.join(', '));
    console.log('  big-github: opened in ' + opened + ' ms, searched in ' + searched + ' ms');
    // "Usable" with room for a loaded CI machine; the figures above are what to watch.
    check(opened < 15000, 'big-github: the page opens within 15 s');
    check(searched < 5000, 'big-github: a search answers within 5 s');
    await page.click('a.nav-op:has(.nav-path:text-is("/repos/{owner}/{repo}/issues/{issue_number}/comments")):has(.method:text-is("POST"))');
    const schema = page.locator('#operation details.schema').first();
    await schema.locator('summary').first().click();
    await schema.locator('.prop-name').first().waitFor({ timeout: 5000 });
    check((await schema.locator('.prop-name').count()) > 0, 'big-github: a body schema expands');
    await page.screenshot({ path: path.join(options.work, 'github-docs.png') });
    checkQuiet('big-github', events);
    await page.close();
  } finally {
    await stopServer(server);
  }
}

(async () => {
  const browser = await chromium.launch({
    executablePath: options.chromium,
    headless: true,
    // Playwright gives each launch a fresh, temporary user data folder.
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync',
           '--disable-default-apps', '--disable-extensions',
           '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1'],
  });
  let status = 0;
  try {
    const context = await browser.newContext({ serviceWorkers: 'block', viewport: { width: 1280, height: 900 } });
    const blocked = [];
    await context.route('**/*', (route) => {
      const url = new URL(route.request().url());
      // 127.0.0.1, and the page opened from disk (file:) with its data: icon.
      if (url.hostname === '127.0.0.1' || url.protocol === 'data:' || url.protocol === 'file:') {
        return route.continue();
      }
      blocked.push(url.href);
      return route.abort('blockedbyclient');
    });
    for (const run of [petstore, hostile, github]) {
      try {
        await run(context);
      } catch (e) {
        check(false, run.name + ': ' + (e && e.stack || e));
      }
    }
    check(blocked.length === 0, 'no request left 127.0.0.1' + (blocked.length ? ': ' + blocked.join(' ') : ''));
  } finally {
    await browser.close();
  }
  console.log('screenshots: ' + ['petstore-docs.png', 'docs-xss.png', 'github-docs.png']
    .map((f) => path.join(options.work, f)).filter((f) => fs.existsSync(f)).join(' '));
  if (failures.length) {
    console.log(failures.length + ' check(s) failed');
    status = 1;
  }
  process.exit(status);
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
