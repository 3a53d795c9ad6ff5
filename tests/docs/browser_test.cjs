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
    // Chromium logs each 4xx/5xx answer to a fetch as an error; the tests check those statuses.
    const answered = /^Failed to load resource: the server responded with a status of [45]\d\d/.test(message.text());
    if (message.type() === 'error' && !answered) events.errors.push(message.text());
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

async function openOperation(page, method, opPath) {
  await page.click('a.nav-op:has(.nav-path:text-is("' + opPath + '")):has(.method:text-is("' + method + '"))');
  await page.waitForSelector('#operation .try-send');
  check((await page.textContent('#operation .op-path')) === opPath, method + ' ' + opPath + ': the view opens');
}

// Clicks the open operation's Send; resolves to {status, headers, body} as the page shows them.
async function send(page) {
  await page.click('#operation .try-send');  // clears the last response at once
  await page.waitForSelector('#operation .try-response .status', { timeout: 10000 });
  const shown = await page.evaluate(() => {
    const text = (selector) => {
      const node = document.querySelector('#operation .try-response ' + selector);
      return node ? node.textContent : '';
    };
    return { status: text('.status'), headers: text('.try-headers'), body: text('.try-body') };
  });
  let body = shown.body;
  try {
    body = JSON.parse(shown.body);
  } catch (e) {
    // not JSON: kept as text
  }
  return { status: Number(shown.status), headers: shown.headers.toLowerCase(), body };
}

// The errors shown next to each input of the open operation: [{where, name, pointer, text}].
async function shownErrors(page) {
  return page.$$eval('#operation .try-field .field-error', (items) => items.map((item) => {
    const box = item.closest('.try-field');
    return { where: box.getAttribute('data-in'), name: box.getAttribute('data-name'),
             pointer: item.getAttribute('data-pointer'), text: item.textContent };
  }));
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
    check(/connect-src 'self'/.test(headers['content-security-policy'] || ''), 'petstore: the page may call its own origin only');
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
    // The page follows the hash in its hashchange handler, after the click returns: wait for it
    // (reading at once failed once in CI, 2026-12-07).
    await page.waitForFunction(() => {
      const shown = document.querySelector('#operation .op-path');
      return shown !== null && shown.textContent === '/pets/{petId}';
    }, null, { timeout: 5000 }).catch(() => {});
    check((await page.textContent('#operation .op-path')) === '/pets/{petId}', 'petstore: navigation by operation');
    await petstoreTryItOut(page);
    checkQuiet('petstore', events);
    await page.close();
  } finally {
    await stopServer(server);
  }
}

