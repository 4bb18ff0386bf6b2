import Foundation

/// A fixed set of threads that grade requests, so CPU work never runs on Swift's cooperative pool (which the
/// service's socket I/O needs) and at most `threads` requests are graded at once.
///
/// Threads get an explicit 4 MiB stack (the grader needs 512 KiB at its nesting limit). Jobs wait in a FIFO.
final class GradingPool: @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs: [() -> Void] = []
    private var stopped = false
    let threads: Int

    init(threads: Int) {
        self.threads = max(1, threads)
        for i in 0..<self.threads {
            let t = Thread { [self] in work() }
            t.stackSize = 4 << 20
            t.name = "verifier-grader-\(i)"
            t.start()
        }
    }

    /// Runs `body` on a pool thread and returns its result to the awaiting task.
    func run<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            condition.withLock {
                jobs.append { continuation.resume(returning: body()) }
                condition.signal()
            }
        }
    }

    /// Lets the threads finish queued jobs and exit.
    func stop() {
        condition.withLock {
            stopped = true
            condition.broadcast()
        }
    }

    private func work() {
        while true {
            condition.lock()
            while jobs.isEmpty && !stopped { condition.wait() }
            if jobs.isEmpty {
                condition.unlock()
                return
            }
            let job = jobs.removeFirst()
            condition.unlock()
            job()
        }
    }
}
