import { formatKeyPath } from '@monorelay/contracts';
/** One step into the config tree: a mapping key or a list index. */
export type KeySegment = string | number;
export type KeyPath = readonly KeySegment[];

export type ConfigIssueCode =
  /** The file is not valid YAML, cannot be read, or its root is not a mapping. */
  | 'syntax'
  /** A value fails validation. */
  | 'invalid'
  /** `${VAR}` names an unset variable and gives no default. */
  | 'env-reference'
  /** An override from the environment (PORT, HOST, ...) has a bad value. */
  | 'env-override'
  /** A key nobody knows (usually a typo): a warning, the key is ignored. */
  | 'unknown-key'
  /** A value refers to something the config does not define: a warning. */
  | 'reference';

export interface ConfigIssue {
  code: ConfigIssueCode;
  /** Dotted key path such as `providers.openrouter.keys[1].weight`; empty for the document itself. */
  path: string;
  message: string;
  /** Where the problem sits, when it is known (file issues carry a line and column). */
  file?: string;
  line?: number;
  column?: number;
  /** The environment variable at fault, for env overrides and `${VAR}` references. */
  variable?: string;
}

export { formatKeyPath };

export function issue(code: ConfigIssueCode, path: KeyPath, message: string): ConfigIssue {
  return { code, path: formatKeyPath(path), message };
}

/** `file:line:col: path: message`, leaving out the parts that are unknown. */
export function formatIssue(issue: ConfigIssue): string {
  let where = '';
  if (issue.file) {
    where = issue.file;
    if (issue.line !== undefined) where += `:${issue.line}`;
    if (issue.line !== undefined && issue.column !== undefined) where += `:${issue.column}`;
    where += ': ';
  }
  const subject = issue.path || (issue.variable ? `$${issue.variable}` : '');
  return `${where}${subject ? `${subject}: ` : ''}${issue.message}`;
}

export function formatIssues(issues: readonly ConfigIssue[]): string {
  return issues.map((i) => `  - ${formatIssue(i)}`).join('\n');
}

/** Thrown when a configuration cannot be used; the message lists every problem with its path. */
export class ConfigValidationError extends Error {
  constructor(
    readonly issues: readonly ConfigIssue[],
    what = 'configuration',
  ) {
    const count = issues.length === 1 ? '1 problem' : `${issues.length} problems`;
    super(`Invalid ${what} (${count}):\n${formatIssues(issues)}`);
    this.name = 'ConfigValidationError';
  }
}
