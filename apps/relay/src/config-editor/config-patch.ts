import { isMap, isSeq, parseDocument } from 'yaml';

/**
 * One change of a structured edit: set `value` at `path` (maps and lists on the way are created),
 * or remove what is at `path` when `value` is undefined.
 */
export interface ConfigPatchOp {
  path: readonly (string | number)[];
  value?: unknown;
}

export type ConfigPatchResult = { ok: true; text: string } | { ok: false; error: string };

/**
 * Applies structured edits to a config text through its YAML document, so comments, order and
 * everything not touched stay as written.
 */
export function applyConfigPatch(text: string, ops: readonly ConfigPatchOp[]): ConfigPatchResult {
  const doc = parseDocument(text, { uniqueKeys: false });
  if (doc.errors.length > 0) return { ok: false, error: doc.errors[0].message };
  if (!isMap(doc.contents)) doc.contents = doc.createNode({}) as unknown as typeof doc.contents;
  for (const op of ops) {
    if (op.value === undefined) {
      if (doc.hasIn(op.path)) doc.deleteIn(op.path);
      continue;
    }
    // setIn creates missing maps but not lists, and cannot descend into a scalar.
    for (let depth = 1; depth < op.path.length; depth++) {
      const parent = op.path.slice(0, depth);
      const node = doc.getIn(parent, true);
      if (isMap(node) || isSeq(node)) continue;
      doc.setIn(parent, doc.createNode(typeof op.path[depth] === 'number' ? [] : {}));
    }
    doc.setIn(op.path, doc.createNode(op.value));
  }
  return { ok: true, text: doc.toString({ lineWidth: 0 }) };
}
