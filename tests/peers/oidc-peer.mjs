// oidc-provider (a certified OAuth 2.0 / OpenID Connect server no one here wrote) on 127.0.0.1, laid out like the
// Microsoft identity platform: /<tenant>/oauth2/v2.0/{authorize,token,devicecode}. The tests sign in against it.
//
//   node tests/peers/oidc-peer.mjs            prints "Listening on http://127.0.0.1:<port>" once it is ready
//
// Environment: OIDC_PEER_JWT_KEY (hex) — the shared key the access tokens are signed with (HS256), so that an
// autoclose-sandbox given the same key accepts them. Their audience is the org URL the scope names.
//
// Clients:
//   public-app          public client: authorization code + PKCE (loopback redirect http://localhost, any port),
//                       device code, refresh tokens (rotated on every use)
//   strict-device-app   as public-app; its device-code polls sooner than 2 s after the previous one get slow_down
//   short-device-app    as public-app; its device codes expire after 2 s
//   service-app         confidential client: client credentials, secret "service-secret" (client_secret_post)
//
// The sign-in pages (the "browser step") are plain HTML forms the tests drive over HTTP:
//   GET  /interaction/<uid>           shows the prompt: <p id="prompt">login</p> or consent
//   POST /interaction/<uid>/login     login=<user name>
//   POST /interaction/<uid>/confirm   grants what the client asked for
//   POST /interaction/<uid>/abort     the user declines (access_denied)
//
// Claims requests, as Entra takes them (docs/sign-in.md, "Conditional Access and claims challenges"): a `claims`
// parameter {"access_token":{"acrs":{"essential":true,"value":"c1"},"xms_cc":{"values":["cp1"]}}} on the authorize,
// device code or token request (every grant: authorization_code, refresh_token, device_code, client_credentials)
// makes the access token carry them: "acrs": ["c1"] (an authentication context, as if its policy were met) and
// "xms_cc": ["cp1"] (the client's capabilities). The peer enforces no policy: it issues what is asked for.
// How that goes through oidc-provider 8.8 for real:
//   - features.claimsParameter validates the authorize and device code requests' `claims` (JSON, a plain object) and
//     keeps it with the code, so that it reaches the access tokens (and the refresh tokens) made from it. OpenID
//     Connect Core wants a claims request to name `id_token` or `userinfo`, and oidc-provider refuses one that names
//     neither ("claims parameter should have userinfo or id_token properties"); Entra's name only `access_token`. So
//     before oidc-provider reads the request, the peer gives such a request an empty `"id_token": {}` (asking for no
//     id_token claim), and leaves every other `claims` as sent — invalid JSON is still refused by oidc-provider.
//   - The token endpoint knows no `claims` parameter (it drops what a grant does not declare), so each grant is
//     registered again with `claims` among its parameters (its own handler, from oidc-provider's internal module
//     lib/actions/grants of the pinned 8.8.1: a newer version may move it); the peer refuses a token request whose
//     `claims` is not a JSON object with an object `access_token` (invalid_request).
//   - The device code request's form is read by the peer and handed on as req.body, which oidc-provider takes (with a
//     one-time warning on stderr) when the request's stream has been read already.
//   - extraTokenClaims puts acrs and xms_cc in the access token, from the claims kept with the code or refresh token
//     and from the token request's own.
// Each authorize, device code and token request is logged on stderr with the names of its access_token claims (never
// a value): "token client_credentials service-app 200 claims=acrs", so that tests can count and check them.
import { createServer } from 'node:http';
import Provider, { errors } from 'oidc-provider';
import grants from 'oidc-provider/lib/actions/grants/index.js';

const tenant = 'test-tenant';
const base = `/${tenant}/oauth2/v2.0`;
const keyHex = process.env.OIDC_PEER_JWT_KEY || '';
if (!/^[0-9a-fA-F]{64,}$/.test(keyHex)) {
  console.error('OIDC_PEER_JWT_KEY must hold a hex key of at least 32 bytes');
  process.exit(2);
}
const jwtKey = Buffer.from(keyHex, 'hex');

// Scopes name the resource as Entra's do: "<org>/user_impersonation" or "<org>/.default".
function resourceFromScope(scope) {
  for (const s of String(scope || '').split(' ')) {
    const m = /^(https?:\/\/[^ ]+?)\/(user_impersonation|\.default)$/.exec(s);
    if (m) return m[1];
  }
  return undefined;
}

const publicClient = (id) => ({
  client_id: id,
  application_type: 'native',
  token_endpoint_auth_method: 'none',
  grant_types: ['authorization_code', 'refresh_token', 'urn:ietf:params:oauth:grant-type:device_code'],
  response_types: ['code'],
  redirect_uris: ['http://localhost/'],
});

const accounts = new Map(); // accountId -> claims

