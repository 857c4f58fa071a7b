// The REST API's JSON for users, email addresses and organizations, with GitHub's field names.
import { createHash } from 'node:crypto';
import type { GitHubEmail, GitHubUserInput } from './types';

const CREATED_AT = '2011-01-25T18:44:36Z';

export function userJson(user: GitHubUserInput, origin: string, apiUrl: string): Record<string, unknown> {
  const url = `${apiUrl}/users/${user.login}`;
  return {
    login: user.login,
    id: user.id,
    node_id: nodeId('User', user.id),
    avatar_url: user.avatarUrl ?? `${origin}/avatars/u/${user.id}?v=4`,
    gravatar_id: '',
    url,
    html_url: `${origin}/${user.login}`,
    followers_url: `${url}/followers`,
    following_url: `${url}/following{/other_user}`,
    gists_url: `${url}/gists{/gist_id}`,
    starred_url: `${url}/starred{/owner}{/repo}`,
    subscriptions_url: `${url}/subscriptions`,
    organizations_url: `${url}/orgs`,
    repos_url: `${url}/repos`,
    events_url: `${url}/events{/privacy}`,
    received_events_url: `${url}/received_events`,
    type: 'User',
    user_view_type: 'public',
    site_admin: false,
    name: user.name ?? null,
    company: null,
    blog: '',
    location: null,
    email: user.email ?? null,
    hireable: null,
    bio: null,
    twitter_username: null,
    public_repos: 0,
    public_gists: 0,
    followers: 0,
    following: 0,
    created_at: CREATED_AT,
    updated_at: CREATED_AT,
  };
}

/** Without explicit `emails`, the public email is the one primary, verified address. */
export function emailsJson(user: GitHubUserInput): GitHubEmail[] {
  if (user.emails !== undefined) return user.emails;
  if (user.email === undefined || user.email === null) return [];
  return [{ email: user.email, primary: true, verified: true, visibility: 'public' }];
}

export function orgsJson(user: GitHubUserInput, origin: string, apiUrl: string): Record<string, unknown>[] {
  return (user.orgs ?? []).map((org) => {
    const login = typeof org === 'string' ? org : org.login;
    const id = (typeof org === 'string' ? undefined : org.id) ?? stableId(login);
    const url = `${apiUrl}/orgs/${login}`;
    return {
      login,
      id,
      node_id: nodeId('Organization', id),
      url,
      repos_url: `${url}/repos`,
      events_url: `${url}/events`,
      hooks_url: `${url}/hooks`,
      issues_url: `${url}/issues`,
      members_url: `${url}/members{/member}`,
      public_members_url: `${url}/public_members{/member}`,
      avatar_url: `${origin}/avatars/u/${id}?v=4`,
      description: null,
    };
  });
}

/** GitHub's legacy global node id: base64 of `04:<Type><id>`. */
function nodeId(type: string, id: number): string {
  return Buffer.from(`04:${type}${id}`).toString('base64');
}

/** An organization id that stays the same for a login across runs. */
function stableId(login: string): number {
  return (
    (createHash('sha256').update(login.toLowerCase()).digest().readUInt32BE(0) % 90_000_000) + 10_000_000
  );
}
