// ESLint rules that keep each model kind in its folder: only the registry imports model folders, and no kind id is written elsewhere.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const MODELS = join(root, 'src', 'main', 'ml', 'models');
const REGISTRY = join(MODELS, 'index.ts');

/** The kind folder a path lies in ("char-rnn"), or null. */
function kindFolderOf(file) {
  const rel = relative(MODELS, file);
  if (rel.startsWith('..') || rel === '' || !rel.includes(sep)) return null;
  return rel.split(sep)[0];
}

/** Each folder's kind ids, from its ids.ts (`export const KIND_IDS = [...]`). */
export function kindIds() {
  const out = new Map();
  if (!existsSync(MODELS)) return out;
  for (const entry of readdirSync(MODELS, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const ids = join(MODELS, entry.name, 'ids.ts');
    if (!existsSync(ids)) continue;
    const list = /KIND_IDS\s*=\s*\[([^\]]*)\]/.exec(readFileSync(ids, 'utf8'));
    for (const m of (list?.[1] ?? '').matchAll(/['"]([a-z0-9-]+)['"]/g)) out.set(m[1], entry.name);
  }
  return out;
}

const importRule = {
  meta: { type: 'problem', messages: { folder: 'Only the model registry (src/main/ml/models/index.ts) imports a model folder ("{{folder}}"); use the registry instead.' } },
  create(context) {
    const file = context.filename;
    const own = kindFolderOf(file);
    const check = (node, source) => {
      if (typeof source !== 'string' || !source.startsWith('.')) return;
      const target = resolve(dirname(file), source);
      const folder = kindFolderOf(target);
      if (!folder || file === REGISTRY || folder === own) return;
      context.report({ node, messageId: 'folder', data: { folder } });
    };
    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
    };
  },
};

const stringRule = {
  meta: { type: 'problem', messages: { kind: 'The kind id "{{id}}" belongs in src/main/ml/models/{{folder}}/; build from the kind\'s descriptor instead of naming it.' } },
  create(context) {
    const ids = kindIds();
    const own = kindFolderOf(context.filename);
    const check = (node, value) => {
      const folder = ids.get(value);
      if (folder && folder !== own) context.report({ node, messageId: 'kind', data: { id: value, folder } });
    };
    return {
      Literal: (node) => typeof node.value === 'string' && check(node, node.value),
      TemplateElement: (node) => check(node, node.value.cooked),
    };
  },
};

export default { rules: { 'registry-imports-only': importRule, 'no-kind-strings': stringRule } };
