/**
 * The op registry: one declaration per operation.
 *
 * `defineOp('linalg.qr', qrProgram, { options: true })` turns a program
 * into the public sync function and registers it with its async twin;
 * `asyncOf(qr)` gives the twin. The registry owns what used to be written per op: the two public
 * names ('linalg.qr', 'linalg.qrAsync'), where the async options go (merged
 * into the op's own options object when its last parameter is one, appended
 * as a trailing `options` when it has none), and the lookup Pool uses to
 * run an op by either of its functions. The op's one doc comment sits on its
 * sync export; docs/api.md renders the twin under it.
 *
 * @internal
 * @module
 */
import { runAsync, runSync } from './dispatch.js';
import type { AsyncOptions, Program } from './dispatch.js';
import { readOptions } from './options.js';
import type { OpCall } from './options.js';
import type { AnyNDArray, ArithmeticResult, ArrayInput, FloatResult, FloatResult2, InputDType, NDArray, RealOf } from '../ndarray.js';

export type { OpCall } from './options.js';

/**
 * A program as defineOp takes it: the call (public name, sync or async)
 * first, then the public parameters as the user passes them. It must not
 * use rest parameters or default values, so that `program.length` counts
 * the public parameters.
 */
export type OpProgram<P extends unknown[], R> = (call: OpCall, ...args: P) => Program<R>;

/** How an op takes its async options. */
export interface OpSpec {
  /**
   * The op's last parameter is its options object: the async twin takes
   * `signal` and `threads` in the same object. Otherwise the twin takes
   * them as one more, trailing, parameter.
   */
  options?: boolean;
  /**
   * The result is a view that shares the input's memory (no native work):
   * unlike every other op, changing the input afterwards changes the result.
   */
  view?: boolean;
  /**
   * A lean path for the sync function, tried before the program: it
   * returns the result for the calls it can answer on its own (small
   * arrays whose layout needs no checks: lib/arithmetic.ts), undefined for
   * every other call, which then runs the program. It must return what
   * the program would, bit for bit. (A sync call through the program costs
   * a generator and its driver: ~0.3 µs, more than a 4×4 add itself.)
   */
  small?: ((...args: never[]) => unknown) | undefined;
}

/** One registered operation. */
export interface OpEntry {
  /** Public name of the sync function: `'linalg.qr'`. */
  readonly name: string;
  /** Its namespace (`'linalg'`, `'random'`, `''` for the top level) and its name there (`'qr'`). */
  readonly namespace: string;
  readonly member: string;
  /** Public parameters of the sync function. */
  readonly arity: number;
  /** Whether its last parameter is its options object. */
  readonly options: boolean;
  /** Whether its result is a view of its input (`OpSpec.view`). */
  readonly view: boolean;
  readonly sync: (...args: unknown[]) => unknown;
  readonly async: (...args: unknown[]) => Promise<unknown>;
}

const byName = new Map<string, OpEntry>();
const byFunction = new Map<unknown, OpEntry>();

/** The call each way: the public name, and whether it runs async. */
const calls = (name: string) => ({ sync: { fn: name, async: false }, async: { fn: `${name}Async`, async: true } });

declare const takesOptions: unique symbol;

/**
 * Marks (in types only) an op whose last parameter is its options object,
 * so that {@link AsyncOf} merges the async options into it, for every
 * overload, even one whose options are required (`qr(a, { mode: 'r' })`).
 */
export interface TakesOptions {
  readonly [takesOptions]: true;
}

/**
 * Declares an op: returns its public sync function, and registers it with
 * its async twin (get the twin with {@link asyncOf}). `spec.options` says
 * that the program's last parameter is the op's options object.
 */