// A claims request's JSON, or undefined when there is none or it is not a JSON object.
function parsedClaims(text) {
  if (typeof text !== 'string') return undefined;
  try {
    const claims = JSON.parse(text);
    return claims && typeof claims === 'object' && !Array.isArray(claims) ? claims : undefined;
  } catch {
    return undefined;
  }
}

// Entra's claims request names access_token only; OpenID Connect Core's must name id_token or userinfo.
function asOidcClaims(text) {
  const claims = parsedClaims(text);
  if (!claims || claims.id_token !== undefined || claims.userinfo !== undefined) return text;
  return JSON.stringify({ ...claims, id_token: {} });
}

// The access_token claims a token request asks for; refuses a claims parameter that is not a claims request.
function tokenRequestClaims(ctx) {
  const text = ctx.oidc.params.claims;
  if (text === undefined) return undefined;
  const claims = parsedClaims(text);
  if (!claims || (claims.access_token !== undefined
      && (typeof claims.access_token !== 'object' || claims.access_token === null))) {
    throw new errors.InvalidRequest('the claims parameter should be a JSON object whose access_token is an object');
  }
  return claims.access_token;
}

function claimNames(text) {
  const claims = parsedClaims(text);
  return claims && claims.access_token ? Object.keys(claims.access_token).join(',') : '';
}

function valuesOf(request) {
  if (!request || typeof request !== 'object') return [];
  const values = Array.isArray(request.values) ? request.values : [];
  return typeof request.value === 'string' ? [request.value, ...values] : values;
}

const server = createServer();
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const origin = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(`${origin}/${tenant}/v2.0`, {
  clients: [
    publicClient('public-app'),
    publicClient('strict-device-app'),
    publicClient('short-device-app'),
    {
      client_id: 'service-app',
      client_secret: 'service-secret',
      token_endpoint_auth_method: 'client_secret_post',
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
    },
  ],
  routes: {
    authorization: `${base}/authorize`,
    token: `${base}/token`,
    device_authorization: `${base}/devicecode`,
    code_verification: `/${tenant}/device`,
    jwks: `/${tenant}/discovery/v2.0/keys`,
  },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  cookies: { keys: ['autoclose-peer-cookie-key'] },
  scopes: ['openid', 'profile', 'offline_access'],
  claims: { openid: ['sub'], profile: ['name', 'preferred_username'] },
  findAccount: async (ctx, id) => ({
    accountId: id,
    claims: async () => ({ sub: id, ...(accounts.get(id) || {}) }),
  }),
  pkce: { required: () => true, methods: ['S256'] },
  // The access_token claims asked for, at sign-in (kept with the code and the refresh token) and at the token request.
  extraTokenClaims: async (ctx, token) => {
    const asked = [token.claims && token.claims.access_token, ctx && ctx.oidc && tokenRequestClaims(ctx)];
    const acrs = new Set();
    const capabilities = new Set();
    for (const request of asked.filter(Boolean)) {
      valuesOf(request.acrs).forEach((v) => acrs.add(v));
      valuesOf(request.xms_cc).forEach((v) => capabilities.add(v));
    }
    return {
      ...(acrs.size ? { acrs: [...acrs] } : undefined),
      ...(capabilities.size ? { xms_cc: [...capabilities] } : undefined),
    };
  },
  rotateRefreshToken: true,
  // Entra issues a refresh token whenever offline_access is asked for; OpenID's "prompt=consent" rule is not its.
  issueRefreshToken: async (ctx, client) => client.grantTypeAllowed('refresh_token'),
  ttl: {
    AccessToken: 3600,
    DeviceCode: (ctx, token, client) => (client && client.clientId === 'short-device-app' ? 2 : 600),
  },
  features: {
    devInteractions: { enabled: false },
    deviceFlow: { enabled: true },
    clientCredentials: { enabled: true },
    claimsParameter: { enabled: true },
    revocation: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: async (ctx) => resourceFromScope(ctx.oidc.params && ctx.oidc.params.scope),
      useGrantedResource: async () => true,
      getResourceServerInfo: async (ctx, resource) => ({
        scope: `${resource}/user_impersonation ${resource}/.default`,
        audience: resource,
        accessTokenTTL: 3600,
        accessTokenFormat: 'jwt',
        jwt: { sign: { alg: 'HS256', key: jwtKey } },
      }),
    },
  },
});
provider.proxy = false;

// The token endpoint takes `claims` in every grant the peer serves: each is registered again, unchanged but for that
// parameter (and for refusing a claims parameter that is not a claims request before the grant runs).
for (const grantType of ['authorization_code', 'refresh_token', 'client_credentials',
  'urn:ietf:params:oauth:grant-type:device_code']) {
  const { handler, parameters } = grants[grantType];
  provider.registerGrantType(grantType, async (ctx, next) => {
    tokenRequestClaims(ctx);
    return handler(ctx, next);
  }, new Set([...parameters, 'resource', 'claims']), ['resource']);
}

