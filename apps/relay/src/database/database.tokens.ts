/** Injection token of the request log store's `ManagedDataSource`. */
export const REQUEST_LOG_DATABASE = Symbol('REQUEST_LOG_DATABASE');
