// Parameter forms built from a model kind's JSON Schema: the fields the UI renders and the flags the CLI accepts.

/** The part of JSON Schema (draft 2020-12, as zod writes it) that parameter schemas use, plus our display hints. */
export interface JsonSchema {
  type?: 'object' | 'number' | 'integer' | 'boolean' | 'string' | 'array';
  properties?: Record<string, JsonSchema>;
  required?: string[];
  title?: string;
  description?: string;
  default?: unknown;
  enum?: (string | number)[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  pattern?: string;
  maxLength?: number;
  items?: JsonSchema;
  /** Display hints (see FieldHints). */
  unit?: string;
  widget?: FieldWidget;
  slider?: { min: number; max: number; step: number };
  group?: string;
  advanced?: boolean;
  /** Labels for enum values, in the same order. */
  enumLabels?: string[];
}

/** Special editors; anything else is a number, text, checkbox or choice by its type. */
export type FieldWidget = 'key' | 'seed' | 'pitch';

/** Hints a kind attaches to a parameter with zod's .meta(); they travel in the JSON Schema. */
export type FieldHints = {
  title: string;
  description?: string;
  unit?: string;
  widget?: FieldWidget;
  /** The range and step a slider shows (the schema's bounds may be wider, for the CLI). */
  slider?: { min: number; max: number; step: number };
  /** Fields of one group are shown together (e.g. "Model", "Training"). */
  group?: string;
  /** Shown only under "Advanced settings". */
  advanced?: boolean;
  enumLabels?: string[];
};

export interface FormField {
  /** The parameter's name; the CLI flag is its kebab-case form. */
  key: string;
  flag: string;
  type: 'number' | 'integer' | 'boolean' | 'string' | 'choice';
  title: string;
  description?: string;
  unit?: string;
  widget?: FieldWidget;
  /** Inclusive bounds; an exclusive bound is kept in `exclusive`. */
  min?: number;
  max?: number;
  exclusive?: { min?: boolean; max?: boolean };
  slider?: { min: number; max: number; step: number };
  choices?: { value: string; label: string }[];
  default?: unknown;
  required: boolean;
  group?: string;
  advanced: boolean;
}

/** A parameter name as a CLI flag: "topK" -> "top-k". */
export function flagOf(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** The fields of an object schema, in declaration order. Unsupported property types are left out. */
export function formFields(schema: JsonSchema): FormField[] {
  const required = new Set(schema.required ?? []);
  const out: FormField[] = [];
  for (const [key, p] of Object.entries(schema.properties ?? {})) {
    const type = fieldType(p);
    if (!type) continue;
    const field: FormField = { key, flag: flagOf(key), type, title: p.title ?? key, required: required.has(key) && p.default === undefined, advanced: p.advanced ?? false };
    if (p.description !== undefined) field.description = p.description;
    if (p.unit !== undefined) field.unit = p.unit;
    if (p.widget !== undefined) field.widget = p.widget;
    if (p.slider !== undefined) field.slider = p.slider;
    if (p.group !== undefined) field.group = p.group;
    if (p.default !== undefined) field.default = p.default;
    const min = p.minimum ?? p.exclusiveMinimum;
    const max = p.maximum ?? p.exclusiveMaximum;
    if (min !== undefined) field.min = min;
    if (max !== undefined) field.max = max;
    if (p.exclusiveMinimum !== undefined || p.exclusiveMaximum !== undefined) {
      field.exclusive = { ...(p.exclusiveMinimum !== undefined ? { min: true } : {}), ...(p.exclusiveMaximum !== undefined ? { max: true } : {}) };
    }
    if (type === 'choice') field.choices = (p.enum ?? []).map((v, i) => ({ value: String(v), label: p.enumLabels?.[i] ?? String(v) }));
    out.push(field);
  }
  return out;
}

function fieldType(p: JsonSchema): FormField['type'] | null {
  if (p.enum) return 'choice';
  switch (p.type) {
    case 'number':
    case 'integer':
    case 'boolean':
    case 'string':
      return p.type;
    default:
      return null;
  }
}

/** The bounds of a numeric field in words: "between 0.1 and 3600", "at least 0", "above 0". */
export function describeRange(field: FormField): string {
  const lo = field.min === undefined ? null : `${field.exclusive?.min ? 'above' : 'at least'} ${field.min}`;
  const hi = field.max === undefined ? null : `${field.exclusive?.max ? 'below' : 'at most'} ${field.max}`;
  if (lo && hi && !field.exclusive) return `between ${field.min} and ${field.max}`;
  return [lo, hi].filter(Boolean).join(' and ');
}

/**
 * Reads a field's value from text (a CLI flag or a text box): numbers in range, whole numbers for integers, one of
 * the choices. Returns the value, or the reason it was refused.
 */
export function parseFieldText(field: FormField, text: string): { ok: true; value: unknown } | { ok: false; reason: string } {
  switch (field.type) {
    case 'boolean':
      if (/^(true|yes|1|on)$/i.test(text)) return { ok: true, value: true };
      if (/^(false|no|0|off)$/i.test(text)) return { ok: true, value: false };
      return { ok: false, reason: `must be true or false, got "${text}"` };
    case 'choice': {
      const choice = field.choices?.find((c) => c.value === text);
      if (choice) return { ok: true, value: typeof field.default === 'number' ? Number(choice.value) : choice.value };
      return { ok: false, reason: `must be one of ${(field.choices ?? []).map((c) => c.value).join(', ')}, got "${text}"` };
    }
    case 'string':
      return { ok: true, value: text };
    case 'number':
    case 'integer': {
      const n = text.trim() === '' ? NaN : Number(text);
      const range = describeRange(field);
      const what = field.type === 'integer' ? 'a whole number' : 'a number';
      const bad = { ok: false as const, reason: `must be ${what}${range ? ` ${range}` : ''}, got "${text}"` };
      if (!Number.isFinite(n) || (field.type === 'integer' && !Number.isInteger(n))) return bad;
      if (field.min !== undefined && (field.exclusive?.min ? n <= field.min : n < field.min)) return bad;
      if (field.max !== undefined && (field.exclusive?.max ? n >= field.max : n > field.max)) return bad;
      return { ok: true, value: n };
    }
  }
}

/** The values a form holds as parameters: unset fields (undefined, or '' from an empty text box) left out. */
export function formParams(fields: readonly FormField[], values: Readonly<Record<string, unknown>>): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const f of fields) {
    const v = values[f.key];
    if (v === undefined || v === null || v === '') continue;
    if (typeof v === 'number' && !Number.isFinite(v)) continue;
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[f.key] = v;
  }
  return out;
}

/** Fields in display order: ungrouped first, then each group in the order its first field appears. */
export function groupFields(fields: readonly FormField[]): { group: string | null; fields: FormField[] }[] {
  const groups: { group: string | null; fields: FormField[] }[] = [];
  for (const f of fields) {
    const name = f.group ?? null;
    let g = groups.find((x) => x.group === name);
    if (!g) groups.push((g = { group: name, fields: [] }));
    g.fields.push(f);
  }
  return groups.sort((a, b) => (a.group === null ? -1 : b.group === null ? 1 : 0));
}

/** Parameters in words for an origin line: non-default values with their titles, e.g. { Temperature: 0.9, Key: "A minor" }. */
export function describeParams(fields: readonly FormField[], params: Readonly<Record<string, unknown>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of fields) {
    const v = params[f.key];
    if (v === undefined || v === null || f.widget === 'seed' || f.advanced) continue;
    out[f.title] = typeof v === 'number' && f.unit ? `${v} ${f.unit}` : String(v);
  }
  return out;
}
