// The page's request for a model's ROM files. A 128K model without its own
// ROMs runs on the built-in OpenSE BASIC in every ROM slot: programs that
// only use the 48 BASIC ROM run, but the 128K editor and menu are missing.
// This banner says so and takes the ROM files: for the 128K, +2 and
// Pentagon two 16 KB files (the 128 editor, then 48 BASIC) or one 32 KB
// file; for the +2A and +3 four 16 KB files or one 64 KB file.
//
// arrangeRoms() is the validation and ordering, without any DOM, so that
// tests can call it directly.
const ROM_SIZE = 16384;

// The first bytes of Sinclair's 48 BASIC ROM (DI; XOR A; LD DE,0xFFFF;
// JP 0x11CB), which is the last ROM of every 128K model (the +2A/+3's ROM 3
// keeps the same start).
const BASIC48_START = [0xf3, 0xaf, 0x11, 0xff, 0xff, 0xc3, 0xcb, 0x11];

const kb = (n) => (n % 1024 === 0 ? `${n / 1024} KB` : `${n} bytes`);

// What the model takes, in words.
export function romsWanted(model) {
  if (model.romCount === 1) return `one ${kb(ROM_SIZE)} file`;
  const order = model.romCount === 2 ? ' (the 128 editor, then 48 BASIC)' : ' (ROM 0 to 3)';
  return `${model.romCount} files of ${kb(ROM_SIZE)}${order} or one ${kb(model.romCount * ROM_SIZE)} file`;
}

// files: [{ name, bytes: Uint8Array }] chosen together. Returns the model's
// ROMs as one Uint8Array in slot order, or throws an Error saying what is
// wrong. Several files are ordered by name ("128-0.rom" before
// "128-1.rom"), except that a file starting like the 48 BASIC ROM goes last.
export function arrangeRoms(model, files) {
  const full = model.romCount * ROM_SIZE;
  const want = `The ${model.name} needs ${romsWanted(model)}`;
  if (!files.length) throw new Error(`${want}; no file was chosen.`);
  if (files.length === 1) {
    const f = files[0];
    if (f.bytes.length === full) return f.bytes;
    throw new Error(`${want}; ${f.name} has ${kb(f.bytes.length)}.`);
  }
  if (files.length !== model.romCount) throw new Error(`${want}; ${files.length} files were chosen.`);
  const wrong = files.find((f) => f.bytes.length !== ROM_SIZE);
  if (wrong) throw new Error(`${want}; ${wrong.name} has ${kb(wrong.bytes.length)}, not ${kb(ROM_SIZE)}.`);
  const sorted = [...files].sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }));
  const basic = sorted.filter((f) => BASIC48_START.every((v, i) => f.bytes[i] === v));
  if (basic.length === 1) sorted.push(...sorted.splice(sorted.indexOf(basic[0]), 1));
  const out = new Uint8Array(full);
  sorted.forEach((f, i) => out.set(f.bytes, i * ROM_SIZE));
  return out;
}

// The banner. onRoms(model, bytes) installs them (and may throw/reject with
// a message to show).
export class RomPrompt {
  constructor(parent, { onRoms }) {
    this.onRoms = onRoms;
    this.model = null;
    const el = document.createElement('section');
    el.className = 'rom-prompt';
    el.setAttribute('aria-label', 'ROM files');
    el.hidden = true;
    const text = document.createElement('div');
    text.className = 'rom-prompt-text';
    const title = document.createElement('strong');
    const body = document.createElement('span');
    body.className = 'rom-prompt-body';
    const error = document.createElement('p');
    error.className = 'rom-prompt-error';
    error.setAttribute('role', 'alert');
    error.hidden = true;
    text.append(title, ' ', body, error);
    const input = document.createElement('input');
    input.type = 'file';
    input.multiple = true;
    input.accept = '.rom,.bin';
    input.hidden = true;
    input.className = 'rom-prompt-input';
    const choose = document.createElement('button');
    choose.type = 'button';
    choose.className = 'rom-prompt-choose';
    choose.textContent = 'Choose ROM files…';
    choose.addEventListener('click', () => input.click());
    const later = document.createElement('button');
    later.type = 'button';
    later.className = 'rom-prompt-later';
    later.textContent = 'Not now';
    later.addEventListener('click', () => this.hide());
    const actions = document.createElement('div');
    actions.className = 'rom-prompt-actions';
    actions.append(choose, later);
    el.append(text, actions, input);
    input.addEventListener('change', () => {
      const files = [...input.files];
      input.value = '';
      if (files.length) this.take(files);
    });
    parent.append(el);
    Object.assign(this, { el, title, body, error, input });
  }

  // Shown for a model running without its ROMs.
  show(model) {
    this.model = model;
    this.title.textContent = `The ${model.name}'s own ROMs are not loaded.`;
    this.body.textContent = `It runs on OpenSE BASIC in the 48 BASIC slot, so 48K programs work, but the 128K editor and menu are not available. ` +
      `To use them, choose its ROM files: ${romsWanted(model)}. They stay in this browser.`;
    this.error.hidden = true;
    this.el.hidden = false;
  }

  hide() {
    this.el.hidden = true;
    this.model = null;
  }

  get visible() { return !this.el.hidden; }

  async take(files) {
    const model = this.model;
    if (!model) return;
    try {
      const chosen = await Promise.all(files.map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })));
      const bytes = arrangeRoms(model, chosen);
      await this.onRoms(model, bytes);
      this.hide();
    } catch (e) {
      this.error.textContent = e.message;
      this.error.hidden = false;
    }
  }
}
