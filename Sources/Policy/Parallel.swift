import Dispatch

/// Splits non-BLAS loops (attention heads, sampling rows, decode projections) over a few threads: on the
/// engine's fork-join team when it is free, else on Dispatch's workers.
///
/// The engine's buffers are unsafe pointers, which are not `Sendable`; the work items below touch disjoint
/// slices of them, which is what makes handing the closure to other threads sound.
enum Parallel {
    private struct UncheckedSendable<Value>: @unchecked Sendable {
        let value: Value
    }

    /// Runs `body(i, worker)` for `i` in `0..<count` on up to `threads` workers (`worker` in `0..<threads`, for
    /// per-worker scratch); returns when all are done.
    ///
    /// Work items must not write to memory another item reads or writes.
    static func forEach(_ count: Int, threads: Int, _ body: (_ index: Int, _ worker: Int) -> Void) {
        if threads <= 1 || count <= 1 {
            for index in 0..<count { body(index, 0) }
            return
        }
        withoutActuallyEscaping(body) { escapable in
            let box = UncheckedSendable(value: escapable)
            let workers = min(threads, count)
            // A static split keeps each worker's items contiguous (better locality than interleaving).
            let share = { (worker: Int) in
                for index in (count * worker / workers)..<(count * (worker + 1) / workers) { box.value(index, worker) }
            }
            if !ForkJoinTeam.shared.run(workers: workers, share) {
                let shareBox = UncheckedSendable(value: share)
                DispatchQueue.concurrentPerform(iterations: workers) { shareBox.value($0) }
            }
        }
    }

    /// Splits `0..<count` into contiguous ranges, one per worker, using only as many workers as have at least
    /// `grain` items each (so small loops stay on the calling thread).
    static func forRanges(_ count: Int, threads: Int, grain: Int,
                          _ body: (_ range: Range<Int>, _ worker: Int) -> Void) {
        let workers = max(1, min(threads, count / max(1, grain)))
        forEach(workers, threads: workers) { worker, _ in
            body((count * worker / workers)..<(count * (worker + 1) / workers), worker)
        }
    }
}
