/** Injection token of the request log store's `ManagedDataSource`. */
export const REQUEST_LOG_DATABASE = Symbol('REQUEST_LOG_DATABASE');

/** Injection token of the app-data store's `ManagedDataSource` (users, sessions, relay keys). */
export const APP_DATA_DATABASE = Symbol('APP_DATA_DATABASE');
