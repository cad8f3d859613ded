// Save slots for the playable page: nine numbered save states kept in this
// browser (IndexedDB database "zx-spectrum-saves", store "slots", key the
// slot number), each with a thumbnail of the screen, the machine it was
// made on and the date. A dialog lists them to save, load and delete; quick
// keys work while playing:
//
//   F2          save to the quick slot (the last one saved to or loaded)
//   F4          load the quick slot
//   F8 (hold)   rewind: the machine steps back in time while it is held
//   F9          open or close the slots
//
// A slot is a Z80 snapshot from the core's writer (every model). Loading a
// slot made on another model switches to that model (the Spectrum's load()
// does, and says so). Nothing here runs before the first frame: app.mjs
// imports this module once the Spectrum is ready.
import { closeButton } from './dom.mjs';
import { openDatabase } from './idb.mjs';

export const SLOT_COUNT = 9;
const DB = 'zx-spectrum-saves';
const STORE = 'slots';
const QUICK_SLOT_KEY = 'zx.quickSlot';
const THUMB_WIDTH = 176;   // half the 352 x 296 frame
const STYLESHEET = new URL('./save-slots.css', import.meta.url);

// ---- the store: every call resolves; without IndexedDB (some private
// windows, file: pages) saving fails with a message, nothing is thrown.

function openDb() { return openDatabase(DB, STORE); }

// Runs one request in a transaction; resolves { ok, value }.
async function request(mode, work) {
  const db = await openDb();
  if (!db) return { ok: false, error: 'this browser does not let the page store data (a private window?)' };
  return new Promise((resolve) => {
    try {
      const tx = db.transaction(STORE, mode);
      const req = work(tx.objectStore(STORE));
      tx.oncomplete = () => resolve({ ok: true, value: req.result ?? null });
      tx.onerror = tx.onabort = () => resolve({ ok: false, error: tx.error?.message ?? 'the browser refused to store it' });
    } catch (e) {
      resolve({ ok: false, error: e.message });
    }
  });
}

// { [slot]: record } of every saved slot. A record: { slot, machine,
// machineName, date (ms since 1970), format: 'z80', bytes (Uint8Array),
// thumbnail (a PNG data: URL) }.
export async function listSlots() {
  const [keys, values] = await Promise.all([
    request('readonly', (s) => s.getAllKeys()),
    request('readonly', (s) => s.getAll()),
  ]);
  const out = {};
  (keys.value ?? []).forEach((k, i) => { if (values.value?.[i]) out[k] = values.value[i]; });
  return out;
}

export async function readSlot(slot) {
  return (await request('readonly', (s) => s.get(slot))).value;
}

export function writeSlot(record) {
  return request('readwrite', (s) => s.put(record, record.slot));
}

export function deleteSlot(slot) {
  return request('readwrite', (s) => s.delete(slot));
}

// ---- the slots of one Spectrum, with their dialog and keys

export class SaveSlots {
  constructor(zx, { parent = document.body } = {}) {
    this.zx = zx;
    const kept = Number(localStorage.getItem(QUICK_SLOT_KEY));
    this.quick = kept >= 1 && kept <= SLOT_COUNT ? Math.trunc(kept) : 1;
    this.busy = false;
    addStylesheet();
    this.buildDialog(parent);
  }

  get quickSlot() { return this.quick; }
  set quickSlot(n) {
    this.quick = clampSlot(n);
    localStorage.setItem(QUICK_SLOT_KEY, String(this.quick));
  }

  // Saves the running machine into `slot` (1-9). Resolves true when kept.
  async save(slot = this.quick) {
    slot = clampSlot(slot);
    let record;
    try {
      const bytes = await this.zx.snapshot('z80');
      record = {
        slot,
        machine: this.zx.machine,
        machineName: this.zx.machineName,
        date: Date.now(),
        format: 'z80',
        bytes,
        thumbnail: this.thumbnail(),
      };
    } catch (e) {
      this.zx.notify(`Could not save to slot ${slot}: ${e.message}`, 'error');
      return false;
    }
    const r = await writeSlot(record);
    if (!r.ok) {
      this.zx.notify(`Could not save to slot ${slot}: ${r.error}`, 'error');
      return false;
    }
    this.quickSlot = slot;
    this.zx.notify(`Saved to slot ${slot}`);
    await this.refresh();
    return true;
  }

