// A real OpenID provider (node-oidc-provider) for the test suite, on 127.0.0.1 only.
//
// Configured by the JSON in the environment variable OIDC_TEST_CONFIG:
//   {"port": 5123, "clients": [{"client_id": ..., "client_secret": ...,
//    "redirect_uris": [...], "post_logout_redirect_uris": [...]}]}
// Prints "ready <issuer>" when it listens. Its own development sign-in page accepts any login
// and password; the login is taken as the person's email address (and subject). A login that
// starts with "unverified" gets `email_verified: false`.
//
// Two test hooks make the provider's token endpoint answer with an ID token that the portal
// must refuse, still signed with the provider's own key (as a misconfigured or hostile
// provider could): a login starting with "wrong-audience" gets an ID token for another
// client, one starting with "expired" an ID token that expired an hour ago.
import { generateKeyPairSync } from 'node:crypto';

import { importJWK, SignJWT, decodeJwt, decodeProtectedHeader } from 'jose';
import Provider from 'oidc-provider';

const config = JSON.parse(process.env.OIDC_TEST_CONFIG);
const issuer = `http://127.0.0.1:${config.port}`;

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: 'test-key-1', alg: 'RS256', use: 'sig' };

const provider = new Provider(issuer, {
  clients: config.clients.map((client) => ({
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
    ...client,
  })),
  jwks: { keys: [signingKey] },
  cookies: { keys: ['test-only-cookie-key-not-secret'] },
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
  conformIdTokenClaims: false, // the email claims in the ID token, as Entra ID does
  pkce: { required: () => true },
  features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
  async findAccount(ctx, id) {
    return {
      accountId: id,
      async claims() {
        return { sub: id, email: id, email_verified: !id.startsWith('unverified'), name: id.split('@')[0] };
      },
    };
  },
  // A first-party client: no consent page, as a region's IdP does for its own portals.
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId
      || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) {
      return ctx.oidc.provider.Grant.find(grantId);
    }
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope('openid email profile');
    await grant.save();
    return grant;
  },
});

const key = await importJWK(signingKey, 'RS256');

provider.use(async (ctx, next) => {
  await next();
  if (ctx.path !== '/token' || !ctx.body || !ctx.body.id_token) {
    return;
  }
  const claims = decodeJwt(ctx.body.id_token);
  const sub = String(claims.sub || '');
  const now = Math.floor(Date.now() / 1000);
  let changed = null;
  if (sub.startsWith('wrong-audience')) {
    changed = { ...claims, aud: 'another-client' };
  } else if (sub.startsWith('expired')) {
    changed = { ...claims, iat: now - 7200, exp: now - 3600 };
  }
  if (changed) {
    const header = decodeProtectedHeader(ctx.body.id_token);
    ctx.body = { ...ctx.body, id_token: await new SignJWT(changed).setProtectedHeader(header).sign(key) };
  }
});

provider.listen(config.port, '127.0.0.1', () => {
  process.stdout.write(`ready ${issuer}\n`);
});
