// Building blocks of the engine contract: each method is an argument schema (validated in the engine) plus a result type.
import type { z } from 'zod';

export interface MethodSpec<A extends z.ZodTuple = z.ZodTuple, R = unknown> {
  readonly args: A;
  /** Phantom: carries the result type only. */
  readonly result?: R;
}

/** Declares a method: `method(z.tuple([z.string()])).returns<Song>()`. */
export function method<A extends z.ZodTuple>(args: A) {
  return {
    returns<R>(): MethodSpec<A, R> {
      return { args };
    },
  };
}

export type Domain = Record<string, MethodSpec>;
export type Contract = Record<string, Domain>;

type ArgsOf<M> = M extends MethodSpec<infer A, unknown> ? z.input<A> : never;
type ParsedArgsOf<M> = M extends MethodSpec<infer A, unknown> ? z.output<A> : never;
type ResultOf<M> = M extends MethodSpec<z.ZodTuple, infer R> ? R : never;

/** What the UI calls: every method returns a promise. */
export type Client<C extends Contract> = {
  readonly [D in keyof C]: {
    readonly [M in keyof C[D]]: (...args: Extract<ArgsOf<C[D][M]>, unknown[]>) => Promise<ResultOf<C[D][M]>>;
  };
};

/** What the engine implements: receives validated arguments. */
export type Handlers<C extends Contract> = {
  readonly [D in keyof C]: {
    readonly [M in keyof C[D]]: (
      ...args: Extract<ParsedArgsOf<C[D][M]>, unknown[]>
    ) => Promise<ResultOf<C[D][M]>> | ResultOf<C[D][M]>;
  };
};

/** Builds a typed client from a contract and one transport function; used by preload and web bridges alike. */
export function createClient<C extends Contract>(
  contract: C,
  invoke: (method: string, args: unknown[]) => Promise<unknown>,
): Client<C> {
  const client: Record<string, Record<string, (...args: unknown[]) => Promise<unknown>>> = {};
  for (const domain of Object.keys(contract)) {
    const methods: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
    for (const name of Object.keys(contract[domain]!)) {
      const wire = `${domain}.${name}`;
      methods[name] = (...args: unknown[]) => invoke(wire, args);
    }
    client[domain] = methods;
  }
  return client as Client<C>;
}
