// Each Wasm program is downloaded and compiled once per page, however many
// Spectrums the page has: a compiled WebAssembly.Module can be posted to any
// number of Workers, which instantiate it without compiling again.
const modules = new Map();

export function compiledModule(url) {
  const key = String(url);
  if (!modules.has(key)) {
    const p = compile(key);
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
