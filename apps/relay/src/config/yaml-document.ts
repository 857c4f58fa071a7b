import { type Document, LineCounter, isCollection, isNode, parseDocument } from 'yaml';
import { type ConfigIssue, type KeySegment } from './config-issue';

export type YamlParse =
  | { ok: true; tree: unknown; locate: (issue: ConfigIssue) => ConfigIssue }
  | { ok: false; errors: ConfigIssue[] };

/**
 * Parses YAML text. Syntax errors carry file, line and column; `locate` adds the line and column of
 * a key path to a validation issue so it points into the file.
 */
export function parseYaml(text: string, file?: string): YamlParse {
  const lineCounter = new LineCounter();
  // merge: PyYAML (MonoRelay) honoured `<<: *anchor` merge keys, so existing files may use them.
  const doc = parseDocument(text, { lineCounter, merge: true, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      errors: doc.errors.map((error) => {
        const at = error.linePos?.[0];
        return {
          code: 'syntax',
          path: '',
          message: `YAML syntax error: ${error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`,
          file,
          line: at?.line,
          column: at?.col,
        };
      }),
    };
  }
  let tree: unknown;
  try {
    tree = doc.toJS({ maxAliasCount: 1000 });
  } catch (error) {
    return {
      ok: false,
      errors: [{ code: 'syntax', path: '', message: `YAML: ${(error as Error).message}`, file }],
    };
  }
  return { ok: true, tree, locate: (issue) => locateIssue(doc, lineCounter, issue, file) };
}

function locateIssue(
  doc: Document,
  lineCounter: LineCounter,
  issue: ConfigIssue,
  file?: string,
): ConfigIssue {
  if (issue.path === '' || issue.line !== undefined) return { ...issue, file: issue.file ?? file };
  const offset = offsetOf(doc, parsePath(issue.path));
  if (offset === undefined) return { ...issue, file };
  const { line, col } = lineCounter.linePos(offset);
  return { ...issue, file, line, column: col };
}

/** The start offset of the deepest node along `path` that exists in the document. */
function offsetOf(doc: Document, path: readonly KeySegment[]): number | undefined {
  let node: unknown = doc.contents;
  let offset = isNode(node) ? node.range?.[0] : undefined;
  for (const segment of path) {
    if (!isCollection(node)) break;
    const child: unknown = node.get(segment, true);
    if (!isNode(child)) {
      break;
    }
    node = child;
    offset = child.range?.[0] ?? offset;
  }
  return offset;
}

/** Inverse of `formatKeyPath`: `a.b[1]["x.y"]` -> `['a', 'b', 1, 'x.y']`. */
export function parsePath(path: string): KeySegment[] {
  const segments: KeySegment[] = [];
  const pattern = /\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]|\.?([^.[\]]+)/g;
  for (const match of path.matchAll(pattern)) {
    if (match[1] !== undefined) segments.push(Number(match[1]));
    else if (match[2] !== undefined) segments.push(JSON.parse(match[2]) as string);
    else segments.push(match[3]);
  }
  return segments;
}
