import type { DatabaseDialect } from '../../database/database-target';
import { LOG_TABLES } from './entities/log-table-names';
import { LOG_SELECT_LIST } from './log-row';
import { LOG_PAGE_SIZES, type LogListQuery, type LogScope } from './request-log.store';

export interface SqlQuery {
  sql: string;
  params: unknown[];
}

/** The newest-first SELECT(s) for a list page; more than one when their results must be merged. */
export interface ListPlan {
  queries: SqlQuery[];
  /** Rows each query fetches: one more than the page, to tell whether another page follows. */
  fetch: number;
}

/**
 * Builds the SQL for `RequestLogStore.list`. Every filter is an equality on an indexed
 * `(column, id)` pair or a range, and the order is `id DESC` (ids are UUIDv7), so the database walks
 * an index newest-first and stops after the page. The model filter (requested OR served) is two
 * queries — one per index — merged by the caller, because an OR would make the database collect
 * and sort every match. The preview search is a substring match (LIKE, ILIKE on PostgreSQL) that no
 * index serves: it scans newest-first until the page is full.
 */
export function buildListPlan(query: LogListQuery, scope: LogScope, dialect: DatabaseDialect): ListPlan {
  if (!(LOG_PAGE_SIZES as readonly number[]).includes(query.limit)) {
    throw new RangeError(`limit must be one of ${LOG_PAGE_SIZES.join(', ')}`);
  }
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (condition: string, ...values: unknown[]): void => {
    where.push(condition);
    params.push(...values);
  };
  if (query.cursor) add('"id" < ?', query.cursor);
  if (query.from !== undefined) add('"timestamp" >= ?', query.from);
  if (query.to !== undefined) add('"timestamp" < ?', query.to);
  if (query.provider !== undefined) add('"provider" = ?', query.provider);
  if (query.status === 'error') add(`"state" = 'failed'`);
  else if (query.status === 'success') add(`"state" = 'success'`);
  else if (typeof query.status === 'number') add('"status_code" = ?', query.status);
  if (query.userId !== undefined) add('"user_id" = ?', query.userId);
  if (scope.userId !== null) add('"user_id" = ?', scope.userId);
  if (query.search) {
    const pattern = `%${escapeLike(query.search)}%`;
    const like = dialect === 'postgres' ? 'ILIKE' : 'LIKE';
    add(
      `("request_preview" ${like} ? ESCAPE '\\' OR "response_preview" ${like} ? ESCAPE '\\')`,
      pattern,
      pattern,
    );
  }

  const fetch = query.limit + 1;
  const select = (extra: string[], extraParams: unknown[]): SqlQuery => {
    const conditions = [...extra, ...where];
    return {
      sql:
        `SELECT ${LOG_SELECT_LIST} FROM "${LOG_TABLES.logs}"` +
        (conditions.length ? ` WHERE ${conditions.join(' AND ')}` : '') +
        ` ORDER BY "id" DESC LIMIT ?`,
      params: [...extraParams, ...params, fetch],
    };
  };
  if (query.model === undefined) return { queries: [select([], [])], fetch };
  return {
    queries: [
      select(['"requested_model" = ?'], [query.model]),
      select(['"served_model" = ?'], [query.model]),
    ],
    fetch,
  };
}

/** Merges newest-first row lists (by id, without duplicates) and keeps the first `count`. */
export function mergeNewestFirst<T extends { id: unknown }>(lists: T[][], count: number): T[] {
  if (lists.length === 1) return lists[0].slice(0, count);
  const byId = new Map<string, T>();
  for (const list of lists) for (const row of list) byId.set(row.id as string, row);
  return [...byId.values()].sort((a, b) => ((a.id as string) < (b.id as string) ? 1 : -1)).slice(0, count);
}

/** `%`, `_` and the escape character itself match literally. */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
