// Each Wasm program is downloaded and compiled once per page, however many
// Spectrums the page has: a compiled WebAssembly.Module can be posted to any
// number of Workers, which instantiate it without compiling again.
const modules = new Map();

// A page may start a program's download and compile before this module has
// loaded (the bundled index.html does, tools/bundle.mjs):
// globalThis.zxWasmEarly maps its URL to that promise, taken here once.
export function compiledModule(url) {
  const key = String(url);
  if (!modules.has(key)) {
    const early = globalThis.zxWasmEarly?.[key];
    if (early) delete globalThis.zxWasmEarly[key];
    const p = early ? Promise.resolve(early).catch(() => compile(key)) : compile(key);
    p.catch(() => modules.delete(key));   // a failed download may be retried
    modules.set(key, p);
  }
  return modules.get(key);
}

async function compile(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`could not download ${url} (HTTP ${response.status})`);
  // compileStreaming compiles while downloading, but needs the server to
  // say application/wasm; other servers get the plain path.
  if (WebAssembly.compileStreaming && response.headers.get('content-type')?.startsWith('application/wasm')) {
    return WebAssembly.compileStreaming(response);
  }
  return WebAssembly.compile(await response.arrayBuffer());
}