export function defineOp<P extends unknown[], R>(name: string, program: OpProgram<P, R>, spec: OpSpec & { options: true }): ((...args: P) => R) & TakesOptions;
export function defineOp<P extends unknown[], R>(name: string, program: OpProgram<P, R>, spec?: OpSpec): (...args: P) => R;
export function defineOp<P extends unknown[], R>(name: string, program: OpProgram<P, R>, spec: OpSpec = {}): (...args: P) => R {
  // 'linalg.qr', or a top-level op ('zeros') whose namespace is ''.
  const dot = name.indexOf('.');
  if (dot === 0 || byName.has(name)) throw new Error(`weft: defineOp: bad or repeated op name ${name}`);
  const arity = program.length - 1;
  const options = spec.options ?? false;
  const call = calls(name);
  // Arguments go to the program as given: it declares exactly the public
  // parameters, so any beyond them are ignored, as JS does (and an async
  // twin's trailing options, at `arity`, are read here).
  const run = program as (call: OpCall, ...args: unknown[]) => Program<R>;
  const small = spec.small as ((...args: unknown[]) => R | undefined) | undefined;
  const sync =
    small === undefined
      ? (...args: unknown[]): R => runSync(call.sync.fn, run(call.sync, ...args))
      : (...args: unknown[]): R => small(...args) ?? runSync(call.sync.fn, run(call.sync, ...args));
  const async = (...args: unknown[]): Promise<R> => {
    let started: Program<R>;
    try {
      started = run(call.async, ...args); // a program that is not a generator may throw here
    } catch (err) {
      return Promise.reject(err);
    }
    if (options) return runAsync(call.async.fn, started, args[arity - 1]);
    const asyncOptions = args[arity];
    return runAsync(call.async.fn, onlyAsyncOptions(call.async, asyncOptions, started), asyncOptions);
  };
  const member = name.slice(dot + 1);
  // What a declared function would have: its name and its parameter count.
  Object.defineProperties(sync, { name: { value: member }, length: { value: arity } });
  Object.defineProperties(async, { name: { value: `${member}Async` }, length: { value: options ? arity : arity + 1 } });
  const entry: OpEntry = { name, namespace: dot < 0 ? '' : name.slice(0, dot), member, arity, options, view: spec.view ?? false, sync, async };
  byName.set(name, entry);
  byFunction.set(sync, entry);
  byFunction.set(async, entry);
  return sync as unknown as ((...args: P) => R) & TakesOptions;
}

/** The async twin of an op, checking that its options hold nothing but the async ones. */
function* onlyAsyncOptions<R>(call: OpCall, options: unknown, program: Program<R>): Program<R> {
  readOptions(call.fn, options, {}, true);
  return yield* program;
}

/** The async form of one signature: a Promise of the result, and the async options appended as a trailing `options`. */
type Appended<F> = F extends (...args: infer P) => infer R ? (...args: [...P, options?: AsyncOptions]) => Promise<R> : never;

/** The async form of one signature whose last parameter is the op's options: the async options merged into it. */
type Merged<F> = F extends (...args: infer P) => infer R
  ? P extends [...infer Head, infer Options]
    ? (...args: [...Head, options: Options & AsyncOptions]) => Promise<R>
    : P extends [...infer Head, (infer Options)?]
      ? (...args: [...Head, options?: Options & AsyncOptions]) => Promise<R>
      : never
  : never;

/** Each overload of `F` (up to four) mapped by `Twin`, intersected back into overloads. */
type EachOverload<F, Merge extends boolean> = F extends {
  (...args: infer A1): infer R1;
  (...args: infer A2): infer R2;
  (...args: infer A3): infer R3;
  (...args: infer A4): infer R4;
}
  ? Merge extends true
    ? Merged<(...args: A1) => R1> & Merged<(...args: A2) => R2> & Merged<(...args: A3) => R3> & Merged<(...args: A4) => R4>
    : Appended<(...args: A1) => R1> & Appended<(...args: A2) => R2> & Appended<(...args: A3) => R3> & Appended<(...args: A4) => R4>
  : never;

/** The async function type of a sync op `F`. */
export type AsyncOf<F> = EachOverload<F, F extends TakesOptions ? true : false>;

/** Parameters `P` with the first one's type replaced by `A` (names and optionality kept). */
type FirstAs<P extends unknown[], A> = { [K in keyof P]: K extends '0' ? A : P[K] };
/** Parameters `P` with the first two replaced by `A` and `B`. */
type FirstTwoAs<P extends unknown[], A, B> = { [K in keyof P]: K extends '0' ? A : K extends '1' ? B : P[K] };
type ProgramParameters<F> = F extends (call: OpCall, ...args: infer P) => unknown ? P : never;

