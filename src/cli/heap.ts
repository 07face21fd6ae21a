// The CLI's process is ours to tune, so only its bin calls this, before the bundle loads; a program
// using the library, or calling main() itself (the tests), keeps its own settings.
//
// A run's JavaScript heap stays small (~30 MB live), but every picture passes through it as
// buffers outside it: an image answer's socket chunks (3.6 MB), its decoded bytes (2.7 MB). V8
// counts those buffers against a heap limit it sets from the live heap's size, so with a heap of
// 30 MB it ran a full collection every ~2 pictures (83-115 in a 200-picture run at zero latency,
// ~1 s of main-thread pauses plus the marking around them). Letting the limit grow to 3× the live
// heap (heap-growing-percent 200) took that to 16 collections: wall 14.7 s -> 11.2-12.9 s, CPU
// 24.7 s -> 18.2-20.7 s, peak RSS +5-15 MB (bench/ probe, 2 cores, quiet machine).
//
// The young generation is kept at its first size (1 MB per semi-space): a run's short-lived
// objects (64 KB base64 batches, answers' envelopes, parsed slides) let V8 grow it to its 16 MB
// maximum, 32 MB of resident memory that one scavenge in twelve then used (semi-space growth
// factor 1: a 200-picture run makes ~1300 scavenges instead of ~110, each ~1 ms, while its peak
// RSS drops from 277-286 MB to 238-245 MB; wall and CPU moved within the machine's noise).
//
// Both flags can only be given at run time through v8.setFlagsFromString, which Node documents
// as unsupported after start-up in general; each is a number V8 reads when it next uses it (the
// next old-generation limit, heap-controller.cc; the next young-generation growth,
// new-spaces.cc), and Node keeps V8's flags writable for this method. The young generation's
// maximum (--max-semi-space-size) would be the plain knob, but V8 reads it once, at start.
import v8 from 'node:v8';

export function tuneHeapForPictures(): void {
  v8.setFlagsFromString('--heap-growing-percent=200');
  v8.setFlagsFromString('--semi-space-growth-factor=1');
}
