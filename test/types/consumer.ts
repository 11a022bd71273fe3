// A consumer's TypeScript, compiled under `strict` by test/63-types.test.ts
// against weft's published types (dist/*.d.ts, reached as 'weft' through
// package.json's exports): every assignment here must hold without a cast,
// and every `@ts-expect-error` line must stay an error.
import { Pool, array, add, equal, linalg, NDArray, reshape, reshapeAsync, sum, sumAsync, sqrt, take, transpose } from 'weft';
import type { ArrayInput, ComplexDType, FloatDType, QRRResult } from 'weft';
import type { typedndarray, float64ndarray } from '@stdlib/types/ndarray';
import ndarray from 'ndarray';

// dtype-generic NDArray: the data is the dtype's typed array.
const A: NDArray<'float64'> = array([[4, 1], [1, 3]]);
const d: Float64Array = A.data;
const F = array([[4, 1], [1, 3]], { dtype: 'float32' });
const f: Float32Array = F.data;
const mask = array([true, false]);
const bytes: Uint8Array = mask.data;
const flag: boolean = mask.get(0);
const dtype: 'float64' = A.dtype;

// Results typed from the inputs: float64 in, float64 out; float32 stays
// float32 only when every input is; nested numbers are float64.
const results: NDArray<'float64'>[] = [
  linalg.matmul(A, A),
  linalg.matmul([[1, 2], [3, 4]], A),
  linalg.solve(A, [1, 2]),
  linalg.inv(A),
  add(A, 1),
  sqrt(A),
  sum(A, { axis: 0 }),
  linalg.det(mask), // bool computes in float64
];
let x: NDArray<'float64'> = results[0]!;
x = linalg.matmul(x, A); // into a variable typed from a float64 NDArray
const y: NDArray<'float32'> = linalg.matmul(F, F);
const z: NDArray<'float32'> = add(F, 2); // a JS number is weak (numpy 2)
const n32: NDArray<'float32'> = linalg.norm(F);
// @ts-expect-error float32 with float64 is float64
const wrong: NDArray<'float32'> = linalg.matmul(F, A);
const isBig: NDArray<'bool'> = equal(A, 4);
const some: NDArray = linalg.matmul(A as ArrayInput, F); // unknown input: either float dtype
// An NDArray of unknown float dtype is still an NDArray.
const plain: NDArray = x;

// Views and take keep the input's dtype.
const reshapedMask: NDArray<'bool'> = reshape(mask, [2, 1]);
const transposed32: NDArray<'float32'> = transpose(F);
const taken: NDArray<'float64'> = take([[1, 2], [3, 4]], [0]);

// Async twins are typed the same way, their options merged or appended.
async function later(): Promise<void> {
  const inverse: NDArray<'float64'> = await linalg.invAsync(A, { threads: 1 });
  const total: NDArray<'float32'> = await sumAsync(F, { axis: 0, signal: AbortSignal.timeout(1000) });
  const flat: NDArray<'float32'> = await reshapeAsync(F, [4], { threads: 1 });
  const promoted: NDArray<'float64'> = await linalg.solveAsync(F, [1, 2], { assumeA: 'gen', threads: 2 });
  // @ts-expect-error float32 with float64 is float64, async too
  const wrongAsync: NDArray<'float32'> = await linalg.matmulAsync(F, A);
  // @ts-expect-error the async options are checked
  await linalg.matmulAsync(A, A, { threads: 'many' });
  void [inverse, total, flat, promoted, wrongAsync];
}

// toArray typed by the rank the caller states (checked at run time).
const rows: number[][] = x.toArray(2);
const row: number[] = linalg.solve(A, [1, 2]).toArray(1);
const scalar: number = linalg.det(A).toArray(0);
const flags: boolean[] = mask.toArray(1);
const nested = x.toArray(); // rank unknown: the nested union
// @ts-expect-error without a rank, toArray() is not known to be number[][]
const notRows: number[][] = x.toArray();

// pool.map typed from the op: results, items and args.
async function pooled(pool: Pool): Promise<void> {
  // A generic op's result over ArrayInput, complex input included.
  const dets: NDArray<FloatDType | ComplexDType>[] = await pool.map(linalg.det, [A, [[1]]]);
  const rs: QRRResult[] = await pool.map(linalg.qr, [A], { args: [{ mode: 'r' }] });
  const products: NDArray[] = await pool.map(linalg.matmul, [A], { args: [A] });
  const solved: NDArray[] = await pool.starmap(linalg.solve, [[A, [1, 2]]]);
  const one: NDArray<FloatDType | ComplexDType> = await pool.run(linalg.inv, A);
  for await (const det of pool.imap(linalg.det, [A])) det.item();
  // @ts-expect-error items must be what the op takes
  await pool.map(linalg.det, ['not an array']);
  // @ts-expect-error args must be what the op takes after the item
  await pool.map(linalg.qr, [A], { args: [{ mode: 'nonsense' }] });
  // Function items: the item and index types come from the items, the results from the function.
  const pipelined: NDArray<FloatDType | ComplexDType>[] = await pool.map(async (m, i) => {
    const index: number = i;
    const { Q, R } = await linalg.qrAsync(m);
    return linalg.matmulAsync(R, Q, { threads: index + 1 });
  }, [A, A]);
  const lengths: number[] = await pool.map((s: string) => s.length, ['a', 'bc']);
  const joined: string[] = await pool.starmap((a: number, b: string) => b + a, [[1, 'x']]);
  const sumOf: number = await pool.run(async (a: number, b: number) => a + b, 1, 2);
  for await (const n of pool.imap(async (s: string) => s.length, ['abc'])) n.toFixed();
  // @ts-expect-error a function item's items must be what it takes
  await pool.map((s: string) => s.length, [1, 2]);
  // @ts-expect-error run passes the function's own arguments
  await pool.run(async (a: number) => a, 'one');
  // A worker-backed pool's items: results typed by the caller.
  const workers = new Pool({ worker: new URL('./task.mjs', 'file:///app/'), concurrency: 2, workerData: { k: 1 } });
  const fits: NDArray[] = await workers.map<NDArray>([{ seed: 1 }], { transfer: true, signal: AbortSignal.timeout(1000) });
  const anything: unknown = await workers.run({ seed: 2 });
  const spread: number[] = await workers.starmap<number>([[1, 2]]);
  // @ts-expect-error transfer is a boolean
  await workers.map([1], { transfer: 'yes' });
  void [dets, rs, products, solved, one, pipelined, lengths, joined, sumOf, fits, anything, spread];
}

// @ts-expect-error a string is not an array
linalg.qr('abc');

// ndarrays of @stdlib and scijs, as they are typed.
declare const stdTyped: typedndarray<number>;
declare const stdFloat64: float64ndarray;
const fromStdlib: NDArray<'float64'> = linalg.matmul(stdTyped, stdFloat64);
const sci = ndarray(new Float64Array([1, 2, 3, 4]), [2, 2]);
const fromScijs: NDArray<'float64'> = linalg.inv(sci);
const sciF32: NDArray<'float32'> = linalg.inv(ndarray(new Float32Array([1, 2, 3, 4]), [2, 2]));
const sciGeneric = ndarray([1, 2, 3, 4], [2, 2]);
const fromGeneric: NDArray<'float64'> = linalg.inv(sciGeneric);

export const used = [d, f, bytes, flag, dtype, y, z, n32, wrong, isBig, some, plain, rows, row, scalar, flags, nested, notRows, pooled, fromStdlib, fromScijs, sciF32, fromGeneric, later, reshapedMask, transposed32, taken];
