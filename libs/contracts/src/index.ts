export * from './relay-keys';
export * from './request-log';
export * from './stats';
export * from './users';
