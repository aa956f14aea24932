// A test-only OpenID provider on loopback for tests/oidc (never deployed): oidc-provider with
// its development log-in and consent pages, one client (the portal) and two people.
// Environment: PORT, REDIRECT_URI (the portal's callback), POST_LOGOUT_REDIRECT_URI.
import Provider from 'oidc-provider';

const port = Number(process.env.PORT);
const issuer = `http://127.0.0.1:${port}`;

// Log in on the development page with the key as login and any password.
const people = {
  mila: { email: 'mila.lid@example.org', email_verified: true, name: 'Mila Lid', groups: ['zs-hr', 'staff'] },
  onbekend: { email: 'onbekend@example.org', email_verified: true, name: 'Onno Bekend', groups: [] },
};

const provider = new Provider(issuer, {
  clients: [{
    client_id: 'zelfsturing',
    client_secret: 'test-only-client-secret',
    redirect_uris: [process.env.REDIRECT_URI],
    post_logout_redirect_uris: [process.env.POST_LOGOUT_REDIRECT_URI],
    response_types: ['code'],
    grant_types: ['authorization_code'],
    token_endpoint_auth_method: 'client_secret_post',
  }],
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name'],
    groups: ['groups'],
  },
  scopes: ['openid', 'email', 'profile', 'groups'],
  cookies: { keys: ['test-only-cookie-key'] },
  features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
  pkce: { required: () => true },
  async findAccount(ctx, id) {
    const person = people[id];
    if (!person) return undefined;
    return { accountId: id, claims: async () => ({ sub: id, ...person }) };
  },
});

provider.listen(port, '127.0.0.1', () => {
  console.log(`READY ${issuer}`);
});
