import './fresh-code.mjs'; // first: every module compiled afresh
// bench_v8_module.mjs: what the engine charges for a module, whatever is in
// it. Compiles (new WebAssembly.Module) and instantiates (new
// WebAssembly.Instance) modules of 1, 4, 16 and 64 exported functions, each
// function as small as can be (i32.const; distinct bytes every time, and
// V8's module cache off: nothing is reused), and prints CPU µs per module
// and per function. The dynarec's compile cost per function (README, "What
// a compile costs") has this as its floor: under V8 a module costs ~0.2 ms
// before any code is in it, so a cost per function near 150 µs needs
// several functions per module (the core batches them: jitOptions.batch,
// batchWait). A second table compiles one-function modules that import 0,
// 1, 3 or 9 functions of 0, 1, 3 and 3 distinct signatures: V8 charges
// each distinct import signature at compile time, which is why generated
// code calls the core through the table instead of importing its functions
// (core/jit/z80/jit_z80_request.h, JIT_Z80_CALL_*).
//
// Usage: node bench/bench_v8_module.mjs [--modules N (400)] [--repeat N (3)]
// Pin it: flock /tmp/bench.lock taskset -c 1 node bench/bench_v8_module.mjs
import { wholeNumber } from './args.mjs';

function parseArgs(argv) {
  const o = { modules: 400, repeat: 3 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = wholeNumber(a, argv[++i]);
    if (a === '--modules') o.modules = v;
    else if (a === '--repeat') o.repeat = v;
    else throw new Error(`unknown option ${a} (--modules N, --repeat N)`);
  }
  return o;
}

const uleb = (n) => {
  const out = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
};
const section = (id, body) => [id, ...uleb(body.length), ...body];
const name = (s) => [...uleb(s.length), ...Buffer.from(s)];

// n functions () -> i32, exported f0..f(n-1), function k returning salt + k
// (salt makes every module's bytes different); with `imports` functions
// imported first (env.i0..), import j of signature (i32 x (2 + j % sigs)) -> i32.
function moduleBytes(n, salt, imports = 0, sigs = 1) {
  const types = [0x60, 0, 1, 0x7f];
  for (let k = 0; k < sigs; k++) types.push(0x60, 2 + k, ...new Array(2 + k).fill(0x7f), 1, 0x7f);
  const type = section(1, [1 + sigs, ...types]);
  const imp = [];
  for (let j = 0; j < imports; j++) imp.push(...name('env'), ...name(`i${j}`), 0, 1 + (j % sigs));
  const importSec = imports ? section(2, [...uleb(imports), ...imp]) : [];
  const funcs = section(3, [...uleb(n), ...new Array(n).fill(0)]);
  const exports = [];
  for (let k = 0; k < n; k++) exports.push(...name(`f${k}`), 0, ...uleb(imports + k));
  const exp = section(7, [...uleb(n), ...exports]);
  const bodies = [];
  for (let k = 0; k < n; k++) {
    const body = [0, 0x41, ...sleb((salt * 64 + k) & 0xfffff), 0x0b];
    bodies.push(...uleb(body.length), ...body);
  }
  const code = section(10, [...uleb(n), ...bodies]);
  return new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, ...type, ...importSec, ...funcs, ...exp, ...code]);
}
function sleb(v) {
  const out = [];
  for (;;) {
    const b = v & 0x7f;
    v >>= 7;
    if ((v === 0 && !(b & 0x40)) || (v === -1 && (b & 0x40))) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

const cpuUs = () => {
  const u = process.cpuUsage();
  return u.user + u.system;
};

const o = parseArgs(process.argv.slice(2));
let salt = 1;
// the engine's own first-time work, not counted
new WebAssembly.Instance(new WebAssembly.Module(moduleBytes(4, salt++)), {});
console.log(`Node ${process.version}; CPU µs, ${o.modules} modules a size, ${o.repeat} runs (ranges)`);
console.log('functions  compile/module  instantiate/module  total/function');
for (const n of [1, 4, 16, 64]) {
  const compile = [], instantiate = [];
  for (let r = 0; r < o.repeat; r++) {
    const bytes = [];
    for (let i = 0; i < o.modules; i++) bytes.push(moduleBytes(n, salt++));
    const modules = [];
    let t = cpuUs();
    for (const b of bytes) modules.push(new WebAssembly.Module(b));
    compile.push((cpuUs() - t) / o.modules);
    t = cpuUs();
    for (const m of modules) new WebAssembly.Instance(m, {});
    instantiate.push((cpuUs() - t) / o.modules);
  }
  const range = (xs, div = 1) => {
    const lo = Math.min(...xs) / div, hi = Math.max(...xs) / div;
    return lo.toFixed(0) === hi.toFixed(0) ? lo.toFixed(0) : `${lo.toFixed(0)}-${hi.toFixed(0)}`;
  };
  const total = compile.map((c, i) => c + instantiate[i]);
  console.log(`${String(n).padStart(9)}  ${range(compile).padStart(14)}  ${range(instantiate).padStart(18)}  ${range(total, n).padStart(14)}`);
}

console.log('\nfunction imports (one function a module): compile/module');
for (const [imports, sigs] of [[0, 1], [1, 1], [3, 3], [9, 3]]) {
  const compile = [];
  for (let r = 0; r < o.repeat; r++) {
    const bytes = [];
    for (let i = 0; i < o.modules; i++) bytes.push(moduleBytes(1, salt++, imports, sigs));
    const t = cpuUs();
    for (const b of bytes) new WebAssembly.Module(b);
    compile.push((cpuUs() - t) / o.modules);
  }
  const lo = Math.min(...compile).toFixed(0), hi = Math.max(...compile).toFixed(0);
  console.log(`${imports} imports, ${imports ? sigs : 0} signatures: ${lo === hi ? lo : `${lo}-${hi}`} µs`);
}
