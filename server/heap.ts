// V8 grows the old generation to several times the live data before a full collection, and keeps what
// it grew: under 50 concurrent turns this server's resident memory reached about 460 MB while its live
// heap, after a collection, was about 70 MB. A slower growth factor keeps it near 230 MB for about a
// tenth fewer turns per second. It moves only when collections happen; the heap limit is unchanged, so
// it cannot make the process run out of memory sooner.
import v8 from 'node:v8';

const HEAP_GROWING_PERCENT = 20;

/** Applies the heap tuning to this process; call once, before the server takes traffic. */
export function tuneHeap(): void {
  v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
