import Foundation

/// A fixed set of threads of its own for blocking, CPU-heavy work (sampling, a training step, grading), so that
/// such work never holds a thread of Swift's cooperative pool, which every service's socket I/O needs.
///
/// `run` hands a job to the pool and suspends the calling task until it finishes; jobs start in FIFO order,
/// at most `threads` at once. A pool of one thread runs its jobs one after another, which is what makes it safe
/// to give it objects that are not thread-safe (a sampler, a trainer) as long as only this pool touches them.
/// Threads get an explicit stack size (the verifier's grader needs 512 KiB at its nesting limit).
public final class ThreadPool: @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs: [() -> Void] = []
    private var stopped = false
    public let threads: Int

    public init(threads: Int, name: String, stackSize: Int = 4 << 20) {
        self.threads = max(1, threads)
        for i in 0..<self.threads {
            let t = Thread { [self] in work() }
            t.stackSize = stackSize
            t.name = "\(name)-\(i)"
            t.start()
        }
    }

    deinit { stop() }

    /// Runs `body` on a pool thread and returns its result (or rethrows its error) to the awaiting task.
    ///
    /// `body` need not be `Sendable`: the caller hands its captures to the pool for the duration of the call and
    /// must not touch them concurrently (one job at a time per object; a one-thread pool guarantees it).
    public func run<T>(_ body: @escaping () throws -> T) async throws -> T {
        let job = Unchecked(body)
        let result: Unchecked<Result<T, any Error>> = await withCheckedContinuation { continuation in
            enqueue { continuation.resume(returning: Unchecked(Result { try job.value() })) }
        }
        return try result.value.get()
    }

    /// `run` for work that cannot fail.
    public func run<T>(_ body: @escaping () -> T) async -> T {
        let job = Unchecked(body)
        let result: Unchecked<T> = await withCheckedContinuation { continuation in
            enqueue { continuation.resume(returning: Unchecked(job.value())) }
        }
        return result.value
    }

    /// Lets the threads finish queued jobs and exit; later jobs are refused (their callers would wait forever,
    /// so stopping is for shutdown only).
    public func stop() {
        condition.withLock {
            stopped = true
            condition.broadcast()
        }
    }

    private func enqueue(_ job: @escaping () -> Void) {
        condition.withLock {
            precondition(!stopped, "ThreadPool: job submitted after stop()")
            jobs.append(job)
            condition.signal()
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

/// Carries a value across threads where the caller guarantees exclusive use (see `ThreadPool.run`).
private struct Unchecked<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}

/// A pool is also a `TaskExecutor`: a task started with `Task(executorPreference: pool)` runs its async code, its
/// child tasks' and that of the default actors it calls on the pool's threads rather than on Swift's cooperative
/// pool. Tests run in-process services this way, so that a test body blocking the cooperative pool (a child
/// process, a lazily loaded fixture) cannot keep a service from answering.
extension ThreadPool: TaskExecutor {
    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        enqueue { job.runSynchronously(on: executor) }
    }
}
