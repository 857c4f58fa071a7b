import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { type ValidationError, getMetadataStorage, validateSync } from 'class-validator';
import { type ConfigIssue, type KeyPath, type KeySegment, issue } from './config-issue';
import { RULE_CONSTRAINT, type RuleContext } from './dto/config-fields';
import { isPlainMapping } from './dto/config-rules';
import { RelayConfigDto } from './dto/relay-config.dto';

export interface TreeValidation {
  /** Set when there are no errors. */
  dto?: RelayConfigDto;
  errors: ConfigIssue[];
  warnings: ConfigIssue[];
}

const WHITELIST_CONSTRAINT = 'whitelistValidation';
const NESTED_CONSTRAINT = 'nestedValidation';

/** Validates an expanded YAML tree against the DTOs; every problem is reported with its key path. */
export function validateConfigTree(tree: unknown): TreeValidation {
  if (tree === null || tree === undefined) tree = {};
  if (!isPlainMapping(tree)) {
    return {
      errors: [issue('syntax', [], 'the document must be a mapping of settings (server:, providers:, ...)')],
      warnings: [],
    };
  }
  const dto = plainToInstance(RelayConfigDto, withoutExtensionKeys(tree));
  const found = validateSync(dto, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true });
  const errors: ConfigIssue[] = [];
  const warnings: ConfigIssue[] = [];
  collect(found, [], dto, errors, warnings);
  return errors.length === 0 ? { dto, errors, warnings } : { errors, warnings };
}

/** Top-level `x-...` keys hold YAML anchors for reuse (as in docker-compose): ignored silently. */
function withoutExtensionKeys(tree: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(tree).filter(([key]) => !key.startsWith('x-')));
}

function collect(
  found: readonly ValidationError[],
  parentPath: KeyPath,
  parentValue: unknown,
  errors: ConfigIssue[],
  warnings: ConfigIssue[],
): void {
  for (const error of found) {
    const segment: KeySegment = Array.isArray(parentValue) ? Number(error.property) : error.property;
    const path = [...parentPath, segment];
    // Entries already reported by this value's own rule; `null` = the value itself is the wrong shape.
    let reportedEntries: Set<KeySegment> | null = new Set();
    for (const [name, message] of Object.entries(error.constraints ?? {})) {
      if (name === WHITELIST_CONSTRAINT) {
        warnings.push(issue('unknown-key', path, unknownKeyMessage(error)));
        continue;
      }
      const context = error.contexts?.[name] as RuleContext | undefined;
      if (name === RULE_CONSTRAINT && context) {
        for (const problem of context.rule(error.value)) {
          errors.push(issue('invalid', [...path, ...(problem.at ?? [])], problem.message));
          if (problem.at?.length) reportedEntries?.add(problem.at[0]);
          else reportedEntries = null;
        }
      } else if (name !== NESTED_CONSTRAINT || !error.constraints?.[RULE_CONSTRAINT]) {
        errors.push(issue('invalid', path, name === NESTED_CONSTRAINT ? 'must be a mapping' : message));
        reportedEntries = null;
      }
    }
    // Below a value of the wrong shape there is only noise.
    if (reportedEntries === null || !error.children) continue;
    const isList = Array.isArray(error.value);
    const rest = error.children.filter(
      (child) => !reportedEntries.has(isList ? Number(child.property) : child.property),
    );
    collect(rest, path, error.value, errors, warnings);
  }
}

function unknownKeyMessage(error: ValidationError): string {
  const known = knownKeys(error.target);
  const suggestion = closest(error.property, known);
  return `unknown key, ignored${suggestion ? ` (did you mean '${suggestion}'?)` : ''}`;
}

function knownKeys(target: object | undefined): string[] {
  if (!target) return [];
  const metadata = getMetadataStorage().getTargetValidationMetadatas(target.constructor, '', true, false);
  return [...new Set(metadata.map((m) => m.propertyName))];
}

function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j] + 1, current[j - 1] + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length];
}