// Device authorization: Entra answers with "interval"; oidc-provider leaves it out (RFC 8628's default is 5 s).
// Tests want 1 s. The strict client's pending polls sooner than 2 s after its previous one get slow_down instead,
// as the RFC lets a server answer.
const lastPoll = new Map();
provider.use(async (ctx, next) => {
  await next();
  if (ctx.path === `${base}/devicecode` && ctx.status === 200 && ctx.body && typeof ctx.body === 'object') {
    ctx.body.interval = 1;
  }
  const params = ctx.oidc && ctx.oidc.params;
  if (params && [`${base}/authorize`, `${base}/devicecode`, `${base}/token`].includes(ctx.path)) {
    const endpoint = ctx.path.slice(base.length + 1);
    const client = ctx.oidc.client ? ctx.oidc.client.clientId : '-';
    console.error(`${endpoint} ${params.grant_type || '-'} ${client} ${ctx.status} claims=${claimNames(params.claims)}`);
  }
  if (ctx.path === `${base}/token` && params && params.grant_type === 'urn:ietf:params:oauth:grant-type:device_code'
      && ctx.oidc.client && ctx.oidc.client.clientId === 'strict-device-app') {
    const now = Date.now();
    const previous = lastPoll.get(params.device_code);
    lastPoll.set(params.device_code, now);
    if (ctx.status === 400 && ctx.body && ctx.body.error === 'authorization_pending'
        && previous !== undefined && now - previous < 2000) {
      ctx.body = { error: 'slow_down', error_description: 'you are polling too quickly' };
    }
  }
});

function page(res, status, html) {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
  res.end(`<!DOCTYPE html><html><body>${html}</body></html>`);
}

async function formOf(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

async function interaction(req, res) {
  const m = /^\/interaction\/([^/?]+)(?:\/(login|confirm|abort))?/.exec(req.url);
  const details = await provider.interactionDetails(req, res);
  if (!m[2]) {
    const uid = details.uid;
    return page(res, 200,
      `<p id="prompt">${details.prompt.name}</p>`
      + `<form method="post" action="/interaction/${uid}/${details.prompt.name === 'login' ? 'login' : 'confirm'}">`
      + '<input name="login"><button>Continue</button></form>'
      + `<form method="post" action="/interaction/${uid}/abort"><button>Cancel</button></form>`);
  }
  if (req.method !== 'POST') return page(res, 405, 'POST only');
  const form = await formOf(req);
  if (m[2] === 'abort') {
    return provider.interactionFinished(req, res,
      { error: 'access_denied', error_description: 'The user declined to consent' }, { mergeWithLastSubmission: false });
  }
  if (m[2] === 'login') {
    const login = form.get('login') || 'admin@contoso.example';
    accounts.set(login, { name: `Test ${login.split('@')[0]}`, preferred_username: login });
    return provider.interactionFinished(req, res, { login: { accountId: login } }, { mergeWithLastSubmission: false });
  }
  const { prompt: { details: missing }, params, session: { accountId } } = details;
  let grant = details.grantId ? await provider.Grant.find(details.grantId) : undefined;
  if (!grant) grant = new provider.Grant({ accountId, clientId: params.client_id });
  if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
  if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
  if (missing.missingResourceScopes) {
    for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes)) {
      grant.addResourceScope(indicator, scopes.join(' '));
    }
  }
  const grantId = await grant.save();
  return provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
}

const callback = provider.callback();
server.on('request', (req, res) => {
  if (req.url.startsWith('/interaction/')) {
    interaction(req, res).catch((error) => page(res, 400, `<p id="error">${String(error.message || error)}</p>`));
    return;
  }
  // Entra's claims requests in OpenID Connect Core's shape, before oidc-provider validates them (see the top).
  const url = new URL(req.url, origin);
  if (req.method === 'GET' && url.pathname === `${base}/authorize` && url.searchParams.has('claims')) {
    url.searchParams.set('claims', asOidcClaims(url.searchParams.get('claims')));
    req.url = url.pathname + url.search;
  }
  if (req.method === 'POST' && url.pathname === `${base}/devicecode`) {
    // The form is read here and handed on as req.body, which oidc-provider takes when the stream is consumed.
    formOf(req).then((form) => {
      if (form.has('claims')) form.set('claims', asOidcClaims(form.get('claims')));
      req.body = form.toString();
      callback(req, res);
    }).catch(() => page(res, 400, 'unreadable body'));
    return;
  }
  callback(req, res);
});

process.on('SIGTERM', () => server.close(() => process.exit(0)));
console.log(`Listening on ${origin}`);
