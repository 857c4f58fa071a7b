/** Table names of the app-data store (users, identities, sessions, relay keys, invites). */
export const APP_TABLES = {
  users: 'users',
  identities: 'user_identities',
  sessions: 'user_sessions',
  relayKeys: 'relay_keys',
  invites: 'user_invites',
} as const;

export const APP_MIGRATIONS_TABLE = 'app_migrations';
