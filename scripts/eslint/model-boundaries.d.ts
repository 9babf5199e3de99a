// Types of the model-boundaries ESLint plugin, for the test that exercises it.
import type { ESLint } from 'eslint';

declare const plugin: ESLint.Plugin;
export default plugin;
/** Kind id -> the folder under src/main/ml/models that declares it. */
export function kindIds(): Map<string, string>;
