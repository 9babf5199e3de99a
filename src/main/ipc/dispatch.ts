// Validates every call against the shared contract before it reaches a handler; failures become typed errors.
import { z } from 'zod';
import { api, type Api, type ApiHandlers } from '../../shared/api';
import type { MethodSpec } from '../../shared/api/define';
import type { CallResult } from '../../shared/bridge';
import { InvalidArgumentError, UnknownMethodError, serializeError } from '../../shared/errors';

export type { CallResult };

type AnyHandler = (...args: unknown[]) => unknown;

/** The envelope a transport receives: a method name and its raw arguments. */
export const callEnvelope = z.object({
  method: z.string().max(200),
  args: z.array(z.unknown()).max(64),
});

export class Dispatcher {
  constructor(private readonly handlers: ApiHandlers) {}

  /** Runs one call; never throws, so that no bad call can crash a transport. */
  async call(methodName: unknown, rawArgs: unknown): Promise<CallResult> {
    try {
      return { ok: true, value: await this.invoke(methodName, rawArgs) };
    } catch (err) {
      return { ok: false, error: serializeError(err) };
    }
  }

  private async invoke(methodName: unknown, rawArgs: unknown): Promise<unknown> {
    if (typeof methodName !== 'string') throw new InvalidArgumentError(`method name must be a string, got ${typeof methodName}`);
    const [domain, name, ...rest] = methodName.split('.');
    const spec = lookup(domain, name);
    if (!spec || rest.length > 0) throw new UnknownMethodError(`no engine method "${methodName}"`);
    if (!Array.isArray(rawArgs)) throw new InvalidArgumentError(`${methodName}: arguments must be an array`);
    const parsed = spec.args.safeParse(rawArgs);
    if (!parsed.success) {
      const issues = parsed.error.issues
        .map((i) => `argument ${i.path.length ? i.path.join('.') : '(all)'}: ${i.message}`)
        .join('; ');
      const err = new InvalidArgumentError(`${methodName}: ${issues}`);
      (err as InvalidArgumentError & { details: unknown }).details = parsed.error.issues.map((i) => ({ path: i.path.map(String), message: i.message }));
      throw err;
    }
    const domainHandlers = (this.handlers as unknown as Record<string, Record<string, AnyHandler>>)[domain!];
    const handler = domainHandlers?.[name!];
    if (!handler) throw new UnknownMethodError(`engine method "${methodName}" is declared but not implemented`);
    return await handler.apply(domainHandlers, parsed.data as unknown[]);
  }
}

function lookup(domain: string | undefined, name: string | undefined): MethodSpec | undefined {
  if (!domain || !name) return undefined;
  if (!Object.hasOwn(api, domain)) return undefined;
  const d = (api as unknown as Record<string, Record<string, MethodSpec>>)[domain]!;
  return Object.hasOwn(d, name) ? d[name] : undefined;
}

export type { Api };
