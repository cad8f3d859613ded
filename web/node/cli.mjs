#!/usr/bin/env node
// zx-headless: the command line of the headless runner (web/node/headless.mjs).
// Actions run in the order given, so a session reads as a script.
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createHeadless, machineList } from './headless.mjs';
import { formatProfile, checkCoreOptions, JIT_LIMITS, SAMPLE_RATE_RANGE } from '../spectrum-core.mjs';

const HELP = `usage: zx-headless [options] [actions]

Runs a ZX Spectrum (Wasm build) without a display. Actions run in the
order given; the machine boots to the BASIC prompt by itself before the
first --type or --key (unless a snapshot was loaded).

machine options
  --machine M         48k (default), 128k, plus2, plus2a, plus3 or pentagon;
                      a snapshot made for another model switches to it
  --rom FILE...       the machine's ROMs instead of the embedded OpenSE
                      BASIC: one file holding all of them, or several files
                      concatenated in order (--rom A B, or --rom A --rom B),
                      16K each: 48K one; 128K, +2, Pentagon two (the 128
                      editor, then 48 BASIC); +2A, +3 four. One 16K ROM on a
                      128K model fills every slot (no 128K editor)
  --jit / --no-jit    use the dynarec (default: off)
  --lockstep          with the dynarec, check each compiled run against the
                      interpreter; prints what differs at the end (stderr), and
                      --json has it in jit.lockstepReports
  --jit-threshold N   runs of a block entry before it is compiled (implies --jit)
  --jit-max-functions N, --jit-max-bytes N
                      bounds of the dynarec's code cache (implies --jit;
                      functions 8-65536, bytes 65536-268435456)
  --jit-compile MODE  sync (default: compiled inside the frame that wants
                      the code) or async (a worker thread compiles beside
                      the emulation; same results) (implies --jit)
  --sample-rate HZ    audio sample rate (default 48000; ${SAMPLE_RATE_RANGE.join('-')})
  --tape-realtime     tapes play in real time as they are loaded (no
                      instant loading); frames run without picture and
                      sound while the tape plays, unless --wav records
actions
  --load FILE         snapshot (.sna .z80 .szx) or tape (.tap .tzx), or a
                      .zip holding one (the first, by name)
  --boot              run until the ROM's prompt is up
  --frames N          run N frames (50 per emulated second; at most 10000000,
                      as for --max-frames and --hold)
  --type TEXT         type TEXT with realistic key timing; \\n is ENTER; on
                      a keyword-entry ROM (the Sinclair 48K's) each keyword
                      goes in as its single key (LOAD is J)
  --key K [--hold N]  press key K (A-Z, 0-9, ENTER, SPACE, CAPS, SYMBOL)
                      or a chord of them joined by + (SYMBOL+F, CAPS+1)
                      for N frames (default 3)
  --joy DIRS [--hold N]  Kempston directions, e.g. UP+FIRE, for N frames
  --until-text STR [--max-frames N]
                      run until the screen shows STR (fails after N frames,
                      default 3000, printing the screen)
  --answer-scroll     from here on, answer the ROM's 'scroll?' prompt with
                      ENTER so programs that print a lot keep running
  --screenshot FILE   write the current frame as PNG
  --save-sna FILE, --save-z80 FILE   save a snapshot
  --screen-text       print the screen as text (24 lines)
  --break ADDR        a breakpoint at ADDR (hex 0x10A8 or \$10A8, or decimal)
                      for the actions after it: when one is hit, the run stops
                      there, the break is printed (registers, flags, the code
                      at PC; --json: in "break") and later actions are skipped
output
  --profile           time where each frame goes (compiled code, dispatcher,
                      interpreter, compile, video, audio, JS glue); prints the
                      breakdown at the end, and --json has it in profile
  --wav FILE          record audio from the start, written at the end (16-bit;
                      mono on the 48K, stereo on the models with an AY)
  --stereo MODE       AY channel placement: abc (default), acb or mono
  --json              print a JSON summary (the machine's id and name,
                      frames, T-states, speed; the screen text too with
                      --screen-text) as the only stdout
  --help

exit status: 0 success, 1 a failed action (missing or corrupt file,
condition not met), 2 bad usage.`;

class UsageError extends Error {}

// Options that take a value, and whether they are actions (kept in order).
const VALUE_OPTS = new Set(['--machine', '--rom', '--stereo', '--sample-rate', '--load', '--frames', '--type', '--key', '--hold', '--joy',
  '--until-text', '--max-frames', '--screenshot', '--save-sna', '--save-z80', '--wav',
  '--jit-threshold', '--jit-max-functions', '--jit-max-bytes', '--break', '--jit-compile']);
