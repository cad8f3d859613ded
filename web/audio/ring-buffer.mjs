// A single-producer, single-consumer ring of float samples. The worklet owns
// it: port messages write, process() reads. Capacity is a power of two so
// that positions wrap with a mask.
export class RingBuffer {
  constructor(minCapacity) {
    let cap = 1;
    while (cap < minCapacity) cap <<= 1;
    this.data = new Float32Array(cap);
    this.mask = cap - 1;
    this.readPos = 0;   // ever-increasing; wrapped on access
    this.writePos = 0;
  }

  get capacity() { return this.data.length; }
  get available() { return this.writePos - this.readPos; }

  // Writes all of samples; when full, the oldest samples are dropped (the
  // return value counts them) because late sound is worse than lost sound.
  write(samples) {
    const n = samples.length;
    let dropped = 0;
    const free = this.capacity - this.available;
    if (n > free) {
      dropped = n - free;
      this.readPos += dropped;
    }
    for (let i = 0; i < n; i++) this.data[(this.writePos + i) & this.mask] = samples[i];
    this.writePos += n;
    return dropped;
  }

  // The sample i places after the read position (i < available).
  peek(i) { return this.data[(this.readPos + i) & this.mask]; }

  skip(n) { this.readPos += Math.min(n, this.available); }
}