async function petstoreTryItOut(page) {
  console.log('petstore: Try it out');
  await openOperation(page, 'POST', '/pets');
  const editor = page.locator('#operation .try-field[data-in="body"] textarea');
  const prefilled = JSON.parse(await editor.inputValue());
  check(prefilled.status === 'available' && typeof prefilled.name === 'string' && prefilled.category,
        'try: the create form starts with the example body: ' + JSON.stringify(prefilled));
  await editor.fill(JSON.stringify({ ...prefilled, name: 'Tried Out' }, null, 2));
  const created = await send(page);
  check(created.status === 201, 'try: the create form answers 201: ' + created.status);
  check(created.body.name === 'Tried Out' && created.body.id >= 1, 'try: the created pet is shown: ' + JSON.stringify(created.body));
  check(/content-type: application\/json/.test(created.headers), 'try: the response headers are shown');
  check((await shownErrors(page)).length === 0, 'try: no errors shown for a good request');

  // Every violation of a bad body, each beside the body editor with its pointer.
  await editor.fill('{"name": "", "status": "lost", "category": {"name": ""}, "weightKg": -1}');
  const invalid = await send(page);
  check(invalid.status === 422, 'try: an invalid body answers 422: ' + invalid.status);
  const problem = invalid.body.errors || [];
  const pointers = [...new Set(problem.map((e) => e.pointer))].sort();
  check(sameList(pointers, ['/category/name', '/name', '/status', '/weightKg']), 'try: the problem names each bad field: ' + pointers.join(', '));
  const shown = await shownErrors(page);
  check(shown.length === problem.length && problem.every((e) => shown.some((s) =>
    s.where === 'body' && s.pointer === e.pointer && s.text === e.pointer + e.message)),
        'try: each error is shown next to the body editor, by its pointer: ' + JSON.stringify(shown));
  check(await page.locator('#operation .try-field[data-in="body"].invalid').count() === 1, 'try: the body editor is marked invalid');
  // An error's pointer selects what it names in the editor.
  const selected = async (pointer) => {
    await page.click('#operation .field-error[data-pointer="' + pointer + '"] button.pointer >> nth=0');
    return editor.evaluate((e) => [e.selectionStart, e.value.slice(e.selectionStart, e.selectionEnd)]);
  };
  const sentBody = await editor.inputValue();
  const category = await selected('/category/name');
  check(category[0] === sentBody.lastIndexOf('""') && category[1] === '""', 'try: /category/name selects the nested name: ' + category);
  check((await selected('/status'))[1] === '"lost"', 'try: /status selects the status');
  check((await selected('/weightKg'))[1] === '-1', 'try: /weightKg selects the weight');
  await page.screenshot({ path: path.join(options.work, 'petstore-try.png'), fullPage: true });

  // A bad parameter: its error goes to its own input, and is gone once the request is good.
  await openOperation(page, 'GET', '/pets');
  const limit = page.locator('#operation .try-field[data-in="query"][data-name="limit"] input');
  check((await limit.inputValue()) === '20', 'try: the limit parameter starts at its default: ' + await limit.inputValue());
  const requestId = page.locator('#operation .try-field[data-in="header"][data-name="X-Request-Id"] input');
  await limit.fill('0');
  await requestId.fill('not-a-uuid');
  const badParameters = await send(page);
  check(badParameters.status === 400, 'try: limit=0 and a bad X-Request-Id answer 400: ' + badParameters.status);
  const parameterErrors = await shownErrors(page);
  const messageAt = (pointer) => ((badParameters.body.errors || []).find((e) => e.pointer === pointer) || {}).message;
  check(parameterErrors.length === 2 &&
        parameterErrors.some((e) => e.where === 'query' && e.name === 'limit' && e.pointer === '/limit' && e.text === messageAt('/limit')) &&
        parameterErrors.some((e) => e.where === 'header' && e.name === 'X-Request-Id' && e.text === messageAt('/X-Request-Id')),
        'try: each parameter error is shown next to its input: ' + JSON.stringify(parameterErrors));
  await limit.fill('1');
  await requestId.fill('');
  const listed = await send(page);
  check(listed.status === 200 && Array.isArray(listed.body) && listed.body.length === 1, 'try: limit=1 lists one pet');
  check(/x-total-count: \d+/.test(listed.headers), 'try: a declared response header is shown');
  check((await shownErrors(page)).length === 0, 'try: the old errors are cleared');

  // A path parameter.
  await openOperation(page, 'GET', '/pets/{petId}');
  await page.fill('#operation .try-field[data-in="path"][data-name="petId"] input', String(created.body.id));
  const fetched = await send(page);
  check(fetched.status === 200 && fetched.body.name === 'Tried Out', 'try: GET /pets/{petId} finds the created pet');
}