const FLAG_OPTS = new Set(['--jit', '--no-jit', '--lockstep', '--profile', '--tape-realtime', '--boot', '--screen-text', '--json', '--help', '--answer-scroll']);

// Option values are checked here, so that every bad one is a usage error
// (exit 2) naming the option and what it takes.
const MAX_FRAMES = 10_000_000; // --frames, --max-frames, --hold: ~55 hours of Spectrum time
function count(opt, value, min = 0, max = MAX_FRAMES) {
  if (!/^\d+$/.test(value) || Number(value) < min) throw new UsageError(`${opt}: expected a whole number >= ${min}, got '${value}'`);
  if (Number(value) > max) throw new UsageError(`${opt}: at most ${max}, got ${value}`);
  return Number(value);
}
const jitCount = (opt, value, key) => count(opt, value, JIT_LIMITS[key][0], JIT_LIMITS[key][1]);

// What no single option can see: combinations, and the core's own checks.
function checkConfig(config) {
  if (config.lockstep && config.noJit) throw new UsageError('--lockstep checks the dynarec against the interpreter: it cannot go with --no-jit');
  if (config.jitOptions && config.noJit) throw new UsageError(`--jit-* settings cannot go with --no-jit`);
  try {
    checkCoreOptions(config);
  } catch (e) {
    throw new UsageError(e.message);
  }
}

export function parseArgs(argv) {
  const config = { machine: '48k', jit: false, sampleRate: 48000, tapeRealtime: false, json: false, wav: null, rom: undefined, stereo: undefined, help: false };
  const actions = [];
  for (let i = 0; i < argv.length; i++) {
    let opt = argv[i];
    let value;
    const eq = opt.indexOf('=');
    if (opt.startsWith('--') && eq > 0) [opt, value] = [opt.slice(0, eq), opt.slice(eq + 1)];
    if (VALUE_OPTS.has(opt)) {
      if (value === undefined) {
        if (i + 1 >= argv.length) throw new UsageError(`${opt}: missing value`);
        value = argv[++i];
      }
    } else if (FLAG_OPTS.has(opt)) {
      if (value !== undefined) throw new UsageError(`${opt} takes no value`);
    } else {
      throw new UsageError(opt.startsWith('-') ? `unknown option ${opt}` : `unexpected argument '${opt}' (files go after --load)`);
    }
    const last = actions[actions.length - 1];
    switch (opt) {
      case '--help': config.help = true; break;
      case '--machine': config.machine = value.toLowerCase(); break;
      case '--rom':
        (config.rom ??= []).push(value);
        // --rom A B: the files up to the next option belong to it.
        while (i + 1 < argv.length && !argv[i + 1].startsWith('-')) config.rom.push(argv[++i]);
        break;
      case '--stereo':
        if (!['abc', 'acb', 'mono'].includes(value.toLowerCase())) throw new UsageError(`--stereo: expected abc, acb or mono, got '${value}'`);
        config.stereo = value.toLowerCase();
        break;
      case '--jit': config.jit = true; config.noJit = false; break;
      case '--no-jit': config.jit = false; config.noJit = true; break;
      case '--lockstep': config.jit = true; config.lockstep = true; break;
      case '--jit-threshold': config.jit = true; (config.jitOptions ??= {}).threshold = jitCount(opt, value, 'threshold'); break;
      case '--jit-max-functions': config.jit = true; (config.jitOptions ??= {}).maxFunctions = jitCount(opt, value, 'maxFunctions'); break;
      case '--jit-max-bytes': config.jit = true; (config.jitOptions ??= {}).maxBytes = jitCount(opt, value, 'maxBytes'); break;
      case '--jit-compile':
        if (value !== 'sync' && value !== 'async') throw new UsageError(`--jit-compile: expected sync or async, got '${value}'`);
        config.jit = true;
        config.compile = value;
        break;
      case '--sample-rate': config.sampleRate = count(opt, value, ...SAMPLE_RATE_RANGE); break;
      case '--tape-realtime': config.tapeRealtime = true; break;
      case '--json': config.json = true; break;
      case '--profile': config.profile = true; break;
      case '--wav': config.wav = value; break;
      case '--hold':
        if (!last || (last.kind !== 'key' && last.kind !== 'joy')) throw new UsageError('--hold must follow --key or --joy');
        last.hold = count(opt, value, 1);
        break;
      case '--max-frames':
        if (!last || last.kind !== 'until-text') throw new UsageError('--max-frames must follow --until-text');
        last.maxFrames = count(opt, value, 1);
        break;
      case '--break': {
        const m = /^(?:0x|\$)([0-9a-f]{1,4})$/i.exec(value) ?? /^()(\d{1,5})$/.exec(value);
        const addr = m ? (m[1] ? parseInt(m[1], 16) : Number(m[2])) : NaN;
        if (!(addr >= 0 && addr <= 0xffff)) throw new UsageError(`--break: expected an address 0-65535 (0x10A8, $10A8 or 4264), got '${value}'`);
        actions.push({ kind: 'break', addr });
        break;
      }
      case '--frames': actions.push({ kind: 'frames', n: count(opt, value) }); break;
      case '--type': actions.push({ kind: 'type', text: value.replace(/\\n/g, '\n') }); break;
      case '--until-text':
        if (!value) throw new UsageError('--until-text: empty text');
        actions.push({ kind: 'until-text', text: value, maxFrames: 3000 });
        break;
      default: actions.push({ kind: opt.slice(2), value }); break; // load, key, joy, screenshot, save-*, boot, screen-text, answer-scroll
    }
  }
  checkConfig(config);
  return { config, actions };
}

