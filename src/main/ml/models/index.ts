// The model kinds the studio knows, one line per kind: the only module that imports model folders.
import { NotFoundError } from '../../../shared/errors';
import type { KindInfo } from '../../../shared/api/models';
import type { ModelKind } from '../platform/kind';
import { charRnnKind, conditionalCharRnnKind } from './char-rnn/kind';
import { dcrnnKind } from './dcrnn/kind';
import { refineNetKind } from './refine-net/kind';

const kinds = new Map<string, ModelKind>();

/** Adds a kind (the shipped ones below; tests add throwaway ones). @throws Error when the id is taken. */
export function registerKind(kind: ModelKind): () => void {
  if (kinds.has(kind.id)) throw new Error(`a model kind "${kind.id}" is already registered`);
  kinds.set(kind.id, kind);
  return () => kinds.delete(kind.id);
}

registerKind(charRnnKind);
registerKind(conditionalCharRnnKind);
registerKind(dcrnnKind);
registerKind(refineNetKind);

export function listKinds(): ModelKind[] {
  return [...kinds.values()];
}

export function kindInfos(): KindInfo[] {
  return listKinds().map((k) => k.info());
}

export function findKind(id: string): ModelKind | undefined {
  return kinds.get(id);
}

/** @throws NotFoundError naming the kinds there are. */
export function getKind(id: string): ModelKind {
  const kind = kinds.get(id);
  if (!kind) throw new NotFoundError(`no model kind "${id}" (known kinds: ${[...kinds.keys()].join(', ')})`);
  return kind;
}
