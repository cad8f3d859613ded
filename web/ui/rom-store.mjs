// The user's ROMs, remembered per machine in this browser (IndexedDB:
// database "zx-spectrum", store "roms", key the machine id, value the
// model's ROMs as one Uint8Array). Amstrad's 128K ROMs are not ours to ship,
// so a player gives them once and the page keeps them.
//
// Every function resolves even when IndexedDB is unavailable (private
// windows, file: pages): the page then simply asks again next time.
import { openDatabase } from './idb.mjs';

const DB = 'zx-spectrum';
const STORE = 'roms';

function open() { return openDatabase(DB, STORE); }

function request(mode, work) {
  return open().then((db) => new Promise((resolve) => {
    if (!db) { resolve(null); return; }
    try {
      const tx = db.transaction(STORE, mode);
      const req = work(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(req.result ?? null);
      tx.onerror = tx.onabort = () => resolve(null);
    } catch {
      resolve(null);
    }
  }));
}

// { machineId: Uint8Array } of every model with remembered ROMs.
export async function loadAllRoms() {
  const db = await open();
  if (!db) return {};
  const [keys, values] = await Promise.all([
    request('readonly', (s) => s.getAllKeys()),
    request('readonly', (s) => s.getAll()),
  ]);
  const out = {};
  (keys ?? []).forEach((k, i) => { if (values?.[i] instanceof Uint8Array) out[k] = values[i]; });
  return out;
}

export function saveRoms(machine, bytes) {
  return request('readwrite', (s) => s.put(bytes, machine)).then(() => true);
}

export function forgetRoms(machine) {
  return request('readwrite', (s) => s.delete(machine)).then(() => true);
}
