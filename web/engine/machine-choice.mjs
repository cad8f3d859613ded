// Which model runs a snapshot: the one its own hardware field names
// (snapshotMachine in spectrum-core.mjs), as Fuse does, except that a model
// with the same hardware as the running one keeps the running one (the
// player's choice and ROMs): the 128K and +2 are one machine with other
// ROMs, and so are the +2A and +3 (without the +3's disk drive, which is not
// emulated). A 48K snapshot on a 128K model switches to the 48K, whose
// snapshot it is.
const SAME_HARDWARE = [['128k', 'plus2'], ['plus2a', 'plus3']];

// needs: snapshotMachine's answer (an id, or null: not a snapshot).
// Returns the model to switch to, or null to load on the running one.
export function machineForSnapshot(needs, running) {
  if (!needs || needs === running) return null;
  if (SAME_HARDWARE.some((group) => group.includes(needs) && group.includes(running))) return null;
  return needs;
}
