// Datasets for training: import a folder of MIDI/ABC into cached token shards, load them, take a split's pieces.
export { importDataset, normalizeAugment, splitOfHash, splitTokens } from './import';
export type { ImportDatasetOptions, ImportProgress } from './import';
export { loadDataset } from './shards';
export { pieceSequences } from './sequences';
export * from './types';