/**
 * The public type of an op whose program is `F` (its array argument
 * first) and whose result is in the float dtype its input computes in:
 * `FloatOp<typeof detProgram>` takes an `NDArray<'float32'>` to an
 * `NDArray<'float32'>`, nested numbers to `NDArray<'float64'>`. A cast
 * on the defineOp result (the program itself is not generic).
 */
export type FloatOp<F> = <A extends ArrayInput>(...args: FirstAs<ProgramParameters<F>, A>) => NDArray<FloatResult<A>>;

/** {@link FloatOp} for a program of two arrays: float32 only when both are (numpy's promotion). */
export type FloatOp2<F> = <A extends ArrayInput, B extends ArrayInput>(...args: FirstTwoAs<ProgramParameters<F>, A, B>) => NDArray<FloatResult2<A, B>>;

/** {@link FloatOp2} for arithmetic, where a JS number is weak: `add(float32Array, 2)` is float32. */
export type ArithmeticOp<F> = <A extends ArrayInput, B extends ArrayInput>(...args: FirstTwoAs<ProgramParameters<F>, A, B>) => NDArray<ArithmeticResult<A, B>>;

/**
 * An {@link ArithmeticOp} with numpy's `out` option (lib/internal/out.ts):
 * given `out`, the call returns that array, typed as it.
 */
export interface ArithmeticOutOp {
  <A extends ArrayInput, B extends ArrayInput, O extends AnyNDArray>(x1: A, x2: B, options: { out: O }): O;
  <A extends ArrayInput, B extends ArrayInput>(x1: A, x2: B, options?: { out?: undefined }): NDArray<ArithmeticResult<A, B>>;
}

/** The async twin of an {@link ArithmeticOutOp}: `out` is written when the Promise settles, and is what it resolves to. */
export interface ArithmeticOutOpAsync {
  <A extends ArrayInput, B extends ArrayInput, O extends AnyNDArray>(x1: A, x2: B, options: { out: O } & AsyncOptions): Promise<O>;
  <A extends ArrayInput, B extends ArrayInput>(x1: A, x2: B, options?: { out?: undefined } & AsyncOptions): Promise<NDArray<ArithmeticResult<A, B>>>;
}

/** A {@link FloatOp} of one array with numpy's `out` option, as {@link ArithmeticOutOp}. */
export interface FloatOutOp {
  <A extends ArrayInput, O extends AnyNDArray>(x: A, options: { out: O }): O;
  <A extends ArrayInput>(x: A, options?: { out?: undefined }): NDArray<FloatResult<A>>;
}

/** The async twin of a {@link FloatOutOp}. */
export interface FloatOutOpAsync {
  <A extends ArrayInput, O extends AnyNDArray>(x: A, options: { out: O } & AsyncOptions): Promise<O>;
  <A extends ArrayInput>(x: A, options?: { out?: undefined } & AsyncOptions): Promise<NDArray<FloatResult<A>>>;
}

/** A {@link FloatOp2} with numpy's `out` option, as {@link ArithmeticOutOp}. */
export interface FloatOutOp2 {
  <A extends ArrayInput, B extends ArrayInput, O extends AnyNDArray>(a: A, b: B, options: { out: O }): O;
  <A extends ArrayInput, B extends ArrayInput>(a: A, b: B, options?: { out?: undefined }): NDArray<FloatResult2<A, B>>;
}

/** The async twin of a {@link FloatOutOp2}. */
export interface FloatOutOp2Async {
  <A extends ArrayInput, B extends ArrayInput, O extends AnyNDArray>(a: A, b: B, options: { out: O } & AsyncOptions): Promise<O>;
  <A extends ArrayInput, B extends ArrayInput>(a: A, b: B, options?: { out?: undefined } & AsyncOptions): Promise<NDArray<FloatResult2<A, B>>>;
}

/** A comparison with numpy's `out` option: a bool result, or out (of any dtype) when given. */
export interface BoolOutOp {
  <O extends AnyNDArray>(x1: ArrayInput, x2: ArrayInput, options: { out: O }): O;
  (x1: ArrayInput, x2: ArrayInput, options?: { out?: undefined }): NDArray<'bool'>;
}

/** The async twin of a {@link BoolOutOp}. */
export interface BoolOutOpAsync {
  <O extends AnyNDArray>(x1: ArrayInput, x2: ArrayInput, options: { out: O } & AsyncOptions): Promise<O>;
  (x1: ArrayInput, x2: ArrayInput, options?: { out?: undefined } & AsyncOptions): Promise<NDArray<'bool'>>;
}

