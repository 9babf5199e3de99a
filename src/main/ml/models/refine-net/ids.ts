// The ids of the kinds this folder declares; the lint rule that keeps kind strings inside their folder reads this list.
export const KIND_IDS = ['refine-net'] as const;
