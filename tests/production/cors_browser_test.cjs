// Drives headless chromium through cross-origin calls to the petstore (see cors_browser_test.sh).
// Two page servers on 127.0.0.1 give two origins; the petstore allows the first one, with
// credentials. Every check failure is collected; the exit code is 1 if there was any.
'use strict';

const { spawn } = require('child_process');
const fs = require('fs');
const http = require('http');
const path = require('path');

const options = {};
for (let i = 2; i + 1 < process.argv.length; i += 2) {
  options[process.argv[i].replace(/^--/, '')] = process.argv[i + 1];
}
const { chromium } = require(options.playwright);

const failures = [];
function check(condition, message) {
  console.log((condition ? '  ok: ' : '  FAILED: ') + message);
  if (!condition) failures.push(message);
}

// A page server: "/" is an empty page that sets a cookie; the tests run their fetches in it.
function startPageServer() {
  return new Promise((resolve) => {
    const server = http.createServer((request, response) => {
      response.writeHead(200, {
        'Content-Type': 'text/html; charset=utf-8',
        'Set-Cookie': 'session=s3cret; Path=/; SameSite=Lax',
      });
      response.end('<!doctype html><title>cors</title><p>cross-origin caller</p>');
    });
    server.listen(0, '127.0.0.1',
      () => resolve({ server, origin: 'http://127.0.0.1:' + server.address().port }));
  });
}

function startPetstore(env) {
  return new Promise((resolve, reject) => {
    const child = spawn(options['petstore-server'], ['--port', '0'], {
      stdio: ['ignore', 'pipe', 'inherit'], env: Object.assign({}, process.env, env),
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('petstore-server did not start within 10 s'));
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
      reject(new Error('petstore-server exited with ' + code + ' before listening'));
    });
  });
}

