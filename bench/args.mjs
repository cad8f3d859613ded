// Command-line values shared by the benchmarks: each throws an Error naming
// the option and what it takes.
import { WORKLOADS } from './machine-workloads.mjs';

// A whole number >= min.
export function wholeNumber(flag, text, min = 1) {
  const v = Number(text);
  if (!Number.isInteger(v) || v < min) throw new Error(`${flag}: expected a whole number >= ${min}`);
  return v;
}

// One workload of bench/machine-workloads.mjs.
export function workloadName(flag, text) {
  if (!WORKLOADS.includes(text)) throw new Error(`${flag}: unknown workload '${text}' (${WORKLOADS.join(', ')})`);
  return text;
}

// A comma-separated list of them (empty items ignored).
export function workloadNames(flag, text) {
  const names = String(text ?? '').split(',').filter(Boolean);
  for (const n of names) workloadName(flag, n);
  return names;
}