  // Loads `slot` (switching the machine if it was saved on another model).
  async load(slot = this.quick) {
    slot = clampSlot(slot);
    const record = await readSlot(slot);
    if (!record) {
      this.zx.notify(`Slot ${slot} is empty (F2 or Save puts the running game there)`, 'error');
      return false;
    }
    try {
      // the Spectrum shows "Loaded slot N" (and a model switch) itself
      await this.zx.load(record.bytes, `slot ${slot}.${record.format ?? 'z80'}`);
    } catch {
      return false;   // shown by the Spectrum; the running program carries on
    }
    this.quickSlot = slot;
    this.refresh();
    return true;
  }

  async remove(slot) {
    slot = clampSlot(slot);
    const r = await deleteSlot(slot);
    if (!r.ok) this.zx.notify(`Could not delete slot ${slot}: ${r.error}`, 'error');
    else this.zx.notify(`Slot ${slot} deleted`);
    await this.refresh();
    return r.ok;
  }

  // A small PNG of the screen as shown now.
  thumbnail() {
    const src = this.zx.canvas;
    const c = document.createElement('canvas');
    c.width = THUMB_WIDTH;
    c.height = Math.round((src.height * THUMB_WIDTH) / src.width);
    const ctx = c.getContext('2d');
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(src, 0, 0, c.width, c.height);
    return c.toDataURL('image/png');
  }

  // ---- the dialog

  buildDialog(parent) {
    const d = document.createElement('dialog');
    d.className = 'zx-slots';
    d.setAttribute('aria-labelledby', 'zx-slots-title');
    const head = document.createElement('div');
    head.className = 'zx-slots-head';
    const title = document.createElement('h2');
    title.id = 'zx-slots-title';
    title.textContent = 'Save slots';
    const hint = document.createElement('p');
    hint.className = 'zx-slots-hint';
    hint.textContent = 'F2 saves to the quick slot, F4 loads it; hold F8 to rewind.';
    head.append(title, hint, closeButton('zx-slots-close', 'Close', () => this.close()));
    this.grid = document.createElement('ol');
    this.grid.className = 'zx-slots-grid';
    d.append(head, this.grid);
    // Keys in the dialog are the dialog's (Tab, Enter, Escape closes it),
    // not the Spectrum's; F9 closes it as it opened it.
    const own = (e) => {
      e.stopPropagation();
      if (e.type === 'keydown' && e.code === 'F9') {
        e.preventDefault();
        this.close();
      }
    };
    d.addEventListener('keydown', own);
    d.addEventListener('keyup', own);
    // a click on the backdrop closes it
    d.addEventListener('click', (e) => { if (e.target === d) this.close(); });
    d.addEventListener('close', () => this.zx.frame?.focus?.({ preventScroll: true }));
    parent.append(d);
    this.dialog = d;
  }

  get isOpen() { return this.dialog.open; }

  async open() {
    await this.refresh();
    if (!this.dialog.open) this.dialog.showModal();
  }

  close() {
    if (this.dialog.open) this.dialog.close();
  }

  toggle() { return this.isOpen ? this.close() : this.open(); }

  async refresh() {
    const slots = await listSlots();
    const cards = [];
    for (let n = 1; n <= SLOT_COUNT; n++) cards.push(this.card(n, slots[n]));
    this.grid.replaceChildren(...cards);
  }