async function run({ config, actions }, out) {
  const zx = await createHeadless({ machine: config.machine, rom: config.rom, stereo: config.stereo, jit: config.jit, compile: config.compile ?? 'sync', lockstep: Boolean(config.lockstep), jitOptions: config.jitOptions, sampleRate: config.sampleRate, tapeTraps: !config.tapeRealtime, profile: Boolean(config.profile) });
  if (config.wav) zx.recordAudio();
  const screens = [];
  let ready = false; // booted, or a snapshot gave the machine its state
  const ensureReady = () => {
    if (!ready) zx.boot();
    ready = true;
  };
  let brk = null;
  for (const a of actions) {
    if (zx.lastBreak) {
      brk = zx.lastBreak;
      break;
    }
    try {
      switch (a.kind) {
        case 'break': zx.debug.addBreakpoint({ pc: a.addr }); break;
        case 'load': {
          const { format, warnings } = zx.load(a.value, a.value, { play: config.tapeRealtime });
          for (const w of warnings) process.stderr.write(`zx-headless: warning: ${a.value}: ${w}\n`);
          if (format !== 'tap' && format !== 'tzx') ready = true;
          break;
        }
        case 'boot': ensureReady(); break;
        case 'frames': zx.runFrames(a.n); break;
        case 'type': ensureReady(); zx.type(a.text); break;
        case 'key': ensureReady(); zx.pressKey(a.value, a.hold ?? 3); break;
        case 'joy': zx.joystick(a.value, a.hold ?? 3); break;
        case 'until-text': zx.runUntilText(a.text, { maxFrames: a.maxFrames }); break;
        case 'answer-scroll': zx.answerScroll = true; break;
        case 'screenshot': zx.screenshot(a.value); break;
        case 'save-sna': zx.saveSnapshot('sna', a.value); break;
        case 'save-z80': zx.saveSnapshot('z80', a.value); break;
        case 'screen-text': {
          const text = zx.screenText();
          if (config.json) screens.push(text);
          else out.write(text.map((l) => l.trimEnd()).join('\n') + '\n');
          break;
        }
        default: throw new Error(`internal: unhandled action ${a.kind}`);
      }
    } catch (e) {
      if (!zx.lastBreak) throw e; // a break ends the run where it is (printed below)
    }
  }
  brk ??= zx.lastBreak;
  if (brk && !config.json) out.write(zx.breakText(brk));
  if (config.wav) zx.writeWav(config.wav);
  if (config.lockstep) process.stderr.write(zx.lockstepText());
  if (config.profile && !config.json) out.write(formatProfile(zx.core.stats().profile) + '\n');
  if (config.json) {
    const summary = zx.summary();
    if (screens.length) summary.screen = screens.length === 1 ? screens[0] : screens;
    if (brk) summary.break = { ...brk, registers: zx.debug.registers(), text: zx.breakText(brk) };
    out.write(JSON.stringify(summary, null, 2) + '\n');
  }
  zx.destroy();
}

export async function main(argv, out = process.stdout) {
  let parsed;
  try {
    parsed = parseArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`zx-headless: ${e.message}\n(try --help)\n`);
    return 2;
  }
  if (parsed.config.help) {
    out.write(HELP + '\n');
    return 0;
  }
  const known = (await machineList()).map((m) => m.id);
  if (!known.includes(parsed.config.machine)) {
    process.stderr.write(`zx-headless: --machine: unknown machine '${parsed.config.machine}' (expected one of ${known.join(', ')})\n(try --help)\n`);
    return 2;
  }
  try {
    await run(parsed, out);
    return 0;
  } catch (e) {
    process.stderr.write(`zx-headless: ${e.message}\n`);
    return 1;
  }
}

// Run as a program (directly or through the package's bin link), not on import.
if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}
