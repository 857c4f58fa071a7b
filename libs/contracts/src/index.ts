export * from './request-log';
export * from './stats';