// specs/security.yaml: secured operations called from the page, with and without credentials.
async function secured(context) {
  console.log('security: Try it out on secured operations');
  const server = await startServer(options['security-server'], []);
  try {
    const { page, events } = await watchedPage(context);
    await page.goto(server.url + '/docs');
    await page.waitForSelector('body.ready', { timeout: 10000 });
    const credential = (scheme) => page.locator('#operation .try-credential[data-scheme="' + scheme + '"] input');

    await openOperation(page, 'GET', '/inherited');
    const bare = await send(page);
    check(bare.status === 401 && /www-authenticate: bearer/.test(bare.headers), 'security: without a token, 401 with a Bearer challenge: ' + bare.status);
    check(bare.body.type === 'urn:oasgen:problem:unauthenticated', 'security: the 401 problem is shown');
    await credential('bearer').fill('wrong');
    const rejected = await send(page);
    check(rejected.status === 401 && /invalid_token/.test(rejected.headers), 'security: a wrong token is rejected: ' + rejected.status);
    await credential('bearer').fill('s3cret');
    const admitted = await send(page);
    check(admitted.status === 200 && admitted.body.subject === 'alice' && admitted.body.anonymous === false,
          'security: with the token, 200 as alice: ' + JSON.stringify(admitted.body));

    // Entered once: another operation with the same scheme uses it.
    await openOperation(page, 'GET', '/optional');
    check((await credential('bearer').inputValue()) === 's3cret', 'security: the token entered once is there for the next operation');
    const optional = await send(page);
    check(optional.status === 200 && optional.body.alternative === 0 && optional.body.subject === 'alice',
          'security: an optional requirement gets the token: ' + JSON.stringify(optional.body));

    // OR: basic credentials, then an API key in a header (the first alternative wins).
    await openOperation(page, 'GET', '/either');
    await credential('basic').nth(0).fill('alice');
    await credential('basic').nth(1).fill('s3cret');
    const basic = await send(page);
    check(basic.status === 200 && basic.body.alternative === 1 && sameList(basic.body.schemes, ['basic']),
          'security: basic credentials: ' + JSON.stringify(basic.body));
    await credential('header_key').fill('s3cret');
    const key = await send(page);
    check(key.status === 200 && key.body.alternative === 0 && sameList(key.body.schemes, ['header_key']),
          'security: an API key in a header: ' + JSON.stringify(key.body));

    // AND: the header key and a session cookie together.
    await openOperation(page, 'GET', '/both');
    const halfway = await send(page);
    check(halfway.status === 401, 'security: without the session cookie, 401: ' + halfway.status);
    await credential('session').fill('s3cret');
    const both = await send(page);
    check(both.status === 200 && sameList(both.body.schemes, ['header_key', 'session']),
          'security: an API key and a cookie together: ' + JSON.stringify(both.body));
    await credential('session').fill('');
    const [emptied] = await Promise.all([
      page.waitForRequest((r) => r.resourceType() === 'fetch', { timeout: 10000 }),
      send(page),
    ]);
    const cookie = (await emptied.allHeaders()).cookie || '';
    check(!/session=/.test(cookie), 'security: an emptied cookie credential is no longer sent: ' + cookie);

    // An API key in the query, with the example body.
    await openOperation(page, 'POST', '/pets');
    await credential('query_key').fill('s3cret');
    const write = await send(page);
    check(write.status === 200 && write.body.alternative === 1, 'security: an API key in the query: ' + JSON.stringify(write.body));
    await page.screenshot({ path: path.join(options.work, 'security-try.png'), fullPage: true });
    checkQuiet('security', events);
    await page.close();
  } finally {
    await stopServer(server);
  }
}

