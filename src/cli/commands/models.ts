// `deep-symphony models`: the kinds this studio can train and the models it holds, shipped and trained.
import type { CliCommand } from '../command';
import { parseFlags } from '../command';

export const modelsCommand: CliCommand = {
  name: 'models',
  summary: 'List the model kinds and the models (shipped and yours)',
  help: () =>
    [
      'Usage: deep-symphony models [--json]',
      '',
      'Lists every kind of model this studio can train (with what it can do) and every model it holds.',
      '',
      'Options:',
      '  --json   print kinds and models as JSON',
    ].join('\n'),
  async run(argv, io) {
    const { values } = parseFlags(argv, { json: { type: 'boolean' } }, false);
    const { kindInfos } = await import('../../main/ml/models');
    const { listModels } = await import('../../main/ml/registry');
    const { defaultPaths } = await import('../../main/paths');
    const kinds = kindInfos();
    const models = await listModels(defaultPaths());
    if (values.json) {
      io.out(JSON.stringify({ kinds: kinds.map(({ trainSchema: _t, generateSchema: _g, evaluateSchema: _e, ...k }) => k), models }));
      return 0;
    }
    io.out('Kinds:');
    const kw = Math.max(...kinds.map((k) => k.id.length));
    for (const k of kinds) io.out(`  ${k.id.padEnd(kw)}  ${k.label} (${k.capabilities.join(', ')})`);
    io.out('');
    io.out('Models:');
    if (models.length === 0) io.out('  none');
    const mw = Math.max(0, ...models.map((m) => m.id.length));
    for (const m of models) {
      const kind = kinds.find((k) => k.id === m.kind);
      const headline = kind?.metrics.find((x) => m.metrics[x.name] !== undefined);
      const score = headline ? `, ${headline.label} ${m.metrics[headline.name]!.toFixed(3)}${headline.unit ? ` ${headline.unit}` : ''}` : '';
      io.out(`  ${m.id.padEnd(mw)}  ${m.name} · ${m.kindLabel} · ${m.source}${m.isDefault ? ' · default' : ''}${score}`);
    }
    return 0;
  },
};
