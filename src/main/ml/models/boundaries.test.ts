// The lint rules that keep a kind in its folder catch what they are meant to, and the ids they read are the registry's.
import { Linter } from 'eslint';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import modelBoundaries, { kindIds } from '../../../../scripts/eslint/model-boundaries.js';
import { listKinds } from '.';

const MODELS = fileURLToPath(new URL('.', import.meta.url));
const SRC = join(MODELS, '..', '..', '..');

function lint(code: string, file: string): string[] {
  const linter = new Linter({ configType: 'flat' });
  const messages = linter.verify(
    code,
    [{ files: ['**/*.ts'], languageOptions: { parser: ts.parser as Linter.Parser }, plugins: { local: modelBoundaries }, rules: { 'local/registry-imports-only': 'error', 'local/no-kind-strings': 'error' } }],
    file,
  );
  return messages.map((m) => m.ruleId ?? m.message);
}

describe('model-folder lint rules', () => {
  it('read the same kind ids the registry holds', () => {
    const ids = kindIds();
    expect([...ids.keys()].sort()).toEqual(listKinds().map((k) => k.id).sort());
  });

  it('let only the registry and the folder itself import a model folder', () => {
    const source = "import { charRnnKind } from './char-rnn/kind';";
    expect(lint(source, join(MODELS, 'index.ts'))).toEqual([]);
    expect(lint("import { CharRnn } from './model';", join(MODELS, 'char-rnn', 'kind.ts'))).toEqual([]);
    expect(lint("import { CharRnn } from '../ml/models/char-rnn/model';", join(SRC, 'main', 'studio', 'x.ts'))).toEqual(['local/registry-imports-only']);
    expect(lint("const m = await import('../../main/ml/models/char-rnn/kind');", join(SRC, 'cli', 'commands', 'x.ts'))).toEqual(['local/registry-imports-only']);
    expect(lint("import { listKinds } from '../ml/models';", join(SRC, 'main', 'studio', 'x.ts'))).toEqual([]);
  });

  it('refuse a kind id written outside its folder, in strings and templates', () => {
    expect(lint("const k = 'char-rnn';", join(SRC, 'main', 'studio', 'x.ts'))).toEqual(['local/no-kind-strings']);
    expect(lint('const k = `conditional-char-rnn`;', join(SRC, 'cli', 'x.ts'))).toEqual(['local/no-kind-strings']);
    expect(lint("const k = 'char-rnn';", join(MODELS, 'char-rnn', 'params.ts'))).toEqual([]);
    expect(lint("const k = 'piano-char-rnn';", join(SRC, 'main', 'x.ts'))).toEqual([]);
  });
});