function stopPetstore(petstore) {
  return new Promise((resolve) => {
    const timer = setTimeout(() => petstore.child.kill('SIGKILL'), 10000);
    petstore.child.removeAllListeners('exit');
    petstore.child.on('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    petstore.child.kill('SIGTERM');
  });
}

function getJson(url) {
  return new Promise((resolve, reject) => {
    http.get(url, (response) => {
      let body = '';
      response.on('data', (chunk) => (body += chunk));
      response.on('end', () => resolve(JSON.parse(body)));
    }).on('error', reject);
  });
}

// Runs in the page: a simple GET, then a preflighted POST with credentials (JSON body and a
// non-safelisted header). Each result is {ok, status, ...} or {error}.
async function calls({ api, name }) {
  const out = {};
  try {
    const response = await fetch(api + '/pets?limit=5');
    out.simple = {
      status: response.status,
      total: response.headers.get('X-Total-Count'),
      body: await response.json(),
    };
  } catch (e) {
    out.simple = { error: String(e) };
  }
  try {
    const response = await fetch(api + '/pets', {
      method: 'POST',
      credentials: 'include',
      headers: { 'Content-Type': 'application/json', 'X-Request-Id': 'browser-' + name },
      body: JSON.stringify({ name: name, status: 'available', category: { name: 'cats' } }),
    });
    out.preflighted = {
      status: response.status, requestId: response.headers.get('X-Request-Id'),
      body: await response.json(),
    };
  } catch (e) {
    out.preflighted = { error: String(e) };
  }
  try {
    // An error response (400: limit below its minimum) must be readable too.
    const response = await fetch(api + '/pets?limit=0', { credentials: 'include' });
    out.error = {
      status: response.status,
      type: response.headers.get('Content-Type'),
      body: await response.json(),
    };
  } catch (e) {
    out.error = { error: String(e) };
  }
  return out;
}

(async () => {
  const allowedPage = await startPageServer();
  const otherPage = await startPageServer();
  const log = path.join(options.work, 'cors-access.log');
  fs.rmSync(log, { force: true });
  const petstore = await startPetstore({
    OASGEN_CORS_ORIGINS: allowedPage.origin + ', https://*.example.org',
    OASGEN_CORS_CREDENTIALS: 'on',
    OASGEN_ACCESS_LOG: log,
  });
  const browser = await chromium.launch({
    executablePath: options.chromium,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync',
           '--disable-default-apps', '--disable-extensions',
           '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1'],
  });
  try {
    const context = await browser.newContext({ serviceWorkers: 'block' });

    console.log('allowed origin ' + allowedPage.origin + ' calling ' + petstore.url);
    const page = await context.newPage();
    const consoleErrors = [];
    page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
    await page.goto(allowedPage.origin + '/');
    check((await page.evaluate(() => document.cookie)) === 'session=s3cret',
      'allowed: the page has a cookie to send');
    const allowed = await page.evaluate(calls, { api: petstore.url, name: 'Whiskers' });
    check(allowed.simple.status === 200 && Array.isArray(allowed.simple.body),
      'allowed: a simple GET is readable: ' + JSON.stringify(allowed.simple));
    check(allowed.simple.total !== null,
      'allowed: the declared response header X-Total-Count is exposed');
    check(allowed.preflighted.status === 201 && allowed.preflighted.body.name === 'Whiskers',
      'allowed: a preflighted POST with credentials succeeds: ' +
        JSON.stringify(allowed.preflighted));
    check(allowed.preflighted.requestId === 'browser-Whiskers',
      'allowed: X-Request-Id was sent and is exposed');
    check(allowed.error.status === 400 && allowed.error.body.request_id !== undefined,
      'allowed: an error response is readable, with its request_id: ' +
        JSON.stringify(allowed.error));
    check(consoleErrors.every((e) => !/CORS/.test(e)), 'allowed: no CORS error in the console' +
      (consoleErrors.length ? ' (console: ' + consoleErrors.join(' | ') + ')' : ''));
    await page.close();

    console.log('disallowed origin ' + otherPage.origin + ' calling ' + petstore.url);
    const other = await context.newPage();
    const blocked = [];
    other.on('console', (m) => { if (m.type() === 'error') blocked.push(m.text()); });
    await other.goto(otherPage.origin + '/');
    const refused = await other.evaluate(calls, { api: petstore.url, name: 'Mallory' });
    check(refused.simple.error !== undefined,
      'disallowed: the simple GET is blocked by the browser: ' + JSON.stringify(refused.simple));
    check(refused.preflighted.error !== undefined,
      'disallowed: the preflighted POST is blocked: ' + JSON.stringify(refused.preflighted));
    check(refused.error.error !== undefined,
      'disallowed: the error response is not readable either');
    check(blocked.some((e) => /blocked by CORS policy/.test(e)),
      'disallowed: chromium reports the CORS block: ' + blocked.slice(0, 2).join(' | '));
    await other.close();

    const names = (await getJson(petstore.url + '/pets?limit=100')).map((p) => p.name);
    check(names.includes('Whiskers'), 'the allowed POST created its pet');
    check(!names.includes('Mallory'),
      'the disallowed POST never reached the handler (its preflight was refused)');
  } finally {
    await browser.close();
    await stopPetstore(petstore);
    allowedPage.server.close();
    otherPage.server.close();
  }
  // The JSON access log: one object per response. A preflight is answered before routing, so its
  // line has no route; the POST's has the template.
  const entries = (fs.existsSync(log) ? fs.readFileSync(log, 'utf8').split('\n') : [])
    .filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
  const logged = (method, route) =>
    entries.filter((e) => e.method === method && (route === undefined || e.route === route)).length;
  check(logged('OPTIONS') >= 2, 'the server saw the preflights (' + logged('OPTIONS') + ')');
  check(logged('POST', '/pets') === 1, 'only the allowed POST reached the server');
  if (failures.length) {
    console.log(failures.length + ' check(s) failed');
    process.exit(1);
  }
  console.log('cors_browser: passed');
  process.exit(0);
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
