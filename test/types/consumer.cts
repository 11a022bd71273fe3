// A CommonJS consumer (`import = require`), compiled under `strict` by test/63-types.test.ts.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the CommonJS form under test
import weft = require('weft');
const A: weft.NDArray<'float64'> = weft.array([[2, 0], [0, 4]]);
const x: weft.NDArray<'float64'> = weft.linalg.inv(A);
const rows: number[][] = x.toArray(2);
export = { rows };