/** A test of one array (isnan, logicalNot) with numpy's `out` option, as {@link BoolOutOp}. */
export interface BoolOutOp1 {
  <O extends AnyNDArray>(x: ArrayInput, options: { out: O }): O;
  (x: ArrayInput, options?: { out?: undefined }): NDArray<'bool'>;
}

/** The async twin of a {@link BoolOutOp1}. */
export interface BoolOutOp1Async {
  <O extends AnyNDArray>(x: ArrayInput, options: { out: O } & AsyncOptions): Promise<O>;
  (x: ArrayInput, options?: { out?: undefined } & AsyncOptions): Promise<NDArray<'bool'>>;
}

/** Parameters `P` of a sync op as its async twin takes them: the async options merged into its options (`Merge`), or appended. */
type AsyncParameters<P extends unknown[], Merge extends boolean> = Merge extends true
  ? P extends [...infer Head, (infer Options)?]
    ? [...Head, options?: Options & AsyncOptions]
    : never
  : [...P, options?: AsyncOptions];

/**
 * The public type of a view op (reshape, transpose, ...) or take: the
 * result keeps its input's dtype (bool stays bool; nested numbers and
 * integer data are float64).
 */
export type DTypeKeepingOp<F> = <A extends ArrayInput>(...args: FirstAs<ProgramParameters<F>, A>) => NDArray<InputDType<A>>;

/** The async twin of a {@link DTypeKeepingOp}. */
export type DTypeKeepingOpAsync<F, Merge extends boolean> = <A extends ArrayInput>(
  ...args: FirstAs<AsyncParameters<ProgramParameters<F>, Merge>, A>
) => Promise<NDArray<InputDType<A>>>;

/** The async twin of a {@link FloatOp}: a Promise of the same typed result. `Merge` as the op's `{ options: true }`. */
export type FloatOpAsync<F, Merge extends boolean> = <A extends ArrayInput>(
  ...args: FirstAs<AsyncParameters<ProgramParameters<F>, Merge>, A>
) => Promise<NDArray<FloatResult<A>>>;

/** The async twin of a {@link FloatOp2}. */
export type FloatOp2Async<F, Merge extends boolean> = <A extends ArrayInput, B extends ArrayInput>(
  ...args: FirstTwoAs<AsyncParameters<ProgramParameters<F>, Merge>, A, B>
) => Promise<NDArray<FloatResult2<A, B>>>;

/** The async twin of an {@link ArithmeticOp}. */
export type ArithmeticOpAsync<F> = <A extends ArrayInput, B extends ArrayInput>(
  ...args: FirstTwoAs<AsyncParameters<ProgramParameters<F>, false>, A, B>
) => Promise<NDArray<ArithmeticResult<A, B>>>;

/**
 * A {@link FloatOp} whose result is real whatever its input (a norm): float32
 * for float32 and complex64 input, else float64.
 */
export type RealOp<F> = <A extends ArrayInput>(...args: FirstAs<ProgramParameters<F>, A>) => NDArray<RealOf<InputDType<A>>>;

/** The async twin of a {@link RealOp}. `Merge` as the op's `{ options: true }`. */
export type RealOpAsync<F, Merge extends boolean> = <A extends ArrayInput>(
  ...args: FirstAs<AsyncParameters<ProgramParameters<F>, Merge>, A>
) => Promise<NDArray<RealOf<InputDType<A>>>>;

/** The async twin of the op whose sync function is `sync`. */
export function asyncOf<F>(sync: F): AsyncOf<F> {
  const entry = byFunction.get(sync);
  if (entry === undefined) throw new Error('weft: asyncOf: not a defined op');
  return entry.async as AsyncOf<F>;
}

/** The op that `fn` (its sync function or its async twin) belongs to. */
export function lookupOp(fn: unknown): OpEntry | undefined {
  return byFunction.get(fn);
}

/** The op named `name` (`'linalg.qr'`). */
export function opNamed(name: string): OpEntry | undefined {
  return byName.get(name);
}

/** Every op defined so far, in definition order. */
export function registeredOps(): readonly OpEntry[] {
  return [...byName.values()];
}
