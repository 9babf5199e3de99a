// `deep-symphony info`: version, chosen ML backend and why the others were skipped.
import type { CliCommand } from '../command';
import { parseFlags } from '../command';

export const infoCommand: CliCommand = {
  name: 'info',
  summary: 'Show the version and the machine-learning backend in use',
  help: () =>
    'Usage: deep-symphony info [--json]\n\nPrints the studio version and the TensorFlow.js backend chosen (node-gpu, node, wasm or cpu), with why each faster one was skipped.',
  async run(argv, io) {
    const { values } = parseFlags(argv, { json: { type: 'boolean' } }, false);
    const { selectBackend } = await import('../../main/ml/backend');
    const { version } = await import('../../main/version');
    const backend = await selectBackend();
    if (values.json) io.out(JSON.stringify({ version, backend }));
    else {
      io.out(`Deep Symphony Studio ${version}`);
      io.out(`ML backend: ${backend.label}`);
      for (const s of backend.skipped) io.out(`  skipped ${s.label}: ${s.reason}`);
    }
    return 0;
  },
};
