// The debugger's side of the emulator thread (web/engine/worker.mjs): the
// break state of the running machine and the page's 'debug' calls
// (web/spectrum.mjs `debug`, the panel web/ui/debugger.mjs).
//
// A break stops the frame loop where the machine stopped, half way through
// a frame: no frames run and no sound is sent while broken (the sound
// worklet plays out what it holds and fades; it waits for a full buffer
// again before it plays on), and on continue the frame clock restarts, so
// no catch-up burst comes and the sound resumes in sync.
//
// The breakpoints are kept here too, so that a new machine (another model,
// a snapshot for another model, new ROMs) gets them again.
const CODE_BEFORE = 48;   // bytes of code sent before PC (the panel finds instruction starts)
const CODE_AFTER = 96;

export class DebugSession {
  // core(): the running SpectrumCore; post(msg); sendFrame(); resume(): restart the frame clock and the loop
  constructor({ core, post, sendFrame, resume }) {
    this.core = core;
    this.post = post;
    this.sendFrame = sendFrame;
    this.resume = resume;
    this.broken = false;
    this.stop = null;
    this.specs = new Map();   // id -> the spec it was added with (re-added on a new machine)
  }

  get dbg() { return this.core().debug; }

  // The frame loop met a stop (core.runFrame() returned it).
  broke(stop) {
    this.broken = true;
    this.stop = stop;
    this.sendFrame();
    this.post({ t: 'break', view: this.view() });
  }

  // A new machine: its debugger gets the breakpoints; it runs.
  machineChanged() {
    const old = [...this.specs.entries()];
    this.specs.clear();
    this.broken = false;
    this.stop = null;
    if (!old.length) return;
    for (const [, { spec, enabled }] of old) {
      try {
        const id = this.dbg.addBreakpoint(spec);
        if (!enabled) this.dbg.enableBreakpoint(id, false);
        this.specs.set(id, { spec, enabled });
      } catch {
        // a bank the new model lacks: dropped
      }
    }
  }

  // Everything the panel shows, in one message.
  view() {
    const core = this.core();
    const dbg = this.dbg;
    const registers = dbg.registers();
    const pc = registers.PC;
    const from = (pc - CODE_BEFORE) & 0xffff;
    return {
      broken: this.broken,
      stop: this.stop,
      registers,
      position: dbg.position(),
      paging: dbg.paging(),
      callStack: dbg.callStack(),
      breakpoints: dbg.breakpoints(),
      code: { addr: from, bytes: dbg.peek(from, Math.min(CODE_BEFORE + CODE_AFTER, 0x10000 - from)) },
      machine: core.machine,
      jit: core.jit,
    };
  }

  _break() {
    if (this.broken) return;
    this.broken = true;
    this.stop = this.dbg.pauseHere();
  }

  _run() {
    this.broken = false;
    this.stop = null;
    this.post({ t: 'debug-run' });
    this.resume();
  }

  // One 'debug' call: { op, args }.
  call({ op, args = [] }) {
    const dbg = this.dbg;
    switch (op) {
      case 'view': return this.view();
      case 'addBreakpoint': {
        const id = dbg.addBreakpoint(args[0]);
        this.specs.set(id, { spec: args[0], enabled: true });
        return id;
      }
      case 'removeBreakpoint':
        dbg.removeBreakpoint(args[0]);
        this.specs.delete(args[0]);
        return true;
      case 'enableBreakpoint': {
        dbg.enableBreakpoint(args[0], args[1] ?? true);
        const s = this.specs.get(args[0]);
        if (s) s.enabled = args[1] ?? true;
        return true;
      }
      case 'clearBreakpoints':
        dbg.clearBreakpoints();
        this.specs.clear();
        return true;
      case 'breakpoints': return dbg.breakpoints();
      case 'registers': return dbg.registers();
      case 'setRegisters': return dbg.setRegisters(args[0]);
      case 'position': return dbg.position();
      case 'callStack': return dbg.callStack();
      case 'paging': return dbg.paging();
      case 'peek': return dbg.peek(args[0], args[1] ?? 1);
      case 'poke':
        dbg.poke(args[0], args[1]);
        if (this.broken) this.sendFrame();
        return true;
      case 'disassemble': return dbg.disassemble(args[0], args[1] ?? 16);
      case 'break':       // stop where it is now
        this._break();
        this.sendFrame();
        this.post({ t: 'break', view: this.view() });
        return this.stop;
      case 'continue':
        if (this.broken) this._run();
        return true;
      case 'step': {
        this._break();
        this.stop = dbg.step();
        this.sendFrame();
        this.post({ t: 'break', view: this.view() });
        return this.stop;
      }
      case 'stepOver':
      case 'stepOut':
      case 'runTo': {
        const action = { stepOver: 'over', stepOut: 'out', runTo: 'to' }[op];
        if (!dbg.arm(action, args[0])) {
          if (action === 'out') throw new Error('stepOut: no return address on the stack (nothing called this code)');
          this.stop = dbg.lastStop;   // step over an ordinary instruction: one step
          this.broken = true;
          this.sendFrame();
          this.post({ t: 'break', view: this.view() });
          return this.stop;
        }
        this._run();   // the stop comes from the frame loop
        return null;
      }
      default: throw new Error(`debug: unknown operation '${op}'`);
    }
  }
}
