// The user at a real browser, for the browser sign-in (docs/sign-in.md, "Authorization code with PKCE, in the
// system browser"): Debian's Chromium, headless, driven by puppeteer-core (pinned in package-lock.json; it never
// downloads a browser). It opens the authorize URL the product printed or launched, signs in and consents (or
// declines) on the oidc peer's own pages (tests/peers/oidc-peer.mjs) by typing and clicking, and follows the
// redirects until the product's loopback listener has answered.
//
//   node tests/peers/browser-signin.mjs [--login USER] [--decline] [--timeout SECONDS] AUTHORIZE_URL
//
//   --login USER      the user name typed on the login page (default admin@contoso.example)
//   --decline         click Cancel on the consent page instead of Continue
//   --timeout SECONDS give up after this long (default 60)
//
// Environment: CHROMIUM, the browser to run (default /usr/bin/chromium).
//
// On success (the loopback page has loaded, whatever it says) it prints one line of JSON and exits 0:
//   {"origin":"http://localhost:<port>","status":200,"heading":"Signed in",
//    "authorize":{"client_id":"public-app","response_type":"code",...}}
// "authorize" holds the query parameters of the authorize request as Chromium sent it (decoded), so a test can check
// what reached the authority (PKCE, state, the loopback redirect, a claims request). Progress goes to stderr; any
// failure or the timeout prints why there and exits 1 (2: usage). The browser is closed and its profile removed in
// every case.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import puppeteer from 'puppeteer-core';

function usage(message) {
  console.error(`browser-signin: ${message}`);
  console.error('usage: node browser-signin.mjs [--login USER] [--decline] [--timeout SECONDS] AUTHORIZE_URL');
  process.exit(2);
}

let parsed;
try {
  parsed = parseArgs({
    allowPositionals: true,
    options: {
      login: { type: 'string', default: 'admin@contoso.example' },
      decline: { type: 'boolean', default: false },
      timeout: { type: 'string', default: '60' },
    },
  });
} catch (error) {
  usage(error.message);
}
const { values: options, positionals } = parsed;
if (positionals.length !== 1) usage('give exactly one authorize URL');
let authorizeUrl;
try {
  authorizeUrl = new URL(positionals[0]);
} catch {
  usage(`not a URL: ${positionals[0]}`);
}
const timeoutMs = Number(options.timeout) * 1000;
if (!(timeoutMs > 0)) usage(`--timeout must be a positive number of seconds, not ${options.timeout}`);

// Where the product listens: the redirect_uri it asked for (http://localhost:<port>/).
const redirect = authorizeUrl.searchParams.get('redirect_uri');
if (!redirect) usage('the authorize URL has no redirect_uri');
const loopbackOrigin = new URL(redirect).origin;

const log = (message) => console.error(`browser-signin: ${message}`);
// A page named without its query, in the progress lines: the code and the state are not repeated there.
const where = (url) => {
  const u = new URL(url);
  return `${u.origin}${u.pathname}`;
};

const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
const profileDir = await mkdtemp(join(tmpdir(), 'autoclose-browser-signin-'));
let browser;
let timer;

async function signIn() {
  browser = await puppeteer.launch({
    executablePath,
    headless: true, // --headless=new: the real browser without a window, not the old headless shell
    pipe: true, // DevTools over a pipe: no debugging port to find or to collide on
    userDataDir: profileDir, // a fresh profile: no cookies, no earlier sign-in
    // Chromium still writes below HOME (crash report settings, dconf's cache): there too, only into the profile.
    env: {
      ...process.env,
      HOME: profileDir,
      XDG_CONFIG_HOME: join(profileDir, 'config'),
      XDG_CACHE_HOME: join(profileDir, 'cache'),
    },
    timeout: timeoutMs,
    args: [
      '--no-sandbox', // CI runs as root, where Chromium's sandbox refuses to start; the pages are local test peers
      '--disable-gpu', // no GPU on CI machines; software rendering is enough
      '--no-proxy-server', // only 127.0.0.1 is visited: never through a proxy from the environment
    ],
  });
  const page = await browser.newPage();
  page.setDefaultTimeout(timeoutMs);

  // The authorize request as Chromium sent it: the first navigation of the tab. A navigation that fails (nothing
  // listening, no answer) is kept to say so rather than describe Chromium's error page.
  let authorizeQuery;
  let failed;
  page.on('request', (request) => {
    if (!authorizeQuery && request.isNavigationRequest() && request.frame() === page.mainFrame()) {
      authorizeQuery = Object.fromEntries(new URL(request.url()).searchParams);
    }
  });
  page.on('requestfailed', (request) => {
    if (request.isNavigationRequest() && request.frame() === page.mainFrame()) {
      failed = `${where(request.url())}: ${request.failure() ? request.failure().errorText : 'failed'}`;
    }
  });

  log(`opening ${where(authorizeUrl.href)}`);
  let response = await page.goto(authorizeUrl.href, { waitUntil: 'load' });
  for (let step = 0; new URL(page.url()).origin !== loopbackOrigin; ++step) {
    if (step >= 6) throw new Error(`still not back at ${loopbackOrigin} after ${step} pages; at ${where(page.url())}`);
    const prompt = await page.$eval('#prompt', (p) => p.textContent.trim()).catch(() => undefined);
    let button;
    if (prompt === 'login') {
      log(`login page: signing in as ${options.login}`);
      await page.type('input[name="login"]', options.login);
      button = 'button::-p-text(Continue)';
    } else if (prompt === 'consent') {
      log(options.decline ? 'consent page: declining' : 'consent page: consenting');
      button = options.decline ? 'button::-p-text(Cancel)' : 'button::-p-text(Continue)';
    } else if (failed) {
      throw new Error(`the browser could not load ${failed}`);
    } else {
      const text = await page.$eval('body', (b) => b.innerText.trim()).catch(() => '');
      throw new Error(`unexpected page ${where(page.url())} (HTTP ${response && response.status()}): ${text}`);
    }
    [response] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click(button)]);
  }

  const heading = await page.$eval('h1', (h) => h.textContent.trim()).catch(() => '');
  log(`back at ${loopbackOrigin}: "${heading}"`);
  return {
    origin: loopbackOrigin,
    status: response ? response.status() : 0,
    heading,
    authorize: authorizeQuery || {},
  };
}

let exitCode = 1;
try {
  const timeout = new Promise((resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${options.timeout} s`)), timeoutMs);
  });
  const result = await Promise.race([signIn(), timeout]);
  console.log(JSON.stringify(result));
  exitCode = 0;
} catch (error) {
  const hint = error && error.message && /ENOENT|Failed to launch|not found/.test(error.message)
    ? ` (is Chromium installed at ${executablePath}? Debian: apt-get install chromium; or set CHROMIUM)`
    : '';
  log(`failed: ${error && error.message ? error.message : error}${hint}`);
} finally {
  clearTimeout(timer);
  if (browser) {
    const child = browser.process();
    await Promise.race([browser.close(), new Promise((resolve) => setTimeout(resolve, 5000))]).catch(() => {});
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  await rm(profileDir, { recursive: true, force: true });
}
process.exit(exitCode);