// specs/features.yaml, every parameter style: each form as prefilled sends the example request
// the generator wrote for the page (target, headers, cookies, body), so the page's serialisation
// and the generator's agree. docs_server has no API routes: the answers are 404s, unused here.
async function features(context) {
  console.log('features: Try it out sends the example request of every operation');
  const server = await startServer(options['docs-server'], [path.join(options.work, 'features', 'docs')]);
  try {
    const { page, events } = await watchedPage(context);
    await page.goto(server.url + '/docs');
    await page.waitForSelector('body.ready', { timeout: 10000 });
    const ops = await page.evaluate(() => JSON.parse(document.getElementById('oasgen-data').textContent).ops);
    const mismatches = [];
    let styled = 0;
    for (let i = 0; i < ops.length; i++) {
      const op = ops[i];
      styled += op.params.filter((p) => p.st !== 'simple' && p.st !== 'form').length;
      await page.evaluate((index) => { location.hash = '#op-' + index; }, i);
      await page.waitForSelector('#operation .try-send');
      const [request] = await Promise.all([
        page.waitForRequest((r) => r.resourceType() === 'fetch', { timeout: 10000 }),
        page.click('#operation .try-send'),
      ]);
      const where = op.m + ' ' + op.p + ': ';
      if (request.method() !== op.m) mismatches.push(where + 'method ' + request.method());
      if (request.url() !== server.url + op.req.target) mismatches.push(where + request.url() + ' is not ' + op.req.target);
      const headers = await request.allHeaders();
      const cookies = (headers.cookie || '').split('; ');
      for (const [name, value] of op.req.h) {
        if (name === 'Cookie') {
          for (const cookie of value.split('; ')) if (!cookies.includes(cookie)) mismatches.push(where + 'no cookie ' + cookie);
        } else if (headers[name.toLowerCase()] !== value) {
          mismatches.push(where + name + ': ' + headers[name.toLowerCase()] + ' is not ' + value);
        }
      }
      const sent = request.postData();
      if (JSON.stringify(sent === null ? undefined : JSON.parse(sent)) !== JSON.stringify(op.req.body)) {
        mismatches.push(where + 'body ' + sent);
      }
    }
    // The optional query styles, which the example request leaves out (OpenAPI 3.0, "Style Examples").
    const query = ops.findIndex((op) => op.p === '/styles/query');
    await page.evaluate((index) => { location.hash = '#op-' + index; }, query);
    await page.waitForSelector('#operation .try-send');
    const fill = { form: '[1,2]', repeated: '[true,false]', spaced: '["a b","c"]', piped: '[1.5,2]',
                   deep: '{"R":100,"G":200}', flat: '{"R":100,"G":200}', count: '' };
    for (const [name, value] of Object.entries(fill)) {
      await page.fill('#operation .try-field[data-in="query"][data-name="' + name + '"] input', value);
    }
    const [styles] = await Promise.all([
      page.waitForRequest((r) => r.resourceType() === 'fetch', { timeout: 10000 }),
      page.click('#operation .try-send'),
    ]);
    const expected = '/styles/query?form=1,2&repeated=true&repeated=false&spaced=a%20b%20c&piped=1.5%7C2' +
                     '&deep%5BR%5D=100&deep%5BG%5D=200&flat=R,100,G,200';
    check(styles.url() === server.url + expected, 'features: query styles: ' + styles.url().slice(server.url.length));
    check(ops.length >= 8 && styled >= 5, 'features: ' + ops.length + ' operations, ' + styled + ' parameters in label, matrix, delimited or deepObject style');
    check(mismatches.length === 0, 'features: each form sends the example request' + (mismatches.length ? ': ' + mismatches.join(' | ') : ''));
    checkQuiet('features', events);
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
    const tryFields = await page.$$eval('#operation .try-field[data-in]', (fields) => fields.map((f) =>
      [f.getAttribute('data-name'), f.querySelector('label > span') && f.querySelector('label > span').textContent,
       f.querySelector('input') && f.querySelector('input').value]));
    check(tryFields.some(([name, label, value]) => name === 'id' && value === '<script>alert(14)</script>') &&
          tryFields.some(([name, label]) => name === '"><b>q' && label === '"><b>q (query)'),
          'docs-xss: Try it out shows parameter names and examples as text: ' + JSON.stringify(tryFields));
    check(await page.evaluate(() => document.querySelectorAll('#operation img, #operation b, #operation iframe, #operation script').length) === 0,
          'docs-xss: no element came from spec text in the operation view');
    await page.click('a.nav-op:has(.nav-path:text-is("/items"))');
    const scheme = page.locator('#operation .try-credential');
    check((await scheme.getAttribute('data-scheme')) === '<script>key</script>' &&
          (await scheme.locator('.try-scheme').textContent()) === '<script>key</script> (apiKey, header X-<b>Key)',
          'docs-xss: a security scheme named with markup shows as text');
    // Not a valid header name: the browser refuses it and the page says so.
    await scheme.locator('input').fill('key');
    await page.click('#operation .try-send');
    await page.waitForSelector('#operation .try-failed', { timeout: 5000 });
    check(/^The request failed: /.test(await page.textContent('#operation .try-failed')), 'docs-xss: a header the browser refuses fails the request, not the page');
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
    await offline.page.click('a.nav-op:has(.nav-path:text-is("/items"))');
    check(/Open this page from the API's own server/.test(await offline.page.textContent('#operation .try')),
          'docs-xss: opened as a file, Try it out says where it works');
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
    for (const run of [petstore, secured, features, hostile, github]) {
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
  console.log('screenshots: ' + ['petstore-docs.png', 'petstore-try.png', 'security-try.png', 'docs-xss.png', 'github-docs.png']
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
