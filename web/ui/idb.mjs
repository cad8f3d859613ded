// Opens an IndexedDB database of one object store (created on first use),
// once per database name. Resolves to the database, or null where
// IndexedDB is unavailable or refuses (private windows, file: pages): the
// callers then go on without storage. Used by the ROM store and the save slots.
const opened = new Map();

export function openDatabase(name, store) {
  if (!opened.has(name)) {
    opened.set(name, new Promise((resolve) => {
      if (!globalThis.indexedDB) { resolve(null); return; }
      let req;
      try {
        req = indexedDB.open(name, 1);
      } catch {
        resolve(null);
        return;
      }
      req.onupgradeneeded = () => req.result.createObjectStore(store);
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => resolve(null);
      req.onblocked = () => resolve(null);
    }));
  }
  return opened.get(name);
}
