// Command-line flags built from a model kind's form fields: their specs, their values, their help lines.
import { describeRange, parseFieldText, type FormField } from '../shared/forms';
import { UsageError, type FlagSpecs, type FlagValues } from './command';

/** The flag specs of form fields: booleans are switches, everything else takes a value. */
export function fieldFlags(fields: readonly FormField[]): FlagSpecs {
  return Object.fromEntries(fields.map((f) => [f.flag, f.type === 'boolean' ? 'boolean' : 'string']));
}

/** Reads the given flags of `fields` into parameter values; a bad value is a UsageError naming the flag and its range. */
export function fieldValues(fields: readonly FormField[], values: FlagValues): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    const v = values[f.flag];
    if (v === undefined) continue;
    if (typeof v === 'boolean') {
      out[f.key] = v;
      continue;
    }
    const r = parseFieldText(f, v);
    if (!r.ok) throw new UsageError(`--${f.flag} ${r.reason}`);
    out[f.key] = r.value;
  }
  return out;
}

/** Help lines for fields, one per flag, with each flag's kinds when not every kind has it. */
export function fieldHelp(byKind: { kind: string; fields: readonly FormField[]; defaults?: Record<string, unknown> }[]): string[] {
  const seen = new Map<string, { field: FormField; kinds: string[]; defaults: string[] }>();
  for (const { kind, fields, defaults } of byKind) {
    for (const f of fields) {
      const e = seen.get(f.flag) ?? { field: f, kinds: [], defaults: [] };
      e.kinds.push(kind);
      const d = defaults?.[f.key] ?? f.default;
      if (d !== undefined && !e.defaults.includes(String(d))) e.defaults.push(String(d));
      seen.set(f.flag, e);
    }
  }
  const rows = [...seen.values()].map(({ field: f, kinds, defaults }) => {
    const arg = f.type === 'boolean' ? '' : ` <${f.type === 'choice' ? (f.choices ?? []).map((c) => c.value).join('|') : f.type === 'string' ? 'text' : 'n'}>`;
    const range = f.type === 'number' || f.type === 'integer' ? describeRange(f) : '';
    const what = `${f.description ?? f.title}${f.unit ? ` (${f.unit})` : ''}`;
    const bits = [what, range, defaults.length ? `default ${defaults.join(' / ')}` : ''].filter(Boolean);
    const only = kinds.length < byKind.length ? ` [${kinds.join(', ')}]` : '';
    return { left: `--${f.flag}${arg}`, right: `${bits.join('; ')}${only}` };
  });
  const width = Math.min(28, Math.max(...rows.map((r) => r.left.length), 0));
  return rows.map((r) => `  ${r.left.padEnd(width)}  ${r.right}`);
}
