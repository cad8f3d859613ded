// A single-producer, single-consumer ring of stereo float samples (one
// array per channel, written and read together). The worklet owns it: port
// messages write, process() reads. Capacity is a power of two so that
// positions wrap with a mask.
export class RingBuffer {
  constructor(minCapacity) {
    let cap = 1;
    while (cap < minCapacity) cap <<= 1;
    this.left = new Float32Array(cap);
    this.right = new Float32Array(cap);
    this.mask = cap - 1;
    this.readPos = 0;   // ever-increasing; wrapped on access
    this.writePos = 0;
  }

  get capacity() { return this.left.length; }
  get available() { return this.writePos - this.readPos; }

  // Writes every sample of left and right (same length; right omitted: a
  // mono block, played on both channels). When full, the oldest samples are
  // dropped (the return value counts them) because late sound is worse than
  // lost sound.
  write(left, right = left) {
    const n = left.length;
    if (right.length !== n) throw new Error(`RingBuffer: ${n} left samples but ${right.length} right`);
    let dropped = 0;
    const free = this.capacity - this.available;
    if (n > free) {
      dropped = n - free;
      this.readPos += dropped;
    }
    for (let i = 0; i < n; i++) {
      const at = (this.writePos + i) & this.mask;
      this.left[at] = left[i];
      this.right[at] = right[i];
    }
    this.writePos += n;
    return dropped;
  }

  // The sample i places after the read position (i < available), per channel.
  peekLeft(i) { return this.left[(this.readPos + i) & this.mask]; }
  peekRight(i) { return this.right[(this.readPos + i) & this.mask]; }

  skip(n) { this.readPos += Math.min(n, this.available); }
}