  card(n, record) {
    const li = document.createElement('li');
    li.className = 'zx-slot';
    li.dataset.slot = String(n);
    if (n === this.quick) li.classList.add('zx-slot-quick');
    const pic = document.createElement('div');
    pic.className = 'zx-slot-pic';
    if (record?.thumbnail) {
      const img = document.createElement('img');
      img.src = record.thumbnail;
      img.alt = `Slot ${n}: the screen when it was saved`;
      pic.append(img);
    } else {
      pic.textContent = 'Empty';
    }
    const title = document.createElement('div');
    title.className = 'zx-slot-title';
    title.textContent = `Slot ${n}`;
    if (n === this.quick) {
      const badge = document.createElement('span');
      badge.className = 'zx-slot-badge';
      badge.textContent = 'F2 / F4';
      badge.title = 'The quick slot: F2 saves here, F4 loads it';
      title.append(' ', badge);
    }
    const meta = document.createElement('div');
    meta.className = 'zx-slot-meta';
    if (record) {
      const when = new Date(record.date);
      const time = document.createElement('time');
      time.dateTime = when.toISOString();
      time.textContent = when.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
      meta.append(`${(record.machineName ?? record.machine).replace(/^ZX Spectrum /, '')} · `, time);
    } else {
      meta.textContent = 'Nothing saved';
    }
    const actions = document.createElement('div');
    actions.className = 'zx-slot-actions';
    actions.append(
      this.action('Save', `Save the running game to slot ${n}${record ? ' (replaces it)' : ''}`, () => this.save(n)),
      this.action('Load', `Load slot ${n}`, () => this.load(n).then((ok) => { if (ok) this.close(); }), !record),
      this.action('Delete', `Delete slot ${n}`, () => this.remove(n), !record),
    );
    li.append(pic, title, meta, actions);
    return li;
  }

  action(text, label, run, disabled = false) {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = text;
    b.setAttribute('aria-label', label);
    b.title = label;
    b.disabled = disabled;
    b.dataset.action = text.toLowerCase();
    b.addEventListener('click', async () => {
      if (this.busy) return;
      this.busy = true;
      try {
        await run();
      } finally {
        this.busy = false;
      }
    });
    return b;
  }

  // ---- keys: F2 quick save, F4 quick load, F8 held rewinds, F9 the slots.
  // The Spectrum has no use for F-keys (keymap.mjs leaves them alone).
  installKeys(target = window) {
    const isTyping = (e) => e.target instanceof Element && e.target.closest('input, textarea, select, [contenteditable=""], [contenteditable="true"]');
    this.onKeyDown = (e) => {
      if (isTyping(e) || e.ctrlKey || e.altKey || e.metaKey) return;
      switch (e.code) {
        case 'F2': e.preventDefault(); if (!e.repeat) this.save(); break;
        case 'F4': e.preventDefault(); if (!e.repeat) this.load(); break;
        case 'F8': e.preventDefault(); if (!this.zx.rewinding) this.zx.rewinding = true; break;
        case 'F9': e.preventDefault(); if (!e.repeat) this.toggle(); break;
        default: break;
      }
    };
    this.onKeyUp = (e) => {
      if (e.code === 'F8' && this.zx.rewinding) {
        e.preventDefault();
        this.zx.rewinding = false;
      }
    };
    // leaving the page while F8 is held must not leave it rewinding
    this.onBlur = () => { if (this.zx.rewinding) this.zx.rewinding = false; };
    target.addEventListener('keydown', this.onKeyDown);
    target.addEventListener('keyup', this.onKeyUp);
    addEventListener('blur', this.onBlur);
  }
}

function clampSlot(n) {
  const v = Math.trunc(Number(n));
  if (!(v >= 1 && v <= SLOT_COUNT)) throw new Error(`slot: expected 1 to ${SLOT_COUNT}, got ${n}`);
  return v;
}

function addStylesheet() {
  if (document.querySelector('link[data-zx-slots]')) return;
  const link = document.createElement('link');
  link.rel = 'stylesheet';
  link.href = STYLESHEET.href;
  link.dataset.zxSlots = '';
  document.head.append(link);
}
