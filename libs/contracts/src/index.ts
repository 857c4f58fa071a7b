export * from './config-key-path';
export * from './providers';
export * from './relay-keys';
export * from './request-log';
export * from './routing';
export * from './settings';
export * from './stats';
export * from './users';
