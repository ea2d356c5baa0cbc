import Foundation
import Synchronization

/// The process's worker threads, one per core beside the caller's, that `parallelChunks` hands its chunks to.
///
/// A forward pass splits some fifty operations over the cores, each a fraction of a millisecond at small shapes,
/// and waking a parked thread (as `DispatchQueue.concurrentPerform` does) costs 20-40 µs each time. So a worker that
/// finishes a job watches for the next one for a short while (`watch`) before it sleeps: the next split of the same
/// forward pass finds it awake, and an idle process has no thread spinning; while it watches it yields its core
/// every few polls, to a thread of another process or to the caller if they share it. One job runs at a time; a split asked
/// for while one runs (from a chunk, or from another thread) runs inline on its caller.
///
/// A job is published in one atomic word, generation | chunk count | next chunk, so a worker claims a chunk with one
/// compare-and-swap that also proves the job is still the one it saw.
final class WorkerPool: @unchecked Sendable {
    /// The pool of this process: `activeCores - 1` workers, started on first use.
    static let shared = WorkerPool(workers: activeCores - 1)

    /// How long a worker that found no job keeps looking before it sleeps.
    static let watch: Duration = .microseconds(200)

    private let word = Atomic<UInt64>(0)
    private let finished = Atomic<Int>(0)
    private let running = Atomic<Bool>(false)
    private let sleepers = Atomic<Int>(0)
    private let wake = NSCondition()
    /// The current job's body; written only while no chunk of the previous job can still be claimed.
    private var body: (Int) -> Void = { _ in }
    private let workers: Int

    private init(workers: Int) {
        self.workers = Swift.max(0, workers)
        for _ in 0..<self.workers {
            let thread = Thread { [unowned self] in self.work() }
            thread.name = "sbpl-worker"
            thread.start()
        }
    }

    /// Runs `body(0)`, ..., `body(chunks - 1)` on the caller and the workers, returning when all have finished.
    func run(_ chunks: Int, _ body: (Int) -> Void) {
        guard workers > 0, chunks > 1, chunks < Job.limit, !running.exchange(true, ordering: .acquiring) else {
            return (0..<chunks).forEach(body)
        }
        withoutActuallyEscaping(body) { body in
            self.body = body
            finished.store(0, ordering: .relaxed)
            let job = Job(word.load(ordering: .relaxed)).next(chunks: chunks)
            word.store(job.bits, ordering: .sequentiallyConsistent)
            if sleepers.load(ordering: .sequentiallyConsistent) > 0 {
                wake.lock()
                wake.broadcast()
                wake.unlock()
            }
            runChunks(of: job.generation)
            var spins = 0
            while finished.load(ordering: .acquiring) < chunks {
                spins += 1
                if spins % 1024 == 0 { sched_yield() }
            }
            self.body = { _ in }
        }
        running.store(false, ordering: .releasing)
    }

    /// Claims and runs chunks of the job of `generation` until none is left.
    private func runChunks(of generation: UInt64) {
        var current = Job(word.load(ordering: .acquiring))
        while current.generation == generation, current.next < current.chunks {
            let (exchanged, original) = word.compareExchange(expected: current.bits, desired: current.claimed.bits,
                                                             ordering: .acquiringAndReleasing)
            if exchanged {
                runChunk(Int(current.next))
                finished.add(1, ordering: .releasing)
                current = current.claimed
            } else {
                current = Job(original)
            }
        }
    }

    /// Runs chunk `index` of the current job. Not inlined, so the reference to the body it takes is let go before it
    /// returns, and so before the chunk counts as finished: the caller's `withoutActuallyEscaping` traps if the body
    /// is still held when the job ends.
    @inline(never) private func runChunk(_ index: Int) { body(index) }

    /// A worker's life: wait for a job newer than the last one it saw, help with it, again.
    private func work() {
        var seen = Job(word.load(ordering: .acquiring)).generation
        while true {
            seen = waitForJob(after: seen)
            runChunks(of: seen)
        }
    }

    /// The generation of the next job after `seen`: watched for `watch`, then slept for.
    private func waitForJob(after seen: UInt64) -> UInt64 {
        let clock = ContinuousClock(), deadline = clock.now.advanced(by: Self.watch)
        var polls = 0
        while true {
            let generation = Job(word.load(ordering: .acquiring)).generation
            if generation != seen { return generation }
            polls += 1
            if polls % 64 == 0 {  // a thread sharing this core (another process's, or the caller) gets its turn
                if clock.now > deadline { break }
                sched_yield()
            }
        }
        wake.lock()
        defer { wake.unlock() }
        sleepers.add(1, ordering: .sequentiallyConsistent)
        defer { sleepers.subtract(1, ordering: .sequentiallyConsistent) }
        while true {
            let generation = Job(word.load(ordering: .sequentiallyConsistent)).generation
            if generation != seen { return generation }
            wake.wait()
        }
    }
}

/// The pool's job word: a generation (24 bits), the job's chunk count and the next chunk to claim (20 bits each).
private struct Job {
    static let limit = 1 << 20
    let bits: UInt64

    init(_ bits: UInt64) { self.bits = bits }

    var generation: UInt64 { bits >> 40 }
    var chunks: UInt64 { (bits >> 20) & UInt64(Self.limit - 1) }
    var next: UInt64 { bits & UInt64(Self.limit - 1) }
    /// This job with its next chunk taken.
    var claimed: Job { Job(bits + 1) }

    /// The job after this one, of `chunks` chunks, none claimed.
    func next(chunks: Int) -> Job {
        Job(((generation + 1) & 0xFF_FFFF) << 40 | UInt64(chunks) << 20)
    }
}
