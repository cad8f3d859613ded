// The core's side of a compiler that runs beside the emulation (a Worker in
// the page: web/engine/compile-worker.mjs; a worker_threads worker under
// Node: web/node/compile-worker.mjs). Attached to the core module as
// Module.jitAsync, it is what core/jit/jit_host.js talks to:
//   ready            the compiler has loaded (until then the interpreter runs everything)
//   post(ticket, requestBytes)   sends a request (the bytes are a copy)
//   poll() -> [{ ticket, module | error, bytes, cost }]   the results that
//                    arrived; the core calls it between guest instructions
//                    and installs each (or drops it: core/jit/jit.c)
// The transport: send(msg, transfer) to the compiler; results come in
// through receive(msg) (a message handler: the page) or are pulled by
// drain() -> msg | undefined when given (Node's receiveMessageOnPort, so a
// run of frames that never yields to the event loop still gets them).
//
// hold(): results are kept back until release() (tests use it to make the
// guest change its code while a request is in flight).
// waitOnPoll (with drain only): poll() first waits for every request in
// flight to come back, so results land at the same points of the
// emulation every time (the core polls at a run's start and when its
// requests in flight are at their bound): a reproducible asynchronous
// mode for tests; the page and benchmarks never set it.
export class AsyncCompiler {
  constructor({ send, drain = null } = {}) {
    this._send = send;
    this._drain = drain;
    this.ready = false;
    this.failed = null;        // why the compiler stopped (then no requests are sent)
    this.warmUpMs = 0;
    this.loadMs = 0;
    this._arrived = [];
    this._outstanding = new Set();
    this._held = false;
    this.posted = 0;
    this.received = 0;
    this.waitOnPoll = false;
  }

  post(ticket, request) {
    if (!this.ready) throw new Error('the compiler is not ready');
    this._outstanding.add(ticket);
    this.posted++;
    this._send({ t: 'compile', ticket, request }, [request.buffer]);
  }

  // A message from the compiler.
  receive(msg) {
    if (msg.t === 'ready') {
      this.ready = true;
      this.loadMs = msg.loadMs ?? 0;
      this.warmUpMs = msg.warmUpMs ?? 0;
    } else if (msg.t === 'result') {
      this._outstanding.delete(msg.ticket);
      this.received++;
      this._arrived.push(msg);
    } else if (msg.t === 'failed') {
      this.fail(msg.error);
    }
  }

  // The compiler is gone: what was in flight comes back as failed.
  fail(error) {
    this.failed = String(error);
    this.ready = false;
    for (const ticket of this._outstanding) this._arrived.push({ t: 'result', ticket, module: null, error: this.failed, bytes: 0, cost: null });
    this._outstanding.clear();
  }

  get inFlight() { return this._outstanding.size; }

  poll() {
    if (this._drain) for (let m = this._drain(); m !== undefined; m = this._drain()) this.receive(m);
    if (this.waitOnPoll && this._drain && !this._held) {
      const t0 = performance.now();
      while (this._outstanding.size && !this.failed) {
        const m = this._drain();
        if (m !== undefined) this.receive(m);
        else if (performance.now() - t0 > 30000) this.fail('the compiler did not answer for 30 s');
      }
    }
    if (this._held || !this._arrived.length) return [];
    const out = this._arrived;
    this._arrived = [];
    return out;
  }

  hold() { this._held = true; }
  release() { this._held = false; }

  // Waits (yielding to the event loop) until every request posted so far
  // has come back; for tests and benchmarks that want a settled state.
  async settle(timeoutMs = 30000) {
    const t0 = performance.now();
    while (this._outstanding.size) {
      if (this._drain) for (let m = this._drain(); m !== undefined; m = this._drain()) this.receive(m);
      if (!this._outstanding.size) break;
      if (performance.now() - t0 > timeoutMs) throw new Error(`compiler: ${this._outstanding.size} requests still out after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 1));
    }
  }
}
