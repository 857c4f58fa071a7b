import type { ValueTransformer } from 'typeorm';

/** `bigint` columns of epoch milliseconds: PostgreSQL hands them back as strings. */
export const EPOCH_MS: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | number | null) => (value === null || value === undefined ? null : Number(value)),
};

/** JSON kept in a `text` column (portable across SQLite and PostgreSQL). */
export const JSON_TEXT: ValueTransformer = {
  to: (value: unknown) => (value === undefined ? null : JSON.stringify(value)),
  from: (value: string | null) => (value === null ? null : (JSON.parse(value) as unknown)),
};
